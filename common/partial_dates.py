"""Dates as staff and sources write them: a day, a month or a year, read from one
text into a date and its precision. The one reader of such text for the admin
forms (common/partial_date_fields.py), the public lists' date filters
(register/filters.py) and the imports (register/import_cells.py).

The stored convention (fixtures/articles.py): a month-only date is the 1st of
the month with precision "month", a year-only date is 1 January with "year";
the end of a period (a reported figure's) is the last day of its month or year.

    2008                 -> 01/01/2008, year
    10/2011, tháng 10/2011, 2011-10 -> 01/10/2011, month
    11/6/2024, 2024-06-11, ngày 11/6/2024 -> 11/06/2024, day
    Quý I/2024 (a period only: ``parse_period``) -> 01/01/2024 – 31/03/2024

A date that does not exist says why ("30/02/2023 is not a real date (February
2023 has 28 days)"), not merely how dates are written."""

import calendar
import datetime as dt
import re
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from common.text import fold


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def format_partial_date(value, precision):
    """'03/04/2024', 'tháng 10/2011' or 'năm 2010', following the precision."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return _("year %(year)s") % {"year": value.year}
    if precision == DatePrecision.MONTH:
        return _("month %(month)02d/%(year)s") % {"month": value.month, "year": value.year}
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def first_of_period_q(field, precision_field="date_precision"):
    """The stored convention of a partial date, as a condition: a month-only date
    is the 1st of its month, a year-only date 1 January (fixtures/articles.py)."""
    return (
        models.Q((f"{field}__isnull", True))
        | ~models.Q((f"{precision_field}__in", [DatePrecision.MONTH, DatePrecision.YEAR]))
        | models.Q((precision_field, DatePrecision.MONTH), (f"{field}__day", 1))
        | models.Q((precision_field, DatePrecision.YEAR), (f"{field}__month", 1), (f"{field}__day", 1))
    )


def partial_date_constraints(prefix, fields, precision_field="date_precision"):
    """One check per partial date that it keeps the convention of ``first_of_period_q``,
    whatever writes the row (the forms and the imports store it so)."""
    return [
        models.CheckConstraint(
            condition=first_of_period_q(field, precision_field), name=f"{prefix}_{field}_first_of_period"
        )
        for field in fields
    ]


def check_partial_dates(instance):
    """The model-level check of ``partial_date_constraints``, in words, for the
    model's ``clean()`` (an import validates without the constraints)."""
    precision = getattr(instance, getattr(instance, "DATE_PRECISION_FIELD", "date_precision"), DatePrecision.DAY)
    errors = {}
    ends = getattr(instance, "PARTIAL_DATE_ENDS", ())
    for name in getattr(instance, "PARTIAL_DATES", ()):
        value = getattr(instance, name, None)
        if value is None or not hasattr(value, "day"):
            continue
        if name in ends:
            if precision != DatePrecision.DAY and period_end((value, precision)) != value:
                errors[name] = _(
                    "The end of a period known only to the month or the year is kept as its last day: "
                    "write it as %(value)s."
                ) % {"value": format_partial_input(value, precision)}
        elif precision == DatePrecision.MONTH and value.day != 1:
            errors[name] = _("A date known to the month is kept as the 1st of the month: write it as %(month)s.") % {
                "month": f"{value.month:02d}/{value.year}"
            }
        elif precision == DatePrecision.YEAR and (value.month, value.day) != (1, 1):
            errors[name] = _("A date known to the year is kept as 1 January: write it as %(year)s.") % {
                "year": value.year
            }
    if errors:
        raise ValidationError(errors)


MIN_YEAR, MAX_YEAR = 1000, 9999
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

# "February %(year)s" and not a month name and a year: Vietnamese writes "tháng 2/2023".
MONTH_OF_YEAR = {
    1: _("January %(year)s"),
    2: _("February %(year)s"),
    3: _("March %(year)s"),
    4: _("April %(year)s"),
    5: _("May %(year)s"),
    6: _("June %(year)s"),
    7: _("July %(year)s"),
    8: _("August %(year)s"),
    9: _("September %(year)s"),
    10: _("October %(year)s"),
    11: _("November %(year)s"),
    12: _("December %(year)s"),
}

# Matched on the folded text (lower case, accents and "đ" removed; see common/text.py).
SEP = r"\s*[/.\-]\s*"
DAY = re.compile(rf"(?:ngay\s*)?(\d{{1,2}}){SEP}(\d{{1,2}}){SEP}(\d{{1,4}})")
ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d.*)?")
MONTH = re.compile(rf"(?:thang\s*|t\s*)?(\d{{1,2}}){SEP}(\d{{1,4}})")
ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
YEAR = re.compile(r"(?:nam\s*)?(\d{1,4})")
QUARTER = re.compile(r"(?:quy|q)\s*(i{1,3}|iv|[1-4])\s*(?:[/.\-]|\s|nam)\s*(?:nam\s*)?(\d{1,4})")


class PartialDate(NamedTuple):
    """A date and how much of it is known; ``date`` is the first day of the period."""

    date: dt.date
    precision: str


def _invalid(value, message, **params):
    return ValidationError(message, code="invalid", params={"value": value, **params})


def _year(value, text):
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _invalid(value, _("“%(value)s”: write the year with its four digits, such as 2024."))
    return year


def _month(value, year, month):
    if not 1 <= month <= 12:
        raise _invalid(
            value, _("“%(value)s”: there is no month %(month)s; months go from 1 to 12."), month=month, year=year
        )
    return month


def _day(value, year, month, day):
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise _invalid(
            value,
            _("%(value)s is not a real date (%(month_of_year)s has %(days)s days)"),
            # Translated when the message is, in the same language.
            month_of_year=lazy(lambda: str(MONTH_OF_YEAR[month]) % {"year": year}, str)(),
            days=days,
        )
    return dt.date(year, month, day)


def _read(value, text):
    """(first day, precision) of ``text`` (folded), None when it is no date at all."""
    if match := ISO_DAY.fullmatch(text):
        year = _year(value, match[1])
        return PartialDate(_day(value, year, _month(value, year, int(match[2])), int(match[3])), DatePrecision.DAY)
    if match := DAY.fullmatch(text):
        year = _year(value, match[3])
        return PartialDate(_day(value, year, _month(value, year, int(match[2])), int(match[1])), DatePrecision.DAY)
    if match := ISO_MONTH.fullmatch(text):
        year = _year(value, match[1])
        return PartialDate(dt.date(year, _month(value, year, int(match[2])), 1), DatePrecision.MONTH)
    if match := MONTH.fullmatch(text):
        year = _year(value, match[2])
        return PartialDate(dt.date(year, _month(value, year, int(match[1])), 1), DatePrecision.MONTH)
    if match := YEAR.fullmatch(text):
        return PartialDate(dt.date(_year(value, match[1]), 1, 1), DatePrecision.YEAR)
    return None


def _folded(value):
    return re.sub(r"\s+", " ", fold(str(value))).strip()


def parse_partial_date(value):
    """``value`` ("2008", "tháng 10/2011", "11/6/2024", "2024-06-11") as a
    ``PartialDate``; ValidationError (in the active language) saying what is
    wrong when it is not one."""
    value = str(value).strip()
    text = _folded(value)
    if QUARTER.fullmatch(text):
        raise _invalid(
            value,
            _("“%(value)s” is a quarter, a period: give the day, the month (10/2011) or the year (2008) here."),
        )
    found = _read(value, text)
    if found is None:
        raise _invalid(
            value,
            _(
                "“%(value)s” is not a date. Write a day (11/06/2024), a month (10/2011 or tháng 10/2011) "
                "or a year (2008)."
            ),
        )
    return found


def period_end(partial):
    """The last day of the day, month or year ``partial`` stands for."""
    day, precision = partial
    if precision == DatePrecision.YEAR:
        return dt.date(day.year, 12, 31)
    if precision == DatePrecision.MONTH:
        return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def parse_period(value):
    """``value`` as the (first, last) day of the period it names: a day, a month,
    a year or a quarter ("Quý I/2024" is 01/01/2024 – 31/03/2024)."""
    value = str(value).strip()
    text = _folded(value)
    if match := QUARTER.fullmatch(text):
        quarter = ROMAN.get(match[1]) or int(match[1])
        year = _year(value, match[2])
        first = 3 * quarter - 2
        return dt.date(year, first, 1), period_end(PartialDate(dt.date(year, first + 2, 1), DatePrecision.MONTH))
    found = _read(value, text)
    if found is None:
        raise _invalid(
            value,
            _(
                "“%(value)s” is not a date or a period. Write a day (11/06/2024), a month (10/2011), "
                "a quarter (Quý I/2024) or a year (2008)."
            ),
        )
    return found.date, period_end(found)


def format_partial_input(value, precision):
    """What a form's text box shows for a stored date: '2008', '10/2011' or
    '11/06/2024', which ``parse_partial_date`` reads back to the same."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return f"{value.month:02d}/{value.year}"
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def move_to_first_of_period(model, fields, precision_field="date_precision"):
    """Rows written before the convention was a rule (a shell, an old import):
    each month- or year-precision date moved to the first day of its period,
    which changes nothing it shows ("tháng 10/2011" stays so). For the
    migrations that add ``partial_date_constraints``."""
    from django.db.models.functions import TruncMonth, TruncYear

    for name in fields:
        rows = model._default_manager.exclude(**{f"{name}__isnull": True})
        rows.filter(**{precision_field: DatePrecision.MONTH}).exclude(**{f"{name}__day": 1}).update(
            **{name: TruncMonth(name)}
        )
        rows.filter(**{precision_field: DatePrecision.YEAR}).exclude(**{f"{name}__day": 1, f"{name}__month": 1}).update(
            **{name: TruncYear(name)}
        )
