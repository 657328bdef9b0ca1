"""An import never overwrites a record changed since its file was exported.

The exports write each record's version (register/history.py's ``version()``, the
number the admin's change form carries for the same purpose) in a "Version"
column. A row that updates a record must bring that version back unchanged:
a file exported last week and imported today would otherwise silently revert
what a colleague saved in between. The row is refused, naming who changed
the record and when; a row that updates a record without a version is refused
too. New rows (no record number, no known code) need none.

The versions of the records a file names are read with the records themselves
(``annotate``: no query per row); who changed a record is read only for a
refused row.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from common import formatting
from register import history
from register.import_cells import IntegerWidget

KEY = "version"  # the key of register/history.py's version_column()
ANNOTATION = "import_version"


def version_column(resource):
    """The resource's version column, None for a model without an audit trail."""
    return next((column for column in resource.columns if column.key == KEY), None)


def with_versions(resource, queryset):
    """``queryset`` with each record's version, when the resource checks them."""
    if version_column(resource) is None:
        return queryset
    return queryset.annotate(**{ANNOTATION: history.version_expression(queryset.model)})


def person(user):
    if user is None:
        return _("the system (data load)")  # as the History page says
    return formatting.person_name(user)


def check(resource, instance, row):
    """Raises the row's ValidationError when it updates ``instance`` without its
    current version."""
    column = version_column(resource)
    if column is None or instance is None or instance.pk is None:
        return
    header = str(column.header)
    cell = row.get(header) if header in row else None
    try:
        sent = IntegerWidget(None).clean(cell)
    except ValueError:
        sent = -1
    if sent is None:
        raise ValidationError(
            {
                KEY: _(
                    "This row changes record #%(pk)s but has no “%(header)s”: export the records again and "
                    "make your changes in the new file (a new record leaves the record number blank)."
                )
                % {"pk": instance.pk, "header": header}
            }
        )
    current = getattr(instance, ANNOTATION, None)
    if current is None:
        current = history.version(instance)
    if sent == current:
        return
    who, when = history.newest_change(instance)
    if when is None:
        message = _(
            "Record #%(pk)s is not at the version of the file (%(sent)s): export the file again and make your "
            "changes in the new one."
        ) % {"pk": instance.pk, "sent": cell}
    else:
        message = _(
            "Record #%(pk)s was changed by %(who)s at %(when)s, after the file was exported. Export the file "
            "again and make your changes in the new one."
        ) % {"pk": instance.pk, "who": person(who), "when": timezone.localtime(when).strftime("%H:%M %d/%m/%Y")}
    raise ValidationError({KEY: message})
