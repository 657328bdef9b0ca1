"""Delegations told beside an event: another delegation of the same side on the same occasion ("Cùng … còn có
đoàn tỉnh Z do … làm trưởng đoàn"), and the delegations of several provinces named in one phrase ("đoàn đại biểu
tỉnh A và tỉnh B"), one event each (``delegations.find_delegations``)."""

from __future__ import annotations

import re
from dataclasses import replace

from reading.heads import person_side
from reading.sides import CENTRAL, FOREIGN, OURS

# "Cùng chúc Tết … tại tỉnh Y còn có đoàn tỉnh Z do … X làm trưởng đoàn": a sentence opened by "Cùng" that
# adds another delegation with its own head ("còn có") tells a second delegation on the same occasion.
_ALSO_THERE = re.compile(r"^\W*Cùng\b[^.;]*?\bcòn\s+có\s+(?:các\s+)?[Đđ]oàn\b")


def also_there(ctx, sentence, previous, parties_of):
    """A second delegation of the same side on the occasion of ``previous``, told in a sentence of its own;
    ``parties_of`` reads a sentence's delegation phrases (``delegations._parties``)."""
    body = ctx.text[sentence.start : sentence.end]
    if previous is None or not _ALSO_THERE.search(body):
        return None
    people = ctx.people_in(sentence.start, sentence.end)
    parties = parties_of(ctx.text, sentence, people, ctx.foreign_names, [])
    want = {"in": FOREIGN, "domestic": CENTRAL}.get(previous.direction, OURS)
    party = next((p for p in parties if p.side == want), None)
    if party is None:
        return None
    head = _HEADS.search(body, party.start - sentence.start)
    leader = party.leader or next(
        (p for p in people if party.start < p.start and head is not None and p.end <= sentence.start + head.start()),
        None,
    )
    if leader is None or previous.leader is None or leader.name == previous.leader.name:
        return None
    return replace(previous, leader=leader, sentence=sentence, also_led=[], partners=list(previous.partners))


_ADMIN = r"(?:tỉnh|thành\s+phố|thủ\s+đô|huyện|thị\s+xã)"
_NAME = r"[A-ZĐÀ-Ỹ][\wÀ-ỹ-]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ-]*)*"
_JOINT = re.compile(_ADMIN + r"\s+" + _NAME)
# "tỉnh Bôlykhămxay và tỉnh Khăm Muộn (nước CHDCND Lào)": places joined, with a bracketed country at most.
_JOINED = re.compile(
    _ADMIN
    + r"\s+"
    + _NAME
    + r"(?:\s*,\s*"
    + _ADMIN
    + r"\s+"
    + _NAME
    + r")*\s+và\s+"
    + _ADMIN
    + r"\s+"
    + _NAME
    + r"\s*(?:\([^)]*\))?"
)


def one_per_place(ctx, event) -> list:
    """ "đoàn đại biểu tỉnh Bôlykhămxay và tỉnh Khăm Muộn … đã sang thăm": two delegations, one event each, each
    led by the person the article later titles with that province ("Phó Bí thư … Tỉnh ủy tỉnh Khăm Muộn X"), else
    by nobody named."""
    events = []
    for place in event.joint:
        name = re.sub(r"^" + _ADMIN + r"\s+", "", place)
        leader = next(
            (
                p
                for p in ctx.people_in(event.sentence.start, len(ctx.text))
                if name in (p.title or "")
                and person_side(p, ctx.text, ctx.sentence_at(p.start), ctx.foreign_names) == FOREIGN
            ),
            None,
        )
        events.append(replace(event, leader=leader, partners=[place], joint=[], own_partner=place, leader_read=True))
    return events


_HEADS = re.compile(r"\b(?:làm\s+[Tt]rưởng\s+đoàn|dẫn\s+đầu)\b")


def joint_places(org: str) -> list[str]:
    """ "tỉnh Bôlykhămxay và tỉnh Khăm Muộn (nước CHDCND Lào)" -> the two places; [] for one place or another phrase."""
    places = [m.group(0).strip() for m in _JOINT.finditer(org)]
    return places if len(places) >= 2 and _JOINED.fullmatch(org) else []
