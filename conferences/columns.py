"""A conference's columns in the exports (see common/tabular.py)."""

from django.utils.translation import gettext_lazy as _

from common.tabular import columns_for
from conferences.models import Conference
from register.history import version_column

COLUMNS = columns_for(
    Conference,
    [
        "id",
        "title",
        "kind",
        "organiser",
        "co_organisers",
        "partners",
        "start_date",
        "end_date",
        "place",
        "total_participants",
        "foreign_participants",
        "foreign_funded",
        "funding",
        "authority",
        "application_date",
        "decision_number",
        "decision_date",
        "status",
        "summary",
        "report_date",
        "report_summary",
        "is_public",
        "review_state",
    ],
    readonly={"is_public", "review_state"},
    headers={"id": _("Record number")},
    widths={"title": 60},
) + [version_column(Conference)]
