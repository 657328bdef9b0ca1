"""Reading and checking the partner tally (reports.models.PartnerTally): a
partner's records, over its whole subtree, in one query of a few dozen rows."""

from collections import defaultdict

from django.db import connection, transaction

from delegations.models import Direction
from reports import partner_tally_sql
from reports.models import PartnerTally


def _visible(user):
    rows = PartnerTally.objects.all()
    if user is not None and user.is_authenticated and user.is_active:
        return rows
    return rows.filter(public=True)  # public implies approved (a constraint on each record table)


def dossier_totals(partner, user):
    """The totals of a partner's dossier, as ``user`` may see them: delegations by
    direction and persons (cancelled ones apart), the number of agreements and of
    projects with their committed value. One query."""
    rows = _visible(user).filter(partner_id=partner.pk).values_list(
        "record", "direction", "cancelled", "records", "total", "missing"
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


def rebuild():
    """Recount the whole partner tally (after a bulk load with the triggers off)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in partner_tally_sql.rebuild_statements(connection.vendor):
            cursor.execute(sql)


FIELDS = ("partner_id", "record", "public", "direction", "cancelled")


def snapshot():
    """{key: (records, total, missing)} of the rows that count something (rows the
    triggers brought down to zero are kept and mean nothing)."""
    return {
        tuple(row[:5]): tuple(row[5:])
        for row in PartnerTally.objects.exclude(records=0).values_list(*FIELDS, "records", "total", "missing")
    }
