"""The partner list as CSV and XLSX (register/exports.py)."""

from django.utils.translation import gettext_lazy as _

from partners.columns import COLUMNS
from partners.views import ListPage
from register.exports import ExportView
from register.sheets import Sheet


class PartnerExport(ExportView):
    list_page = ListPage
    sheet = Sheet(_("Partners"), COLUMNS)
    title = _("List of partners")
    filename = "doi-tac"
