"""The period report's project tables: projects by kind, active and new in
the period, their committed value in đồng and in USD, what was disbursed in
the period, and what the đồng totals leave out (unconverted amounts). Read
from the exact project and transaction tallies (projects/project_tally.py,
projects/transaction_tally.py), with the project and aid-value figures of the
reconciliation (reports/figures_period.py) riding in the same queries.
"""

import datetime

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from common import formatting
from projects import project_tally, transaction_tally
from projects.models import Project, ProjectKind, Transaction
from reports import tally
from reports.figures_period import DISBURSED_KINDS, as_decimal, group_sums

DAY = datetime.timedelta(days=1)


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
    aggregates, wanted = {}, [Q(grain="u")]
    new = Q(event="start") & tally.within(start, end)
    for prefix, field in measures.items():
        parts, rows = _active_sums(prefix, field, start, end)
        aggregates |= parts
        wanted.append(rows)
    kind_rows = list(
        project_tally.counted_tally(user, in_review)
        .filter(tally.narrowed(tally.any_of([*wanted, new])))
        .values("kind")
        .annotate(
            new=Sum("projects", filter=new),
            undated=Sum("projects", filter=Q(grain="u")),
            **aggregates,
        )
        .order_by()
    )
    for row in kind_rows:
        for name in measures:
            row[name] = _active_value(row, name)
        row["new"], row["undated"] = row["new"] or 0, row["undated"] or 0
    totals = group_sums(kind_rows, [*measures, "new", "undated"])
    # The figures for the whole province with no partner, in a query of their own: riding in the
    # sums above, their periods (days and months as well as years) made every row of every grain
    # pass each of their tests.
    simple = {alias: fig for alias, fig in extra.items() if fig.aggregate is None}
    if simple:
        aggregates, wanted = {}, []
        for alias, fig in simple.items():
            parts, rows = _active_sums(alias, fig.field, fig.start, fig.end, Q(kind__in=fig.kinds))
            aggregates |= parts
            wanted.append(rows)
        sums = (
            project_tally.counted_tally(user, in_review)
            .filter(tally.narrowed(tally.any_of(wanted)))
            .aggregate(**aggregates)
        )
        totals |= {alias: _active_value(sums, alias) for alias in simple}
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
                "committed_vnd": as_decimal(row.get("vnd")),
                "committed_usd": as_decimal(row.get("usd")),
                "disbursed": as_decimal(disbursed.get(kind)),
            }
        )
    total = {
        "active": totals["active"],
        "new": totals["new"],
        "committed_vnd": as_decimal(totals["vnd"]),
        "committed_usd": as_decimal(totals["usd"]),
        "disbursed": as_decimal(transaction_totals["disbursed"]),
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
