"""Working days in Vietnam: Monday to Friday, less the public holidays (Tết, by the
lunar calendar, moves every year: the PyPI ``holidays`` package knows it, with
the days off the government moves).

A deadline "within 5 working days of the return" is ``add_working_days(return, 5)``:
the fifth working day after the return day."""

import datetime
import functools

import holidays


@functools.cache
def _holidays_of(year):
    # Read once per year and process: the due list asks for every open loan.
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day):
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def add_working_days(start, count):
    """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
    day = start
    while count > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
