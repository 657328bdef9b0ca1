"""Delegations from a spreadsheet: the columns of delegations/columns.py."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import ngettext

from delegations.columns import COLUMNS
from delegations.models import Delegation, DelegationMember
from register.import_rows import LOAD_CHUNK
from register.imports import ColumnResource


class DelegationResource(ColumnResource):
    columns = COLUMNS
    select_related = ("host_unit", "mechanism")
    prefetch_related = ("partners",)
    bulk_new = True

    class Meta:
        model = Delegation

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.trips = None

    def similar_records(self, instance):
        """The delegations of the same direction and start date with a partner in
        common: the same trip typed in twice (register/import_duplicates.py)."""
        if instance.start_date is None:
            return []
        partners = {partner.pk for partner in instance._import_names.get("partners", [])}
        if self.trips is None:
            self.trips = self.trips_on(self.file_start_dates())
        found = self.trips.get((instance.direction, instance.start_date), {})
        return [pk for pk, linked in found.items() if linked & partners]

    def file_start_dates(self):
        field = self.fields["start_date"]
        dates = set()
        if field.column_name not in (self.dataset.headers or []):
            return dates
        for row in self.dataset.dict:
            try:
                value = field.clean(row)
            except (ValueError, ValidationError):
                value = None  # a bad cell is the row's own error, told by its import
            value = value[0] if isinstance(value, tuple) else value
            if isinstance(value, dt.date):
                dates.add(value)
        return dates

    def trips_on(self, dates):
        """{(direction, start date): {delegation number: its partners' numbers}}: one
        query per 500 dates of the file."""
        trips, dates = {}, sorted(dates)
        for start in range(0, len(dates), LOAD_CHUNK):
            rows = self.of_user(Delegation.objects.filter(start_date__in=dates[start : start + LOAD_CHUNK]))
            for pk, direction, day, partner in rows.values_list("pk", "direction", "start_date", "partners"):
                linked = trips.setdefault((direction, day), {}).setdefault(pk, set())
                if partner is not None:
                    linked.add(partner)
        return trips

    def get_queryset(self):
        members = (
            DelegationMember.objects.filter(delegation=OuterRef("pk"))
            .order_by()
            .values("delegation")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset().annotate(named_members=Coalesce(Subquery(members), 0))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """As the admin: a size given for a record already in the register is no
        smaller than its members (the people known by name), and a blank size
        stays blank (unknown), never counted from them. The count of members
        comes with the records the import loads (get_queryset): no query per row.
        The stage follows the status the file gives (delegations/stage_fields.py), here
        since a large file is written in bulk, without ``save()``."""
        instance.sync_stage_with_status()
        errors = dict(import_validation_errors or {})
        if instance.pk and instance.size is not None:
            named = getattr(instance, "named_members", None)
            if named is None:
                named = DelegationMember.objects.filter(delegation_id=instance.pk).count()
            if named > instance.size and "size" not in errors:
                errors["size"] = ngettext(
                    "%(count)d person is named but the number of persons is %(size)d. "
                    "Correct the number, or leave it blank if the source does not say.",
                    "%(count)d persons are named but the number of persons is %(size)d. "
                    "Correct the number, or leave it blank if the source does not say.",
                    named,
                ) % {"count": named, "size": instance.size}
        super().validate_instance(instance, errors, validate_unique)
