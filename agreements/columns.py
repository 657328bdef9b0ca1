"""An agreement's columns in exports and imports (see lib/tabular.py)."""

from agreements.models import Agreement
from delegations.columns import RECORD_NUMBER
from lang_son_affairs.lib.history import version_column
from lang_son_affairs.lib.tabular import columns_for

COLUMNS = columns_for(
    Agreement,
    [
        "id",
        "code",
        "title",
        "kind",
        "regime",
        "signing_level",
        "local_signatory",
        "partners",
        "signed_on",
        "date_precision",
        "signed_place",
        "effective_on",
        "expires_on",
        "status",
        "fields",
        "summary",
        "mofa_opinion_requested_on",
        "mofa_opinion_on",
        "succeeded_by",
        "is_public",
        "review_state",
    ],
    readonly={"is_public", "review_state"},
    headers={"id": RECORD_NUMBER},
    widths={"title": 60},
) + [version_column(Agreement)]
