"""The delegation list as CSV and XLSX (lib/exports.py)."""

from django.utils.translation import gettext_lazy as _

from delegations.columns import COLUMNS
from delegations.views import ListPage
from lang_son_affairs.lib.exports import ExportView
from lang_son_affairs.lib.sheets import Sheet
from offices.exports import ProvinceColumnExport


class DelegationExport(ProvinceColumnExport, ExportView):
    list_page = ListPage
    sheet = Sheet(_("Delegations"), COLUMNS)
    filename = "doan-ra-vao"
