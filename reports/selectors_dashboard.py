"""The dashboard's figures: each one aggregate query (GROUP BY in the database)
over the records the viewer may see.

What counts as a delegation here: not cancelled, and not in the future (a
delegation dated after today is "upcoming", listed on its own). Key figures
compare this year so far (1 January to today) with the same days of last year.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementStatus
from common.formatting import large_amount, number, unconverted_part
from delegations.models import Delegation, Direction, Status
from partners.models import Partner, PartnerKind
from projects import project_tally
from projects.models import Project, ProjectKind, ProjectStatus
from reports import tally


@dataclass(frozen=True)
class Periods:
    """This year so far and the same days of last year."""

    today: datetime.date

    @property
    def this_start(self):
        return self.today.replace(month=1, day=1)

    @property
    def last_start(self):
        return self.this_start.replace(year=self.today.year - 1)

    @property
    def last_end(self):
        # 29 February has no twin: last year's period then ends on the 28th.
        day = self.today.day if not (self.today.month == 2 and self.today.day == 29) else 28
        return self.today.replace(year=self.today.year - 1, day=day)

    def current(self, field):
        return Q(**{f"{field}__gte": self.this_start, f"{field}__lte": self.today})

    def previous(self, field):
        return Q(**{f"{field}__gte": self.last_start, f"{field}__lte": self.last_end})


@dataclass(frozen=True)
class KeyFigure:
    label: str
    now: Decimal
    before: Decimal
    money: bool = False
    note: str = ""  # e.g. the delegations of unknown size a person count leaves out
    # What a money figure leaves out: "1 dự án chưa quy đổi (EUR 1.000.000)" (see unconverted_projects).
    left_out_now: str = ""
    left_out_before: str = ""

    @property
    def change(self):
        return self.now - self.before

    @property
    def percent(self):
        """The change in per cent of last year's figure; None when last year had none."""
        if not self.before:
            return None
        return (Decimal(self.change) * 100 / Decimal(self.before)).quantize(Decimal("1"))

    def format(self, value):
        return large_amount(value, "VND") if self.money else number(value)

    @property
    def now_display(self):
        return self.format(self.now) + (f" + {self.left_out_now}" if self.left_out_now else "")

    @property
    def before_display(self):
        return self.format(self.before) + (f" + {self.left_out_before}" if self.left_out_before else "")

    @property
    def trend(self):
        return "up" if self.change > 0 else "down" if self.change < 0 else "same"

    @property
    def change_display(self):
        """+3 (+33%), −2 (−10%), +3 when last year had none, or "no change"."""
        if not self.change:
            return _("no change")
        sign = "+" if self.change > 0 else "−"  # U+2212, the minus sign
        text = f"{sign}{self.format(abs(self.change))}"
        if self.percent is not None:
            text += f" ({sign}{number(abs(self.percent))}%)"
        return text


def _counted_tally(user, today):
    """The tally rows of the viewer's delegations that count (not cancelled), with
    the rows covering every year before this one and this year up to today."""
    this_start = today.replace(month=1, day=1)
    counted = Q(grain="y", period__lt=this_start) | tally.within(this_start, today)
    return tally.visible_tally(user).filter(cancelled=False), counted


def _covered(spans, grain, period):
    """Whether the tally row of ``grain`` and ``period`` is one of the rows that
    cover ``spans`` (tally.spans): what tally.within() selects, tested in Python."""
    return period is not None and any(grain == g and first <= period <= last for g, first, last in spans)


def delegations_by_year(user, periods):
    """One row per (year, direction): delegations and persons, in all and within
    the key-figure periods (so the key figures come from the same query). Read
    from the exact tally (reports.models.DelegationTally): a few hundred rows.

    The database sums the tally rows per (grain, period, direction), a row for
    each year before this one and each month and day of the two periods; which
    of the four figures a row adds to is decided here. Four sums each filtered
    by the whole set of date ranges made the ORM build the ranges five times,
    which cost more than the query."""
    this_year = tally.spans(periods.this_start, periods.today)
    in_periods = this_year + tally.spans(periods.last_start, periods.last_end)
    rows, counted = _counted_tally(user, periods.today)
    # The rows counted already cover this year up to today: last year's period is added.
    sums = (
        rows.filter(tally.narrowed(counted | tally.within(periods.last_start, periods.last_end)), country="*")
        .values_list("grain", "period", "direction")
        .annotate(Sum("delegations"), Sum("persons"), Sum("no_size"))
        .order_by()
    )
    by_year = {}
    for grain, period, direction, delegations, persons, unknown in sums:
        row = by_year.setdefault(
            (period.year, direction),
            {
                "year": period.year,
                "direction": direction,
                "count": 0,
                "persons": 0,
                "count_in_period": 0,
                "persons_in_period": 0,
                "unknown_in_period": 0,  # delegations of unknown size, not in persons_in_period
            },
        )
        # What _counted_tally counts: every year before this one, this year up to today.
        if (grain == "y" and period < periods.this_start) or _covered(this_year, grain, period):
            row["count"] += delegations
            row["persons"] += persons
        if _covered(in_periods, grain, period):
            row["count_in_period"] += delegations
            row["persons_in_period"] += persons
            row["unknown_in_period"] += unknown
    return [by_year[key] for key in sorted(by_year)]


def persons_by_country(user, today):
    """Person-trips (Sum of the known sizes) of outbound and inbound delegations
    per partner country, largest first, and how many of those delegations have
    no size recorded (each once, whatever its countries): they add nothing to
    the bars, and the chart says so rather than dropping them silently. A
    delegation with partners in two countries counts for each, once per country
    however many of its partners are there. The label is the name of that
    country's own partner row, else None. Read from the exact tally, undated
    delegations included; the "*" rows (every delegation once) give the count
    of unknown sizes in the same query."""
    rows, counted = _counted_tally(user, today)
    country_name = Partner.objects.visible_to(user).filter(kind=PartnerKind.COUNTRY, country=OuterRef("country"))
    rows = (
        rows.filter(tally.narrowed(counted | tally.UNDATED), direction__in=[Direction.OUTBOUND, Direction.INBOUND])
        .exclude(country="-")
        .values("country")
        .annotate(
            person_total=Coalesce(Sum("persons"), 0),
            delegation_total=Coalesce(Sum("delegations"), 0),
            unknown_sizes=Coalesce(Sum("no_size"), 0),
        )
        # Annotated after the sums, the name is looked up once per country, not
        # once per tally row (it is then no part of the GROUP BY).
        .annotate(name=Subquery(country_name.order_by("pk").values("name")[:1]))
        .order_by("-person_total", "country")
    )
    countries, unknown_sizes = [], 0
    for row in rows:
        if row["country"] == "*":
            unknown_sizes = row["unknown_sizes"]
            continue
        countries.append(
            {
                **row,
                "persons": row.pop("person_total"),
                "delegations": row.pop("delegation_total"),
                "unknown_sizes": row.pop("unknown_sizes"),
            }
        )
    return countries, unknown_sizes


# Counted as COUNT(1): a count that reads no column (Django refuses COUNT(*) with a filter).
ONE = Value(1)


def agreements_by_status(user, periods):
    """Agreements per status, with those signed in each key-figure period. Every
    agreement is read: PostgreSQL reads them from agreement_totals_cover_idx
    alone (status, signing date and visibility, no table rows)."""
    return list(
        Agreement.objects.visible_to(user)
        .values("status")
        .annotate(
            count=Count(ONE),
            signed_now=Count(ONE, filter=periods.current("signed_on")),
            signed_before=Count(ONE, filter=periods.previous("signed_on")),
        )
        .order_by("status")
    )


PROJECT_FIGURES = ("count", "value", "started_now", "started_before", "value_now", "value_before")


def projects_by_kind(user, periods):
    """Projects (cancelled ones left out) per kind with their committed value in
    đồng, and those that started in each key-figure period (actual start, else
    planned), as rows {"kind", *PROJECT_FIGURES}.

    Two queries instead of one over all 200.000 projects: the exact project
    tally (projects.models.ProjectTally, kept by triggers) holds every project
    by its start, kind and visibility, a few hundred rows for all years and the
    two periods; the cancelled projects, which the tally does not tell apart,
    are then taken away, counted live (few, found through project_kind_status_idx)."""
    this_year = tally.spans(periods.this_start, periods.today)
    last_year = tally.spans(periods.last_start, periods.last_end)
    zero = Decimal(0)
    by_kind = defaultdict(
        lambda: {
            "count": 0,
            "value": zero,
            "started_now": 0,
            "started_before": 0,
            "value_now": zero,
            "value_before": zero,
        }
    )
    started = (
        project_tally.visible_tally(user)
        .filter(event="start")
        # Every project is in one year row, or the undated row; the periods' own rows besides.
        .filter(
            tally.narrowed(
                Q(grain__in=["y", "u"])
                | tally.within(periods.this_start, periods.today)
                | tally.within(periods.last_start, periods.last_end)
            )
        )
        .values_list("grain", "period", "kind")
        .annotate(Sum("projects"), Sum("committed_vnd"))
        .order_by()
    )
    for grain, period, kind, projects, value in started:
        row = by_kind[kind]
        if grain in ("y", "u"):
            row["count"] += projects
            row["value"] += value
        if _covered(this_year, grain, period):
            row["started_now"] += projects
            row["value_now"] += value
        if _covered(last_year, grain, period):
            row["started_before"] += projects
            row["value_before"] += value
    cancelled = (
        Project.objects.visible_to(user)
        # Every kind (a constraint): lets the (kind, status) index find the cancelled projects.
        .filter(kind__in=ProjectKind.values, status=ProjectStatus.CANCELLED)
        .alias(started_on=Coalesce("actual_start", "planned_start"))
        .values("kind")
        .annotate(
            count=Count(ONE),
            value=Coalesce(Sum("committed_vnd"), zero),
            started_now=Count(ONE, filter=periods.current("started_on")),
            started_before=Count(ONE, filter=periods.previous("started_on")),
            value_now=Coalesce(Sum("committed_vnd", filter=periods.current("started_on")), zero),
            value_before=Coalesce(Sum("committed_vnd", filter=periods.previous("started_on")), zero),
        )
        .order_by()
    )
    for row in cancelled:
        for figure in PROJECT_FIGURES:
            by_kind[row["kind"]][figure] -= row[figure]
    # A kind whose projects are all cancelled has no row, as in a GROUP BY of the rest.
    return [{"kind": kind, **figures} for kind, figures in sorted(by_kind.items()) if figures["count"]]


def unconverted_projects(user, periods):
    """(this period's, last year's): the projects started in each, not cancelled,
    whose committed amount has no đồng value (no rate recent enough), as the
    words the committed-value figure adds ("1 dự án chưa quy đổi (EUR 1.000.000)").
    One query on a partial index."""
    now, before = periods.current("started_on"), periods.previous("started_on")
    rows = (
        Project.objects.visible_to(user)
        .filter(committed_vnd__isnull=True, committed_amount__isnull=False)
        .exclude(status=ProjectStatus.CANCELLED)
        .alias(started_on=Coalesce("actual_start", "planned_start"))
        .filter(now | before)
        .values("currency")
        .annotate(
            n_now=Count(ONE, filter=now),
            amount_now=Sum("committed_amount", filter=now),
            n_before=Count(ONE, filter=before),
            amount_before=Sum("committed_amount", filter=before),
        )
        .order_by("currency")
    )
    left_out = {"now": [], "before": []}
    for row in rows:
        for when in left_out:
            if row[f"n_{when}"]:
                left_out[when].append((row["currency"], row[f"n_{when}"], row[f"amount_{when}"]))
    return tuple(unconverted_part(left_out[when], noun="project") for when in ("now", "before"))


def upcoming_delegations(user, today, limit=10):
    """Planned or approved delegations from today on, soonest first."""
    return list(
        Delegation.objects.visible_to(user)
        .filter(start_date__gte=today, status__in=[Status.PLANNED, Status.APPROVED])
        .select_related("host_unit")
        .order_by("start_date", "pk")[:limit]
    )


def expiring_agreements(user, today, days=90, limit=20):
    """Agreements in force whose expiry falls within the next ``days`` days."""
    return list(
        Agreement.objects.visible_to(user)
        .filter(
            status=AgreementStatus.IN_FORCE,
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=days),
        )
        .select_related("local_signatory")
        .order_by("expires_on", "pk")[:limit]
    )


def latest(model, user, limit=5):
    """The records of ``model`` the viewer may see, most recently entered first."""
    return list(model.objects.visible_to(user).defer("search_text").order_by("-created_at", "-pk")[:limit])
