"""The home page: key figures of this year against last year, four charts,
upcoming delegations, agreements about to expire and the latest records, all
over what the viewer may see. A fixed number of queries (see the test)."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agreements.models import Agreement, AgreementStatus
from common.charts import Chart, Series, money_chart
from common.formatting import number
from delegations.models import Delegation, Direction
from partners.countries import country_name
from projects.models import Project, ProjectKind
from reports import selectors_dashboard as selectors
from reports.national import figures_by_province, national_dates, national_view
from reports.selectors_dashboard import KeyFigure, Periods

YEARS_SHOWN = 10
COUNTRIES_SHOWN = 12

# Directions in the order and colours of the badges (outbound red, inbound green).
DIRECTION_SERIES = (
    (Direction.OUTBOUND, _("Outbound"), "#b3261e"),
    (Direction.INBOUND, _("Inbound"), "#1e6b3a"),
    (Direction.DOMESTIC, _("Domestic"), "#124f8c"),
    (Direction.BORDER, _("Border talks"), "#6b4c9a"),
    ("", _("Direction not stated"), "#5b6675"),
)


def dashboard(request):
    periods = Periods(timezone.localdate())
    user = request.user
    by_year = selectors.delegations_by_year(user, periods)
    by_status = selectors.agreements_by_status(user, periods)
    by_kind = selectors.projects_by_kind(user, periods)
    expiring = selectors.expiring_agreements(user, periods.today)
    for agreement in expiring:
        agreement.days_left = (agreement.expires_on - periods.today).days
    context = {
        "periods": periods,
        "key_figures": key_figures(by_year, by_status, by_kind, periods, selectors.unconverted_projects(user, periods)),
        "charts": [
            years_chart(by_year, periods.today.year),
            countries_chart(*selectors.persons_by_country(user, periods.today)),
            agreements_chart(by_status),
            projects_chart(by_kind),
        ],
        "upcoming": selectors.upcoming_delegations(user, periods.today),
        "expiring": expiring,
        "latest": [
            (_("Delegations"), "delegations:list", selectors.latest(Delegation, user)),
            (_("Agreements"), "agreements:list", selectors.latest(Agreement, user)),
            (_("Projects"), "projects:list", selectors.latest(Project, user)),
        ],
    }
    if national_view(user):
        # Every province side by side, this year to date (reports/national.py).
        rows, total = figures_by_province(user, periods.this_start, periods.today, report=False)
        context.update(
            by_province=rows, by_province_total=total, **national_dates(request, periods.this_start, periods.today)
        )
    return render(request, "reports/dashboard.html", context)


def key_figures(by_year, by_status, by_kind, periods, left_out=("", "")):
    """``left_out``: what the committed value of this period and of last year's
    leaves out, not converted to đồng (selectors.unconverted_projects)."""

    def delegations(direction, field):
        return total(direction, field, periods.today.year), total(direction, field, periods.today.year - 1)

    def total(direction, field, year):
        return sum(r[field] for r in by_year if r["year"] == year and r["direction"] == direction)

    def persons(label, direction):
        """Persons of the known sizes, with a note of the delegations of unknown size left out."""
        now, before = delegations(direction, "persons_in_period")
        unknown = total(direction, "unknown_in_period", periods.today.year)
        note = ""
        if unknown:
            note = ngettext(
                "%(n)s delegation of unknown size not counted",
                "%(n)s delegations of unknown size not counted",
                unknown,
            ) % {"n": number(unknown)}
        return KeyFigure(label, now, before, note=note)

    return [
        KeyFigure(_("Outbound delegations"), *delegations(Direction.OUTBOUND, "count_in_period")),
        persons(_("Outbound person-trips"), Direction.OUTBOUND),
        KeyFigure(_("Inbound delegations"), *delegations(Direction.INBOUND, "count_in_period")),
        persons(_("Inbound persons"), Direction.INBOUND),
        KeyFigure(
            _("Agreements signed"), sum(r["signed_now"] for r in by_status), sum(r["signed_before"] for r in by_status)
        ),
        KeyFigure(
            _("Projects started"), sum(r["started_now"] for r in by_kind), sum(r["started_before"] for r in by_kind)
        ),
        KeyFigure(
            _("Committed value of projects started"),
            sum(r["value_now"] for r in by_kind),
            sum(r["value_before"] for r in by_kind),
            money=True,
            left_out_now=left_out[0],
            left_out_before=left_out[1],
        ),
    ]


def years_chart(rows, this_year):
    """Stacked columns per year and direction: the last ten years up to this one
    (or the latest year on record), from the first year on record."""
    years = sorted({r["year"] for r in rows})
    categories = []
    if years:
        last = max(years[-1], this_year)
        categories = list(range(max(years[0], last - YEARS_SHOWN + 1), last + 1))
    counts = {(r["year"], r["direction"]): r["count"] for r in rows}
    series = [
        Series(name, tuple(counts.get((year, direction), 0) for year in categories), colour)
        for direction, name, colour in DIRECTION_SERIES
        if any(counts.get((year, direction)) for year in categories)
    ]
    return Chart(
        chart_id="chart-years",
        title=_("Delegations per year, by direction"),
        description=_(
            "Stacked columns, one per year, each split into outbound, inbound and domestic delegations, "
            "with the year's total above the column."
        ),
        categories=categories,
        series=series,
        axis_label=_("delegations"),
        category_label=_("Year"),
        note=_("Cancelled delegations are not counted; this year counts up to today."),
    )


def countries_note(unknown_sizes):
    """The chart's note: delegations of unknown size are named as left out, never dropped silently."""
    note = str(_("All years. A delegation with partners in two countries counts for each."))
    if not unknown_sizes:
        return note
    left_out = ngettext(
        "%(n)s outbound or inbound delegation whose number of persons is not recorded is left out.",
        "%(n)s outbound or inbound delegations whose number of persons is not recorded are left out.",
        unknown_sizes,
    )
    return f"{note} {left_out % {'n': number(unknown_sizes)}}"


def countries_chart(rows, unknown_sizes=0):
    """Person-trips per partner country from the known sizes; the note says how
    many delegations of unknown size the bars leave out."""
    shown = [r for r in rows if r["persons"]][:COUNTRIES_SHOWN]
    rest = sum(r["persons"] for r in rows if r["persons"]) - sum(r["persons"] for r in shown)
    categories = [r["name"] or country_name(r["country"]) or _("No country (international bodies)") for r in shown]
    values = [r["persons"] for r in shown]
    if rest:
        categories.append(_("Other countries"))
        values.append(rest)
    return Chart(
        chart_id="chart-countries",
        title=_("Person-trips by partner country"),
        description=_(
            "Horizontal bars, one per partner country, the number of persons in outbound and inbound "
            "delegations, largest first."
        ),
        categories=categories,
        series=[Series(_("Person-trips"), tuple(values))],
        horizontal=True,
        axis_label=_("persons"),
        category_label=_("Country"),
        note=countries_note(unknown_sizes),
    )


def agreements_chart(rows):
    counts = {r["status"]: r["count"] for r in rows}
    statuses = [s for s in AgreementStatus if counts.get(s.value)]
    return Chart(
        chart_id="chart-agreements",
        title=_("Agreements by status"),
        description=_("Horizontal bars, one per status, the number of international agreements."),
        categories=[s.label for s in statuses],
        series=[Series(_("Agreements"), tuple(counts[s.value] for s in statuses))],
        horizontal=True,
        axis_label=_("agreements"),
        category_label=_("Status"),
    )


def projects_chart(rows):
    values = {r["kind"]: r["value"] for r in rows}
    kinds = [k for k in ProjectKind if values.get(k.value)]
    return money_chart(
        chart_id="chart-projects",
        title=_("Committed value of projects by kind"),
        description=_("Horizontal bars, one per kind of project, the committed value in đồng."),
        categories=[k.label for k in kinds],
        series=[Series(_("Committed value"), tuple(values[k.value] for k in kinds))],
        horizontal=True,
        category_label=_("Kind"),
        note=_("Cancelled projects are left out. Values in đồng as entered or converted on the start date."),
    )
