"""The agreement and twinning-pair lists as CSV and XLSX (register/exports.py)."""

from django.utils.translation import gettext_lazy as _

from agreements.columns import COLUMNS, PARTNERSHIP_COLUMNS
from agreements.views import ListPage, PartnershipListPage
from offices.exports import ProvinceColumnExport
from register.exports import ExportView
from register.sheets import Sheet


class AgreementExport(ProvinceColumnExport, ExportView):
    list_page = ListPage
    sheet = Sheet(_("International agreements"), COLUMNS)
    title = _("List of international agreements")
    filename = "thoa-thuan-quoc-te"


class PartnershipExport(ProvinceColumnExport, ExportView):
    """The twinning pairs: the columns the twinning import reads (agreements/resources.py)."""

    list_page = PartnershipListPage
    sheet = Sheet(_("Twinning pairs"), PARTNERSHIP_COLUMNS)
    title = _("List of twinning pairs")
    filename = "cap-ket-nghia"
