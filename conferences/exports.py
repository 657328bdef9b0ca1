"""The conference list as CSV and XLSX (register/exports.py)."""

from django.utils.translation import gettext_lazy as _

from conferences.columns import COLUMNS
from conferences.views import ListPage
from offices.exports import ProvinceColumnExport
from register.exports import ExportView
from register.sheets import Sheet


class ConferenceExport(ProvinceColumnExport, ExportView):
    list_page = ListPage
    sheet = Sheet(_("International conferences"), COLUMNS)
    title = _("List of international conferences and seminars")
    filename = "hoi-nghi-hoi-thao-quoc-te"
