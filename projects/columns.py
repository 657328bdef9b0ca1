"""A project's columns, and its transactions' columns, in exports and imports
(see common/tabular.py). A project's XLSX export has a second sheet of its
transactions, tied to the project by record number and code."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from common.tabular import NAMES_SEPARATOR, Column, columns_for
from delegations.columns import RECORD_NUMBER
from partners.models import Partner
from projects.models import ParticipantRole, Project, ProjectParticipant, Transaction
from register.history import version_column

# Participants by IATI role, one column per role: "Funding" lists the funders.
# A name may be a partner or one of our local units; imports match either.
PARTICIPANT_COLUMNS = [
    Column(
        key=f"participants_{role.value}",
        header=capfirst(role.label),
        kind="names",
        related_model=Partner,
        width=36,
    )
    for role in ParticipantRole
]


def participant_names(project_ids, user):
    """{"participants_1": {project id: "Ngân hàng Thế giới; ..."}, ...}: the names in
    each role column of these projects, partners and local units alike, in one query;
    for a visitor, only the published partners and units are named."""
    found = {}
    rows = ProjectParticipant.objects.visible_to(user).filter(project_id__in=project_ids).order_by("role", "pk")
    for project_id, role, partner, unit in rows.values_list("project_id", "role", "partner__name", "local_unit__name"):
        found.setdefault(f"participants_{role}", {}).setdefault(project_id, []).append(partner or unit)
    return {
        key: {pk: NAMES_SEPARATOR.join(names) for pk, names in by_project.items()} for key, by_project in found.items()
    }


COLUMNS = [
    *columns_for(
        Project,
        ["id", "code", "kind", "title", "sector", "status"],
        headers={"id": RECORD_NUMBER},
        widths={"title": 60},
    ),
    *PARTICIPANT_COLUMNS,
    *columns_for(
        Project,
        [
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "date_precision",
            "locations",
            "committed_amount",
            "currency",
            "committed_vnd",
            # The rate the đồng value came from, or the one refused as too old (read-only:
            # projects/conversion_sql.py derives all three); a blank value says "not converted".
            "rate_date",
            "vnd_rate",
            "description",
            "outputs",
            "is_public",
            "review_state",
        ],
        readonly={"is_public", "review_state"},
    ),
    version_column(Project),
]

PROJECT_NUMBER = _("Project record number")
PROJECT_CODE = _("Project code")

TRANSACTION_COLUMNS = [
    Column(key="project_id", header=PROJECT_NUMBER, kind="int", width=12),
    Column(key="project_code", header=PROJECT_CODE, kind="text", width=18, source="project__code"),
    *columns_for(
        Transaction,
        [
            "id",
            "kind",
            "date",
            "date_precision",
            "amount",
            "currency",
            "value_date",
            "amount_vnd",
            "rate_date",
            "vnd_rate",
            "provider",
            "receiver",
            "description",
        ],
        headers={"id": RECORD_NUMBER},
    ),
    version_column(Transaction),
]
