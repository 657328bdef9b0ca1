"""The columns of an agreement and of a twinning pair in exports and imports
(see common/tabular.py)."""

from agreements.models import Agreement, Partnership
from common.tabular import columns_for
from delegations.columns import RECORD_NUMBER
from register.history import version_column

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

PARTNERSHIP_COLUMNS = columns_for(
    Partnership,
    [
        "id",
        "local_unit",
        "partner",
        "kind",
        "established_on",
        "date_precision",
        "agreement",
        "note",
        "is_public",
        "review_state",
    ],
    readonly={"is_public", "review_state"},
    headers={"id": RECORD_NUMBER},
) + [version_column(Partnership)]
