"""The period a reported figure is given for: the period written in its own clause or right after the counted
noun, else the one its sentence, its paragraph or the whole short report opens with (``figures.find_figures``)."""

from __future__ import annotations

import re

from reading.dates import DAY, MONTH, YEAR, month_end

ACTIVE = re.compile(r"\b(?:[Hh]iện\s+nay|hiện\s+đang|đang\s+(?:triển\s+khai|thực\s+hiện))\b")

_HEAD_LENGTH = 12

# "Có 9 dự án mới trong năm 2018": the period written straight after the counted noun.
_PERIOD_AFTER = re.compile(r"[^,;.()\d]{0,24}?\btrong\s*$")

# "Đến nay, trên địa bàn tỉnh có 465 dự án": a stock as of now (undated when the article is), never
# the period of the sentences before.
# "toàn tỉnh hiện có 84 dự án FDI", "Đến thời điểm hiện tại, …", "Lũy kế đến nay": the same.
# "Hiện Vĩnh Phúc có 221 dự án FDI còn hiệu lực": a sentence opened by "Hiện" (now) the same.
AS_OF_NOW = re.compile(
    r"\b(?:[Đđ]ến|[Tt]ính\s+đến)\s+nay\b|\bhiện\s+có\b|\b[Đđ]ến\s+thời\s+điểm\s+hiện\s+tại\b|\b[Ll]ũy\s+kế\b"
    r"|^\s*Hiện\s"
)
# "(TBMK) – Lũy kế đến hết tháng 7/2019, …", "(BĐT) - 6 tháng đầu năm 2016, …": the publisher's mark before the
# lead is not part of its sentence.
_AGENCY_MARK = re.compile(r"\s*\(?[A-ZĐ][A-ZĐ&.\-]{1,10}\)?\s*[-–—]\s*")


def head_start(text, sentence) -> int:
    mark = _AGENCY_MARK.match(text, sentence.start, sentence.end)
    return mark.end() if mark else sentence.start


def leads_clause(text, sentence, mention) -> bool:
    """A period that opens a clause ("Cụ thể, trong 9 tháng năm 2023, …", "và trong tháng 10/2023, …",
    "Trong 10 tháng, …") rather than one inside another figure's ("viện trợ năm 2021 là …")."""
    before = text[sentence.start : mention.start]
    if re.match(r"[Tt]rong\b", text[mention.start : mention.end]) and mention.start > sentence.start:
        return text[mention.start] == "T" or bool(re.search(r"(?:[,:;]|\bvà)\s*$", before))
    before = re.sub(r"[Tt]rong\s*$", "", before)
    # "Số liệu … mới công bố thì tính đến hết tháng 11/2024, …": "thì" closes the topic; what follows opens
    # the sentence's own clause.
    return not before.strip() or bool(re.search(r"(?:[,:;(]|\bvà|\bthì)\s*$", before))


def period_of(ctx, sentence, at):
    """(start, end, precision) of the period a figure at ``at`` is given for, or Nones."""
    dates = [d for d in ctx.dates[sentence.index] if d.kind != "undated"]
    text = ctx.text
    clause_start = max(text.rfind(",", sentence.start, at), text.rfind(";", sentence.start, at), sentence.start)
    chosen = None
    for d in dates:
        if d.end <= at and (d.start >= clause_start or d.start - head_start(text, sentence) <= _HEAD_LENGTH):
            chosen = d
    if chosen is None:
        # "Cụ thể, trong 9 tháng năm 2023, Quảng Ninh đã cấp mới cho 18 dự án": the last period
        # written before the number in its sentence.
        chosen = next(
            (
                d
                for d in reversed(dates)
                if d.end <= at and (d.kind == "period" or d.precision == MONTH) and leads_clause(text, sentence, d)
            ),
            None,
        )
    if chosen is None:
        chosen = next((d for d in dates if d.start >= at and d.kind == "date" and d.precision == DAY), None)
    head = text[head_start(text, sentence) : at]
    if chosen is None and not ACTIVE.search(head) and not AS_OF_NOW.search(head):
        # "Hiện nay", "Đến nay": as of now, not the paragraph's period
        for earlier in reversed(
            [s for s in ctx.sentences if s.paragraph == sentence.paragraph and s.index < sentence.index]
        ):
            heads = [
                d
                for d in ctx.dates[earlier.index]
                if (
                    d.start - head_start(text, earlier) <= _HEAD_LENGTH
                    or (d.kind == "period" and d.precision == MONTH and leads_clause(text, earlier, d))
                )
                # "(hai tháng đầu năm 2025 chỉ đạt 113,78 triệu USD)": a period in brackets is an aside (a
                # comparison), never the period the next sentences go on with.
                and text.count("(", earlier.start, d.start) <= text.count(")", earlier.start, d.start)
            ]
            if heads:
                chosen = heads[0]
                break
        if chosen is None:
            chosen = _the_paragraph_s_one_period(ctx, sentence)
        if chosen is None:
            chosen = _the_paragraph_s_one_period(ctx, sentence, whole_text=True)
    if chosen is None:
        return None, None, DAY
    if chosen.kind == "period" and chosen.value is None and chosen.last is not None:
        # "Riêng trong năm 2022, …, tổng giá trị giải ngân thực tế đến nay đạt …": up to now, from the
        # start of the year the sentence opened with.
        year = next(
            (
                d
                for d in dates
                if d.end <= chosen.start
                and d.kind == "period"
                and d.precision == YEAR
                and d.value is not None
                and d.value.year == chosen.last.year
            ),
            None,
        )
        if year is not None:
            return year.value, chosen.last, YEAR
    if chosen.kind == "period" and chosen.value is not None and chosen.last is None:
        return chosen.value, None, chosen.precision  # "Từ tháng 8/2022 đến nay", the article undated
    last = chosen.last if chosen.last else chosen.value
    if chosen.kind == "date" and chosen.precision == MONTH and chosen.last is None:
        last = month_end(chosen.value.year, chosen.value.month)  # "trong tháng 10/2023": the month
    return chosen.value, last, chosen.precision


def _the_paragraph_s_one_period(ctx, sentence, whole_text=False):
    """ "Theo đánh giá, dù khối lượng công việc 6 tháng đầu năm tương đối nhiều … Đã có 9 đoàn khách …": a
    paragraph that reviews one period, named once in an earlier sentence (not at its head), counts for it.
    ``whole_text``: the same for a short report whose headline, lead and captions all name one period ("Thu hút
    5 dự án FDI trong tháng 1", "… trong tháng 1, thu hút … đạt 21,4 triệu USD", then "Tỉnh thu hút 5 dự án
    mới …" on a line of its own)."""
    earlier = [
        s for s in ctx.sentences if (whole_text or s.paragraph == sentence.paragraph) and s.index < sentence.index
    ]
    named = [
        d
        for s in earlier
        for d in ctx.dates[s.index]
        if d.kind == "period"
        # the whole text's one period is named outright, not in brackets (an aside, a comparison)
        and (
            not whole_text
            or (d.value and ctx.text.count("(", s.start, d.start) <= ctx.text.count(")", s.start, d.start))
        )
    ]
    spans = {(d.value, d.last) for d in named}
    others = [d for s in earlier for d in ctx.dates[s.index] if d.kind != "period"]
    return named[0] if len(spans) == 1 and not others else None


def in_year(day, year):
    if day is None:
        return None
    return month_end(year, day.month) if day.day == month_end(day.year, day.month).day else day.replace(year=year)


def period_after(ctx, sentence, unit_end):
    """ "9 dự án mới trong năm 2018": a period written just after the counted noun, in its clause."""
    for d in ctx.dates[sentence.index]:
        if d.kind == "period" and d.start >= unit_end and _PERIOD_AFTER.fullmatch(ctx.text[unit_end : d.start]):
            last = d.last if d.last else d.value
            return d.value, last, d.precision
    return None
