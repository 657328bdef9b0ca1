"""Visits an article tells without dating them: in its headline only, in a sentence that receives or
leads a delegation, or as a foreign side listed head first (reading.delegations reads them when no
sentence dates an event)."""

from __future__ import annotations

import re
from datetime import date

from reading.dates import DAY, HISTORY_YEAR, SPAN_UNTIL_NOW, YEAR, DateMention
from reading.delegations import Event, read_sentence
from reading.sides import FOREIGN, side_of


def headline_event(ctx) -> Event | None:
    """A visit the headline tells and the text never dates ("Bí thư Tỉnh ủy X thăm và làm việc tại
    tỉnh Y (Lào)", the lead with the date not given): an undated event, read from the headline."""
    if not ctx.sentences or not re.search(r"thăm|làm\s+việc|hội\s+đàm|hội\s+kiến", ctx.text[: ctx.sentences[0].end]):
        return None
    title = ctx.sentences[0]
    undated = DateMention(title.start, title.start, None, DAY, kind="undated")
    return read_sentence(ctx, title, [undated])


# "tiếp bà A, Đại sứ …" (a person received), "Lãnh đạo tỉnh Y … do đồng chí A … làm trưởng đoàn" (a visit
# named by its leadership), "Tiếp tục chuyến thăm và làm việc tại tỉnh Y, …" (a visit under way) tell one too.
_RECEIVED = re.compile(
    r"(?:tiếp|đón|tiếp\s+đón|đón\s+tiếp)\s+(?:[Đđ]oàn|ông\s|bà\s|[Nn]gài\s)"
    r"|(?:[Đđ]oàn|[Ll]ãnh\s+đạo)\s.{0,120}?\bdo\s.{0,200}?(?:làm\s+[Tt]rưởng\s+đoàn|dẫn\s+đầu)"
    r"|chuyến\s+(?:thăm|công\s+tác)(?:\s+và\s+làm\s+việc)?\s+tại\s"
    # "Trong chuyến thăm, bà X, Phó Chủ tịch UBND tỉnh A, Trưởng đoàn công tác chúc …": the head named
    # by the title she holds on the trip.
    r"|[Tt]rong\s+chuyến\s+(?:thăm|công\s+tác)\b.{0,200}?,\s*[Tt]rưởng\s+[Đđ]oàn\b"
)


def undated_event(ctx) -> Event | None:
    """A visit the article tells without a date ("Chủ tịch UBND tỉnh X tiếp Đoàn đại biểu Đại sứ quán …",
    "Đoàn cán bộ cấp cao tỉnh X do … làm Trưởng đoàn đã đến … tại tỉnh Y"), when no sentence dates one:
    the first sentence that receives or leads a delegation. When the article writes one year only, the
    visit is of that year ("… tham dự Lễ hội … năm 2022")."""
    for sentence in ctx.sentences[1:]:
        body = ctx.text[sentence.start : sentence.end]
        if not _RECEIVED.search(body):
            continue
        undated = DateMention(sentence.start, sentence.start, None, DAY, kind="undated")
        event = read_sentence(ctx, sentence, [undated])
        if event is None:
            continue
        # A year that opens a span up to now ("từ năm 2016 đến nay") or that the text looks back on ("đã ký kết
        # năm 2019") is not the visit's.
        told = HISTORY_YEAR.sub(" ", SPAN_UNTIL_NOW.sub(" ", ctx.text))
        years = set(re.findall(r"(?<![\d/.])(?:19|20)\d{2}(?![\d/])", told))
        if len(years) == 1:
            year = int(years.pop())
            event.start, event.precision, event.end = date(year, 1, 1), YEAR, None
        return event
    return _foreign_side_listed(ctx)


# "Về phía tỉnh Y, Hàn Quốc có ông X – Tỉnh trưởng; bà Z – …; cùng các thành viên trong đoàn": the foreign
# side's delegation, listed head first.
_FOREIGN_SIDE = re.compile(r"^\s*[Vv]ề\s+phía\s+([^;:]{3,80}?)\s*,?\s+(?:có|gồm)\s")
_MEMBERS = re.compile(r"cùng\s+(?:các\s+)?thành\s+viên\s+(?:trong\s+|của\s+)?[Đđ]oàn")


def _foreign_side_listed(ctx) -> Event | None:
    for sentence in ctx.sentences[1:]:
        body = ctx.text[sentence.start : sentence.end]
        side = _FOREIGN_SIDE.search(body)
        if side is None or not _MEMBERS.search(body) or side_of(side.group(1), ctx.foreign_names) != FOREIGN:
            continue
        people = [p for p in ctx.people_in(sentence.start, sentence.end) if p.start >= sentence.start + side.end() - 4]
        if not people:
            continue
        event = Event("in", None, DAY, None, people[0], None, sentence)
        event.partners = [re.split(r",\s*", side.group(1))[0]]
        return event
    return None
