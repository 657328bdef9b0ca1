"""Whose side a person is on, and the head of a visit read from who receives whom ("tại tỉnh Y (Lào), A,
Tỉnh trưởng …, tiếp B, Chủ tịch UBND tỉnh X": B leads our visit out), for reading.delegations."""

from __future__ import annotations

import re

from reading.people import HONORIFIC
from reading.sides import CENTRAL, FOREIGN, OURS, side_of

# "đã đến chào xã giao lãnh đạo tỉnh X": a courtesy call is a meeting too.
MEET = re.compile(
    r"(?:tiếp|đón\s+tiếp|tiếp\s+đón|đón|hội\s+đàm|hội\s+kiến|làm\s+việc|chào\s+xã\s+giao|gặp(?:\s+gỡ)?\s+(?:với|đồng\s+chí))",
    re.IGNORECASE,
)
_PERSON_SIDE = re.compile(r"[Vv]ề\s+phía\s+([^,;]+?)\s+(?:có|là)\b")
# "Đoàn đại biểu Bộ đội Biên phòng khu vực Mông Tự do Đại tá X, Chính ủy làm Trưởng đoàn", "Phía Trung
# Quốc, X, Trạm trưởng … làm trưởng đoàn": a head whose own title names no side is on the side of the
# delegation he is said to lead, or of the side the clause opens with.
_LED_BY = re.compile(
    rf"(?:[Đđ]oàn\s+(?:đại\s+biểu|công\s+tác)?\s*([^,;.]{{3,80}}?)\s+do|[Pp]hía\s+([^,;.]{{2,40}}?)\s*,)\s*(?:{HONORIFIC}\s+)?$"
)


def person_side(person, text, sentence_start, foreign_names) -> str | None:
    before = text[sentence_start : person.start]
    said = list(_PERSON_SIDE.finditer(before))
    if said:
        phrase = re.split(r"\s+giáp\s+", said[-1].group(1))[0]
        if re.search(r"Trung\s+ương", phrase):
            return CENTRAL
        if "Việt Nam" in phrase:
            return OURS
        return side_of(phrase, foreign_names)
    led = _LED_BY.search(before)
    if led and (side := side_of(led.group(1) or led.group(2), foreign_names)) is not None:
        return side
    return side_of(person.title, foreign_names) if person.title else None


def our_subject(ctx, sentence, people):
    """The person of our side who is the subject of a meeting abroad: "Sáng 8/11, tại tỉnh Vân Nam
    (Trung Quốc) Chủ tịch UBND tỉnh X đã có buổi hội đàm với bà Y" (X leads a visit out)."""
    if not people or MEET.search(ctx.text, people[0].end, sentence.end) is None:
        return None
    first = people[0]
    return first if person_side(first, ctx.text, sentence.start, ctx.foreign_names) == OURS else None


def received_abroad(ctx, body, people, sentence):
    """ "Chiều 03/12, tại thị xã Sầm Nưa, tỉnh Hủa Phăn, …, đồng chí A, Tỉnh trưởng tỉnh Hủa Phăn, đã có buổi tiếp
    thân mật đồng chí B, …, Chủ tịch UBND tỉnh X đang có chuyến thăm …": abroad, the host is theirs and the
    person received is ours, who leads our visit there."""
    meet = re.search(r"\btiếp(?:\s+thân\s+mật|\s+xã\s+giao|\s+đón)?\s", body)
    if meet is None:
        return None
    before = [p for p in people if p.start < sentence.start + meet.start()]
    after = [p for p in people if p.start >= sentence.start + meet.end() - 1]
    sides = ctx.text, sentence.start, ctx.foreign_names
    if not before or not after or person_side(before[-1], *sides) != FOREIGN:
        return None
    return after[0] if person_side(after[0], *sides) != FOREIGN else None


def foreign_received(ctx, body, people, sentence):
    """ "Bí thư Tỉnh ủy X tiếp bà A, Đại sứ … Lào tại Việt Nam", "Lãnh đạo tỉnh Y … do đồng chí A, … làm trưởng
    đoàn đã đến chào xã giao …": with no delegation named, the foreign person received, or said to lead,
    heads the visit."""
    meet = MEET.search(body)
    led = re.search(r"\bdo\s", body)
    marks = [m.end() for m in (meet, led) if m is not None]
    for person in people:
        if any(person.start >= sentence.start + mark - 1 for mark in marks) and (
            person_side(person, ctx.text, sentence.start, ctx.foreign_names) == FOREIGN
        ):
            return person
    return None


_ON_A_TRIP = re.compile(r"^\s*[Tt]rong\s+chuyến\s+(?:thăm|công\s+tác)\b")


def head_on_a_trip(ctx, body, people, sentence):
    """ "Trong chuyến thăm, bà X, Phó Chủ tịch UBND tỉnh A, Trưởng đoàn công tác chúc … nhân dân các tỉnh Takeo,
    Kampong Chhnang và Kandal …": our head of delegation, named by the title held on a trip abroad (the
    sentence or the headline names the foreign side)."""
    if not _ON_A_TRIP.search(body):
        return None
    text, foreign_names = ctx.text, ctx.foreign_names
    headline = text[ctx.sentences[0].start : ctx.sentences[0].end] if ctx.sentences[0] is not sentence else ""
    for person in people:
        if not re.search(r"[Tt]rưởng\s+[Đđ]oàn(?:\s+(?:công\s+tác|đại\s+biểu))?$", person.title):
            continue
        if person_side(person, text, sentence.start, foreign_names) == FOREIGN:
            continue
        if FOREIGN in (side_of(text[person.end : sentence.end], foreign_names), side_of(headline, foreign_names)):
            return person
    return None


# "Trong chuyến thăm Lào từ ngày 2-4/8, Bí thư Tỉnh ủy X đã hội kiến …": the trip is to the place named after
# "chuyến thăm / công tác"; when that is foreign and the sentence's first person is ours, the visit is ours, out.
_TRIP_TO = re.compile(
    r"chuyến\s+(?:thăm|công\s+tác)(?:\s+(?:chính\s+thức|hữu\s+nghị|và\s+làm\s+việc))*\s+(?:tại\s+|đến\s+|sang\s+)?"
    r"([^,;.()]{2,60})"
)


def our_trip_abroad(ctx, body, people, sentence):
    """Our head on a trip to the foreign place the sentence names after "chuyến thăm"."""
    trip = _TRIP_TO.search(body)
    if trip is None or not people or side_of(trip.group(1), ctx.foreign_names) != FOREIGN:
        return None
    if re.match(r"\s*(?:của|do)\b", body[trip.end() :]):
        return None  # "chuyến thăm Việt Nam của đoàn …": whose trip the words after say
    first = next((p for p in people if p.start >= sentence.start + trip.end()), None)
    if first is None or person_side(first, ctx.text, sentence.start, ctx.foreign_names) != OURS:
        return None
    return first


# "Đại sứ Hàn Quốc tại Việt Nam Y đến thăm và làm việc với tỉnh": a foreign person, the sentence's subject, who
# comes to visit heads a visit in, though no delegation is named.
_COMES = re.compile(r"^\s*(?:,[^,]*,\s*)?(?:đã\s+|cùng\s+đoàn\s+\S+\s+)?(?:đến|sang)\s+(?:thăm|làm\s+việc|chào)")


def foreign_visitor(ctx, body, people, sentence):
    for person in people:
        if person_side(person, ctx.text, sentence.start, ctx.foreign_names) == OURS:
            return None  # one of ours named first is the subject: the host, or the traveller
        if person_side(person, ctx.text, sentence.start, ctx.foreign_names) == FOREIGN and _COMES.match(
            ctx.text, person.end, sentence.end
        ):
            return person
    return None
