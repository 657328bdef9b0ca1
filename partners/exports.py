"""The partner list as CSV and XLSX (lib/exports.py)."""

from django.utils.translation import gettext_lazy as _

from lang_son_affairs.lib.exports import ExportView
from lang_son_affairs.lib.sheets import Sheet
from partners.columns import COLUMNS
from partners.views import ListPage


class PartnerExport(ExportView):
    list_page = ListPage
    sheet = Sheet(_("Partners"), COLUMNS)
    filename = "doi-tac"
