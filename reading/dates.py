"""Dates as Vietnamese news prose writes them, resolved against the article's own date.

Two things live here:

- ``article_reference(text, url, published)``: the date a year-less "Ngày 21/1" is read against
  (the ``--published`` date; else a dateline in the text; else a date in the URL; else a year the
  text itself attaches to the event: the programme it attends, the anniversary it marks). Unknown
  stays unknown: nothing is invented.
- ``find_dates(text, start, end, ref)``: every date or period written in ``text[start:end]``, with
  its span and precision (day, month, year), relative forms ("Ngày mai (30/1)", "chiều cùng ngày")
  resolved against ``ref``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

DAY, MONTH, YEAR = "day", "month", "year"

_Y = r"((?:19|20)\d{2})"
_D = r"(\d{1,2})"
_M = r"(\d{1,2})"
_SEP = r"[/.\-]"


@dataclass(frozen=True)
class Reference:
    """What year-less dates are read against: a date and how much of it is known."""

    day: date | None
    precision: str = DAY  # of ``day``: a URL's "/201912/" is known to the month only
    source: str = ""  # "published", "dateline", "url", "text"

    @property
    def year(self) -> int | None:
        return self.day.year if self.day else None


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: date | None
    precision: str
    last: date | None = None  # the end of a range or period ("từ ngày 3 đến 5/4"), else None
    kind: str = "date"  # "date" | "period" | "relative" | "undated" (a day and month, no year known)
    returning: bool = False


def make_date(year, month, day):
    try:
        return date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None


def month_end(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


# ---- the article's own date -------------------------------------------------------------------

_DATELINES = [
    re.compile(r"(?:Thứ\s+\w+|Chủ\s+nhật)\s*[,\-–]\s*" + _D + "/" + _M + "/" + _Y),
    re.compile(r"\b\d{1,2}:\d{2}\s*[|,\-–]\s*" + _D + "/" + _M + "/" + _Y),
    re.compile(r"\b" + _D + "/" + _M + "/" + _Y + r"\s*[|,\-–]?\s*\d{1,2}:\d{2}\b"),
]
_URL_DAY = re.compile(r"[-/_]((?:19|20)\d{2})(\d{2})(\d{2})(?:\d{4,12})?(?=[./_-]|$)")
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})(\d{2})/")
# A year the text attaches to the event: the programme it attends ("Gặp gỡ đầu Xuân 2024"), an
# anniversary it marks ("(1930-2023)", "(2/9/1945 - 2/9/2025)"), "năm 2024" in the title or lead.
_PROGRAMME_YEAR = re.compile(r"[Xx]uân\s+(?:năm\s+)?" + _Y + r"\b")
_ANNIVERSARY = re.compile(r"\(\s*(?:\d{1,2}/\d{1,2}/)?(?:19|20)\d{2}\s*[-–]\s*(?:\d{1,2}/\d{1,2}/)?" + _Y + r"\s*\)")
_YEAR_WORD = re.compile(r"\bnăm\s+" + _Y + r"\b")
# "Trong 15 năm qua (1996-2011)", "giai đoạn (2012-2016)": a bracketed span of years that is a
# period, not an anniversary.
_SPAN_BEFORE = re.compile(r"(?:năm\s+qua|giai\s+đoạn|thời\s+kỳ|trong\s+\d{1,2}\s+năm)\s*$", re.IGNORECASE)


def article_reference(text: str, url: str | None = None, published: date | None = None) -> Reference:
    if published:
        return Reference(published, DAY, "published")
    for pattern in _DATELINES:
        match = pattern.search(text)
        if match and (day := make_date(match.group(3), match.group(2), match.group(1))):
            return Reference(day, DAY, "dateline")
    if url:
        match = _URL_DAY.search(url)
        if match and (day := make_date(*match.groups())):
            return Reference(day, DAY, "url")
        match = _URL_MONTH.search(url)
        if match and (day := make_date(match.group(1), match.group(2), 1)):
            return Reference(day, MONTH, "url")
    years = [int(m.group(1)) for m in _PROGRAMME_YEAR.finditer(text)]
    years += [int(m.group(1)) for m in _ANNIVERSARY.finditer(text[:1500]) if not _SPAN_BEFORE.search(text[: m.start()])]
    # A year that opens a span running up to now ("Từ năm 2020 đến nay, tỉnh đã nhận …") is when the
    # span began, not the year the article was written in.
    outside = SPAN_UNTIL_NOW.sub(lambda m: " " * len(m.group(0)), text)
    # "biên bản hợp tác đã ký kết năm 2019", "Từ tháng 11/2019 đến năm 2021, tỉnh A đã cử 1 đoàn": a year told
    # as when a past act was signed, or as the end of a span the text looks back on, is history, not the
    # article's year.
    outside = HISTORY_YEAR.sub(lambda m: " " * len(m.group(0)), outside)
    years += [int(m.group(1)) for m in _YEAR_WORD.finditer(_title_and_lead(outside))]
    if years:
        return Reference(date(max(years), 1, 1), YEAR, "text")
    # An article that names one year only, whatever it says of it ("tình hình … năm 2024"), is of
    # that year; two or more (history, plans) leave a year-less day undated, unless the latest is a
    # quarter the text reviews ("tình hình … năm 2023 và quý I/2024"): a review of the last quarter
    # is written in the year it ends.
    # "tăng 196% so với cùng kỳ 2020": the same period of the year before the one the article reports.
    outside = _SAME_PERIOD_YEAR.sub(lambda m: m.group(0).replace(m.group(1), str(int(m.group(1)) + 1)), outside)
    written = {int(y) for y in re.findall(r"(?<![\d/.])(?:19|20)\d{2}(?![\d/])", outside)}
    quarters = {int(m.group(2)) for m in _QUARTER.finditer(text)}
    if quarters and max(quarters) >= max(written | quarters):
        return Reference(date(max(quarters), 1, 1), YEAR, "text")
    if len(written) == 1:
        return Reference(date(written.pop(), 1, 1), YEAR, "text")
    return Reference(None, DAY, "")


HISTORY_YEAR = re.compile(
    r"\bđã\s+(?:được\s+)?ký(?:\s+kết)?\b[^,;.]{0,40}?\bnăm\s+(?:19|20)\d{2}\b"
    r"|\b[Tt]ừ\s+(?:tháng\s+\d{1,2}\s*/\s*)?(?:năm\s+)?(?:19|20)\d{2}\s+(?:đến|tới)\s+(?:hết\s+)?năm\s+(?:19|20)\d{2}"
    r"(?=[^.;]*\bđã\b)"
)
_SAME_PERIOD_YEAR = re.compile(r"cùng\s+kỳ\s+(?:năm\s+)?((?:19|20)\d{2})\b", re.IGNORECASE)


def _title_and_lead(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    lead = lines[1] if len(lines) > 1 else ""
    return lines[0] + "\n" + re.split(r"(?<=[.!?])\s", lead, maxsplit=1)[0]


def explicit_years(text: str) -> dict[int, int]:
    """Month -> year of the dates written with their year ("15/6/2024"): a year-less "15/6" of the
    same article, with no other reference, is read in that year."""
    found: dict[int, int] = {}
    for match in re.finditer(r"\b\d{1,2}" + _SEP + _M + _SEP + _Y + r"\b", text):
        found.setdefault(int(match.group(1)), int(match.group(2)))
    for match in re.finditer(r"tháng\s+" + _M + r"\s*(?:/|năm)\s*" + _Y, text):
        found.setdefault(int(match.group(1)), int(match.group(2)))
    return found


# ---- dates in a sentence ----------------------------------------------------------------------

_RANGE_DAYS = re.compile(
    r"(?:từ\s+)?ngày\s+"
    + _D
    + r"(?:"
    + _SEP
    + _M
    # "ngày 10, 11 và 12/6": the first day to the last
    + r")?(?:\s*,\s*\d{1,2})*\s*(?:đến(?:\s+(?:hết\s+)?ngày)?|[-–]|và)\s*"
    + _D
    + _SEP
    + _M
    + r"(?:"
    + _SEP
    + _Y
    + r")?\b",
    re.IGNORECASE,
)
_BARE_RANGE = re.compile(
    r"(?<![\d/.])" + _D + "/" + _M + r"\s*(?:đến|[-–])\s*" + _D + "/" + _M + r"(?:/" + _Y + r")?(?![\d/])"
)
_TWO_DAYS = re.compile(r"\b" + _D + r"\.(\d{1,2})\s+và\s+" + _D + r"\.(\d{1,2})\b")
_FULL = re.compile(r"(?<![\d/.])" + _D + _SEP + _M + _SEP + _Y + r"(?![\d/])")
_WORDS_FULL = re.compile(r"ngày\s+" + _D + r"\s+tháng\s+" + _M + r"\s+năm\s+" + _Y, re.IGNORECASE)
# "ngày 12 tháng 3" with no year: the article's year, as "ngày 12/3".
_WORDS_DAY_MONTH = re.compile(r"ngày\s+" + _D + r"\s+tháng\s+" + _M + r"(?!\s*(?:năm|/)\s*\d)(?!\d)", re.IGNORECASE)
_DAY_MONTH = re.compile(r"(?<![\d/.\-–])" + _D + r"(/|\.|-)" + _M + r"(?![\d/]|[.\-–]\d)")
_MONTH_YEAR = re.compile(r"tháng\s+" + _M + r"\s*(?:/|năm|\.|-)\s*" + _Y, re.IGNORECASE)
_MONTH_EDGE = re.compile(r"(cuối|đầu|giữa)\s+tháng\s+" + _M + r"(?!\s*(?:/|năm|\.)\s*\d)", re.IGNORECASE)
_SAME_DAY = re.compile(r"cùng\s+ngày", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(hôm\s+nay|sáng\s+nay|chiều\s+nay|tối\s+nay|ngày\s+mai|hôm\s+qua)\b", re.IGNORECASE)
# Periods: "Từ năm 2021 đến hết quý I/2024", "giai đoạn 2019 - 2025", "6 tháng đầu năm 2021",
# "Tính từ năm 2005 đến tháng 6/2012", "đến hết năm 2012", "trong 5 năm", "năm 2021".
_PERIOD_SPAN = re.compile(
    r"(?:giai\s+đoạn|từ\s+năm|thời\s+kỳ|nhiệm\s+kỳ)\s+(?:năm\s+)?" + _Y + r"\s*(?:[-–]|đến(?:\s+hết)?(?:\s+năm)?)\s*"
    r"(?:(quý\s+[IV]+|tháng\s+\d{1,2})\s*(?:/|năm)\s*)?" + _Y,
    re.IGNORECASE,
)
# "Từ tháng 11/2019 đến năm 2021", "từ tháng 8/2022 đến hết tháng 6/2024": from the first month's first day to the
# end of the year, or of the month, it runs to.
_MONTH_SPAN = re.compile(
    r"[Tt]ừ\s+tháng\s+" + _M + r"\s*(?:/|năm|-)\s*" + _Y + r"\s+(?:đến|tới)\s+(?:hết\s+|cuối\s+)?"
    r"(?:năm\s+" + _Y + r"|tháng\s+" + _M + r"\s*(?:/|năm|-)\s*" + _Y + r")"
)
# The count of months is written in digits or, as small numbers often are, in words: "sáu tháng đầu năm 2017".
_COUNT_WORDS = {
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười một": 11,
    "mười hai": 12,
}
# "năm" (five) is left out where it could be the year's "năm": "năm tháng đầu năm" is rare, "tháng năm" common.
_COUNT = r"(\d{1,2}|mười\s+một|mười\s+hai|hai|ba|bốn|sáu|bảy|tám|chín|mười)"
_HALF_YEAR = re.compile(_COUNT + r"\s+tháng\s+(đầu|cuối)\s+năm\s+" + _Y, re.IGNORECASE)
# "trong 9 tháng năm 2023": the first nine months; "Trong 10 tháng", "6 tháng đầu năm nay", "Nửa đầu
# năm nay": the first months of the article's own year.
_FIRST_MONTHS = re.compile(r"(?<!\d\s)(\d{1,2})\s+tháng\s+(?:đầu\s+)?năm\s+" + _Y, re.IGNORECASE)
# "6 tháng đầu năm, …" with no year, and "Sáu tháng đầu năm" (a number opening a sentence is written
# in words): the first months of the article's year as well.
# The count may be written in words, in either case: "Trong hai tháng đầu năm nay", "Sáu tháng đầu năm".
_FIRST_MONTHS_NOW = re.compile(
    r"(?:[Tt]rong|[Ss]au)\s+" + _COUNT + r"\s+tháng(?:\s+đầu\s+năm(?:\s+nay)?)?(?!\s+(?:đầu\s+|cuối\s+)?năm\s+\d)"
    r"|(?<![\wÀ-ỹ])" + _COUNT + r"\s+tháng\s+đầu\s+năm(?:\s+nay)?(?!\s*\d)|([Nn])ửa\s+đầu\s+năm(?:\s+nay)?(?!\s+\d)",
    re.IGNORECASE,
)
# "trong tháng 1" with no year: that month of the article's year (a month reported on, as a period).
_IN_MONTH = re.compile(r"\btrong\s+tháng\s+" + _M + r"(?!\s*(?:/|năm|\.|-)\s*\d)(?![\d/])", re.IGNORECASE)
# "Từ tháng 8/2022 đến nay": from the month to the article's date (open when that is unknown).
_FROM_MONTH_UNTIL_NOW = re.compile(r"[Tt]ừ\s+tháng\s+" + _M + r"\s*(?:/|năm)\s*" + _Y + r"\s+(?:đến|tới)\s+nay")
# "Quý I/2024"; the tone mark is often set on the "u" instead ("Qúy I/2024"), the same word.
_QUARTER = re.compile(r"q(?:uý|úy)\s+(I{1,3}|IV)\s*(?:/|năm)\s*" + _Y, re.IGNORECASE)
# "Trong quý I, …" with no year: that quarter of the article's year.
_QUARTER_NOW = re.compile(r"\bq(?:uý|úy)\s+(I{1,3}|IV)\b(?!\s*(?:/|năm|-)\s*\d)", re.IGNORECASE)
# "nửa đầu năm 2024", "nửa cuối năm 2023": a half-year.
_HALF_NAMED = re.compile(r"\bnửa\s+(đầu|cuối)\s+năm\s+" + _Y, re.IGNORECASE)
_SINCE_UNTIL_NOW = re.compile(
    r"(?:(?:tính\s+)?từ\s+(?:(?:năm\s+)?" + _Y + r"|(đầu\s+năm)(?:\s+nay)?)\s+)?(?:tính\s+)?đến\s+nay", re.IGNORECASE
)
# "Đầu năm 2016 đến nay", "Từ đầu năm 2024 đến nay": from 1 January of the year named to the article's date.
_YEAR_START_UNTIL_NOW = re.compile(r"(?:[Tt]ừ\s+)?(?:[Đđ]ầu|[Kk]hởi\s+đầu)\s+năm\s+" + _Y + r"\s+(?:đến|tới)\s+nay")
# "Tính đến cuối tháng 12/2018", "Đến hết tháng 11-2015", "Tính đến thời điểm ngày 20/9/2019": a
# stock counted up to the end of that month or that day (the start is not stated).
_UNTIL_MONTH = re.compile(
    r"(?:[Tt]ính\s+đến|[Đđ]ến\s+(?:hết|cuối))\s+(?:thời\s+điểm\s+)?(?:(?:cuối|hết)\s+)?tháng\s+"
    + _M
    + r"\s*(?:/|-|năm)\s*"
    + _Y
)
# "tính từ đầu năm đến ngày 15/8", "đến ngày 15/8" with no year: from the start of the article's year, or a stock,
# up to that day.
_YEAR_START_UNTIL_DAY = re.compile(
    r"(?:[Tt]ính\s+)?(?:(?P<from>[Tt]ừ\s+đầu\s+năm(?:\s+nay)?)\s+)?(?:đến|tới)\s+(?:hết\s+)?ngày\s+"
    + _D
    + "/"
    + _M
    + r"(?![/\d])"
)
# "Tính đến hết quý II/2023": a stock up to the quarter's end; "Từ đầu năm đến hết tháng 9" (the year the article's,
# or written): from 1 January to that month's end.
_UNTIL_QUARTER = re.compile(
    r"(?:[Tt]ính\s+đến|[Đđ]ến)\s+(?:hết\s+|cuối\s+)?q(?:uý|úy)\s+(I{1,3}|IV)\s*(?:/|năm|-)\s*" + _Y, re.IGNORECASE
)
_YEAR_START_UNTIL_MONTH = re.compile(
    r"[Tt]ừ\s+đầu\s+năm(?:\s+nay)?\s+(?:đến|tới)\s+(?:hết\s+|cuối\s+)?tháng\s+"
    + _M
    + r"(?:\s*(?:/|năm|-)\s*"
    + _Y
    + r")?"
    r"(?![\d/])"
)
_UNTIL_DAY = re.compile(r"[Tt]ính\s+đến\s+(?:hết\s+)?(?:thời\s+điểm\s+)?(?:ngày\s+)?" + _D + "/" + _M + "/" + _Y)
_LAST_YEARS_SPAN = re.compile(
    r"trong\s+\d{1,2}\s+năm(?:\s+qua)?\s*\(\s*" + _Y + r"\s*[-–]\s*" + _Y + r"\s*\)", re.IGNORECASE
)
_UNTIL_YEAR = re.compile(r"(?:đến\s+(?:hết\s+)?|tính\s+đến\s+(?:hết\s+)?)năm\s+" + _Y, re.IGNORECASE)
# "Năm qua, Sở Ngoại vụ đã …": a year's review opened with "last year", written early in the next one
# ("15 năm qua", "những năm qua" are spans, not the last year).
_LAST_YEAR = re.compile(r"(?<![\w\d]\s)(?<!\w)(?:[Tt]rong\s+)?[Nn]ăm\s+qua(?=\s*,)")
_LAST_YEARS = re.compile(r"trong\s+(\d{1,2})\s+năm(?:\s+qua)?\b", re.IGNORECASE)
_YEAR = re.compile(r"\bnăm\s+" + _Y + r"\b", re.IGNORECASE)
# "cam kết trong năm là 2,284 triệu USD": the year the sentence is about (its other date), else the article's.
_IN_THE_YEAR = re.compile(r"\btrong\s+năm(?!\s+(?:nay|qua|tới|sau|trước|\d))\b", re.IGNORECASE)
SPAN_UNTIL_NOW = re.compile(r"[Tt]ừ\s+(?:năm\s+)?(?:19|20)\d{2}\s+(?:đến|tới)\s+nay")
_COMPARED = re.compile(r"(?:so\s+với|cùng\s+kỳ)[^,;.]*$", re.IGNORECASE)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def _count(word: str) -> int:
    word = re.sub(r"\s+", " ", word.lower())
    return _COUNT_WORDS[word] if word in _COUNT_WORDS else int(word)


def _year_for(month: int, ref: Reference, years: dict[int, int]) -> int | None:
    if ref.day is None:
        return years.get(month)
    if ref.precision == DAY and month - ref.day.month > 6:
        return ref.day.year - 1  # "Ngày 28/12" read in a January paper
    return ref.day.year


def _quarter_end(quarter: str, year: int) -> date:
    return month_end(year, _ROMAN[quarter.upper()] * 3)


def find_dates(text: str, start: int, end: int, ref: Reference, years=None, previous=None) -> list[DateMention]:
    """Dates and periods written in ``text[start:end]``, in order; ``previous`` is the last date
    resolved before (for "cùng ngày")."""
    years = years or {}
    part = text[start:end]
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a, b):
        return all(b <= s or a >= e for s, e in taken)

    def add(match, value, precision, last=None, kind="date", group=0):
        a, b = match.span(group)
        if value is None or not free(a, b):
            return
        taken.append((a, b))
        found.append(DateMention(start + a, start + b, value, precision, last, kind))

    for m in _ANNIVERSARY.finditer(part):
        # "Nhân dịp kỷ niệm 55 năm … (5/9/1962 - 5/9/2017), ngày 19/7, …": the dates of the anniversary
        # are not the event's (its year dates the article, see ``article_reference``).
        if not _SPAN_BEFORE.search(part[: m.start()]):
            taken.append(m.span())
    for m in _YEAR_START_UNTIL_MONTH.finditer(part):
        month = int(m.group(1))
        year = int(m.group(2)) if m.group(2) else (_year_for(month, ref, years) if 1 <= month <= 12 else None)
        if year is not None and 1 <= month <= 12:
            add(m, date(year, 1, 1), MONTH, month_end(year, month), "period")
    for m in _MONTH_SPAN.finditer(part):
        first = make_date(m.group(2), m.group(1), 1)
        if m.group(3):
            stop = date(int(m.group(3)), 12, 31)
        else:
            stop = month_end(int(m.group(5)), int(m.group(4))) if 1 <= int(m.group(4)) <= 12 else None
        if first is not None and stop is not None and first <= stop:
            add(m, first, MONTH, stop, "period")
    for m in _PERIOD_SPAN.finditer(part):
        first = make_date(m.group(1), 1, 1)
        last_year = int(m.group(3))
        stop = date(last_year, 12, 31)
        if m.group(2):
            word = m.group(2).split()
            stop = _quarter_end(word[1], last_year) if word[0].lower() == "quý" else month_end(last_year, int(word[1]))
        add(m, first, YEAR, stop, "period")
    for m in _UNTIL_QUARTER.finditer(part):
        # after the spans: "Từ năm 2021 đến hết quý I/2024" is a span from 2021, not a stock
        if free(*m.span()):
            taken.append(m.span())
            last = _quarter_end(m.group(1), int(m.group(2)))
            found.append(DateMention(start + m.start(), start + m.end(), None, MONTH, last, "period"))
    for m in _HALF_YEAR.finditer(part):
        months = _count(m.group(1))
        edge, year = m.group(2).lower(), int(m.group(3))
        if not 1 <= months <= 12:
            continue
        first = date(year, 1, 1) if edge == "đầu" else date(year, 13 - months, 1)
        stop = month_end(year, months) if edge == "đầu" else date(year, 12, 31)
        add(m, first, MONTH, stop, "period")
    for m in _FIRST_MONTHS.finditer(part):
        months, year = int(m.group(1)), int(m.group(2))
        if 1 <= months <= 12:
            add(m, date(year, 1, 1), MONTH, month_end(year, months), "period")
    for m in _FIRST_MONTHS_NOW.finditer(part):
        months = 6 if m.group(3) else _count(m.group(1) or m.group(2))
        if ref.day is not None and 1 <= months <= 12:
            add(m, date(ref.year, 1, 1), MONTH, month_end(ref.year, months), "period")
    for m in _IN_MONTH.finditer(part):
        month = int(m.group(1))
        year = _year_for(month, ref, years) if 1 <= month <= 12 else None
        if year is not None:
            add(m, date(year, month, 1), MONTH, month_end(year, month), "period")
    for m in _FROM_MONTH_UNTIL_NOW.finditer(part):
        first = make_date(m.group(2), m.group(1), 1)
        now = ref.day if ref.day is not None and ref.precision == DAY else None
        if first is not None and free(*m.span()):
            taken.append(m.span())
            found.append(DateMention(start + m.start(), start + m.end(), first, MONTH, now, "period"))
    for m in _QUARTER.finditer(part):
        year, q = int(m.group(2)), _ROMAN[m.group(1).upper()]
        add(m, date(year, q * 3 - 2, 1), MONTH, _quarter_end(m.group(1), year), "period")
    for m in _QUARTER_NOW.finditer(part):
        q = _ROMAN[m.group(1).upper()]
        year = _year_for(q * 3, ref, years)
        if year is not None:
            add(m, date(year, q * 3 - 2, 1), MONTH, _quarter_end(m.group(1), year), "period")
    for m in _HALF_NAMED.finditer(part):
        year = int(m.group(2))
        first, stop = (1, 6) if m.group(1).lower() == "đầu" else (7, 12)
        add(m, date(year, first, 1), MONTH, month_end(year, stop), "period")
    for m in _YEAR_START_UNTIL_NOW.finditer(part):
        if ref.day is not None and ref.precision == DAY and int(m.group(1)) == ref.day.year:
            add(m, date(ref.day.year, 1, 1), YEAR, ref.day, "period")
    for m in _SINCE_UNTIL_NOW.finditer(part):
        if ref.day is not None and ref.precision == DAY and free(*m.span()):
            a, b = m.span()
            taken.append((a, b))
            first = date(int(m.group(1)), 1, 1) if m.group(1) else None
            if m.group(2):  # "Từ đầu năm đến nay": from 1 January of the article's year
                first = date(ref.day.year, 1, 1)
            found.append(DateMention(start + a, start + b, first, YEAR, ref.day, "period"))
    for m in _LAST_YEAR.finditer(part):
        if ref.year is not None:
            year = ref.year - 1
            add(m, date(year, 1, 1), YEAR, date(year, 12, 31), "period")
    for m in _UNTIL_YEAR.finditer(part):
        year = int(m.group(1))
        a, b = m.span()
        if free(a, b):
            taken.append((a, b))
            found.append(DateMention(start + a, start + b, None, YEAR, date(year, 12, 31), "period"))
    for m in _UNTIL_MONTH.finditer(part):
        if free(*m.span()):
            taken.append(m.span())
            last = month_end(int(m.group(2)), int(m.group(1))) if 1 <= int(m.group(1)) <= 12 else None
            found.append(DateMention(start + m.start(), start + m.end(), None, MONTH, last, "period"))
    for m in _UNTIL_DAY.finditer(part):
        day = make_date(m.group(3), m.group(2), m.group(1))
        if day is not None and free(*m.span()):
            taken.append(m.span())
            found.append(DateMention(start + m.start(), start + m.end(), None, DAY, day, "period"))
    for m in _YEAR_START_UNTIL_DAY.finditer(part):
        month = int(m.group(3))
        year = _year_for(month, ref, years) if 1 <= month <= 12 else None
        day = make_date(year, month, m.group(2)) if year is not None else None
        if day is not None and free(*m.span()):
            taken.append(m.span())
            first = date(year, 1, 1) if m.group("from") else None
            found.append(DateMention(start + m.start(), start + m.end(), first, DAY, day, "period"))
    for m in _LAST_YEARS_SPAN.finditer(part):
        add(m, date(int(m.group(1)), 1, 1), YEAR, date(int(m.group(2)), 12, 31), "period")
    for m in _LAST_YEARS.finditer(part):
        if ref.day is not None and free(*m.span()):
            n = int(m.group(1))
            add(m, date(ref.day.year - n + 1, 1, 1), YEAR, date(ref.day.year, 12, 31), "period")
    for m in _RANGE_DAYS.finditer(part):
        month = int(m.group(4))
        year = int(m.group(5)) if m.group(5) else _year_for(month, ref, years)
        if year is None:
            continue
        first = make_date(year, int(m.group(2) or month), m.group(1))
        add(m, first, DAY, make_date(year, month, m.group(3)))
    for m in _BARE_RANGE.finditer(part):
        month = int(m.group(4))
        year = int(m.group(5)) if m.group(5) else _year_for(month, ref, years)
        if year is not None:
            add(m, make_date(year, m.group(2), m.group(1)), DAY, make_date(year, month, m.group(3)))
    for m in _TWO_DAYS.finditer(part):
        month = int(m.group(2))
        year = _year_for(month, ref, years)
        if year is not None and m.group(2) == m.group(4):
            add(m, make_date(year, month, m.group(1)), DAY, make_date(year, month, m.group(3)))
    for m in _WORDS_FULL.finditer(part):
        add(m, make_date(m.group(3), m.group(2), m.group(1)), DAY)
    for m in _FULL.finditer(part):
        add(m, make_date(m.group(3), m.group(2), m.group(1)), DAY)
    for m in _WORDS_DAY_MONTH.finditer(part):
        month = int(m.group(2))
        year = _year_for(month, ref, years) if 1 <= month <= 12 else None
        if year is not None:
            add(m, make_date(year, month, m.group(1)), DAY)
    for m in _MONTH_YEAR.finditer(part):
        add(m, make_date(m.group(2), m.group(1), 1), MONTH)
    for m in _MONTH_EDGE.finditer(part):
        month = int(m.group(2))
        year = _year_for(month, ref, years)
        if year is not None:
            add(m, make_date(year, month, 1), MONTH)
    for m in _DAY_MONTH.finditer(part):
        day, month = int(m.group(1)), int(m.group(3))
        if m.group(2) in ".-" and not re.search(r"(?:ngày|sáng|chiều|tối|trưa)\s*$", part[: m.start()], re.I):
            continue  # "1.000", "2.8 triệu", "20-30": a dotted or dashed day ("Sáng 3-11") needs "ngày",
            # "sáng", "chiều" before it
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        year = _year_for(month, ref, years)
        if year is None and free(*m.span()):
            # "Sáng 31/8" with no year anywhere: an event on an unknown date, never a guessed year.
            taken.append(m.span())
            found.append(DateMention(start + m.start(), start + m.end(), None, DAY, kind="undated"))
            continue
        add(m, make_date(year, month, day), DAY)
    for m in _SAME_DAY.finditer(part):
        if previous is not None:
            add(m, previous, DAY, kind="relative")
    for m in _RELATIVE.finditer(part):
        if ref.day is not None and ref.precision == DAY and not _parenthesised_date_after(part, m.end()):
            shift = {"mai": 1, "qua": -1}.get(m.group(1).split()[-1].lower(), 0)
            add(m, ref.day + timedelta(days=shift), DAY, kind="relative")
    for m in _YEAR.finditer(part):
        if not _COMPARED.search(part[: m.start()]):
            year = int(m.group(1))
            add(m, date(year, 1, 1), YEAR, date(year, 12, 31), "period")
    for m in _IN_THE_YEAR.finditer(part):
        known = [d for d in found if (d.value or d.last) and d.kind != "undated"]
        year = (known[0].value or known[0].last).year if known else (ref.year if ref.precision == DAY else None)
        if year is not None:
            add(m, date(year, 1, 1), YEAR, date(year, 12, 31), "period")
    found.sort(key=lambda d: d.start)
    return found


def _parenthesised_date_after(part: str, at: int) -> bool:
    return re.match(r"\s*\(\s*\d{1,2}[/.]\d{1,2}", part[at:]) is not None


def with_last(mention: DateMention, last: date | None) -> DateMention:
    return replace(mention, last=last)
