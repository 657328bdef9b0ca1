"""Whether a proposal repeats what the register already holds, so that the same event reported
by two newspapers stays one record with two citations; and the register's records that name the
people an article names.

Each kind is read in one query for every proposal of the reading (two where the partners count),
within the office's province:

- a delegation: the same direction, a start within two days, and a common partner or the same
  head (family and given name: "Vũ Hiểu Huy" is "đồng chí Vũ Huy" is not);
- an agreement: the same kind, the same signing date and a common party;
- a figure: the same indicator, value, period and scope."""

from datetime import timedelta
from functools import reduce
from operator import or_

from django.db.models import Q

from agreements.models import Agreement
from common.text import fold
from delegations.models import Delegation, DelegationMember
from register.publishable import search_filter
from sources.models import ReportedFigure

WINDOW = timedelta(days=2)
PEOPLE_LINKS = 5  # records shown beside one person


def name_key(name):
    """(family name, given name), folded: the first and the last word of a Vietnamese or a
    Sino-Vietnamese name. None for a name of one word."""
    words = fold(name).split()
    return (words[0], words[-1]) if len(words) > 1 else None


def _links(through, field, pks):
    """{record pk: set of partner pks} for ``pks``, in one query on the link table."""
    found = {pk: set() for pk in pks}
    if pks:
        for record_pk, partner_pk in through.objects.filter(**{f"{field}__in": pks}).values_list(field, "partner_id"):
            found[record_pk].add(partner_pk)
    return found


def delegation_duplicates(province, proposals):
    """[[Delegation...] for each of ``proposals``], each a (direction, start, partner pks, leader) tuple."""
    windows = [Q(direction=d, start_date__range=(s - WINDOW, s + WINDOW)) for d, s, _p, _l in proposals if d and s]
    if not windows:
        return [[] for _proposal in proposals]
    candidates = list(
        Delegation.objects.filter(province=province)
        .filter(reduce(or_, windows))
        .only("pk", "title", "direction", "start_date", "leader_name")
        .order_by("start_date", "pk")[:200]
    )
    partners = _links(Delegation.partners.through, "delegation_id", [c.pk for c in candidates])
    found = []
    for direction, start, partner_pks, leader in proposals:
        key = name_key(leader) if leader else None
        found.append(
            [
                c
                for c in candidates
                if direction
                and start
                and c.direction == direction
                and abs(c.start_date - start) <= WINDOW
                and ((partners[c.pk] & set(partner_pks)) or (key and name_key(c.leader_name) == key))
            ]
        )
    return found


def agreement_duplicates(province, proposals):
    """[[Agreement...] for each of ``proposals``], each a (kind, signed, partner pks) tuple."""
    wanted = [Q(kind=k, signed_on=s) for k, s, parties in proposals if s and parties]
    if not wanted:
        return [[] for _proposal in proposals]
    candidates = list(
        Agreement.objects.filter(province=province)
        .filter(reduce(or_, wanted))
        .only("pk", "title", "kind", "signed_on")
        .order_by("pk")[:200]
    )
    partners = _links(Agreement.partners.through, "agreement_id", [c.pk for c in candidates])
    return [
        [c for c in candidates if s and c.kind == k and c.signed_on == s and partners[c.pk] & set(parties)]
        for k, s, parties in proposals
    ]


def figure_duplicates(province, proposals):
    """[[ReportedFigure...] for each of ``proposals``], each an (indicator, value, start, end, scope pk) tuple."""
    wanted = [
        Q(indicator=i, value=v, period_start=s, period_end=e, scope_id=scope)
        for i, v, s, e, scope in proposals
        if scope is not None
    ]
    if not wanted:
        return [[] for _proposal in proposals]
    candidates = list(ReportedFigure.objects.filter(province=province).filter(reduce(or_, wanted)).order_by("pk")[:200])
    return [
        [
            c
            for c in candidates
            if (c.indicator, c.value, c.period_start, c.period_end, c.scope_id) == (i, v, s, e, scope)
        ]
        for i, v, s, e, scope in proposals
    ]


def people_records(province, names):
    """{name: [(role, delegation)...]}: the office's delegations that ``names`` headed, received, or
    went with. Two queries: the delegations whose folded search text holds the name (the trigram
    index on PostgreSQL), then the members of that name."""
    found = {name: [] for name in names}
    names = [name for name in names if name_key(name)]
    if not names:
        return found
    delegations = (
        Delegation.objects.filter(province=province)
        .filter(reduce(or_, (search_filter(name) for name in names)))
        .only("pk", "title", "start_date", "leader_name", "received_by")
        .order_by("-start_date", "-pk")[:100]
    )
    for delegation in delegations:
        for name in names:
            if name_key(delegation.leader_name) == name_key(name):
                found[name].append(("leader", delegation))
            elif fold(name) in fold(delegation.received_by):
                found[name].append(("received_by", delegation))
    members = (
        DelegationMember.objects.filter(name__in=names, delegation__province=province)
        .select_related("delegation")
        .only("name", "delegation__id", "delegation__title", "delegation__start_date")
        .order_by("-delegation__start_date", "-pk")[:100]
    )
    for member in members:
        found[member.name].append(("member", member.delegation))
    return {name: rows[:PEOPLE_LINKS] for name, rows in found.items()}
