"""Projects and their transactions from a spreadsheet: the columns of
projects/columns.py.

A project workbook, as the export writes it, has the projects on its first
sheet and their transactions on a sheet titled "Giao dịch" ("Transactions").
``ProjectResource`` imports both in one go: the transactions after the
projects, inside the same database transaction, so that a transaction may
name a project the same file creates, and a bad row on either sheet leaves
everything unsaved. ``TransactionResource`` alone imports a CSV of
transactions (or that sheet of a workbook); a transaction names its project
by record number or code.
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils import translation
from django.utils.translation import gettext as _

from partners.models import LocalUnit, Partner
from projects.columns import COLUMNS, TRANSACTION_COLUMNS
from projects.models import Project, ProjectParticipant, Transaction
from register.import_admin import sheet_titled
from register.import_cells import IntegerWidget, cell_text
from register.import_rows import LOAD_CHUNK, ImportFileError
from register.imports import ColumnResource

PARTICIPANTS = "participants_"


def transaction_sheet_titles():
    titles = {"Giao dịch", "Transactions"}
    for language in ("vi", "en"):
        with translation.override(language):
            titles.add(str(Transaction._meta.verbose_name_plural))
    return titles


class ProjectResource(ColumnResource):
    # The transactions sheet may name a project the projects sheet creates.
    preview_writes = True
    columns = COLUMNS
    code_field = "code"
    select_related = ("sector",)
    prefetch_related = (
        "locations",
        Prefetch("participants", queryset=ProjectParticipant.objects.select_related("partner", "local_unit")),
    )

    class Meta:
        model = Project

    @classmethod
    def get_display_name(cls):
        return _("Projects (and the “Transactions” sheet of a workbook)")

    def name_indexes(self, column):
        if column.key.startswith(PARTICIPANTS):
            return [self.index(Partner), self.index(LocalUnit)]
        return super().name_indexes(column)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        for field in self.get_import_fields():
            if field.column.key.startswith(PARTICIPANTS):
                field.widget.what_text = _("partner or local unit")

    def current_names(self, instance):
        current = super().current_names(instance)
        for participant in instance.participants.all():
            current.setdefault(f"{PARTICIPANTS}{participant.role}", []).append(participant.party)
        return current

    def save_names(self, instance, column, records):
        """A role's participants: the parties that left it are removed, the new
        ones added; one query each, and none when the role is unchanged."""
        if not column.key.startswith(PARTICIPANTS):
            return super().save_names(instance, column, records)
        role = int(column.key.removeprefix(PARTICIPANTS))

        def key(party):
            return (isinstance(party, Partner), party.pk)

        current = {key(p): p for p in instance._import_current.get(column.key, [])}
        wanted = {key(p): p for p in records}
        gone = [current[k] for k in current.keys() - wanted.keys()]
        if gone:
            partners = [p.pk for p in gone if isinstance(p, Partner)]
            units = [p.pk for p in gone if not isinstance(p, Partner)]
            ProjectParticipant.objects.filter(
                Q(partner_id__in=partners) | Q(local_unit_id__in=units), project=instance, role=role
            ).delete()
        added = [wanted[k] for k in wanted.keys() - current.keys()]
        if added:
            ProjectParticipant.objects.bulk_create(
                ProjectParticipant(
                    project=instance,
                    role=role,
                    partner=party if isinstance(party, Partner) else None,
                    local_unit=None if isinstance(party, Partner) else party,
                )
                for party in added
            )

    def save_parts(self, dataset):
        """What a background save writes in batches (register/import_jobs.py): the
        projects, then the workbook's transactions, which may name them."""
        parts = [(type(self), dataset)]
        sheet = sheet_titled(dataset, *transaction_sheet_titles())
        if sheet is not None:
            parts.append((TransactionResource, sheet))
        return parts

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        sheet = sheet_titled(dataset, *transaction_sheet_titles())
        if sheet is None:
            return
        child = TransactionResource().import_data(
            sheet,
            dry_run=kwargs.get("dry_run", False),
            use_transactions=kwargs.get("using_transactions"),
            **{k: v for k, v in kwargs.items() if k in {"user", "file_name", "retain_instance_in_row_result"}},
        )
        child.sheet = sheet.title
        result.sheet = dataset.title
        result.children = [child]


class TransactionResource(ColumnResource):
    columns = TRANSACTION_COLUMNS
    select_related = ("project", "provider", "receiver")

    class Meta:
        model = Transaction

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for key in ("project_id", "project_code"):
            self.fields[key].readonly = True  # read by project_of(), not set on the transaction
        self.projects_by_pk, self.projects_by_code = {}, {}

    @classmethod
    def get_display_name(cls):
        return _("Transactions only")

    def import_data(self, dataset, *args, **kwargs):
        # Given a whole project workbook, the transactions are on their own sheet.
        dataset = sheet_titled(dataset, *transaction_sheet_titles()) or dataset
        return super().import_data(dataset, *args, **kwargs)

    def match_headers(self, dataset):
        super().match_headers(dataset)
        if not {self.header_of("project_id"), self.header_of("project_code")} & self.present:
            raise ImportFileError(
                _("Missing columns: %(headers)s.")
                % {
                    "headers": _("“%(number)s” or “%(code)s”")
                    % {"number": self.header_of("project_id"), "code": self.header_of("project_code")}
                }
            )

    def before_import(self, dataset, **kwargs):
        """The projects the file names, by record number or code: one query per
        500 of them (projects created by the same import included)."""
        super().before_import(dataset, **kwargs)
        ids = set()
        for text in self.column_texts("project_id"):
            try:
                ids.add(IntegerWidget(None).clean(text))
            except ValueError:
                continue
        codes = self.column_texts("project_code")
        for field, values in (("pk", sorted(ids - {None})), ("code", codes)):
            for start in range(0, len(values), LOAD_CHUNK):
                wanted = Project.objects.filter(Q((f"{field}__in", values[start : start + LOAD_CHUNK])))
                for project in self.of_user(wanted):  # the user's province's projects only
                    self.projects_by_pk[project.pk] = project
                    if project.code:
                        self.projects_by_code[project.code] = project

    def project_of(self, row):
        number_header, code_header = self.header_of("project_id"), self.header_of("project_code")
        try:
            pk = IntegerWidget(None).clean(row.get(number_header))
        except ValueError as error:
            raise ValidationError({"project_id": str(error)}) from None
        try:
            code = cell_text(row.get(code_header)) if row.get(code_header) not in (None, "") else ""
        except ValueError as error:
            raise ValidationError({"project_code": str(error)}) from None
        project = None
        if pk is not None:
            project = self.projects_by_pk.get(pk)
            if project is None:
                raise ValidationError({"project_id": _("There is no project number %(pk)s.") % {"pk": pk}})
            if code and project.code != code:
                message = _("Project number %(pk)s has the code “%(actual)s”, not “%(code)s”.")
                raise ValidationError({"project_code": message % {"pk": pk, "actual": project.code, "code": code}})
        elif code:
            project = self.projects_by_code.get(code)
            if project is None:
                raise ValidationError(
                    {"project_code": _("There is no project with the code “%(code)s”.") % {"code": code}}
                )
        else:
            raise ValidationError({"project_id": _("Give the project's record number or code.")})
        return project

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            instance.project = self.project_of(row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
