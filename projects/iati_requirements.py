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

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import lookups  # noqa: F401 - registers the blank lookup
from partners.models import Sector
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
    # The part of the rule that does not depend on the day, as SQL on a project row:
    # (row, blank) -> the condition, ``{row}.column`` naming its columns and ``blank(sql)``
    # the database's test of blank text. Kept in the project's ``iati_lacks`` column, one bit
    # a requirement (projects/iati_lacks_sql.py), so the list's count reads the projects
    # lacking something from a small index instead of testing every project.
    stored: object = None
    # (cutoff day, ids of the sectors with a blank code) -> the Q of the rest of the rule,
    # asked at count time; None when nothing is left.
    rest_q: object = None

    @property
    def bit(self):
        """The requirement's bit in ``iati_lacks`` (0 when nothing of it is stored)."""
        return 1 << REQUIREMENTS.index(self) if self.stored else 0


NO_PARTICIPANT = Requirement(
    _("no participating organisation"),
    lambda p, parts, day: not parts,
    lambda day: ~Q(Exists(ProjectParticipant.objects.filter(project=OuterRef("pk")))),
    stored=lambda row, blank: (
        f"NOT EXISTS (SELECT 1 FROM projects_projectparticipant pp WHERE pp.project_id = {row}.id)"  # noqa: S608 - a constant row name
    ),
)

# The later of a project's actual dates (NULL when it has neither), as its index
# (project_actual_latest_idx) has it: later than the cutoff when either date is.
LATEST_ACTUAL = Greatest(Coalesce("actual_start", "actual_end"), Coalesce("actual_end", "actual_start"))

REQUIREMENTS = (
    Requirement(
        _("no title"),
        lambda p, parts, day: _blank(p.title),
        lambda day: Q(title__blank=True),
        stored=lambda row, blank: blank(f"{row}.title"),
    ),
    Requirement(
        _("no description"),
        lambda p, parts, day: _blank(p.description),
        lambda day: Q(description__blank=True),
        stored=lambda row, blank: blank(f"{row}.description"),
    ),
    NO_PARTICIPANT,
    Requirement(
        _("no status"),
        lambda p, parts, day: p.status is None,
        lambda day: Q(status__isnull=True),
        stored=lambda row, blank: f"{row}.status IS NULL",
    ),
    Requirement(
        _("no start date (planned or actual)"),
        lambda p, parts, day: p.planned_start is None and p.actual_start is None,
        lambda day: Q(planned_start__isnull=True, actual_start__isnull=True),
        stored=lambda row, blank: f"{row}.planned_start IS NULL AND {row}.actual_start IS NULL",
    ),
    Requirement(
        _("actual start or end in the future"),
        lambda p, parts, day: any(d is not None and d > day for d in (p.actual_start, p.actual_end)),
        lambda day: Q(actual_start__gt=day) | Q(actual_end__gt=day),
        # Today's: asked at count time, of the index of the actual dates.
        rest_q=lambda day, blank_sectors: Q(GreaterThan(LATEST_ACTUAL, day)),
    ),
    Requirement(
        _("no sector"),
        lambda p, parts, day: p.sector is None or _blank(p.sector.code),
        lambda day: Q(sector__isnull=True) | Q(sector__code__blank=True),
        # No sector is stored; a sector whose code is blank is asked at count time: a
        # sector's code can be edited, and storing it would rewrite every project of the
        # sector (and run their tallies' triggers) for a case the unique, required code
        # all but rules out, while asking costs one look at the small sector table.
        stored=lambda row, blank: f"{row}.sector_id IS NULL",
        rest_q=lambda day, blank_sectors: Q(sector_id__in=blank_sectors) if blank_sectors else None,
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


def lacks_bit(requirement):
    """The condition that a project's stored ``iati_lacks`` has ``requirement``'s bit."""
    return Q(GreaterThan(F("iati_lacks").bitand(requirement.bit), 0))


def left_out_summary(queryset, day=None):
    """(number of aid projects among ``queryset`` that the file leaves out,
    [(reason, number of projects), ...] for the reasons that occur), in three queries.
    A project missing two things counts once in the total and under each reason.

    What a project lacks whatever the day is stored with it (``iati_lacks``, kept by
    triggers: projects/iati_lacks_sql.py), so the count reads the projects lacking
    something from their partial index, then the few others whose actual dates pass
    today's cutoff or whose sector has a blank code. Testing every aid project's title
    and description and looking for its participants took 0,34-0,39 s for the country's
    150.000 (docs/PERFORMANCE.md, issue 16, third pass)."""
    day = day or export_cutoff()
    aid = queryset.aid().order_by()
    blank_sectors = list(Sector.objects.filter(code__blank=True).order_by().values_list("pk", flat=True))
    rests = {i: r.rest_q(day, blank_sectors) for i, r in enumerate(REQUIREMENTS) if r.rest_q}
    rests = {i: q for i, q in rests.items() if q is not None}
    falls_short = {}
    for i, r in enumerate(REQUIREMENTS):
        parts = ([lacks_bit(r)] if r.stored else []) + ([rests[i]] if i in rests else [])
        if parts:
            falls_short[i] = reduce(or_, parts)
    # Counting the mask (never NULL), not the id: the index holds every column the counts read, so PostgreSQL
    # reads it alone (44 ms for the country's 73.000 aid projects lacking something).
    stored = aid.filter(iati_lacks__gt=0).aggregate(
        n=Count("iati_lacks"),
        **{f"r{i}": Count("iati_lacks", filter=condition) for i, condition in falls_short.items()},
    )
    counts = {i: stored[f"r{i}"] for i in falls_short}
    total = stored["n"]
    if rests:
        others = aid.filter(iati_lacks=0).filter(reduce(or_, rests.values()))
        rest = others.aggregate(
            n=Count("iati_lacks"), **{f"r{i}": Count("iati_lacks", filter=q) for i, q in rests.items()}
        )
        total += rest["n"]
        for i in rests:
            counts[i] += rest[f"r{i}"]
    reasons = [(r.reason, counts[i]) for i, r in enumerate(REQUIREMENTS) if counts.get(i)]
    return total, reasons
