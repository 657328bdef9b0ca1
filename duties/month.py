"""The month calendar page's grid: the weeks of a month, Monday first, each day
with the events on it (an event of several days on each of its days)."""

import calendar
import dataclasses
import datetime
import re

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclasses.dataclass
class Day:
    date: datetime.date
    in_month: bool
    is_today: bool
    events: list


def parse_month(value, today):
    """The first day of the month ``value`` names ("2026-12"), or of ``today``'s month
    when it names none (blank, nonsense, or a year outside 1900–2100)."""
    match = MONTH.match(value or "")
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1900 <= year <= 2100 and 1 <= month <= 12:
            return datetime.date(year, month, 1)
    return today.replace(day=1)


def grid_bounds(first):
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(first.year, first.month)
    return weeks[0][0], weeks[-1][-1]


def weeks_of(first, events, today):
    """[[Day × 7]]: the month's weeks (with the neighbouring months' days that fill them)."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(first.year, first.month)
    days = {day: Day(day, day.month == first.month, day == today, []) for week in weeks for day in week}
    grid_start, grid_end = weeks[0][0], weeks[-1][-1]
    for event in events:
        day = max(event.start, grid_start)
        while day <= min(event.end, grid_end):
            days[day].events.append(event)
            day += datetime.timedelta(days=1)
    return [[days[day] for day in week] for week in weeks]


def neighbours(first):
    """(the previous month's first day, the next month's first day)."""
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return previous, following
