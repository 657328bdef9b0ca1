"""The agreement list as CSV and XLSX (lib/exports.py)."""

from django.utils.translation import gettext_lazy as _

from agreements.columns import COLUMNS
from agreements.views import ListPage
from lang_son_affairs.lib.exports import ExportView
from lang_son_affairs.lib.sheets import Sheet
from offices.exports import ProvinceColumnExport


class AgreementExport(ProvinceColumnExport, ExportView):
    list_page = ListPage
    sheet = Sheet(_("International agreements"), COLUMNS)
    filename = "thoa-thuan-quoc-te"
