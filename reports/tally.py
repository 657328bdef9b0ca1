"""Reading and checking the delegation tally (reports.models.DelegationTally).

A date range is split into whole years, whole months and single days
(`spans`), so any span, one day or thirty years, sums at most a few dozen rows
per direction and country. `rebuild` recounts everything; `differences`
compares the tally with a full recount (what `manage.py rebuild_aggregates
--check` and the tests use)."""

import calendar
import datetime
from functools import reduce
from operator import or_

from django.db.models import Q

from register import tallies
from reports import partner_tally, partner_tally_sql, tally_sql
from reports.models import DelegationTally

DAY = datetime.timedelta(days=1)


def _month_end(d):
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _months_and_days(start, end):
    """[start, end] as (grain, first, last) ranges of whole months and single days."""
    if _month_end(start) == datetime.date.max or end.replace(day=1) == datetime.date.min:
        return [("d", start, end)]  # the calendar's first or last month: days will do
    first = start if start.day == 1 else _month_end(start) + DAY
    last_end = end if end == _month_end(end) else end.replace(day=1) - DAY
    if first > last_end:
        return [("d", start, end)]
    ranges = [("d", start, first - DAY)] if start < first else []
    ranges.append(("m", first, last_end.replace(day=1)))
    if last_end < end:
        ranges.append(("d", last_end + DAY, end))
    return ranges


def spans(start, end):
    """[start, end] as at most five (grain, first, last) ranges: days, months,
    whole years, months, days."""
    if start > end:
        return []
    first_year = start.year if (start.month, start.day) == (1, 1) else start.year + 1
    last_year = end.year if (end.month, end.day) == (12, 31) else end.year - 1
    if first_year > min(last_year, datetime.MAXYEAR):
        return _months_and_days(start, end)
    ranges = []
    if start.year < first_year:
        ranges += _months_and_days(start, datetime.date(first_year - 1, 12, 31))
    ranges.append(("y", datetime.date(first_year, 1, 1), datetime.date(last_year, 1, 1)))
    if last_year < end.year:
        ranges += _months_and_days(datetime.date(last_year + 1, 1, 1), end)
    return ranges


def within(start, end):
    """A Q selecting the tally rows that together cover [start, end] exactly once."""
    q = Q(pk__in=[])
    for grain, first, last in spans(start, end):
        q |= Q(grain=grain, period__gte=first, period__lte=last)
    return q


UNDATED = Q(grain="d", period__isnull=True)


def any_of(conditions):
    """The OR of ``conditions``, each written once: the period report's sums often
    ask for the same rows (the same years for counts, đồng and USD), and a
    condition written three times is tested three times on every row."""
    distinct = []
    for q in conditions:
        if q not in distinct:
            distinct.append(q)
    return reduce(or_, distinct, Q(pk__in=[]))


def _grains(q):
    """The grains the rows ``q`` selects can have, or None when some may have any."""
    if isinstance(q, tuple):
        key, value = q
        if key == "grain":
            return {value}
        if key == "grain__in":
            return set(value)
        if key == "pk__in" and not value:
            return set()  # selects nothing
        return None
    if q.negated:
        return None
    children = [_grains(child) for child in q.children]
    if q.connector == Q.OR and q.children:
        return None if None in children else set().union(*children)
    known = [grains for grains in children if grains is not None]
    return set.intersection(*known) if known else None


def narrowed(q):
    """``q`` with the grains it reaches said once more, up front: ``grain IN ('y', 'm')
    AND (...)``. It selects the same rows; PostgreSQL then reads a province's
    rows of those grains from the index led by (province, grain), not every grain's
    (a thirty-year report needs the years and a few months, not 1,7 million day rows)."""
    grains = _grains(q)
    return q if grains is None else Q(grain__in=sorted(grains)) & q


READER = tallies.TallyReader(
    DelegationTally,
    keys=("grain", "period", "province", "direction", "cancelled", "public", "approved", "country"),
    measures=("delegations", "persons", "no_size"),
    rebuild_statements=tally_sql.rebuild_statements,
)

visible_tally = READER.visible
counted_tally = READER.counted


def rebuild():
    """Recount the whole tally from the delegations, and the partner tally
    (reports/partner_tally.py) from the records and their partners (after a bulk
    load with the triggers disabled, or to repair). Call: ``reports.tally.rebuild()``."""
    tallies.run(tally_sql.rebuild_statements, partner_tally_sql.rebuild_statements)


def _snapshot():
    delegations = {("delegations", *key): value for key, value in READER.snapshot().items()}
    return delegations | {("partners", *key): value for key, value in partner_tally.snapshot().items()}


def differences():
    """The rows where either tally differs from a full recount, as (key, tally,
    recount); empty when both are exact. Runs the recount in a transaction it rolls back."""
    return tallies.differences(_snapshot, rebuild)
