"""Reading and checking the partner tallies (reports.models.PartnerTally and
AgreementDayTally): a partner's records over its whole subtree, in one query of
a few dozen rows, and its agreements in force on a day, in one index range."""

from collections import defaultdict

from django.db.models import Q, Sum

from delegations.models import Direction
from register import tallies
from reports import partner_tally_sql
from reports.models import AgreementDayTally, PartnerTally


def _visible(user, model=PartnerTally):
    return tallies.visible(model.objects.all(), user)


def visible_rows(user):
    """The partner tally's rows of what ``user`` may see (reports/national.py reads them by province)."""
    return _visible(user)


def dossier_totals(partner, user):
    """The totals of a partner's dossier, as ``user`` may see them: delegations by
    direction and persons (cancelled ones apart), the number of agreements and of
    projects with their committed value. One query."""
    rows = (
        _visible(user)
        .filter(partner_id=partner.pk)
        .values_list("record", "direction", "cancelled", "records", "total", "missing")
    )
    held = defaultdict(lambda: [0, 0, 0])  # direction -> [records, persons, records without a size]
    cancelled = 0
    projects = [0, 0, 0]  # records, value, records without a value
    agreements = 0
    for record, direction, is_cancelled, records, total, missing in rows:
        if record == "delegation":
            if is_cancelled:
                cancelled += records
            else:
                counts = held[direction]
                counts[0] += records
                counts[1] += int(total)
                counts[2] += missing
        elif record == "agreement":
            agreements += records
        elif record == "project":
            projects[0] += records
            projects[1] += total
            projects[2] += missing
    all_held = [sum(counts[i] for counts in held.values()) for i in range(3)]
    sized = all_held[0] - all_held[2]

    def persons(direction):
        counts = held.get(direction)
        return counts[1] if counts and counts[0] > counts[2] else None

    return {
        "delegations": {
            "total": all_held[0],
            "outbound": held[Direction.OUTBOUND][0],
            "inbound": held[Direction.INBOUND][0],
            "domestic": held[Direction.DOMESTIC][0],
            "border": held[Direction.BORDER][0],
            "undetermined": held[""][0],
            # None, as SQL's SUM, when no delegation has a size.
            "persons": all_held[1] if sized else None,
            "persons_out": persons(Direction.OUTBOUND),
            "persons_in": persons(Direction.INBOUND),
            "without_size": all_held[2],
            "cancelled": cancelled,
        },
        "agreements": agreements,
        "projects": {
            "total": projects[0],
            "value_vnd": projects[1] if projects[0] > projects[2] else None,
            "without_value": projects[2],
        },
    }


def agreements_in_force(partner, user, day):
    """How many of the partner's agreements (its subtree's) are in force on ``day``:
    those that took effect by then less those that expired before. One query
    summing an index range."""
    rows = _visible(user, AgreementDayTally).filter(partner_id=partner.pk)
    started, ended = Q(event="start", day__lte=day), Q(event="end", day__lt=day)
    totals = rows.filter(started | ended).aggregate(
        started=Sum("records", filter=started, default=0), ended=Sum("records", filter=ended, default=0)
    )
    return totals["started"] - totals["ended"]


def rebuild():
    """Recount the whole partner tally (after a bulk load with the triggers off)."""
    tallies.run(partner_tally_sql.rebuild_statements)


def snapshot():
    """{key: measures} of the rows of both tallies that count something (rows the
    triggers brought down to zero are kept and mean nothing)."""
    counted = tallies.snapshot(
        PartnerTally.objects.exclude(records=0),
        ("partner_id", "province", "record", "public", "direction", "cancelled"),
        ("records", "total", "missing"),
    )
    days = tallies.snapshot(
        AgreementDayTally.objects.exclude(records=0), ("partner_id", "province", "public", "event", "day"), ("records",)
    )
    return counted | {("day", *key): value for key, value in days.items()}
