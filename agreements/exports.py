"""The agreement list as CSV and XLSX (register/exports.py)."""

from django.utils.translation import gettext_lazy as _

from agreements.columns import COLUMNS
from agreements.views import ListPage
from offices.exports import ProvinceColumnExport
from register.exports import ExportView
from register.sheets import Sheet


class AgreementExport(ProvinceColumnExport, ExportView):
    list_page = ListPage
    sheet = Sheet(_("International agreements"), COLUMNS)
    title = _("List of international agreements")
    filename = "thoa-thuan-quoc-te"
