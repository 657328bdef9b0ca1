"""Cell values as the offices write them in their own lists (issue 15). Pure
functions: no database, no model instances. Each raises ``CellError`` (a
ValueError whose text is the translated message saying what is wrong and what
to write instead), or returns None for a blank cell.

Dates and periods (``parse_date_range``): a date cell, a year number (2018),
or text: "11-16/6/2023", "11/6 - 16/6/2023", "30/6 - 02/7/2023",
"30/12/2023 - 02/01/2024", "từ 11/6 đến 16/6/2023", "Từ ngày 11/6/2023 đến ngày
16/6/2023", "ngày 11/6/2023", "11.6.2023", "2023-06-11", "tháng 9/2023", "T9/2023",
"09/2023", "tháng 9 - 10/2023", "Quý III/2023", "Q3/2023", "2018", "năm 2018", over
several lines, with "(dự kiến)" or any other note in brackets after it. The first
part of a range borrows what it leaves out (month, year) from the second one; a
first day/month later than the second one's ("30/12 - 02/01/2024") is taken from
the year before. A range's precision is the coarser of its two ends, and a month
or year is stored on the first day of its period.

Terms of agreements (``parse_term``, ``expiry``): "3 năm", "05 năm kể từ ngày ký",
"24 tháng", "không thời hạn", "đến 31/12/2025", "đến hết năm 2025".

People (``split_person``), places (``split_places``), numbers of persons
(``parse_count``), money (``parse_amount``) and the office's words for the
register's choices (``choice_for``, ``choice_words``, ``SYNONYMS`` in words.py).
"""

import contextlib
import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.partial_dates import QUARTER, ROMAN, DatePrecision, PartialDate, parse_partial_date
from common.text import fold
from register.office_import.amounts import parse_amount
from register.office_import.choices import SYNONYMS, choice_for, choice_words
from register.office_import.errors import CellError
from register.office_import.people import split_person, split_places, strip_admin_prefix

__all__ = [
    "SYNONYMS",
    "CellError",
    "DateRange",
    "Term",
    "choice_for",
    "choice_words",
    "expiry",
    "parse_amount",
    "parse_count",
    "parse_date",
    "parse_date_range",
    "parse_term",
    "split_person",
    "split_places",
    "strip_admin_prefix",
]

COARSENESS = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}
BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "~": "-"})
# A range's two ends: "đến"/"tới" or a dash. Matched on folded text.
RANGE_WORDS = re.compile(r"\s+(?:den|toi)\s+(?:ngay\s+|het\s+)?")
SPACED_DASH = re.compile(r"\s+-\s*|\s*-\s+")
# An end written without its year: "16/6", "tháng 6", "T6", "16".
YEARLESS = re.compile(r"(?:(?:thang|t)\s*)?\d{1,2}(?:\s*[/.]\s*\d{1,2})?")
DAY_MONTH = re.compile(r"(\d{1,2})\s*[/.]\s*(\d{1,2})")
MONTH_ONLY = re.compile(r"(?:thang|t)\s*(\d{1,2})")
MIXED_MARKS = re.compile(r"-.*[/.]|[/.].*-")


@dataclass(frozen=True)
class DateRange:
    start: dt.date | None
    end: dt.date | None
    precision: str


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_date_text(value):
    """The folded text of a date cell, one line, without notes in brackets,
    "dự kiến", a leading "từ (ngày)" or "ngày", and dashes made plain."""
    text = BRACKETS.sub(" ", str(value).translate(DASHES))
    text = fold(text)
    text = re.sub(r"\bdu kien\b|\bkhoang\b", " ", text)
    text = re.sub(r"^(?:tu\s+)?(?:ngay\s+)?", "", text.strip(" .,;:"))
    text = re.sub(r"(\d{1,2})\s+thang\s+(\d{1,2})", r"\1/\2", text)  # ngày 11 tháng 6 năm 2023
    text = re.sub(r"(\d)\s+nam\s+(\d{4})", r"\1/\2", text)
    return re.sub(r"\s+", " ", text).strip(" .,;:")


def _not_a_date(value):
    return CellError(
        _(
            "“%(value)s” is not a date or a period. Write a day (11/6/2023), a range (11-16/6/2023), "
            "a month (tháng 9/2023), a quarter (Quý III/2023) or a year (2018)."
        )
        % {"value": value}
    )


def _no_year(value):
    example = f"{value}/{dt.date.today().year}"
    return CellError(_("“%(value)s” does not give the year: write %(example)s.") % {"value": value, "example": example})


def _partial(value, text, whole=False):
    """One complete date (with its year) of the cell, as a PartialDate; the
    error names the cell as written when ``text`` is the whole of it."""
    try:
        return parse_partial_date(text)
    except ValidationError as error:
        if YEARLESS.fullmatch(text):
            raise _no_year(value) from None
        if whole:
            error = ValidationError(error.message, params={**error.params, "value": value})
        raise CellError(" ".join(error.messages)) from None


def _number_date(value):
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise _not_a_date(value)
    if not 1000 <= value <= 9999:
        raise _not_a_date(value)
    return PartialDate(dt.date(int(value), 1, 1), DatePrecision.YEAR)


def _quarter(value, text):
    match = QUARTER.fullmatch(text)
    if not match:
        return None
    quarter = ROMAN.get(match[1]) or int(match[1])
    year = _partial(value, match[2]).date.year
    last = 3 * quarter
    return DateRange(dt.date(year, last - 2, 1), dt.date(year, last, 1), str(DatePrecision.MONTH))


def _split_range(text):
    """The two ends of a range, or None for one date: "đến" first, then a
    dash with a space beside it, then a lone dash ("11-16/6/2023")."""
    for separator in (RANGE_WORDS, SPACED_DASH):
        parts = separator.split(text)
        if len(parts) == 2:
            return parts
    parts = text.split("-")
    if len(parts) == 2:
        return parts
    return None


def _complete_start(value, text, end):
    """The first end of a range, with what it leaves out taken from the last."""
    if not YEARLESS.fullmatch(text):
        return _partial(value, text)
    year = end.date.year
    if match := DAY_MONTH.fullmatch(text):
        day, month = int(match[1]), int(match[2])
        if (month, day) > (end.date.month, end.date.day):
            year -= 1  # "30/12 - 02/01/2024": the December before
        return _partial(value, f"{day}/{month}/{year}")
    if match := MONTH_ONLY.fullmatch(text):
        return _partial(value, f"{match[1]}/{year}")
    number = int(text)
    if end.precision == DatePrecision.DAY:
        return _partial(value, f"{number}/{end.date.month}/{year}")
    if end.precision == DatePrecision.MONTH:
        return _partial(value, f"{number}/{year}")
    raise _not_a_date(value)


def _coarsen(partial, precision):
    day = partial.date
    if precision == DatePrecision.YEAR:
        return dt.date(day.year, 1, 1)
    if precision == DatePrecision.MONTH:
        return dt.date(day.year, day.month, 1)
    return day


def _range(value, start, end):
    precision = max(start.precision, end.precision, key=COARSENESS.get)
    first, last = _coarsen(start, precision), _coarsen(end, precision)
    if last < first:
        raise CellError(
            _("“%(value)s” ends before it starts: write the earlier date first, such as 11-16/6/2023.")
            % {"value": value}
        )
    return DateRange(first, last, str(precision))


def parse_date_range(value):
    """A cell of dates (see the module's docstring) as a DateRange; a single
    date has no end (end=None). None for a blank cell."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return DateRange(value.date(), None, str(DatePrecision.DAY))
    if isinstance(value, dt.date):
        return DateRange(value, None, str(DatePrecision.DAY))
    if isinstance(value, int | float):
        return DateRange(_number_date(value).date, None, str(DatePrecision.YEAR))
    shown = " ".join(str(value).split())
    text = _clean_date_text(value)
    if not re.search(r"\d", text):
        raise _not_a_date(shown)
    if quarter := _quarter(shown, text):
        return quarter
    single = None
    if not MIXED_MARKS.search(text):  # "9-10/2023" is two months, not 9/10/2023
        with contextlib.suppress(ValidationError):
            single = parse_partial_date(text)
    if single is not None:
        return DateRange(single.date, None, str(single.precision))
    parts = _split_range(text)
    if parts is None:
        if YEARLESS.fullmatch(text):
            raise _no_year(shown)
        _partial(shown, text, whole=True)  # raises why it is not a date
        raise _not_a_date(shown)
    left, right = (part.strip() for part in parts)
    if not re.search(r"\d", left) or not re.search(r"\d", right):
        raise _not_a_date(shown)
    end = _partial(shown, right)
    return _range(shown, _complete_start(shown, left, end), end)


def parse_date(value):
    """One date (a signing date) as a PartialDate of a day, a month or a
    year; a quarter or a range is refused. None for a blank cell."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return PartialDate(value.date(), DatePrecision.DAY)
    if isinstance(value, dt.date):
        return PartialDate(value, DatePrecision.DAY)
    if isinstance(value, int | float):
        return _number_date(value)
    shown = " ".join(str(value).split())
    text = _clean_date_text(value)
    if not MIXED_MARKS.search(text):
        with contextlib.suppress(ValidationError):
            return parse_partial_date(text)
    if QUARTER.fullmatch(text):
        _partial(shown, text, whole=True)  # says to write the month or the year
    found = parse_date_range(value)  # a range, or the reason it is not a date
    if found.end is not None:
        raise CellError(
            _("“%(value)s” is a period: write one date here, such as 11/6/2023, tháng 9/2023 or 2018.")
            % {"value": shown}
        )
    return PartialDate(found.start, found.precision)


# Terms ------------------------------------------------------------------------

INDEFINITE = re.compile(r"(?:khong|vo)\s+(?:co\s+)?(?:xac dinh\s+)?(?:thoi han|gioi han)|indefinite")
DURATION = re.compile(r"(\d{1,3})\s*(nam|thang|years?|months?)\b")
UNTIL = re.compile(r"^(?:(?:co\s+)?hieu luc\s+)?(?:den|toi|until)\s+(?:het\s+)?(?:ngay\s+)?")


@dataclass(frozen=True)
class Term:
    years: int | None
    months: int | None
    indefinite: bool
    until: PartialDate | None


def _not_a_term(value):
    return CellError(
        _(
            "“%(value)s” is not a term. Write a number of years or months (3 năm, 24 tháng), "
            "“không thời hạn”, or the end date (đến 31/12/2025)."
        )
        % {"value": value}
    )


def _duration(value, text):
    years = months = None
    for number, unit in DURATION.findall(text):
        if unit in ("nam", "year", "years"):
            if years is not None:
                raise _not_a_term(value)
            years = int(number)
        else:
            if months is not None:
                raise _not_a_term(value)
            months = int(number)
    if years is None and months is None:
        return None
    return Term(years, months, False, None)


def parse_term(value):
    """The term of an agreement: a number of years or months after signing,
    no term at all, or the date it runs to. None for a blank cell."""
    if _blank(value):
        return None
    if isinstance(value, dt.date | int | float) and not isinstance(value, bool):
        return Term(None, None, False, parse_date(value))
    shown = " ".join(str(value).split())
    text = _clean_date_text(value)
    if INDEFINITE.search(text):
        return Term(None, None, True, None)
    if UNTIL.match(text):
        return Term(None, None, False, _until(shown, UNTIL.sub("", text)))
    if term := _duration(shown, text):
        return term
    if re.fullmatch(r"[\d/.\s-]+|(?:thang|nam)\s.*", text):
        return Term(None, None, False, _until(shown, text))
    raise _not_a_term(shown)


def _until(shown, text):
    try:
        return parse_date(text)
    except CellError:
        raise _not_a_term(shown) from None


def _term_text(term):
    parts = []
    if term.years:
        parts.append(ngettext("%(count)s year", "%(count)s years", term.years) % {"count": term.years})
    if term.months:
        parts.append(ngettext("%(count)s month", "%(count)s months", term.months) % {"count": term.months})
    return " ".join(parts)


def _add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))  # 29/02 + 1 year -> 28/02


def expiry(term, signed):
    """When an agreement of ``term`` signed on ``signed`` (a PartialDate)
    expires: the same day N years or months later, to the signing date's
    precision (a month or a year on the first of its period). None when it
    has no term or no term was written."""
    if term is None or term.indefinite:
        return None
    if term.until is not None:
        return term.until
    if signed is None:
        raise CellError(
            _(
                "The term “%(term)s” counts from the signing date, but this row has no signing date: "
                "fill in the signing date, or write the end date as the term (đến 31/12/2025)."
            )
            % {"term": _term_text(term)}
        )
    later = _add_months(signed.date, 12 * (term.years or 0) + (term.months or 0))
    return PartialDate(_coarsen(PartialDate(later, signed.precision), signed.precision), signed.precision)


# Numbers of persons -------------------------------------------------------------

COUNT = re.compile(
    r"(\d+)\s*(?:nguoi|d/c|dc|dong chi|thanh vien|vi|nguoi/doan|persons?|people|members?)?"
    r"\s*(?:[(,:;-].*|(?:gom|trong do)\b.*)?"
)
APPROXIMATE = re.compile(
    r"\b(?:khoang|gan|tren|duoi|hon|chung|tu|toi da|it nhat|nhieu|mot so|about|around|over|some)\b|[~<>≈]|\d\s*-\s*\d"
)


def parse_count(value):
    """A number of persons, as stated: 15, "15 người", "05 đ/c", "15 người
    (gồm ...)". None for a blank cell; an estimate is refused, the register
    records the size as stated."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise _not_a_count(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return _not_negative(value, value)
    shown = " ".join(str(value).split())
    text = fold(BRACKETS.sub(" ", shown)).strip()
    if APPROXIMATE.search(text):
        raise CellError(
            _(
                "“%(value)s” is not an exact number of persons: write the number (20), "
                "or leave the cell blank and put these words in the notes."
            )
            % {"value": shown}
        )
    if re.match(r"-\s*\d", text):
        return _not_negative(shown, -1)
    if match := COUNT.fullmatch(text):
        return int(match[1])
    raise _not_a_count(shown)


def _not_a_count(value):
    return CellError(_("“%(value)s” is not a number of persons: write a whole number, such as 15.") % {"value": value})


def _not_negative(shown, number):
    if number < 0:
        raise CellError(_("“%(value)s” is below zero: write the number of persons, such as 15.") % {"value": shown})
    return number
