"""The dashboard's figures: each one aggregate query (GROUP BY in the database)
over the records the viewer may see.

What counts as a delegation here: not cancelled, and not in the future (a
delegation dated after today is "upcoming", listed on its own). Key figures
compare this year so far (1 January to today) with the same days of last year.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementStatus
from delegations.models import Delegation, Direction, Status
from lang_son_affairs.lib.formatting import large_amount, number
from partners.models import Partner, PartnerKind
from projects.models import Project, ProjectStatus
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
        return self.format(self.now)

    @property
    def before_display(self):
        return self.format(self.before)

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


def _renamed(row, **names):
    return {names.get(key, key): value for key, value in row.items()}


def _counted_tally(user, today):
    """The tally rows of the viewer's delegations that count (not cancelled), with
    the rows covering every year before this one and this year up to today."""
    this_start = today.replace(month=1, day=1)
    counted = Q(grain="y", period__lt=this_start) | tally.within(this_start, today)
    return tally.visible_tally(user).filter(cancelled=False), counted


def delegations_by_year(user, periods):
    """One row per (year, direction): delegations and persons, in all and within
    the key-figure periods (so the key figures come from the same query). Read
    from the exact tally (reports.models.DelegationTally): a few hundred rows."""
    rows, counted = _counted_tally(user, periods.today)
    in_periods = tally.within(periods.this_start, periods.today) | tally.within(periods.last_start, periods.last_end)
    rows = (
        rows.filter(counted | in_periods, country="*")
        .annotate(year_of=ExtractYear("year"))
        .values("year_of", "direction")
        .annotate(
            count=Coalesce(Sum("delegations", filter=counted), 0),
            person_total=Coalesce(Sum("persons", filter=counted), 0),
            count_in_period=Coalesce(Sum("delegations", filter=in_periods), 0),
            persons_in_period=Coalesce(Sum("persons", filter=in_periods), 0),
        )
        .order_by("year_of", "direction")
    )
    # The tally's own field names cannot be annotation names: renamed here.
    return [_renamed(row, year_of="year", person_total="persons") for row in rows]


def persons_by_country(user, today):
    """Person-trips (Sum of size) of outbound and inbound delegations per partner
    country, largest first. A delegation with partners in two countries counts
    for each, once per country however many of its partners are there. The
    label is the name of that country's own partner row, else None. Read from
    the exact tally, undated delegations included."""
    rows, counted = _counted_tally(user, today)
    country_name = Partner.objects.filter(kind=PartnerKind.COUNTRY, country=OuterRef("country"))
    rows = (
        rows.filter(counted | tally.UNDATED, direction__in=[Direction.OUTBOUND, Direction.INBOUND])
        .exclude(country__in=["*", "-"])
        .values("country")
        .annotate(
            person_total=Coalesce(Sum("persons"), 0),
            delegation_total=Coalesce(Sum("delegations"), 0),
            name=Subquery(country_name.order_by("pk").values("name")[:1]),
        )
        .order_by("-person_total", "country")
    )
    return [{**row, "persons": row.pop("person_total"), "delegations": row.pop("delegation_total")} for row in rows]


def agreements_by_status(user, periods):
    """Agreements per status, with those signed in each key-figure period."""
    return list(
        Agreement.objects.visible_to(user)
        .values("status")
        .annotate(
            count=Count("pk"),
            signed_now=Count("pk", filter=periods.current("signed_on")),
            signed_before=Count("pk", filter=periods.previous("signed_on")),
        )
        .order_by("status")
    )


def projects_by_kind(user, periods):
    """Projects (cancelled ones left out) per kind with their committed value in
    đồng, and those that started in each key-figure period (actual start, else planned)."""
    zero = Decimal(0)
    return list(
        Project.objects.visible_to(user)
        .exclude(status=ProjectStatus.CANCELLED)
        .alias(started_on=Coalesce("actual_start", "planned_start"))
        .values("kind")
        .annotate(
            count=Count("pk"),
            value=Coalesce(Sum("committed_vnd"), zero),
            started_now=Count("pk", filter=periods.current("started_on")),
            started_before=Count("pk", filter=periods.previous("started_on")),
            value_now=Coalesce(Sum("committed_vnd", filter=periods.current("started_on")), zero),
            value_before=Coalesce(Sum("committed_vnd", filter=periods.previous("started_on")), zero),
        )
        .order_by("kind")
    )


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
