"""The delegation list as CSV and XLSX (register/exports.py)."""

from django.utils.translation import gettext_lazy as _

from delegations.columns import COLUMNS
from delegations.views import ListPage
from offices.exports import ProvinceColumnExport
from register.exports import ExportView
from register.sheets import Sheet


class DelegationExport(ProvinceColumnExport, ExportView):
    list_page = ListPage
    sheet = Sheet(_("Delegations"), COLUMNS)
    title = _("List of outbound and inbound delegations")
    filename = "doan-ra-vao"
