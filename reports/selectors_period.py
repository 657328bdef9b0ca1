"""The figures of the period report, all computed in the database over what
the viewer may see, in a fixed number of queries whatever the number of rows
or reported figures.

`period_report(user, start, end)` returns everything the page shows. The
reconciliation does not run one query per reported figure: each figure becomes
one filtered aggregate (``Count(..., filter=...)``) riding in the aggregate
query its record family runs anyway for the report's total rows, so five
aggregates serve any number of figures (two per family when some figures are
limited to a unit or a partner).

Delegations, agreements, projects and transactions are counted from exact
pre-aggregates kept by database triggers (reports/tally.py,
agreements/agreement_tally.py, projects/project_tally.py,
projects/transaction_tally.py): per day, month and year, so that one day or
thirty years read a few hundred rows, not a million records. Only the figures
limited to a unit or a partner, the table by partner and the lists read the
records themselves.

Decisions, so the page can say what it counts:
- A delegation counts in a period when its ``start_date`` falls in it; one with
  no start date is never counted.
- By country: a delegation counts once under each country among its partners
  (Partner.country); one with no partner country counts under "Not recorded".
- In force at the end of the period: ``Agreement.objects.in_force_on(end)``.
  Agreements signed or in force with neither a signing nor an effective date
  cannot be shown to be in force; they are counted apart, as "date unknown".
- A project's span is its actual dates, else its planned dates; it is active in
  a period when it began by the period's end and had not ended before its start.
  A project with no start date at all is never active; it is counted apart.
  "ODA" figures cover the ODA and concessional-loan kinds, as provincial reports do.
- Project figures (counts and capital) count the projects of that kind active in
  the figure's own period, which for an "as of" figure (no period start) means
  active on its end date.
- Scope: the province means every record; any other unit means records whose
  host unit (delegations), location (projects), local signatory (agreements),
  own unit (twinning pairs) or receiver/project location (transactions) is that
  unit or one under it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    Expression,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from agreements import agreement_tally, signed_partner_tally
from agreements.models import Agreement, Partnership, PartnershipKind, SigningLevel
from common import formatting
from delegations.models import Delegation, Direction
from offices.site_scope import shown_province
from partners.countries import country_name
from partners.models import LocalUnit, LocalUnitKind, Partner, PartnerKind
from projects import project_tally, transaction_tally
from projects.models import (
    Currency,
    Project,
    ProjectKind,
    ProjectParticipant,
    Transaction,
    TransactionKind,
)
from register.publishable import ReviewState, hide_unseen
from reports import tally
from sources.models import Indicator, ReportedFigure, Unit

DAY = datetime.timedelta(days=1)
# Lists on the page stop here; the counts above them are complete.
LIST_LIMIT = 200

DISBURSED_KINDS = [TransactionKind.DISBURSEMENT, TransactionKind.EXPENDITURE, TransactionKind.IN_KIND]
NOT_RECORDED = _("Not recorded")
UNCLASSIFIED = _("Unclassified (no direction recorded)")
KIND_MEASURES = ("delegations", "persons", "no_size")

DELEGATION_INDICATORS = {
    Indicator.OUTBOUND_DELEGATIONS: (Direction.OUTBOUND, "count"),
    Indicator.OUTBOUND_PERSONS: (Direction.OUTBOUND, "persons"),
    Indicator.INBOUND_DELEGATIONS: (Direction.INBOUND, "count"),
    Indicator.INBOUND_PERSONS: (Direction.INBOUND, "persons"),
}
ODA_KINDS = [ProjectKind.ODA, ProjectKind.LOAN]
PROJECT_INDICATORS = {
    Indicator.FDI_PROJECTS: ([ProjectKind.FDI], "count"),
    Indicator.ODA_PROJECTS: (ODA_KINDS, "count"),
    Indicator.NGO_PROJECTS: ([ProjectKind.NGO], "count"),
    Indicator.FDI_CAPITAL: ([ProjectKind.FDI], "value"),
    Indicator.ODA_CAPITAL: (ODA_KINDS, "value"),
    Indicator.NGO_COMMITTED: ([ProjectKind.NGO], "value"),
}
TWINNING_INDICATORS = {
    Indicator.TWINNING_DISTRICT_PAIRS: PartnershipKind.DISTRICT_PAIR,
    Indicator.TWINNING_VILLAGE_PAIRS: PartnershipKind.VILLAGE_PAIR,
    Indicator.TWINNING_BORDER_POSTS: PartnershipKind.BORDER_POST_PAIR,
}
INDICATOR_ORDER = {value: i for i, value in enumerate(Indicator.values)}

DelegationLink = Delegation.partners.through
AgreementLink = Agreement.partners.through
ProjectLocation = Project.locations.through


def _value(number):
    return Decimal(number or 0)


@dataclass
class FigureRow:
    """A reported figure beside what the register holds for the same indicator,
    period, scope and partner. ``register`` is None when the register cannot
    compute the indicator."""

    figure: ReportedFigure
    register: Decimal | None = None

    @property
    def computed(self):
        return self.register is not None

    @property
    def difference(self):
        return None if self.register is None else self.register - self.figure.value

    @property
    def coverage(self):
        """The register as a percentage of the reported value."""
        if self.register is None or not self.figure.value:
            return None
        return (self.register * 100 / self.figure.value).quantize(Decimal("0.1"))


# --- The reconciliation: one filtered aggregate per figure -----------------------------------------------------


def _scopes(figures):
    """Figure -> the set of local-unit ids in its scope (None: every record). One
    query over all local units, which are few; the tree is walked in Python."""
    children = defaultdict(list)
    for pk, parent_id in LocalUnit.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)

    def subtree(root):
        seen, todo = set(), [root]
        while todo:
            pk = todo.pop()
            if pk not in seen:
                seen.add(pk)
                todo.extend(children[pk])
        return seen

    return {fig.pk: None if fig.scope.kind == LocalUnitKind.PROVINCE else subtree(fig.scope_id) for fig in figures}


def _in_window(field, start, end):
    q = Q((f"{field}__lte", end))
    return q & Q((f"{field}__gte", start)) if start else q


def _partner_links(link_model, record_field, path, outer="pk"):
    """The record has the partner or one under it: an IN list on the link table,
    which PostgreSQL hashes once, where a correlated EXISTS would run per row."""
    links = link_model.objects.filter(partner__path__startswith=path).values(f"{record_field}_id")
    return Q((f"{outer}__in", links))


def _partner_is(field, path):
    return Exists(Partner.objects.filter(pk=OuterRef(field), path__startswith=path))


@dataclass(frozen=True)
class DelegationFigure:
    """A delegation figure to compute: from the tally when it covers the whole
    province with no partner (``q`` None), else from the delegations matching ``q``."""

    direction: str
    measure: str
    start: object
    end: object
    q: Q | None

    def tally_sum(self):
        rows = tally.within(self.start or datetime.date.min, self.end) & Q(direction=self.direction, country="*")
        return rows, Sum("delegations" if self.measure == "count" else "persons", filter=rows)

    def aggregate(self):
        return Count("pk", filter=self.q) if self.measure == "count" else Sum("size", filter=self.q)


def _delegation_expr(fig, start, end, units):
    direction, measure = DELEGATION_INDICATORS[fig.indicator]
    if units is None and not fig.partner_id:
        return DelegationFigure(direction, measure, start, end, None)
    q = Q(direction=direction) & _in_window("start_date", start, end)
    if units is not None:
        q &= Q(host_unit_id__in=units)
    if fig.partner_id:
        # An IN list rather than EXISTS: the planner can start from the partner's links.
        links = DelegationLink.objects.filter(partner__path__startswith=fig.partner.path)
        q &= Q(pk__in=links.values("delegation_id"))
    return DelegationFigure(direction, measure, start, end, q)


@dataclass(frozen=True)
class AgreementFigure:
    """An agreement figure to compute: from the agreement tally when it covers
    the whole province with no partner (``aggregate`` None), else ``aggregate``
    over the agreements matching ``q``."""

    start: object
    end: object
    q: Q | None = None
    aggregate: object = None


def _agreement_expr(fig, start, end, units):
    if units is None and not fig.partner_id:
        return AgreementFigure(start, end)
    q = _in_window("signed_on", start, end)
    if units is not None:
        q &= Q(local_signatory_id__in=units)
    if fig.partner_id:
        links = AgreementLink.objects.filter(partner__path__startswith=fig.partner.path).values("agreement_id")
        q &= Q(InSet("pk", links))
    return AgreementFigure(start, end, q, Count("pk", filter=q))


@dataclass(frozen=True)
class ProjectFigure:
    """A project figure to compute: from the project tally when it covers the
    whole province with no partner (``aggregate`` None), else ``aggregate`` over
    the projects. ``field`` is the tally's measure (projects, committed_vnd or
    committed_amount, the last in USD only)."""

    kinds: tuple
    field: str
    start: object
    end: object
    aggregate: object = None


def _project_expr(fig, start, end, units):
    kinds, measure = PROJECT_INDICATORS[fig.indicator]
    if measure == "count":
        field = "projects"
    elif fig.unit == Unit.USD:
        field = "committed_amount"
    elif fig.unit == Unit.VND:
        field = "committed_vnd"
    else:
        return None  # a capital figure in "persons" or "count": nothing to compare
    if units is None and not fig.partner_id:
        return ProjectFigure(tuple(kinds), field, start or end, end)
    q = Q(kind__in=kinds, span_start__lte=end) & (Q(span_end__isnull=True) | Q(span_end__gte=start or end))
    if units is not None:
        q &= Q(Exists(ProjectLocation.objects.filter(project=OuterRef("pk"), localunit_id__in=units)))
    if fig.partner_id:
        q &= Q(_partner_links(ProjectParticipant, "project", fig.partner.path))
    if field == "projects":
        aggregate = Count("pk", filter=q)
    elif field == "committed_amount":
        aggregate = Sum("committed_amount", filter=q & Q(currency=Currency.USD))
    else:
        aggregate = Sum("committed_vnd", filter=q)
    return ProjectFigure(tuple(kinds), field, start or end, end, aggregate)


def _twinning_expr(fig, start, end, units):
    # Pairs are cumulative: every pair established by the figure's end date.
    q = Q(kind=TWINNING_INDICATORS[fig.indicator], established_on__lte=end)
    if units is not None:
        q &= Q(local_unit_id__in=units)
    if fig.partner_id:
        q &= Q(_partner_is("partner_id", fig.partner.path))
    return Count("pk", filter=q)


@dataclass(frozen=True)
class TransactionFigure:
    """An aid-value figure to compute: from the transaction tally when it covers
    the whole province with no partner (``q`` None), else from the transactions
    matching ``q``."""

    start: object
    end: object
    q: Q | None

    def tally_rows(self):
        return tally.within(self.start or datetime.date.min, self.end)


class InSet(Expression):
    """``column IN (subquery)``, which PostgreSQL is given as ``column =
    ANY(ARRAY(subquery))``: the subquery then runs once, before the scan, and
    its result can drive an index even under an OR (a bitmap OR of the
    indexes), where a hashed IN subquery or an EXISTS leaves PostgreSQL to read
    every row of the date range (a million transactions over thirty years)."""

    output_field = BooleanField()

    def __init__(self, column, queryset):
        super().__init__(output_field=BooleanField())
        self.column, self.subquery = F(column), Subquery(queryset)

    def get_source_expressions(self):
        return [self.column, self.subquery]

    def set_source_expressions(self, exprs):
        self.column, self.subquery = exprs

    def _parts(self, compiler):
        column, column_params = compiler.compile(self.column)
        subquery, subquery_params = compiler.compile(self.subquery)
        return column, subquery, (*column_params, *subquery_params)

    def as_sql(self, compiler, connection):
        column, subquery, params = self._parts(compiler)
        return f"{column} IN {subquery}", params

    def as_postgresql(self, compiler, connection):
        column, subquery, params = self._parts(compiler)
        return f"{column} = ANY(ARRAY{subquery})", params


def _transaction_expr(fig, start, end, units):
    if units is None and not fig.partner_id:
        return TransactionFigure(start, end, None)
    q = Q(kind__in=DISBURSED_KINDS) & _in_window("date", start, end)
    if units is not None:
        located = ProjectLocation.objects.filter(localunit_id__in=units).values("project_id")
        q &= Q(receiver_id__in=units) | Q(InSet("project_id", located))
    if fig.partner_id:
        path = fig.partner.path
        providers = Partner.objects.filter(path__startswith=path).values("pk")
        participating = ProjectParticipant.objects.filter(partner__path__startswith=path).values("project_id")
        q &= Q(InSet("provider_id", providers)) | Q(InSet("project_id", participating))
    return TransactionFigure(start, end, q)


FAMILIES = {
    "delegations": (DELEGATION_INDICATORS, _delegation_expr),
    "agreements": ({Indicator.AGREEMENTS_SIGNED: None}, _agreement_expr),
    "projects": (PROJECT_INDICATORS, _project_expr),
    "twinning": (TWINNING_INDICATORS, _twinning_expr),
    "transactions": ({Indicator.AID_VALUE: None}, _transaction_expr),
}


def _figure_expressions(rows, scopes, report_end):
    """family -> {alias: aggregate}, and alias -> row, for the figures the register can compute.
    An undated figure (no period end) is computed up to the end of the report."""
    expressions, owners = defaultdict(dict), {}
    for row in rows:
        fig = row.figure
        for family, (indicators, build) in FAMILIES.items():
            if fig.indicator in indicators:
                expr = build(fig, fig.period_start, fig.period_end or report_end, scopes[fig.pk])
                if expr is not None:
                    alias = f"figure_{fig.pk}"
                    expressions[family][alias] = expr
                    owners[alias] = row
    return expressions, owners


def _collect(result, owners):
    for alias, row in owners.items():
        if alias in result:
            row.register = _value(result[alias])


def reported_figures(user, start, end, in_review=False):
    """The figures the report of ``user`` counts (``counted_q``) whose period
    overlaps [start, end], and the undated ones (no period end) that began by
    ``end``. One query. A figure with neither date has no place in any period
    and is left out."""
    figures = list(
        ReportedFigure.objects.counted_for(user, in_review)
        .filter(
            Q(period_end__gte=start, period_start__isnull=True)
            | Q(period_end__gte=start, period_start__lte=end)
            | Q(period_end__isnull=True, period_start__lte=end)
        )
        .select_related("source", "scope", "partner")
    )

    def order(fig):
        exact = fig.period_start == start and fig.period_end == end
        return (not exact, -(fig.period_end or end).toordinal(), INDICATOR_ORDER.get(fig.indicator, 99), fig.pk)

    figures.sort(key=order)
    return [FigureRow(f) for f in figures if f.period_end], [FigureRow(f) for f in figures if not f.period_end]


# --- The report's own tables -------------------------------------------------------------------------------------


def _country_label():
    return Subquery(
        Partner.objects.filter(kind=PartnerKind.COUNTRY, country=OuterRef("partner__country"))
        .order_by("pk")
        .values("name")[:1]
    )


def delegation_tables(user, start, end, extra, in_review=False):
    """Outbound and inbound delegations and border talks by partner country with
    their total rows, the domestic working visits, and every delegation of the
    period by kind, those with no direction recorded as a line of their own
    (``by_kind``, whose total is every delegation the report counts). Totals and countries come from the exact
    tally (one query over a few hundred rows whatever the span), and so do the
    reported figures for the whole province with no partner; figures limited to
    a unit or a partner read the delegations they match (one query, only when
    there are such figures); the domestic list is the last query."""
    in_report = tally.within(start, end)
    simple = {alias: fig.tally_sum() for alias, fig in extra.items() if fig.q is None}
    figure_rows = Q(pk__in=[])
    for rows_q, _sum in simple.values():
        figure_rows |= rows_q
    rows = (
        tally.counted_tally(user, in_review)
        .filter(tally.narrowed(in_report | figure_rows))
        .filter(
            Q(direction__in=[Direction.OUTBOUND, Direction.INBOUND, Direction.BORDER])
            | Q(direction__in=[Direction.DOMESTIC, ""], country="*")
        )
        .exclude(country="")
        .values("direction", "country")
        .annotate(
            n=Sum("delegations", filter=in_report),
            person_total=Sum("persons", filter=in_report),
            unknown_sizes=Sum("no_size", filter=in_report),
            **{alias: total for alias, (_rows, total) in simple.items()},
        )
        .order_by("-n", "country")
    )
    totals = dict.fromkeys(simple, 0)
    for row in rows:
        for alias in simple:
            totals[alias] += row[alias] or 0
    rows = [row for row in rows if row["n"] is not None]
    # Each country's name as its partner record gives it, read once for the few countries
    # listed: a subquery in the sums was run for each of the 75.000 tally rows of every
    # province's thirty years (1,1 s).
    labels = {}
    countries = {row["country"] for row in rows} - {"*", "-"}
    if countries:
        named = (
            Partner.objects.visible_to(user)
            .filter(kind=PartnerKind.COUNTRY, country__in=countries)
            .order_by("-pk")
            .values_list("country", "name")
        )
        labels = dict(named)  # the first partner of each country (lowest number) written last
    others = {alias: fig for alias, fig in extra.items() if fig.q is not None}
    if others:
        matching = Q(pk__in=[])
        for fig in others.values():
            matching |= fig.q
        totals |= (
            Delegation.objects.counted_for(user, in_review)
            .filter(matching)
            .aggregate(**{alias: fig.aggregate() for alias, fig in others.items()})
        )
    tables = {
        direction: {"rows": [], "delegations": 0, "persons": _value(0), "no_size": 0} for direction in [*Direction, ""]
    }
    unknown = {}
    for row in rows:
        table = tables[row["direction"]]
        figures = {"delegations": row["n"], "persons": _value(row["person_total"]), "no_size": row["unknown_sizes"]}
        if row["country"] == "*":
            table.update(figures)
        elif row["country"] == "-":
            unknown[row["direction"]] = {"label": NOT_RECORDED, **figures, "unknown": True}
        else:
            table["rows"].append({"label": labels.get(row["country"]) or country_name(row["country"]), **figures})
    for direction, row in unknown.items():
        tables[direction]["rows"].append(row)
    domestic_list = hide_unseen(
        user,
        list(
            Delegation.objects.counted_for(user, in_review)
            .in_period(start, end)
            .filter(direction=Direction.DOMESTIC)
            .select_related("host_unit")
            .order_by("start_date", "pk")[:LIST_LIMIT]
        ),
        "host_unit",
    )
    return {
        "outbound": {key: tables[Direction.OUTBOUND][key] for key in ("rows", "delegations", "persons", "no_size")},
        "inbound": {key: tables[Direction.INBOUND][key] for key in ("rows", "delegations", "persons", "no_size")},
        "border": {key: tables[Direction.BORDER][key] for key in ("rows", "delegations", "persons", "no_size")},
        "domestic": {"count": tables[Direction.DOMESTIC]["delegations"], "list": domestic_list},
        "by_kind": _delegations_by_kind(tables),
    }, totals


def _delegations_by_kind(tables):
    """Every delegation of the period once, by kind: the directions in the order
    of the form, then those saved with no direction ("Unclassified"), never
    dropped; the total row is every delegation the report counts."""
    labels = {**dict(Direction.choices), "": UNCLASSIFIED}
    rows = [
        {"direction": direction, "label": labels[direction], **{key: tables[direction][key] for key in KIND_MEASURES}}
        for direction in [*Direction.values, ""]
    ]
    return {"rows": rows, "total": _sums(rows, KIND_MEASURES)}


def _sums(rows, names):
    """The totals of rows grouped by kind or level: counts and sums add up across the groups."""
    return {name: sum(row[name] or 0 for row in rows) for name in names}


def _signed_by_partner(user, start, end, in_review=False):
    """(partner id, name, agreements) for the agreements signed in [start, end] that
    ``user`` may see, most first, the agreements with no partner as one row with no
    id. One query over the exact tally of agreements signed by partner
    (agreements/signed_partner_tally.py): over thirty years a few tens of
    thousands of year rows, not 100.000 agreements joined to 120.000 links."""
    counts = (
        signed_partner_tally.counted_tally(user, in_review)
        .filter(tally.narrowed(tally.within(start, end)))
        .values("partner_id")
        .annotate(agreements=Sum("agreements"))
        .filter(agreements__gt=0)
        .order_by()
    )
    sums, params = counts.query.sql_with_params()
    partners = Partner._meta.db_table
    # A visitor (and an official reading another province) gets no row for an
    # unpublished partner (its name is internal).
    _code, internal = shown_province(user)
    shown = "" if internal else "WHERE c.partner_id IS NULL OR (p.is_public AND p.review_state = %s)"
    params = params if internal else (*params, ReviewState.APPROVED)
    sql = f"""SELECT c.partner_id, p.name, c.agreements FROM ({sums}) c
        LEFT JOIN {partners} p ON p.id = c.partner_id {shown}
        ORDER BY c.agreements DESC, p.name, c.partner_id"""  # noqa: S608 -- a table name and Django's own SQL
    with connections[counts.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def agreement_tables(user, start, end, extra, in_review=False):
    """Agreements signed in the period (list, by partner, by signing level) and in
    force at its end. Four queries (five with agreement figures limited to a unit
    or a partner; the list's partners are prefetched): the exact agreement tally
    (agreements/agreement_tally.py) by signing level, whose sums are the
    totals, with the figures for the whole province and no partner; the
    figures limited to a unit or a partner, over the agreements they match; the
    signed agreements by partner, from their exact tally, where the agreements
    with no partner form their own group; the list; its partners.

    In force on the end date: taken effect by then (``Agreement.in_force_on``)
    less expired before it, which had taken effect by then (an agreement cannot
    expire before it is signed or takes effect: two CHECK constraints)."""
    visible = Agreement.objects.counted_for(user, in_review)
    signed = visible.signed_between(start, end)
    before_end = end > datetime.date.min
    parts = {
        "signed": Q(event="signed") & tally.within(start, end),
        "started": Q(event="start") & tally.within(datetime.date.min, end),
        "undated": Q(grain="u"),
    }
    if before_end:
        parts["ended"] = Q(event="end") & tally.within(datetime.date.min, end - DAY)
        parts["undated_ended"] = Q(event="uend") & tally.within(datetime.date.min, end - DAY)
    simple = {alias: fig for alias, fig in extra.items() if fig.aggregate is None}
    for alias, fig in simple.items():
        parts[alias] = Q(event="signed") & tally.within(fig.start or datetime.date.min, fig.end)
    wanted = Q(pk__in=[])
    for q in parts.values():
        wanted |= q
    levels = list(
        agreement_tally.counted_tally(user, in_review)
        .filter(tally.narrowed(wanted))
        .values("level")
        .annotate(**{name: Sum("agreements", filter=q) for name, q in parts.items()})
        .order_by()
    )
    sums = _sums(levels, parts)
    totals = {
        "signed": sums["signed"],
        "in_force": sums["started"] - sums.get("ended", 0),
        "in_force_undated": sums["undated"] - sums.get("undated_ended", 0),
        **{alias: sums[alias] for alias in simple},
    }
    others = {alias: fig for alias, fig in extra.items() if fig.aggregate is not None}
    if others:
        matching = Q(pk__in=[])
        for fig in others.values():
            matching |= fig.q
        totals |= visible.filter(matching).aggregate(**{alias: fig.aggregate for alias, fig in others.items()})
    by_partner, no_partner = [], 0
    for partner_id, name, agreements in _signed_by_partner(user, start, end, in_review):
        if partner_id is None:
            no_partner = agreements
        else:
            by_partner.append({"partner_id": partner_id, "partner__name": name, "agreements": agreements})
    if no_partner:
        by_partner.append({"partner_id": None, "partner__name": NOT_RECORDED, "agreements": no_partner})
    labels = dict(SigningLevel.choices)
    by_level = [
        {"label": labels.get(row["level"], NOT_RECORDED), "agreements": row["signed"]}
        for row in sorted(levels, key=lambda row: (-(row["signed"] or 0), row["level"]))
        if row["signed"]
    ]
    partners = Prefetch("partners", queryset=Partner.objects.visible_to(user))
    signed_list = hide_unseen(
        user,
        list(
            signed.select_related("local_signatory").prefetch_related(partners).order_by("signed_on", "pk")[:LIST_LIMIT]
        ),
        "local_signatory",
    )
    return {
        "signed": totals["signed"],
        "in_force": totals["in_force"],
        "in_force_undated": totals["in_force_undated"],
        "by_partner": by_partner,
        "by_level": by_level,
        "list": signed_list,
    }, totals


def transaction_tables(user, visible, start, end, extra, in_review=False):
    """What was disbursed in the period by kind of project, and the aid-value
    figures. The exact transaction tally (projects/transaction_tally.py) gives
    the kinds, whose sum is the total, and the figures for the whole province
    with no partner: one query over a few dozen rows whatever the span. Figures
    limited to a unit or a partner read the transactions they match (one query,
    only when there are such figures)."""
    in_report = tally.within(start, end)
    simple = {alias: fig.tally_rows() for alias, fig in extra.items() if fig.q is None}
    figure_rows = Q(pk__in=[])
    for rows_q in simple.values():
        figure_rows |= rows_q
    rows = list(
        transaction_tally.counted_tally(user, in_review)
        .filter(tally.narrowed(in_report | figure_rows), kind__in=DISBURSED_KINDS)
        .values("project_kind")
        .annotate(
            period_total=Sum("amount_vnd", filter=in_report),
            **{alias: Sum("amount_vnd", filter=rows_q) for alias, rows_q in simple.items()},
        )
        .order_by()
    )
    disbursed = {row["project_kind"]: row["period_total"] for row in rows}
    totals = {alias: sum(row[alias] or 0 for row in rows) for alias in simple}
    totals["disbursed"] = sum(total or 0 for total in disbursed.values())
    others = {alias: fig for alias, fig in extra.items() if fig.q is not None}
    if others:
        # An official sees every project: no need to match a million transactions
        # against the list of all 200.000 of them.
        transactions = Transaction.objects.all()
        if visible.query.has_filters():
            transactions = transactions.filter(project__in=visible.values("pk"))
        matching = Q(pk__in=[])
        for fig in others.values():
            matching |= fig.q
        totals |= transactions.filter(matching).aggregate(
            **{alias: Sum("amount_vnd", filter=fig.q) for alias, fig in others.items()}
        )
    return disbursed, totals


def _active_sums(prefix, field, start, end, only=None):
    """Three sums over the project tally whose difference is ``field`` summed over
    the projects active in [start, end]: those started by ``end``, less those
    ended before ``start``, less those ending before they start ('x' rows) that
    started by ``end`` and ended before ``start``. Returns (aggregates, rows they read)."""
    only = Q() if only is None else only
    if field == "committed_amount":
        only &= Q(usd=True)
    parts = {f"{prefix}_started": Q(event="start") & tally.within(datetime.date.min, end)}
    if start > datetime.date.min:
        parts[f"{prefix}_ended"] = Q(event="end") & tally.within(datetime.date.min, start - DAY)
        parts[f"{prefix}_backwards"] = Q(grain="x", period__lte=end, until__lt=start)
    rows = Q(pk__in=[])
    for q in parts.values():
        rows |= q
    return {alias: Sum(field, filter=q & only) for alias, q in parts.items()}, rows


def _active_value(row, prefix):
    started = row.get(f"{prefix}_started") or 0
    return started - (row.get(f"{prefix}_ended") or 0) - (row.get(f"{prefix}_backwards") or 0)


def project_kinds(user, start, end, extra, in_review=False):
    """Projects by kind: active in the period (count, committed đồng, committed
    USD), new in it, with no start; and the project figures. The exact project
    tally (projects/project_tally.py) gives them, and the figures for the whole
    province with no partner: one query over a few hundred rows whatever the
    span. Figures limited to a unit or a partner read the projects they match
    (one query, only when there are such figures)."""
    measures = {"active": "projects", "vnd": "committed_vnd", "usd": "committed_amount"}
    simple = {alias: fig for alias, fig in extra.items() if fig.aggregate is None}
    aggregates, wanted = {}, Q(grain="u")
    new = Q(event="start") & tally.within(start, end)
    for prefix, field in measures.items():
        parts, rows = _active_sums(prefix, field, start, end)
        aggregates |= parts
        wanted |= rows
    for alias, fig in simple.items():
        parts, rows = _active_sums(alias, fig.field, fig.start, fig.end, Q(kind__in=fig.kinds))
        aggregates |= parts
        wanted |= rows
    kind_rows = list(
        project_tally.counted_tally(user, in_review)
        .filter(tally.narrowed(wanted | new))
        .values("kind")
        .annotate(
            new=Sum("projects", filter=new),
            undated=Sum("projects", filter=Q(grain="u")),
            **aggregates,
        )
        .order_by()
    )
    for row in kind_rows:
        for name in [*measures, *simple]:
            row[name] = _active_value(row, name)
        row["new"], row["undated"] = row["new"] or 0, row["undated"] or 0
    totals = _sums(kind_rows, [*measures, "new", "undated", *simple])
    others = {alias: fig.aggregate for alias, fig in extra.items() if fig.aggregate is not None}
    if others:
        spans = Project.objects.counted_for(user, in_review).annotate(
            span_start=Coalesce("actual_start", "planned_start"), span_end=Coalesce("actual_end", "planned_end")
        )
        totals |= spans.aggregate(**others)
    return {row["kind"]: row for row in kind_rows}, totals


def project_tables(user, start, end, project_extra, transaction_extra, in_review=False):
    """Projects by kind: active and new in the period, committed value of the
    active ones in VND and in USD, disbursed in the period. Two queries (up to
    four with figures limited to a unit or a partner): the project tally, whose
    sums are the totals (see ``project_kinds``); the transaction tally (see
    ``transaction_tables``)."""
    by_kind, totals = project_kinds(user, start, end, project_extra, in_review)
    disbursed, transaction_totals = transaction_tables(
        user, Project.objects.counted_for(user, in_review), start, end, transaction_extra, in_review
    )

    rows = []
    for kind, label in ProjectKind.choices:
        row = by_kind.get(kind, {})
        rows.append(
            {
                "label": label,
                "active": row.get("active", 0),
                "new": row.get("new", 0),
                "committed_vnd": _value(row.get("vnd")),
                "committed_usd": _value(row.get("usd")),
                "disbursed": _value(disbursed.get(kind)),
            }
        )
    total = {
        "active": totals["active"],
        "new": totals["new"],
        "committed_vnd": _value(totals["vnd"]),
        "committed_usd": _value(totals["usd"]),
        "disbursed": _value(transaction_totals["disbursed"]),
        "undated": totals["undated"],
    }
    total["money_notes"] = unconverted_notes(user, start, end, total)
    return {"rows": rows, "total": total}, totals, transaction_totals


def unconverted_notes(user, start, end, total):
    """What the đồng totals leave out, said on the page and in the files: the
    projects under way with a committed amount not converted (no rate recent
    enough, projects/conversion_sql.py) and the disbursements of the period
    likewise, with their amounts by currency. One query (a UNION) on partial indexes."""
    visible = Project.objects.visible_to(user)
    projects = (
        visible.active_between(start, end)
        .filter(committed_vnd__isnull=True, committed_amount__isnull=False)
        .order_by()
        .values("currency")
        .annotate(n=Count("pk"), total=Sum("committed_amount"), what=Value("p"))
    )
    transactions = (
        Transaction.objects.filter(
            project__in=visible.values("pk"),
            kind__in=DISBURSED_KINDS,
            date__range=(start, end),
            amount_vnd__isnull=True,
        )
        .order_by()
        .values("currency")
        .annotate(n=Count("pk"), total=Sum("amount"), what=Value("t"))
    )
    left_out = {"p": [], "t": []}
    for row in projects.union(transactions, all=True):
        left_out[row["what"]].append((row["currency"], row["n"], row["total"]))
    projects, disbursed = sorted(left_out["p"]), sorted(left_out["t"])
    notes = []
    if projects:
        notes.append(
            _("Committed (VND): %(total)s.")
            % {"total": formatting.vnd_total(total["committed_vnd"], projects, noun="project")}
        )
    if disbursed:
        notes.append(
            _("Disbursed in the period: %(total)s.") % {"total": formatting.vnd_total(total["disbursed"], disbursed)}
        )
    return notes


def twinning_table(visible, start, end, extra):
    """Twinning pairs established by the end of the period, and new in it, by
    kind, with the twinning figures; the totals are the sums. One query."""
    measures = {
        "established": Count("pk", filter=Q(established_on__lte=end)),
        "new": Count("pk", filter=Q(established_on__gte=start, established_on__lte=end)),
        "undated": Count("pk", filter=Q(established_on__isnull=True)),
    }
    kind_rows = list(visible.values("kind").annotate(**measures, **extra).order_by())
    by_kind = {row["kind"]: row for row in kind_rows}
    totals = _sums(kind_rows, [*measures, *extra])
    rows = [
        {"label": label, **{k: by_kind.get(kind, {}).get(k, 0) for k in measures}}
        for kind, label in PartnershipKind.choices
    ]
    return {"rows": rows, "total": {k: totals[k] for k in measures}}, totals


def period_report(user, start, end, in_review=False):
    """Everything the period report shows, over the records the report of
    ``user`` counts (``register.publishable.counted_q``): a visitor's the
    published ones, an official's the approved ones, and with ``in_review``
    the drafts and records submitted for review too (``in_review`` in the
    result then says so, for every table to note it).

    At most fourteen queries whatever the number of rows or figures: reported
    figures, local units; delegation totals and countries (the tally), the
    delegation figures limited to a unit or partner (only when there are
    some), domestic visits; agreements by signing level (the totals are their
    sums), by partner, the signed list and its partners (Django skips that
    prefetch when the list is empty); projects by kind (the project tally;
    likewise), the project figures limited to a unit or partner (only when
    there are some); disbursed by kind (the transaction tally), the aid
    figures limited to a unit or partner (likewise); twinning pairs by kind."""
    dated, undated = reported_figures(user, start, end, in_review)
    figure_rows = dated + undated
    scopes = _scopes([row.figure for row in figure_rows])
    extra, owners = _figure_expressions(figure_rows, scopes, end)

    delegations, delegation_totals = delegation_tables(user, start, end, extra["delegations"], in_review)
    agreements, agreement_totals = agreement_tables(user, start, end, extra["agreements"], in_review)
    projects, project_totals, transaction_totals = project_tables(
        user, start, end, extra["projects"], extra["transactions"], in_review
    )
    counted = Partnership.objects.counted_for(user, in_review)
    twinning, twinning_totals = twinning_table(counted, start, end, extra["twinning"])
    for result in (delegation_totals, agreement_totals, project_totals, transaction_totals, twinning_totals):
        _collect(result, owners)

    return {
        **delegations,
        "agreements": agreements,
        "projects": projects,
        "twinning": twinning,
        "figures": dated,
        "undated_figures": undated,
        # Records in review count only for whom the province's internal rows are (offices/site_scope.py).
        "in_review": bool(in_review and shown_province(user)[1]),
    }
