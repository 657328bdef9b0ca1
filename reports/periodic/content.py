"""What a periodic report shows, as a JSON-serialisable snapshot (issue 18,
parts 2 and 3): the counts with the same period a year before, the breakdowns
of the delegations, the five annexes, every record used with its version, what
is still in review and what the counts leave out.

The counts are the period report's own (reports/selectors_period.py
``period_report``, run for the period and for the same period a year before),
so the document, the page and its downloads cannot disagree. Only str, int,
None, lists and dicts: money and person totals that are not whole numbers as
strings, dates as ISO strings; an unknown stays None, never 0.

Queries: a fixed number whatever the number of records (pinned in
tests/test_periodic_content.py): the period report twice, the annexes' records
(annexes.read_records), the three breakdowns and the mechanism meetings (each
one query over both periods), and one count per kind of record in review."""

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext as _

from agreements.models import Agreement, Partnership
from common import formatting
from conferences.models import Conference
from delegations.models import Delegation, Direction, Level, Purpose
from projects.models import Project
from register.publishable import ReviewState
from reports.period import TERMS, period_label
from reports.periodic.annexes import annexes, read_records
from reports.periodic.reader import province_reader
from reports.selectors_period import period_report

TWO_WAYS = [Direction.OUTBOUND, Direction.INBOUND]


def preset_of(start, end):
    """The period report's preset whose dates these are ("quarter", "year"...), or "custom"."""
    for preset, (first, last) in TERMS.items():
        if (start, end) == (first, last):
            return preset
    month_end = dt.date(end.year, end.month, calendar.monthrange(end.year, end.month)[1])
    if start.year != end.year or start.day != 1 or end != month_end:
        return "custom"
    months = (start.month, end.month)
    if months == (1, 12):
        return "year"
    if months == (1, 6):
        return "first_half"
    if months == (7, 12):
        return "second_half"
    if start.month == end.month:
        return "month"
    if end.month - start.month == 2 and start.month % 3 == 1:
        return "quarter"
    return "custom"


def year_before(day):
    """The same day a year before; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def period_info(start, end):
    """{"start", "end", "label"}: "quý I/2024", "6 tháng đầu năm 2024", "năm 2023", or the dates."""
    label = period_label(preset_of(start, end), start)
    if label:
        label = label[0].lower() + label[1:]
    else:
        label = _("from %(start)s to %(end)s") % {
            "start": formatting.partial_date(start, "day"),
            "end": formatting.partial_date(end, "day"),
        }
    return {"start": start.isoformat(), "end": end.isoformat(), "label": str(label)}


def plain(value):
    """A count as int; a Decimal that is not whole, or money, as a string; None stays None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value


def comparison(value, previous):
    """(change, percent): None where either side is unknown; percent None when the year before is 0."""
    if value is None or previous is None:
        return None, None
    now, before = Decimal(str(value)), Decimal(str(previous))
    change = plain(now - before)
    if before == 0:
        return change, None
    percent = ((now - before) * 100 / before).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return change, str(percent)


def _count(key, label, unit, value, previous, note="", money=False, unknown=None):
    """One count beside the year before. ``unknown``: how many records of the period
    the value leaves out for want of a figure (delegations with no recorded size)."""
    if money:
        value = None if value is None else str(Decimal(value).quantize(Decimal(1)))
        previous = None if previous is None else str(Decimal(previous).quantize(Decimal(1)))
    else:
        value, previous = plain(value), plain(previous)
    change, percent = comparison(value, previous)
    if money and change is not None:
        change = str(change)
    row = {"key": key, "label": str(label), "unit": str(unit), "value": value, "previous": previous}
    row.update(change=change, percent=percent)
    if note:
        row["note"] = str(note)
    if unknown is not None:
        row["unknown"] = unknown
    return row


def _persons(block):
    """The persons of recorded size, None when no delegation of the period has one."""
    if block["delegations"] and block["no_size"] == block["delegations"]:
        return None
    return block["persons"]


def _size_note(block, previous):
    parts = []
    if block["no_size"]:
        parts.append(
            _("%(n)s delegations of the period have no recorded size and are not in this total.")
            % {"n": formatting.number(block["no_size"])}
        )
    if previous["no_size"]:
        parts.append(
            _("A year before: %(n)s delegations with no recorded size.") % {"n": formatting.number(previous["no_size"])}
        )
    return " ".join(parts)


def _conference_note(conferences, previous):
    """What the foreign participants' total leaves out: conferences with no known number, cancelled ones."""
    parts = []
    for block, words in (
        (conferences, _("%(n)s conferences of the period have no known number of foreign participants")),
        (previous, _("a year before: %(n)s")),
    ):
        if block["foreign_unknown"]:
            parts.append(words % {"n": formatting.number(block["foreign_unknown"])})
    note = "; ".join(str(part) for part in parts)
    return _("%(note)s; they are not in this total.") % {"note": note} if note else ""


def _foreign(block):
    """The known foreign participants, None when no conference held in the period has a known number."""
    if block["held"] and block["foreign_unknown"] == block["held"]:
        return None
    return block["foreign"] or 0


def counts(now, before, meetings):
    """Every count of the report beside the same period a year before."""
    out, out_before = now["outbound"], before["outbound"]
    inbound, in_before = now["inbound"], before["inbound"]
    agreements, agreements_before = now["agreements"], before["agreements"]
    projects, projects_before = now["projects"]["total"], before["projects"]["total"]
    twinning, twinning_before = now["twinning"]["total"], before["twinning"]["total"]
    conferences, conferences_before = now["conferences"]["total"], before["conferences"]["total"]
    money_note = " ".join(str(note) for note in projects.get("money_notes", []))
    undated = ""
    if agreements["in_force_undated"]:
        undated = _("%(n)s agreements signed or in force with no date cannot be shown to be in force.") % {
            "n": formatting.number(agreements["in_force_undated"])
        }
    return [
        _count(
            "outbound_delegations",
            _("Outbound delegations"),
            _("delegations"),
            out["delegations"],
            out_before["delegations"],
        ),
        _count(
            "outbound_persons",
            _("Person-trips abroad"),
            _("person-trips"),
            _persons(out),
            _persons(out_before),
            _size_note(out, out_before),
            unknown=out["no_size"],
        ),
        _count(
            "inbound_delegations",
            _("Inbound delegations"),
            _("delegations"),
            inbound["delegations"],
            in_before["delegations"],
        ),
        _count(
            "inbound_persons",
            _("Foreigners received"),
            _("persons"),
            _persons(inbound),
            _persons(in_before),
            _size_note(inbound, in_before),
            unknown=inbound["no_size"],
        ),
        _count(
            "border_talks",
            _("Border talks"),
            _("meetings"),
            now["border"]["delegations"],
            before["border"]["delegations"],
        ),
        _count(
            "domestic_visits",
            _("Working visits of central and provincial leaders"),
            _("visits"),
            now["domestic"]["count"],
            before["domestic"]["count"],
        ),
        _count(
            "agreements_signed",
            _("International agreements signed"),
            _("agreements"),
            agreements["signed"],
            agreements_before["signed"],
        ),
        _count(
            "agreements_in_force",
            _("International agreements in force at the end of the period"),
            _("agreements"),
            agreements["in_force"],
            agreements_before["in_force"],
            undated,
        ),
        _count(
            "projects_active", _("Projects under way"), _("projects"), projects["active"], projects_before["active"]
        ),
        _count(
            "projects_new", _("Projects begun in the period"), _("projects"), projects["new"], projects_before["new"]
        ),
        _count(
            "committed_vnd",
            _("Committed value of the projects under way"),
            "VND",
            projects["committed_vnd"],
            projects_before["committed_vnd"],
            money_note,
            money=True,
        ),
        _count(
            "disbursed_vnd",
            _("Delivered in the period (disbursements, expenditure, in kind)"),
            "VND",
            projects["disbursed"],
            projects_before["disbursed"],
            money_note,
            money=True,
        ),
        _count(
            "twinning_pairs",
            _("Twinning pairs at the end of the period"),
            _("pairs"),
            twinning["established"],
            twinning_before["established"],
        ),
        _count(
            "twinning_new",
            _("Twinning pairs established in the period"),
            _("pairs"),
            twinning["new"],
            twinning_before["new"],
        ),
        _count("mechanism_meetings", _("Meetings of cooperation mechanisms"), _("meetings"), *meetings),
        _count(
            "conferences_held",
            _("International conferences and seminars held"),
            _("conferences"),
            conferences["held"],
            conferences_before["held"],
        ),
        _count(
            "conference_foreign",
            _("Foreign participants in the conferences and seminars"),
            _("delegates"),
            _foreign(conferences),
            _foreign(conferences_before),
            _conference_note(conferences, conferences_before),
            unknown=conferences["foreign_unknown"],
        ),
    ]


def breakdowns(user, in_review, now, before):
    """Outbound and inbound delegations by level, purpose and host unit, in the period
    and a year before: one query per breakdown, over both periods."""
    current = Q(start_date__gte=now[0], start_date__lte=now[1])
    previous = Q(start_date__gte=before[0], start_date__lte=before[1])
    both = Delegation.objects.counted_for(user, in_review).filter(current | previous, direction__in=TWO_WAYS)
    measures = {"value": Count("pk", filter=current), "previous": Count("pk", filter=previous)}
    fields = {"level": ("level", dict(Level.choices)), "purpose": ("purpose", dict(Purpose.choices))}
    fields["host_unit"] = ("host_unit__name", {})
    result = {}
    for key, (field, labels) in fields.items():
        rows = both.values(field).annotate(**measures).order_by("-value", "-previous", field)
        result[key] = [
            {
                "label": str(labels.get(row[field], row[field]) if row[field] else _("Not recorded")),
                "value": row["value"],
                "previous": row["previous"],
            }
            for row in rows
        ]
    return result


def by_country(now, before, direction):
    """Delegations of one direction by partner country, in the period and a year
    before, from the period report's own tables (no query): a delegation with
    partners in two countries counts under each, one with none under "Not recorded"."""
    earlier = {str(row["label"]): row["delegations"] for row in before[direction]["rows"]}
    rows = [
        {"label": str(row["label"]), "value": row["delegations"], "previous": earlier.pop(str(row["label"]), 0)}
        for row in now[direction]["rows"]
    ]
    rows += [{"label": label, "value": 0, "previous": n} for label, n in earlier.items()]
    return sorted(rows, key=lambda row: (-row["value"], -row["previous"], row["label"]))


def mechanism_meetings(user, in_review, now, before):
    """(meetings in the period, meetings a year before): delegations linked to a mechanism. One query."""
    counted = Delegation.objects.counted_for(user, in_review).filter(mechanism__isnull=False)
    sums = counted.aggregate(
        value=Count("pk", filter=Q(start_date__gte=now[0], start_date__lte=now[1])),
        previous=Count("pk", filter=Q(start_date__gte=before[0], start_date__lte=before[1])),
    )
    return sums["value"], sums["previous"]


def in_review_counts(user, start, end):
    """The province's records of the period still in review (drafts, submitted): one count per model."""
    waiting = ~Q(review_state=ReviewState.APPROVED)
    by_model = {
        "delegations.delegation": Delegation.objects.counted_for(user, True).in_period(start, end),
        "agreements.agreement": Agreement.objects.counted_for(user, True).filter(
            Q(signed_on__gte=start, signed_on__lte=end) | Q(effective_on__gte=start, effective_on__lte=end)
        ),
        "projects.project": Project.objects.counted_for(user, True).active_between(start, end),
        "agreements.partnership": Partnership.objects.counted_for(user, True).filter(
            established_on__gte=start, established_on__lte=end
        ),
        "conferences.conference": Conference.objects.counted_for(user, True).in_period(start, end),
    }
    counted = {label: queryset.filter(waiting).count() for label, queryset in by_model.items()}
    return {"count": sum(counted.values()), "by_model": counted}


def left_out(now):
    """What the counts leave out, with the reason."""
    notes = []
    for key, label in (("outbound", _("outbound")), ("inbound", _("inbound"))):
        if now[key]["no_size"]:
            notes.append(
                _("%(n)s %(direction)s delegations have no recorded size: counted as delegations, not in the persons.")
                % {"n": formatting.number(now[key]["no_size"]), "direction": label}
            )
    unclassified = now["by_kind"]["rows"][-1]["delegations"]
    if unclassified:
        notes.append(
            _("%(n)s delegations of the period have no direction recorded: in no count by direction.")
            % {"n": formatting.number(unclassified)}
        )
    if now["agreements"]["in_force_undated"]:
        notes.append(
            _("%(n)s agreements with neither a signing nor an effective date: not counted as in force.")
            % {"n": formatting.number(now["agreements"]["in_force_undated"])}
        )
    if now["projects"]["total"]["undated"]:
        notes.append(
            _("%(n)s projects with no start date: never counted as under way.")
            % {"n": formatting.number(now["projects"]["total"]["undated"])}
        )
    if now["twinning"]["total"].get("undated"):
        notes.append(
            _("%(n)s twinning pairs with no date of establishment: not counted.")
            % {"n": formatting.number(now["twinning"]["total"]["undated"])}
        )
    conferences = now["conferences"]["total"]
    if conferences["foreign_unknown"]:
        notes.append(
            _("%(n)s conferences with no known number of foreign participants: counted as held, not in the persons.")
            % {"n": formatting.number(conferences["foreign_unknown"])}
        )
    if conferences["cancelled"]:
        notes.append(
            _("%(n)s conferences of the period were cancelled: not counted as held (listed in annex VI).")
            % {"n": formatting.number(conferences["cancelled"])}
        )
    notes += [str(note) for note in now["projects"]["total"].get("money_notes", [])]
    return [str(note) for note in notes]


# The kinds of record a snapshot reads (annexes.read_records's keys), by model. A snapshot names them in
# ``covers``, so that "added since issue" (reports/issued/selectors.py) asks an older report only for
# the kinds it read (conferences came in after the first reports were issued).
RECORD_MODELS = {
    "delegations": "delegations.delegation",
    "agreements": "agreements.agreement",
    "projects": "projects.project",
    "transactions": "projects.transaction",
    "pairs": "agreements.partnership",
    "conferences": "conferences.conference",
}


def records_used(records):
    """Every record the snapshot used, with its version (register/versions.py: 0 when it has no history)."""
    return [
        {"model": label, "pk": record.pk, "version": record.audit_version or 0}
        for key, label in RECORD_MODELS.items()
        for record in records[key]
    ]


def report_content(province_code: str, start: dt.date, end: dt.date, *, include_in_review: bool = False) -> dict:
    """The snapshot of the report of ``province_code`` for [start, end] (see the module's docstring)."""
    before = (year_before(start), year_before(end))
    with translation.override(settings.LANGUAGE_CODE), province_reader(province_code) as user:
        now = period_report(user, start, end, include_in_review)
        previous = period_report(user, *before, include_in_review)
        records = read_records(user, start, end, include_in_review)
        meetings = mechanism_meetings(user, include_in_review, (start, end), before)
        return {
            "province": province_code,
            "period": period_info(start, end),
            "previous": period_info(*before),
            "include_in_review": include_in_review,
            "counts": counts(now, previous, meetings),
            "breakdowns": {
                **breakdowns(user, include_in_review, (start, end), before),
                "outbound_country": by_country(now, previous, "outbound"),
                "inbound_country": by_country(now, previous, "inbound"),
            },
            "annexes": annexes(records, start, end),
            "records": records_used(records),
            "covers": list(RECORD_MODELS.values()),
            "in_review": in_review_counts(user, start, end),
            "left_out": left_out(now),
        }
