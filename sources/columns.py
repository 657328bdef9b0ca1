"""The columns of a reported figure in its list's exports (see common/tabular.py)."""

from django.utils.translation import gettext_lazy as _

from common.tabular import columns_for
from sources.models import ReportedFigure

FIGURE_COLUMNS = columns_for(
    ReportedFigure,
    [
        "id",
        "indicator",
        "qualifier",
        "value",
        "unit",
        "period_start",
        "period_end",
        "period_precision",
        "scope",
        "partner",
        "source",
        "excerpt",
        "note",
        "is_public",
        "review_state",
    ],
    readonly={"is_public", "review_state"},
    # The same words as the record lists' first column (delegations/columns.py).
    headers={"id": _("Record number")},
    widths={"excerpt": 60},
)
