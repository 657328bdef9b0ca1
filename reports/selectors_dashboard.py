"""The dashboard's figures: each one aggregate query (GROUP BY in the database)
over the records the viewer may see.

What counts as a delegation here: not cancelled, and not in the future (a
delegation dated after today is "upcoming", listed on its own). Key figures
compare this year so far (1 January to today) with the same days of last year.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementStatus
from delegations.models import Delegation, Direction, Status
from lang_son_affairs.lib.formatting import large_amount, number
from partners.models import Partner, PartnerKind
from projects.models import Project, ProjectStatus


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


def counted_delegations(user, today):
    """The viewer's delegations that count: not cancelled, not after today."""
    return (
        Delegation.objects.visible_to(user)
        .exclude(status=Status.CANCELLED)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
    )


def delegations_by_year(user, periods):
    """One row per (year, direction): delegations and persons, in all and within
    the key-figure periods (so the key figures come from the same query)."""
    in_periods = periods.current("start_date") | periods.previous("start_date")
    return list(
        counted_delegations(user, periods.today)
        .filter(start_date__isnull=False)
        .annotate(year=ExtractYear("start_date"))
        .values("year", "direction")
        .annotate(
            count=Count("pk"),
            persons=Coalesce(Sum("size"), 0),
            count_in_period=Count("pk", filter=in_periods),
            persons_in_period=Coalesce(Sum("size", filter=in_periods), 0),
        )
        .order_by("year", "direction")
    )


def persons_by_country(user, today):
    """Person-trips (Sum of size) of outbound and inbound delegations per partner
    country, largest first. A delegation with partners in two countries counts
    for each, once per country however many of its partners are there. The
    label is the name of that country's own partner row, else None."""
    through = Delegation.partners.through
    delegations = counted_delegations(user, today).filter(direction__in=[Direction.OUTBOUND, Direction.INBOUND])
    # Keep one link per (delegation, country): the one with the lowest id.
    same_country_before = through.objects.filter(
        delegation_id=OuterRef("delegation_id"), partner__country=OuterRef("partner__country"), pk__lt=OuterRef("pk")
    )
    country_name = Partner.objects.filter(kind=PartnerKind.COUNTRY, country=OuterRef("partner__country"))
    return list(
        through.objects.filter(delegation__in=delegations.values("pk"))
        .exclude(Exists(same_country_before))
        .values("partner__country")
        .annotate(
            persons=Coalesce(Sum("delegation__size"), 0),
            delegations=Count("delegation_id"),
            name=Subquery(country_name.order_by("pk").values("name")[:1]),
        )
        .order_by("-persons", "partner__country")
    )


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
