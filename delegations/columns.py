"""A delegation's columns in exports and imports (see common/tabular.py)."""

from django.utils.translation import gettext_lazy as _

from common.tabular import columns_for
from delegations.models import Delegation
from register.history import version_column

RECORD_NUMBER = _("Record number")

COLUMNS = columns_for(
    Delegation,
    [
        "id",
        "direction",
        "title",
        "purpose",
        "level",
        "start_date",
        "end_date",
        "date_precision",
        "partners",
        "host_unit",
        "leader_name",
        "leader_title",
        "size",
        "places",
        "received_by",
        "mechanism",
        "decision_ref",
        "funding",
        "status",
        "outcome",
        "is_public",
        "review_state",
    ],
    readonly={"is_public", "review_state"},
    headers={"id": RECORD_NUMBER},
    widths={"title": 60},
) + [version_column(Delegation)]
