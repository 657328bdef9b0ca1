"""What an aid project must hold to become a valid IATI 2.03 activity, stated
once for the file (projects/iati.py leaves such a project out) and for the
project list (which tells staff how many were left out and why).

The schema requires a description, at least one participating organisation,
an activity status and an activity date; the standard ruleset requires a start
date (planned or actual), a sector, and no actual date in the future. Nothing
is made up to fill a gap: a project missing one of them is left out with the
reason, in words staff can act on ("thiếu mô tả").
"""

from dataclasses import dataclass
from datetime import UTC
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import lookups  # noqa: F401 - registers the blank lookup
from projects.models import ProjectParticipant


def export_cutoff():
    """The last day the file may report as past: today in Vietnam and in UTC alike
    (IATI's validators compare with their own clock, in UTC, which for the first
    seven hours of a Vietnamese day is still yesterday)."""
    return min(timezone.localdate(), timezone.now().astimezone(UTC).date())


def _blank(text):
    return not (text or "").strip()


@dataclass(frozen=True)
class Requirement:
    reason: str
    # (project, its participants as written, cutoff day) -> True when the project falls short.
    missing: object
    # cutoff day -> the Q of the projects that fall short, for counting them in one query.
    missing_q: object


NO_PARTICIPANT = Requirement(
    _("no participating organisation"),
    lambda p, parts, day: not parts,
    lambda day: ~Q(Exists(ProjectParticipant.objects.filter(project=OuterRef("pk")))),
)

REQUIREMENTS = (
    Requirement(_("no title"), lambda p, parts, day: _blank(p.title), lambda day: Q(title__blank=True)),
    Requirement(
        _("no description"), lambda p, parts, day: _blank(p.description), lambda day: Q(description__blank=True)
    ),
    NO_PARTICIPANT,
    Requirement(_("no status"), lambda p, parts, day: p.status is None, lambda day: Q(status__isnull=True)),
    Requirement(
        _("no start date (planned or actual)"),
        lambda p, parts, day: p.planned_start is None and p.actual_start is None,
        lambda day: Q(planned_start__isnull=True, actual_start__isnull=True),
    ),
    Requirement(
        _("actual start or end in the future"),
        lambda p, parts, day: any(d is not None and d > day for d in (p.actual_start, p.actual_end)),
        lambda day: Q(actual_start__gt=day) | Q(actual_end__gt=day),
    ),
    Requirement(
        _("no sector"),
        lambda p, parts, day: p.sector is None or _blank(p.sector.code),
        lambda day: Q(sector__isnull=True) | Q(sector__code__blank=True),
    ),
)


def shortfalls(project, participants, day):
    """The reasons ``project`` cannot be written, in the order above; empty when it can."""
    return [r.reason for r in REQUIREMENTS if r.missing(project, participants, day)]


def writable_q(day=None):
    """The aid projects that have everything the file needs (the opposite of every
    requirement's shortfall), for asking in one query whether any can be written."""
    day = day or export_cutoff()
    return ~reduce(or_, [r.missing_q(day) for r in REQUIREMENTS])


def left_out_summary(queryset, day=None):
    """(number of aid projects among ``queryset`` that the file leaves out,
    [(reason, number of projects), ...] for the reasons that occur), in two queries.
    A project missing two things counts once in the total and under each reason.

    "No participating organisation" is counted apart, as the aid projects with no
    participant: PostgreSQL reads that as one anti-join, where inside the other counts it
    was a lookup per project, twice (0,8 s for the country's 150.000 aid projects)."""
    day = day or export_cutoff()
    aid = queryset.aid().order_by()
    others = {i: r.missing_q(day) for i, r in enumerate(REQUIREMENTS) if r is not NO_PARTICIPANT}
    counts = aid.aggregate(
        any_other=Count("pk", filter=reduce(or_, others.values())),
        **{f"r{i}": Count("pk", filter=condition) for i, condition in others.items()},
    )
    alone = aid.filter(NO_PARTICIPANT.missing_q(day)).aggregate(
        n=Count("pk"), only=Count("pk", filter=~reduce(or_, others.values()))
    )
    counts[f"r{REQUIREMENTS.index(NO_PARTICIPANT)}"] = alone["n"]
    reasons = [(r.reason, counts[f"r{i}"]) for i, r in enumerate(REQUIREMENTS) if counts[f"r{i}"]]
    return counts["any_other"] + alone["only"], reasons
