"""Agreements from a spreadsheet: the columns of agreements/columns.py. A row
with a number (code) updates that agreement."""

from django.db.models import Q

from agreements.columns import COLUMNS
from agreements.models import Agreement
from lang_son_affairs.lib.import_cells import NameIndex
from lang_son_affairs.lib.imports import ColumnResource


class AgreementResource(ColumnResource):
    columns = COLUMNS
    code_field = "code"
    select_related = ("local_signatory", "succeeded_by")
    prefetch_related = ("partners", "fields")

    class Meta:
        model = Agreement

    def build_index(self, model):
        if model is Agreement:
            # The agreements that supersede others, by number or title: only those the
            # file names, since a national register holds a hundred thousand.
            names = self.column_texts("succeeded_by")
            return NameIndex(Agreement, Agreement.objects.filter(Q(code__in=names) | Q(title__in=names)))
        return super().build_index(model)
