"""The project list as CSV and XLSX (register/exports.py). The XLSX has a second
sheet with the transactions of the projects exported; the CSV, one table only,
holds the projects."""

from django.utils.translation import gettext_lazy as _

from offices.exports import ProvinceColumnExport
from projects.columns import COLUMNS, TRANSACTION_COLUMNS, participant_names
from projects.models import Transaction
from projects.views import ListPage
from register.exports import ExportView
from register.sheets import ChildSheet, Sheet

TRANSACTIONS = ChildSheet(
    _("Transactions"),
    TRANSACTION_COLUMNS,
    queryset=Transaction.objects.order_by("date", "pk"),
    parent_field="project_id",
)


class ProjectExport(ProvinceColumnExport, ExportView):
    list_page = ListPage
    sheet = Sheet(_("Projects"), COLUMNS, lookups=[participant_names], children=[TRANSACTIONS])
    title = _("List of foreign-funded and foreign-invested projects")
    filename = "du-an"
