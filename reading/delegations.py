"""Delegations: who went where, when, led by whom (see tests/reading/README.md for the rules).

An event is read from a sentence that dates it ("Ngày 21/1", "Sáng nay (23/6)", "vào cuối tháng 7")
and names a delegation or a meeting with the other side. Its direction comes from whose delegation
is the subject and where the meeting is: our delegation going to a foreign place is outbound, a
foreign delegation (or a foreign leader met at home) inbound, talks on the border line or at a
border gate border talks, a central body's delegation domestic. An arrival and a departure
reported in one article are one event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from reading.companions import also_there, joint_places, one_per_place
from reading.dates import DAY, MONTH
from reading.heads import (
    MEET,
    foreign_received,
    foreign_visitor,
    head_on_a_trip,
    our_subject,
    our_trip_abroad,
    person_side,
    received_abroad,
)
from reading.proposals import DelegationProposal, Span
from reading.same_event import merge
from reading.sides import CENTRAL, COUNTRIES, FOREIGN, OURS, is_border_place, side_of

_DELEGATION = re.compile(r"(?<![\wÀ-ỹ])([Đđ]oàn)\s+(?!kết|thể|viên|[Tt]hu\b)")
_ORG_STOP = re.compile(
    r"\s+(?:do|đã|sẽ|sang|đi|bắt\s+đầu|làm\s+việc|hội\s+đàm|hội\s+kiến|thăm|tham\s+dự|xuất\s+cảnh|nhập\s+cảnh|"
    r"lên\s+đường|có\s+chuyến|có\s+buổi|kết\s+thúc|về\s+nước|chúc|tiến\s+hành|tại|trước|nhằm|để|đến(?!\s+từ))\b"
    r"|[;:]|(?<!TP)(?<!Tp)\."  # "đoàn đại biểu TP. Ansan": the abbreviation's dot does not end the name
)
_COUNTED = re.compile(r"(?<![\d/.,])\d{1,4}\s+(?:lượt\s+)?[Đđ]oàn\b")
_LED = re.compile(r"\s*,?\s*do\s+")
# "đoàn lãnh đạo cấp cao tỉnh X thăm và làm việc, do Chủ tịch A dẫn đầu": the head named after the delegation's
# own verb phrase, past a comma, when no other delegation stands between.
_LED_AFTER_VERB = re.compile(
    r"(?:(?![Đđ]oàn\b)[^,;.]){1,60},\s*do\s+(?=[^,;.]{0,80}?(?:dẫn\s+đầu|làm\s+[Tt]rưởng\s+đoàn))"
)
_OBJECT_BEFORE = re.compile(
    r"(?:tiếp|đón|tiễn|với|họp|tổ\s+chức|của|mời|tiếp\s+đón|đón\s+tiếp|dẫn\s+đầu|hội\s+kiến|hội\s+đàm|hai|các)\s*$",
    re.IGNORECASE,
)
_PREPARATION = re.compile(r"(?:họp|tổ\s+chức|thành\s+lập|Kế\s+hoạch|Đề\s+án)\s*$", re.IGNORECASE)
_TRIGGER = re.compile(
    r"(?:[Đđ]oàn\s|hội\s+đàm|hội\s+kiến|[Hh]ội\s+nghị|tiếp\s|đón|tiễn|thăm|làm\s+việc|xuất\s+cảnh|nhập\s+cảnh|lên\s+đường)",
    re.IGNORECASE,
)
DOCUMENT = re.compile(
    r"(?:[Tt]hư\s+mời|Chỉ\s+thị|Quyết\s+định|Công\s+văn|Kế\s+hoạch|Thông\s+báo|Nghị\s+quyết|văn\s+bản|số\s+\S+|thành\s+lập)"
    r"[^,;]{0,25}$"
)
# "ban hành" the verb (a document issued), not "Ban hành chính tỉnh X" (a Cambodian provincial administration).
_NOT_EVENT = re.compile(r"\bban\s+hành\b|[Kk]ý\s+kết|\b[Kk]ý\b|\b[Tt]rao\b(?!\s+đổi)")
_TALKS = re.compile(r"hội\s+đàm|hội\s+kiến|gặp\s+gỡ|làm\s+việc", re.IGNORECASE)
_TRAVEL = re.compile(
    r"\b(?:sang|xuất\s+cảnh|lên\s+đường|đi\s+thăm|đi\s+tham\s+quan|nhập\s+cảnh\s+về\s+nước|bắt\s+đầu\s+chuyến|"
    r"chuyến\s+(?:thăm|công\s+tác))",
    re.IGNORECASE,
)


def _TRAVEL_END(body: str) -> int:
    """Where the first travel word ends (0 when there is none)."""
    travel = _TRAVEL.search(body)
    return travel.end() + 40 if travel else 0


_RETURN = re.compile(
    r"(?:xuất\s+cảnh|nhập\s+cảnh)?\s*về\s+nước|kết\s+thúc\s+(?:tốt\s+đẹp\s+)?chuyến|sau\s+khi\s+hoàn\s+thành",
    re.IGNORECASE,
)
_VISIT = re.compile(r"\b(?:đến|sang)\s+(?:thăm|chúc\s+Tết|chúc\s+mừng)|\bđi\s+thăm")
_MET_WITH = re.compile(
    r"(?:hội\s+đàm|hội\s+kiến|làm\s+việc|gặp(?:\s+gỡ)?)\s+với\s+(?:lãnh\s+đạo\s+|đại\s+diện\s+)?"
    r"([^.;]+?)(?=\s+(?:nhằm|để|về|trong|tại|và\s+(?:trao|thăm|ký))\b|[.;]|$)"
)
_HOSTS_CONFERENCE = re.compile(r"tổ\s+chức\s+[Hh]ội\s+nghị")
_CONFERENCE = re.compile(r"[Hh]ội\s+nghị|[Hh]ội\s+thảo|[Pp]hiên\s+họp", re.IGNORECASE)
# "tại thị xã Sầm Nưa, tỉnh Hủa Phăn, nước CHDCND Lào": the place runs on over the larger places
# that situate it.
_PLACE = re.compile(
    r"\btại\s+([^,;.()]+(?:\([^)]*\))?(?:,\s*(?:tỉnh|nước|huyện|thành\s+phố|thị\s+xã|châu|Khu\s+tự\s+trị|"
    r"Vương\s+quốc|" + "|".join(re.escape(c) for c in COUNTRIES) + r"|CHDCND|Việt\s+Nam)\b[^,;.()]*(?:\([^)]*\))?)*)"
)
_PURPOSE = re.compile(r"\b(?:để|nhằm)\s+([^.;]{8,220}?)(?=\s+giữa\s|[.;]|$)")
_MECHANISM = re.compile(
    r"(?:Ủy|Uỷ)\s+ban\s+[Cc]ông\s+tác\s+liên\s+hợp|[Nn]hóm\s+công\s+tác\s+liên\s+hợp|[Gg]ặp\s+gỡ\s+đầu\s+[Xx]uân"
    r"|Hội\s+nghị\s+thường\s+niên"
)
_WELCOMER = re.compile(r"(?:[Đđ]ón|[Tt]iễn|[Tt]iếp)\s+(?:đoàn|[Đđ]oàn|tiếp)", re.IGNORECASE)


@dataclass
class Party:
    """A delegation phrase: "Đoàn đại biểu thị Bằng Tường do ông ... làm Trưởng đoàn"."""

    start: int
    org: str
    side: str | None
    leader: object | None
    is_subject: bool


@dataclass
class Event:
    direction: str
    start: date | None
    precision: str
    end: date | None
    leader: object | None
    host: object | None
    sentence: object
    place: str = ""
    purpose: str = ""
    mechanism: str = ""
    partners: list = field(default_factory=list)
    leader_read: bool = True  # the leader is named in the event's own sentence
    # "đoàn huyện A do đồng chí X … và đoàn đại biểu B do đồng chí Y … dẫn đầu": the other delegations
    # of the same side, each led by its own head, that travel together (one event each).
    also_led: list = field(default_factory=list)
    # "đoàn đại biểu tỉnh A và tỉnh B (Lào)": two provinces' delegations named in one phrase, one event each.
    joint: list = field(default_factory=list)
    own_partner: str = ""  # the one province of such a phrase this event is


def _parties(text, sentence, people, foreign_names, preparing) -> list[Party]:
    found = []
    titles = [(p.name_start, p.end) for p in people]
    for m in _DELEGATION.finditer(text, sentence.start, sentence.end):
        before = text[max(sentence.start, m.start() - 25) : m.start()]
        if _PREPARATION.search(before):
            preparing.append(m.start())
            continue
        if re.search(r"[Tt]rưởng\s*$", before) or any(a < m.start() < b for a, b in titles):
            continue  # "Trưởng Đoàn đại biểu Quốc hội tỉnh": a title, not a delegation
        if re.search(r"\d\s*$", before):
            continue  # "đã cử 31 đoàn công tác": a count, not a delegation
        org_start = m.end()
        kind = re.match(r"(?:đại\s+biểu|công\s+tác|cán\s+bộ)\s*", text[org_start:], re.IGNORECASE)
        org_start += kind.end() if kind else 0
        stop = _ORG_STOP.search(text, org_start, sentence.end)
        org_end = stop.start() if stop else sentence.end
        if stop and text[stop.start() :].lstrip().startswith("tại"):
            # "Đại sứ quán Lào tại Việt Nam": a place inside the name, when a leader follows.
            further = re.compile(r"\s*,?\s+do\s").search(text, stop.end(), min(sentence.end, stop.end() + 60))
            if further:
                org_end = further.start()
        org = text[org_start:org_end].strip(" ,")
        led = _LED.match(text, org_end) or _LED_AFTER_VERB.match(text, org_end, sentence.end)
        leader = None
        if led:
            leader = next((p for p in people if led.end() - 2 <= p.start <= led.end() + 2), None)
        side = side_of(org, foreign_names) if org else None
        if org and re.fullmatch(r"(?:của\s+)?(?:tỉnh|tỉnh\s+ta|huyện|thành\s+phố)", org):
            side = OURS
        if side is None and leader is not None:
            side = side_of(leader.title, foreign_names)
        if side is None and not org:
            continue
        subject = not _OBJECT_BEFORE.search(before)
        found.append(Party(m.start(), org, side, leader, subject))
    # "đồng chí X, ... dẫn đầu Đoàn công tác của tỉnh": the person before "dẫn đầu" leads it; "Bí thư Tỉnh ủy …
    # Nguyễn Văn Được cùng đoàn công tác tỉnh đến thăm …": the person named right before "cùng đoàn" too.
    for m in re.finditer(r"dẫn\s+đầu\s+[Đđ]oàn|(?<=\s)cùng\s+[Đđ]oàn", text[sentence.start : sentence.end]):
        at = sentence.start + m.start()
        near = 1 if m.group(0).startswith("cùng") else len(text)
        person = next(
            (p for p in reversed(people) if p.end <= at + 1 and p.start >= sentence.start and at - p.end <= near),
            None,
        )
        party = next((p for p in found if p.start > at), None)
        if party is not None and person is not None and party.leader is None:
            party.leader = person
            party.is_subject = True
            if _ORG_STOP.match(" " + party.org) and (side := side_of(person.title, foreign_names)) != OURS:
                # "Thứ trưởng Bộ Ngoại giao X cùng đoàn công tác làm việc với UBND tỉnh": a delegation named by no
                # body (its verb follows at once) is on the side its head's title says.
                party.org, party.side = "", side
        elif party is None and person is not None and (side := side_of(person.title, foreign_names)) != OURS:
            found.append(Party(sentence.start + m.start(), "", side, person, True))
    return found


def _event_dates(dates, text, sentence):
    usable = []
    for d in dates:
        if d.kind == "period" or d.precision not in (DAY, MONTH) or (d.value is None and d.kind != "undated"):
            continue
        if DOCUMENT.search(text[sentence.start : d.start]):
            continue
        anniversary = re.search(r"(?:19|20)\d{2}", text[d.start : d.end + 20].split(")")[0])
        if text[d.start - 1] == "(" and anniversary:
            continue  # an anniversary's dates "(2/9/1945 - 2/9/2025)", not the event's
        if text[d.start - 1] == "(" and re.search(
            r"(?:Quốc\s+khánh|kỷ\s+niệm|[Nn]gày\s+[Tt]ruyền\s+thống)[^.;()]{0,60}$", text[sentence.start : d.start - 1]
        ):
            continue  # "nhân dịp kỷ niệm 72 năm Quốc khánh Vương quốc Campuchia (9/11)": the holiday's day
        usable.append(d)
    return usable


def _meets_foreign(body, people, text, sentence, place, place_side, foreign_names) -> bool:
    """Our side meets a foreign leader or delegation at home, or hosts a conference with them."""
    meet = MEET.search(body)
    if meet and any(person_side(p, text, sentence.start, foreign_names) == FOREIGN for p in people):
        return True
    if meet and side_of(body[meet.end() :], foreign_names) == FOREIGN:
        return True
    return bool(_CONFERENCE.search(body) and place and place_side == OURS and side_of(body, foreign_names) == FOREIGN)


def _main_clause_end(body: str) -> int:
    """Where the sentence's own event is told: up to its meeting verb ("… tổ chức hội đàm với X nhằm
    đánh giá … Biên bản hội đàm … đã ký": the signing is the reviewed document's, not the event)."""
    meet = MEET.search(body)
    return meet.start() if meet else len(body)


def read_sentence(ctx, sentence, dates) -> Event | None:
    text, foreign_names = ctx.text, ctx.foreign_names
    body = text[sentence.start : sentence.end]
    usable = _event_dates(dates, text, sentence)
    if not usable or not _TRIGGER.search(body) or re.search(r"\bban\s+hành\b", body):
        return None
    people = ctx.people_in(sentence.start, sentence.end)
    preparing = []
    parties = _parties(text, sentence, people, foreign_names, preparing)
    if not parties and _COUNTED.search(body):
        return None  # "tỉnh A đã cử 1 đoàn công tác sang thăm …": a count of delegations (a figure), not one visit
    if preparing and not parties:
        return None  # "Tỉnh ủy tổ chức họp Đoàn đại biểu ...": a preparatory meeting at home
    place_match = _PLACE.search(body)
    place = place_match.group(1).strip() if place_match else ""
    place_side = side_of(place, foreign_names) if place else None
    border = is_border_place(body)
    talks = bool(_TALKS.search(body))
    central = next((p for p in parties if p.side == CENTRAL), None)
    ours = next((p for p in parties if p.side == OURS), None)
    foreign = next((p for p in parties if p.side == FOREIGN), None)
    subject = next((p for p in parties if p.is_subject), None)
    direction, subject_leader = None, None
    if central is not None:
        direction = "domestic"
    elif _HOSTS_CONFERENCE.search(body) and place and place_side == OURS and not is_border_place(place):
        # "Ngày 3.11, tại P.Long An, UBND tỉnh X tổ chức hội nghị gặp gỡ … với 3 tỉnh biên giới của Vương quốc
        # Campuchia": a conference we hold at home, inland, however often the border is named in it.
        if side_of(body, foreign_names) != FOREIGN:
            return None
        direction = "in"
    elif border and talks and (ours or foreign or side_of(body, foreign_names) == FOREIGN):
        # "tại Đồn Biên phòng Cửa khẩu …, UBND tỉnh X và Ban hành chính tỉnh Y, Vương quốc Campuchia, tổ
        # chức hội đàm": two provincial bodies, no "đoàn", at the border.
        direction = "border_talks"
    elif subject is not None and subject.side == FOREIGN:
        direction = "in"
    elif ours is not None and (place_side == FOREIGN or _TRAVEL.search(body) or (talks and not place)):
        direction = "out" if place_side != OURS or _TRAVEL.search(body) else "in"
        if place_side == OURS and not _TRAVEL.search(body) and side_of(body, foreign_names) == FOREIGN:
            direction = "in"
        if place_side == OURS and foreign is not None and place_match.start() < _TRAVEL_END(body):
            # "Trong khuôn khổ chuyến thăm … tại Việt Nam, …, Đoàn … tỉnh X có buổi làm việc với Đoàn
            # đại biểu … Lào": the trip is the foreign side's, to our country.
            direction = "in"
    elif (
        ours is not None
        and ours.is_subject
        and (visit := _VISIT.search(body, ours.start - sentence.start))
        and side_of(body[visit.end() :], foreign_names) == FOREIGN
    ):
        direction = "out"  # "đoàn công tác tỉnh X do … dẫn đầu đến chúc Tết … nhân dân tỉnh Y (Lào)"
    elif foreign is None and place_side == FOREIGN and (visitor := our_subject(ctx, sentence, people)):
        direction, subject_leader = "out", visitor
    elif foreign is not None or (ours is not None and place_side == OURS and side_of(body, foreign_names) == FOREIGN):
        direction = "in"
    elif _HOSTS_CONFERENCE.search(body) and place and place_side == OURS and side_of(body, foreign_names) == FOREIGN:
        # "tại phường X, UBND tỉnh Y tổ chức Hội nghị gặp gỡ, trao đổi và ký kết … với 3 tỉnh của Vương quốc
        # Campuchia": the foreign side came to a conference we hold, whatever it signs there.
        direction = "in"
    elif _NOT_EVENT.search(body[: _main_clause_end(body)]):
        return None
    elif place_side == FOREIGN and (guest := received_abroad(ctx, body, people, sentence)) is not None:
        direction, subject_leader = "out", guest
    elif (traveller := our_trip_abroad(ctx, body, people, sentence)) is not None:
        direction, subject_leader = "out", traveller
    elif (visitor := foreign_visitor(ctx, body, people, sentence)) is not None:
        direction, subject_leader = "in", visitor
    elif _meets_foreign(body, people, text, sentence, place, place_side, foreign_names):
        direction = "in"
        subject_leader = foreign_received(ctx, body, people, sentence)
    if direction is None and (head := head_on_a_trip(ctx, body, people, sentence)) is not None:
        direction, subject_leader = "out", head
    if direction is None:
        return None
    when = usable[0]
    start, end, precision = when.value, when.last, when.precision
    if _RETURN.search(body) and when.last is None:
        start, end = None, when.value
    lead_party = {"domestic": central, "in": foreign, "out": ours, "border_talks": ours}[direction]
    leader = lead_party.leader if lead_party is not None else subject_leader
    event = Event(direction, start, precision, end, leader, None, sentence, place=place)
    purpose = _PURPOSE.search(body)
    event.purpose = purpose.group(1).strip(" ,") if purpose else ""
    mechanism = _MECHANISM.search(body)
    event.mechanism = mechanism.group(0) if mechanism else ""
    event.partners = [p.org for p in parties if p.side == FOREIGN and p.org]
    if lead_party is not None and direction == "in" and leader is None:
        event.joint = joint_places(lead_party.org)
    if not event.partners and (met := _MET_WITH.search(body)) and side_of(met.group(1), foreign_names) == FOREIGN:
        # "đoàn công tác của tỉnh … đã làm việc với lãnh đạo thành phố Sùng Tả, …": the counterpart met,
        # when no foreign delegation is named.
        event.partners = [met.group(1).strip(" ,")]
    if lead_party is not None and leader is not None:
        event.also_led = [
            p.leader
            for p in parties
            if p is not lead_party
            and p.side == lead_party.side
            and p.leader is not None
            and p.leader.name != leader.name
        ]
    return event


def complete(ctx, event: Event, scope_end: int):
    """Fills the leader and host from the sentences after the event's, up to ``scope_end``."""
    text, sentence = ctx.text, event.sentence
    people = ctx.people_in(sentence.start, scope_end)
    want_leader = {"in": FOREIGN, "domestic": CENTRAL, "out": OURS, "border_talks": OURS}[event.direction]
    if event.leader is None:
        event.leader = next(
            (
                p
                for p in people
                if person_side(p, text, ctx.sentence_at(p.start), ctx.foreign_names) == want_leader
                and not (want_leader == OURS and _WELCOMER.search(text[ctx.sentence_at(p.start) : p.start]))
            ),
            None,
        )
        event.leader_read = False
    if event.direction in ("in", "domestic"):
        event.host = next(
            (
                p
                for p in people
                if p is not event.leader and person_side(p, text, ctx.sentence_at(p.start), ctx.foreign_names) == OURS
            ),
            None,
        )
    if not event.mechanism:
        found = _MECHANISM.search(text, sentence.start, scope_end)
        event.mechanism = found.group(0) if found else ""


def proposal(ctx, event: Event) -> DelegationProposal:
    span = Span(event.sentence.start, event.sentence.end)
    leader, host = event.leader, event.host
    return DelegationProposal(
        direction=event.direction,
        start=event.start,
        start_precision=event.precision if event.start else DAY,
        end=event.end,
        leader=leader.name if leader else "",
        leader_title=leader.title if leader else "",
        host=host.name if host else None,
        host_title=host.title if host else "",
        partners=[mention for name in event.partners for mention in ctx.partner_mentions(name, span)],
        place=event.place,
        purpose=event.purpose,
        excerpt=span.of(ctx.text),
        span=span,
        mechanism=event.mechanism,
        mechanism_id=ctx.gazetteer.mechanism(event.mechanism) if event.mechanism else None,
    )


def find_delegations(ctx) -> list[DelegationProposal]:
    events = []
    for sentence in ctx.sentences:
        event = read_sentence(ctx, sentence, ctx.dates[sentence.index])
        if event is None:
            event = also_there(ctx, sentence, events[-1] if events else None, _parties)
        if event is not None:
            events.append(event)
            for other in event.also_led:
                events.append(replace(event, leader=other, also_led=[], partners=list(event.partners)))
    if not events:
        # Imported here: reading.undated builds its events with this module's reader.
        from reading.undated import headline_event, undated_event

        if (headline := headline_event(ctx)) is not None:
            events.append(headline)
        elif (told := undated_event(ctx)) is not None:
            events.append(told)
    starts = [e.sentence.start for e in events]
    for number, event in enumerate(events):
        following = [s for s in ctx.sentences if s.index > event.sentence.index][:3]
        scope_end = following[-1].end if following else event.sentence.end
        if number + 1 < len(starts):
            scope_end = min(scope_end, max(starts[number + 1], event.sentence.end))
        if event.joint:
            continue  # one event per place, below, each with its own head
        complete(ctx, event, scope_end)
        if event.leader is None and len(events) == 1 and event.direction in ("out", "border_talks"):
            # The article's only event, our head named further on ("Ông X, Phó Chủ tịch UBND tỉnh Y phát
            # biểu" in a caption at the end).
            complete(ctx, event, len(ctx.text))
    for event in [e for e in events if e.joint]:
        at = events.index(event)
        events[at : at + 1] = one_per_place(ctx, event)
        for one in events[at : at + len(event.joint)]:
            leader = one.leader
            complete(ctx, one, len(ctx.text))  # the host, and the head when the article titles none by the place
            one.leader = leader
    return [proposal(ctx, event) for event in merge(events)]
