"""The figures of the period report, all computed in the database over what
the viewer may see, in a fixed number of queries whatever the number of rows
or reported figures.

`period_report(user, start, end)` returns everything the page shows: the
delegation, agreement and twinning tables here, the project tables from
reports/projects_period.py, and the reported figures beside the register's
(reports/figures_period.py), whose reconciliation does not run one query per
reported figure: each figure rides as a filtered aggregate in the query its
record family runs anyway.

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

from django.db import connections
from django.db.models import Count, Prefetch, Q, Sum
from django.utils.translation import gettext_lazy as _

from agreements import agreement_tally, signed_partner_tally
from agreements.models import Agreement, Partnership, PartnershipKind, SigningLevel
from conferences.models import Conference, ConferenceKind, ConferenceStatus
from delegations.models import Delegation, Direction
from offices.site_scope import shown_province
from partners.countries import country_name
from partners.models import Partner, PartnerKind
from register.publishable import ReviewState, hide_unseen
from reports import tally
from reports.figures_period import (
    as_decimal,
    collect_figures,
    figure_expressions,
    figure_scopes,
    group_sums,
    reported_figures,
)
from reports.projects_period import project_tables

DAY = datetime.timedelta(days=1)
# Lists on the page stop here; the counts above them are complete.
LIST_LIMIT = 200

NOT_RECORDED = _("Not recorded")
UNCLASSIFIED = _("Unclassified (no direction recorded)")
KIND_MEASURES = ("delegations", "persons", "no_size")


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
    rows = list(
        tally.counted_tally(user, in_review)
        .filter(tally.narrowed(in_report))
        .filter(
            Q(direction__in=[Direction.OUTBOUND, Direction.INBOUND, Direction.BORDER])
            | Q(direction__in=[Direction.DOMESTIC, ""], country="*")
        )
        .exclude(country="")
        .values("direction", "country")
        .annotate(
            n=Sum("delegations"),
            person_total=Sum("persons"),
            unknown_sizes=Sum("no_size"),
        )
        .order_by("-n", "country")
    )
    # The figures for the whole province with no partner, from the same tally's rows of every
    # country ('*'), in a query of their own: riding in the sums above, each figure's test ran
    # on each of the 75.000 rows of every province's thirty years.
    simple = {alias: fig.tally_sum() for alias, fig in extra.items() if fig.q is None}
    totals = dict.fromkeys(simple, 0)
    if simple:
        sums = (
            tally.counted_tally(user, in_review)
            .filter(tally.narrowed(tally.any_of(rows_q for rows_q, _sum in simple.values())))
            .aggregate(**{alias: total for alias, (_rows, total) in simple.items()})
        )
        totals |= {alias: value or 0 for alias, value in sums.items()}
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
        direction: {"rows": [], "delegations": 0, "persons": as_decimal(0), "no_size": 0}
        for direction in [*Direction, ""]
    }
    unknown = {}
    for row in rows:
        table = tables[row["direction"]]
        figures = {"delegations": row["n"], "persons": as_decimal(row["person_total"]), "no_size": row["unknown_sizes"]}
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
    return {"rows": rows, "total": group_sums(rows, KIND_MEASURES)}


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
    sums = group_sums(levels, parts)
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
    totals = group_sums(kind_rows, [*measures, *extra])
    rows = [
        {"label": label, **{k: by_kind.get(kind, {}).get(k, 0) for k in measures}}
        for kind, label in PartnershipKind.choices
    ]
    return {"rows": rows, "total": {k: totals[k] for k in measures}}, totals


def conference_table(user, start, end, in_review=False):
    """International conferences and seminars that opened in the period, by kind:
    how many, their foreign participants (the known counts summed) and how many of
    them have no known count, which the page then says rather than counting as
    zero. Cancelled ones are counted apart. One query."""
    counted = Conference.objects.counted_for(user, in_review).in_period(start, end)
    held = ~Q(status=ConferenceStatus.CANCELLED)
    measures = {
        "held": Count("pk", filter=held),
        "foreign": Sum("foreign_participants", filter=held),
        "foreign_unknown": Count("pk", filter=held & Q(foreign_participants__isnull=True)),
        "cancelled": Count("pk", filter=~held),
    }
    by_kind = {row["kind"]: row for row in counted.values("kind").annotate(**measures).order_by()}
    rows = [
        {"label": label, **{k: by_kind[kind][k] or 0 for k in measures}}
        for kind, label in ConferenceKind.choices
        if kind in by_kind and by_kind[kind]["held"]
    ]
    total = {k: sum(row[k] or 0 for row in by_kind.values()) for k in measures}
    return {"rows": rows, "total": total}


def period_report(user, start, end, in_review=False):
    """Everything the period report shows, over the records the report of
    ``user`` counts (``register.publishable.counted_q``): a visitor's the
    published ones, an official's the approved ones, and with ``in_review``
    the drafts and records submitted for review too (``in_review`` in the
    result then says so, for every table to note it).

    At most fifteen queries whatever the number of rows or figures: reported
    figures, local units; delegation totals and countries (the tally), the
    delegation figures limited to a unit or partner (only when there are
    some), domestic visits; agreements by signing level (the totals are their
    sums), by partner, the signed list and its partners (Django skips that
    prefetch when the list is empty); projects by kind (the project tally;
    likewise), the project figures limited to a unit or partner (only when
    there are some); disbursed by kind (the transaction tally), the aid
    figures limited to a unit or partner (likewise); twinning pairs by kind;
    international conferences by kind."""
    dated, undated = reported_figures(user, start, end, in_review)
    figure_rows = dated + undated
    scopes = figure_scopes([row.figure for row in figure_rows])
    extra, owners = figure_expressions(figure_rows, scopes, end)

    delegations, delegation_totals = delegation_tables(user, start, end, extra["delegations"], in_review)
    agreements, agreement_totals = agreement_tables(user, start, end, extra["agreements"], in_review)
    projects, project_totals, transaction_totals = project_tables(
        user, start, end, extra["projects"], extra["transactions"], in_review
    )
    counted = Partnership.objects.counted_for(user, in_review)
    twinning, twinning_totals = twinning_table(counted, start, end, extra["twinning"])
    for result in (delegation_totals, agreement_totals, project_totals, transaction_totals, twinning_totals):
        collect_figures(result, owners)

    return {
        **delegations,
        "agreements": agreements,
        "projects": projects,
        "twinning": twinning,
        "conferences": conference_table(user, start, end, in_review),
        "figures": dated,
        "undated_figures": undated,
        # Records in review count only for whom the province's internal rows are (offices/site_scope.py).
        "in_review": bool(in_review and shown_province(user)[1]),
    }
