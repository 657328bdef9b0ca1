"""Partners from a spreadsheet: the columns of partners/columns.py. A partner's
parent is named like any partner (name, English name, alias), and may be a
partner created by an earlier row of the same file."""

from partners.columns import COLUMNS
from partners.models import Partner
from register.import_cells import NameIndex
from register.imports import ColumnResource


class PartnerResource(ColumnResource):
    # A row may name a partner an earlier row of the file creates.
    preview_writes = True
    columns = COLUMNS
    select_related = ("parent",)

    class Meta:
        model = Partner

    def build_index(self, model):
        if model is not Partner:
            return super().build_index(model)
        # With every partner's parent linked in memory, a partner's clean() (which
        # walks up the hierarchy) and save() (which reads the parent's path) cost
        # no query.
        index = NameIndex(Partner, self.of_user(Partner.objects.all()), extra_fields=("parent_id", "path"))
        for record in index.records.values():
            record.parent = index.records.get(record.parent_id)
        return index

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        if instance.parent_id:
            instance.parent = self.index(Partner).records.get(instance.parent_id, instance.parent)

    def after_save_instance(self, instance, row, **kwargs):
        # A later row may name this partner as its parent.
        self.index(Partner).add(instance)
