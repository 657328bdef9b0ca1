"""The record lists' exports in the national view: a file of every province's
records says, on each row, whose it is (the list itself names it under the title)."""

from django.utils.translation import gettext_lazy as _

from common.tabular import Column
from offices.profile import all_offices
from offices.site_scope import reads_every_province
from register.sheets import Sheet


def province_column():
    """The record's province by name (the column holds its code): read-only, after the record number."""
    choices = tuple((office.province_code, office.province_name) for office in all_offices())
    return Column(
        key="province",
        header=_("Province"),
        kind="choice",
        choices=choices,
        source="province_id",
        readonly=True,
        width=16,
    )


def with_province(sheet):
    """``sheet`` with the province column second (its children unchanged: a
    project's transactions are its province's)."""
    columns = [*sheet.columns[:1], province_column(), *sheet.columns[1:]]
    return Sheet(sheet.title, columns, lookups=sheet.lookups, children=sheet.children)


class ProvinceColumnExport:
    """For an ExportView: the province column when the file holds every province's rows."""

    def get_sheet(self, request):
        sheet = super().get_sheet(request)
        return with_province(sheet) if reads_every_province(request.user) else sheet
