"""One event told in several sentences: an arrival and a departure, the lead and a caption, are merged into one
delegation when they have the same direction, the same head (when both name one) and dates within two weeks
(``delegations.find_delegations``)."""

from __future__ import annotations

from datetime import timedelta


def _same(a, b) -> bool:
    if a.direction != b.direction:
        return False
    if a.own_partner and b.own_partner and a.own_partner != b.own_partner:
        return False  # the delegations of two places named in one phrase stay two
    named = a.leader is not None and b.leader is not None and a.leader_read and b.leader_read
    if named and a.leader.name != b.leader.name:
        return False
    days_a = [d for d in (a.start, a.end) if d]
    days_b = [d for d in (b.start, b.end) if d]
    if not days_a or not days_b:
        return True
    return min(abs(x - y) for x in days_a for y in days_b) <= timedelta(days=14)


def merge(events: list) -> list:
    merged: list = []
    for event in events:
        other = next((m for m in merged if _same(m, event)), None)
        if other is None:
            merged.append(event)
            continue
        days = [d for d in (other.start, other.end, event.start, event.end) if d]
        starts = [(e.start, e.precision) for e in (other, event) if e.start]
        if starts:
            other.start, other.precision = min(starts)
        last = max(days) if days else None
        other.end = last if last and other.start and last > other.start else (other.end if not other.start else None)
        if other.start is None:
            other.end = last
        if event.leader is not None and event.leader_read and (other.leader is None or not other.leader_read):
            other.leader, other.sentence, other.leader_read = event.leader, event.sentence, True
        other.host = other.host or event.host
        other.place = other.place or event.place
        other.purpose = other.purpose or event.purpose
        other.mechanism = other.mechanism or event.mechanism
        other.partners = other.partners or event.partners
    return merged
