"""The reported figures' list as CSV and XLSX (register/exports.py)."""

from django.utils.translation import gettext_lazy as _

from offices.exports import ProvinceColumnExport
from register.exports import ExportView
from register.sheets import Sheet
from sources.columns import FIGURE_COLUMNS
from sources.views import FigureListPage


class FigureExport(ProvinceColumnExport, ExportView):
    list_page = FigureListPage
    sheet = Sheet(_("Reported figures"), FIGURE_COLUMNS)
    title = _("List of published figures")
    filename = "so-lieu-cong-bo"
