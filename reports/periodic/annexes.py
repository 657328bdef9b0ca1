"""The annexes of the periodic report (issue 18, part 2): every approved record
of the period as a table of display strings, with the record each row came
from. Read in a fixed number of queries whatever the number of rows (see
``read_records``); the tables are then written in memory.

- I: outbound delegations of the period; II: inbound ones (a delegation counts
  in a period when its start date falls in it, as in the period report);
- III: agreements signed in the period, and those in force at its end
  (``Agreement.in_force_on``);
- IV: ODA, concessional-loan, FDI, NGO and non-project-aid projects active in
  the period (``Project.active_between``), with what was delivered in the
  period (disbursements, expenditure and in-kind, as the period report counts);
- V: twinning pairs established by the end of the period, then the meetings of
  cooperation mechanisms held in it (delegations linked to a mechanism);
- VI: international conferences and seminars that opened in the period, the
  cancelled ones marked so (the period report's section 8 counts them apart)."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from agreements.models import Agreement, Partnership
from common import formatting
from common.partial_dates import format_partial_date
from conferences.models import Conference, ConferenceStatus
from delegations.models import Delegation, Direction
from partners.models import Partner
from projects.models import Currency, ParticipantRole, Project, ProjectParticipant, Transaction
from reports.figures_period import DISBURSED_KINDS


def period_querysets(user, start, end, in_review):
    """The period's records as ``user`` counts them, unevaluated: the delegations of
    the period, the agreements signed in it or in force at its end, the projects
    active in it, their delivered transactions of the period, the twinning pairs
    established by its end, the conferences that opened in it. The annexes read them (``read_records``); an issued
    report asks them which records of its period it has not seen
    (reports/issued/selectors.py)."""
    counted = Agreement.objects.counted_for(user, in_review)
    active = Project.objects.counted_for(user, in_review).active_between(start, end)
    return {
        "delegations": Delegation.objects.counted_for(user, in_review).in_period(start, end),
        "agreements": counted.filter(
            Q(pk__in=counted.signed_between(start, end).values("pk")) | Q(pk__in=counted.in_force_on(end))
        ),
        "projects": active,
        "transactions": Transaction.objects.filter(
            project__in=active.values("pk"), kind__in=DISBURSED_KINDS, date__gte=start, date__lte=end
        ),
        "pairs": Partnership.objects.counted_for(user, in_review).filter(established_on__lte=end),
        "conferences": Conference.objects.counted_for(user, in_review).in_period(start, end),
    }


def read_records(user, start, end, in_review):
    """The period's records for the annexes, as ``user`` counts them. Eleven queries:
    the delegations of the period with their host unit and mechanism joined, their
    partners; the agreements signed in the period or in force at its end with their
    signatory, their partners; the projects active in the period, their funding
    participants (partner joined), the delivered transactions of the period; the
    twinning pairs established by the end with both sides and the agreement joined; the
    conferences of the period with their organiser joined, their partners."""
    period = period_querysets(user, start, end, in_review)
    partners = Prefetch("partners", queryset=Partner.objects.visible_to(user).order_by("name", "pk"))
    funders = Prefetch(
        "participants",
        queryset=ProjectParticipant.objects.filter(role=ParticipantRole.FUNDING, partner__isnull=False)
        .select_related("partner")
        .order_by("pk"),
        to_attr="funders",
    )
    return {
        "delegations": list(
            period["delegations"]
            .select_related("host_unit", "mechanism")
            .prefetch_related(partners)
            .order_by("start_date", "pk")
        ),
        "agreements": list(
            period["agreements"]
            .select_related("local_signatory")
            .prefetch_related(partners)
            .order_by("signed_on", "pk")
        ),
        "projects": list(period["projects"].prefetch_related(funders).order_by("kind", "title", "pk")),
        "transactions": list(
            period["transactions"]
            .order_by("project_id", "date", "pk")
            .only("pk", "project_id", "amount", "currency", "amount_vnd", "audit_version")
        ),
        "pairs": list(
            period["pairs"].select_related("local_unit", "partner", "agreement").order_by("established_on", "pk")
        ),
        "conferences": list(
            period["conferences"].select_related("organiser").prefetch_related(partners).order_by("start_date", "pk")
        ),
    }


def _unknown():
    return _("unknown")


def _size(delegation):
    return formatting.number(delegation.size) if delegation.size is not None else _unknown()


def _head(delegation):
    return ", ".join(part for part in (delegation.leader_name, delegation.leader_title) if part)


def _names(record):
    return ", ".join(p.name for p in record.partners.all())


def _delegation_annex(key, title, rows, inbound):
    columns = [_("No."), _("Delegation"), _("Head and position"), _("Persons"), _("Dates")]
    columns += [_("Countries, partners and places"), _("Purpose")]
    if inbound:
        columns += [_("Host unit"), _("Received by")]
    columns += [_("Results")]
    if not inbound:
        columns += [_("Sending decision")]
    table = []
    for number, d in enumerate(rows, start=1):
        where = "; ".join(part for part in (_names(d), d.places) if part)
        cells = [str(number), d.title, _head(d), _size(d), d.date_display, where, d.get_purpose_display()]
        if inbound:
            cells += [d.host_unit.name if d.host_unit else "", d.received_by]
        cells += [d.outcome]
        if not inbound:
            cells += [d.decision_ref]
        table.append(cells)
    return _annex(key, title, columns, table, [("delegations.delegation", d.pk) for d in rows])


def _annex(key, title, columns, rows, record_ids):
    return {"key": key, "title": title, "columns": columns, "rows": rows, "record_ids": [list(r) for r in record_ids]}


def _agreement_dates(a):
    lines = []
    if a.signed_on:
        lines.append(_("Signed: %(date)s") % {"date": a.signed_display})
    if a.effective_on:
        lines.append(_("In force: %(date)s") % {"date": format_partial_date(a.effective_on, "day")})
    lines.append(
        _("Expires: %(date)s") % {"date": format_partial_date(a.expires_on, "day")}
        if a.expires_on
        else _("No expiry date")
    )
    return "\n".join(lines)


def _mofa(a):
    lines = []
    if a.mofa_opinion_requested_on:
        lines.append(_("Asked: %(date)s") % {"date": format_partial_date(a.mofa_opinion_requested_on, "day")})
    if a.mofa_opinion_on:
        lines.append(_("Answered: %(date)s") % {"date": format_partial_date(a.mofa_opinion_on, "day")})
    return "\n".join(lines) or _("Not recorded")


def agreement_annex(agreements, start, end):
    columns = [_("No."), _("Agreement"), _("Kind"), _("Parties"), _("Signing level and signatory")]
    columns += [_("Dates"), _("Ministry of Foreign Affairs consulted"), _("Status")]
    rows = []
    for number, a in enumerate(agreements, start=1):
        level = a.get_signing_level_display() if a.signing_level else _("Not recorded")
        signatory = a.local_signatory.name if a.local_signatory else ""
        status = [a.get_status_display()]
        if a.signed_on and start <= a.signed_on <= end:
            status.append(_("signed in the period"))
        rows.append(
            [
                str(number),
                a.title,
                a.get_kind_display(),
                _names(a),
                "\n".join(part for part in (level, signatory) if part),
                _agreement_dates(a),
                _mofa(a),
                "; ".join(status),
            ]
        )
    title = _("Annex III. International agreements signed in the period and in force at its end")
    return _annex("III", title, columns, rows, [("agreements.agreement", a.pk) for a in agreements])


def _amount(amount, currency):
    if amount is None:
        return ""
    return formatting.vnd(amount) if currency == Currency.VND else f"{formatting.number(amount)} {currency}"


def _committed(p):
    if p.committed_amount is None:
        return _unknown()
    if p.currency == Currency.VND:
        return formatting.vnd(p.committed_amount)
    vnd = formatting.vnd(p.committed_vnd) if p.committed_vnd is not None else _("not converted")
    return f"{_amount(p.committed_amount, p.currency)}\n({vnd})"


def disbursed_by_project(transactions):
    """{project id: (đồng total or None, {currency: amount}, transactions not converted)}."""
    sums = defaultdict(lambda: [None, defaultdict(Decimal), 0])
    for t in transactions:
        entry = sums[t.project_id]
        entry[1][t.currency] += t.amount
        if t.amount_vnd is None:
            entry[2] += 1
        else:
            entry[0] = (entry[0] or Decimal(0)) + t.amount_vnd
    return sums


def _disbursed(entry):
    if entry is None:
        return "0 ₫"
    vnd, by_currency, unconverted = entry
    lines = [formatting.vnd(vnd)] if vnd is not None else []
    foreign = [_amount(amount, currency) for currency, amount in sorted(by_currency.items()) if currency != "VND"]
    if foreign:
        lines.append("(" + "; ".join(foreign) + ")")
    if unconverted:
        lines.append(_("%(n)s not converted") % {"n": formatting.number(unconverted)})
    return "\n".join(lines)


def project_annex(projects, transactions):
    columns = [_("No."), _("Project"), _("Kind"), _("Donor or investor"), _("Code or approval decision")]
    columns += [_("Dates"), _("Committed value"), _("Delivered in the period")]
    disbursed = disbursed_by_project(transactions)
    rows = []
    for number, p in enumerate(projects, start=1):
        start = p.actual_start or p.planned_start
        finish = p.actual_end or p.planned_end
        dates = " – ".join(format_partial_date(d, p.date_precision) for d in (start, finish) if d)
        rows.append(
            [
                str(number),
                p.title,
                p.get_kind_display(),
                ", ".join(f.partner.name for f in p.funders) or _("Not recorded"),
                p.code or _("Not recorded"),
                dates,
                _committed(p),
                _disbursed(disbursed.get(p.pk)),
            ]
        )
    title = _("Annex IV. ODA, FDI and foreign NGO projects active in the period")
    return _annex("IV", title, columns, rows, [("projects.project", p.pk) for p in projects])


def cooperation_annex(pairs, meetings):
    columns = [_("No."), _("Item"), _("Our side or mechanism"), _("Partner or meeting"), _("Kind")]
    columns += [_("Date"), _("Note")]
    rows, ids = [], []
    for number, pair in enumerate(pairs, start=1):
        rows.append(
            [
                str(number),
                _("Twinning pair"),
                pair.local_unit.name,
                pair.partner.name,
                pair.get_kind_display(),
                format_partial_date(pair.established_on, pair.date_precision),
                pair.agreement.title if pair.agreement else "",
            ]
        )
        ids.append(("agreements.partnership", pair.pk))
    for number, d in enumerate(meetings, start=len(pairs) + 1):
        rows.append(
            [
                str(number),
                _("Mechanism meeting"),
                d.mechanism.name,
                d.title,
                d.get_direction_display() if d.direction else _("Not recorded"),
                d.date_display,
                _head(d),
            ]
        )
        ids.append(("delegations.delegation", d.pk))
    title = _("Annex V. Twinning pairs and meetings of cooperation mechanisms in the period")
    return _annex("V", title, columns, rows, ids)


def _conference_decision(c):
    authority = c.get_authority_display() if c.authority else _("Not recorded")
    decision = ", ".join(
        part
        for part in (c.decision_number, format_partial_date(c.decision_date, "day") if c.decision_date else "")
        if part
    )
    return "\n".join(part for part in (authority, decision) if part)


def conference_annex(conferences):
    columns = [_("No."), _("Conference or seminar"), _("Kind"), _("Organiser and partners"), _("Dates and place")]
    columns += [_("Participants (foreign)"), _("Approving authority and decision"), _("Status")]
    rows = []
    for number, c in enumerate(conferences, start=1):
        who = "; ".join(part for part in (c.organiser.name if c.organiser else "", _names(c)) if part)
        total = formatting.number(c.total_participants) if c.total_participants is not None else _unknown()
        foreign = formatting.number(c.foreign_participants) if c.foreign_participants is not None else _unknown()
        status = c.get_status_display()
        if c.status == ConferenceStatus.CANCELLED:
            status = _("%(status)s: not counted as held") % {"status": status}
        rows.append(
            [
                str(number),
                c.title,
                c.get_kind_display(),
                who or _("Not recorded"),
                "\n".join(part for part in (c.date_display, c.place) if part),
                total if c.total_participants is None and c.foreign_participants is None else f"{total} ({foreign})",
                _conference_decision(c),
                status,
            ]
        )
    title = _("Annex VI. International conferences and seminars in the period")
    return _annex("VI", title, columns, rows, [("conferences.conference", c.pk) for c in conferences])


def annexes(records, start, end):
    """The six annexes, in order, from ``read_records``'s result."""
    delegations = records["delegations"]
    outbound = [d for d in delegations if d.direction == Direction.OUTBOUND]
    inbound = [d for d in delegations if d.direction == Direction.INBOUND]
    meetings = [d for d in delegations if d.mechanism_id is not None]
    return [
        _delegation_annex("I", _("Annex I. Outbound delegations (đoàn ra) in the period"), outbound, inbound=False),
        _delegation_annex("II", _("Annex II. Inbound delegations (đoàn vào) in the period"), inbound, inbound=True),
        agreement_annex(records["agreements"], start, end),
        project_annex(records["projects"], records["transactions"]),
        cooperation_annex(records["pairs"], meetings),
        conference_annex(records["conferences"]),
    ]
