"""The period report's reconciliation: each reported figure beside what the
register holds for the same indicator, period, scope and partner.

It does not run one query per reported figure: each figure becomes one
filtered aggregate (``Count(..., filter=...)``) riding in the aggregate query
its record family runs anyway for the report's total rows
(reports/selectors_period.py, reports/projects_period.py), so five aggregates
serve any number of figures (two per family when some figures are limited to a
unit or a partner). A figure for the whole province with no partner is summed
from its family's exact tally (twinning pairs, which are few, have none); one
limited to a unit or a partner reads the records it matches.

``reported_figures`` reads the figures of a period; ``figure_scopes`` and
``figure_expressions`` say what to compute for each; ``collect_figures`` puts
the results back on their rows. ``as_decimal`` and ``group_sums`` are shared
with the report's tables.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Count, Exists, Expression, F, OuterRef, Q, Subquery, Sum

from agreements.models import Agreement, PartnershipKind
from delegations.models import Delegation, Direction
from partners.models import LocalUnit, LocalUnitKind, Partner
from projects.models import Currency, Project, ProjectKind, ProjectParticipant, TransactionKind
from reports import tally
from sources.models import Indicator, ReportedFigure, Unit

DISBURSED_KINDS = [TransactionKind.DISBURSEMENT, TransactionKind.EXPENDITURE, TransactionKind.IN_KIND]

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


def group_sums(rows, names):
    """The totals of rows grouped by kind or level: counts and sums add up across the groups."""
    return {name: sum(row[name] or 0 for row in rows) for name in names}


def as_decimal(number):
    """A count or sum as a Decimal, nothing as 0."""
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


def figure_scopes(figures):
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
    links = link_model.objects.filter(partner__path__prefix=path).values(f"{record_field}_id")
    return Q((f"{outer}__in", links))


def _partner_is(field, path):
    return Exists(Partner.objects.filter(pk=OuterRef(field), path__prefix=path))


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
        links = DelegationLink.objects.filter(partner__path__prefix=fig.partner.path)
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
        links = AgreementLink.objects.filter(partner__path__prefix=fig.partner.path).values("agreement_id")
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
        providers = Partner.objects.filter(path__prefix=path).values("pk")
        participating = ProjectParticipant.objects.filter(partner__path__prefix=path).values("project_id")
        q &= Q(InSet("provider_id", providers)) | Q(InSet("project_id", participating))
    return TransactionFigure(start, end, q)


FAMILIES = {
    "delegations": (DELEGATION_INDICATORS, _delegation_expr),
    "agreements": ({Indicator.AGREEMENTS_SIGNED: None}, _agreement_expr),
    "projects": (PROJECT_INDICATORS, _project_expr),
    "twinning": (TWINNING_INDICATORS, _twinning_expr),
    "transactions": ({Indicator.AID_VALUE: None}, _transaction_expr),
}


def figure_expressions(rows, scopes, report_end):
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


def collect_figures(result, owners):
    for alias, row in owners.items():
        if alias in result:
            row.register = as_decimal(result[alias])


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
