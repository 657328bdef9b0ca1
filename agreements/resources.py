"""Agreements and twinning pairs from a spreadsheet: the columns of
agreements/columns.py. A row with a number (code) updates that agreement."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from agreements.columns import COLUMNS, PARTNERSHIP_COLUMNS
from agreements.models import Agreement, Partnership
from register.import_cells import NameIndex
from register.import_rows import LOAD_CHUNK, ImportResult
from register.imports import ColumnResource


def file_agreements(resource):
    """The agreements a file names, by number or title: only those, since a
    national register holds a hundred thousand."""
    names = resource.column_texts("succeeded_by" if resource._meta.model is Agreement else "agreement")
    return NameIndex(Agreement, resource.of_user(Agreement.objects.filter(Q(code__in=names) | Q(title__in=names))))


class AgreementResource(ColumnResource):
    columns = COLUMNS
    code_field = "code"
    select_related = ("local_signatory", "succeeded_by")
    prefetch_related = ("partners", "fields")

    class Meta:
        model = Agreement

    def build_index(self, model):
        if model is Agreement:
            # The agreements that supersede others.
            return file_agreements(self)
        return super().build_index(model)


class PartnershipResource(ColumnResource):
    """Twinning pairs. A pair is one of our units, its counterpart and the kind
    of pair, once only: the pairs the file's units already have are read in one
    query per 500 units (``existing_pairs``), not per row, and a pair given twice,
    in the file or in the file and the register, is its row's error rather than
    the database's refusal."""

    columns = PARTNERSHIP_COLUMNS
    select_related = ("local_unit", "partner", "agreement")
    bulk_new = True

    class Meta:
        model = Partnership

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.pairs = None  # {(unit, partner): {kind: pair number}}, read when first needed
        self.file_pairs = {}  # {(unit, partner, kind): row number} of the rows checked so far

    def build_index(self, model):
        if model is Agreement:
            return file_agreements(self)
        return super().build_index(model)

    def existing_pairs(self):
        if self.pairs is None:
            self.pairs = {}
            units = sorted(self.file_units())
            for start in range(0, len(units), LOAD_CHUNK):
                rows = Partnership.objects.filter(local_unit_id__in=units[start : start + LOAD_CHUNK])
                for pk, unit, partner, kind in rows.values_list("pk", "local_unit_id", "partner_id", "kind"):
                    self.pairs.setdefault((unit, partner), {})[kind] = pk
        return self.pairs

    def file_units(self):
        field = self.fields["local_unit"]
        units = set()
        if field.column_name not in (self.dataset.headers or []):
            return units
        for row in self.dataset.dict:
            try:
                unit = field.clean(row)
            except (ValueError, ValidationError):
                unit = None  # a bad cell is the row's own error, told by its import
            if unit is not None:
                units.add(unit.pk)
        return units

    def similar_records(self, instance):
        """The pairs of the same unit and counterpart of another kind: the same
        pair typed in again under another kind (one of the same kind is an error)."""
        if not (instance.local_unit_id and instance.partner_id):
            return []
        found = self.existing_pairs().get((instance.local_unit_id, instance.partner_id), {})
        return sorted(pk for kind, pk in found.items() if kind != instance.kind)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.local_unit_id and instance.partner_id and instance.kind and "partner" not in errors:
            message = self.pair_taken(instance)
            if message:
                errors["partner"] = message
        super().validate_instance(instance, errors, validate_unique)

    def pair_taken(self, instance):
        """Why the row's pair may not be saved, or ""."""
        unit, partner, kind = instance.local_unit_id, instance.partner_id, instance.kind
        names = {
            "unit": instance.local_unit,
            "partner": instance.partner,
            "kind": instance.get_kind_display(),
        }
        row = self.file_pairs.get((unit, partner, kind))
        if row is not None:
            return _("The pair %(unit)s – %(partner)s (%(kind)s) is already on row %(row)s of the file.") % {
                **names,
                "row": row,
            }
        self.file_pairs[(unit, partner, kind)] = self.current_row
        pk = self.existing_pairs().get((unit, partner), {}).get(kind)
        if pk is not None and pk != instance.pk:
            return _(
                "The pair %(unit)s – %(partner)s (%(kind)s) is already in the register, record number %(pk)s. "
                "To change it, give its record number."
            ) % {**names, "pk": pk}
        return ""

    def import_row(self, row, instance_loader, **kwargs):
        self.current_row = ImportResult.sheet_row(kwargs.get("row_number", 0), row)  # as Excel numbers it
        return super().import_row(row, instance_loader, **kwargs)
