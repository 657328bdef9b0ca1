"""The office's rules on outbound delegations, as warnings the approver sees
(issue 19, item 3). Each rule and its limit is a field of ``DelegationRules``,
one row per province, made with ``DEFAULTS`` the first time it is read; an
administrator edits it in the admin ("Quy định về đoàn ra").

Warnings never block a save or a review: the approver reads them and decides.

Queries: ``checks_for`` costs at most seven, whatever the number of members
or rules: the rules and their size limits (2, or 4 the first time, when they
are made), the partners' countries (1), the delegation's members (1), and the
names of the members and heads of the province's other outbound delegations
of the year (2), when a per-person limit is set."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.text import fold
from delegations.models import Delegation, DelegationMember, Direction, Level
from planning.models import DelegationRules, SizeLimit

# A province's starting values, until its administrator edits them. Fifteen days to
# report is the common rule of the provincial regulations (issue 19); the other limits
# are a reasonable start for a province's regulation, not a law's figures.
DEFAULTS = {
    "max_days": 10,
    "max_countries": 3,
    "max_trips_per_person": 2,
    "key_leaders": "Bí thư Tỉnh ủy\nChủ tịch HĐND tỉnh\nChủ tịch UBND tỉnh",
    "require_decision": True,
    "warn_outside_plan": True,
}
DEFAULT_SIZE_LIMITS = {Level.PROVINCIAL: 10, Level.DEPARTMENT: 6, Level.DISTRICT: 5, Level.COMMUNE: 5}


def rules_for(province_code):
    """The province's ``DelegationRules``, made with the defaults when it has none,
    with ``limits``: {level: most persons}. Two queries (four the first time)."""
    rules = DelegationRules.objects.filter(province=province_code).first()
    if rules is None:
        with transaction.atomic():
            defaults = {**DEFAULTS, "report_due_days": settings.DELEGATION_REPORT_DUE_DAYS}
            rules, created = DelegationRules.objects.get_or_create(province_id=province_code, defaults=defaults)
            if created:
                SizeLimit.objects.bulk_create(
                    SizeLimit(rules=rules, province_id=province_code, level=level, max_size=size)
                    for level, size in DEFAULT_SIZE_LIMITS.items()
                )
    rules.limits = dict(rules.size_limits.values_list("level", "max_size"))
    return rules


def report_due_days(province_code):
    """Days the head of a delegation has to report its results after return: the province's rules, or the
    install's ``DELEGATION_REPORT_DUE_DAYS`` (15 unless set) where the province has none yet. One query."""
    rules = DelegationRules.objects.filter(province=province_code).values_list("report_due_days", flat=True).first()
    return settings.DELEGATION_REPORT_DUE_DAYS if rules is None else rules


def _day(value):
    return date_format(value, "d/m/Y")


def _persons(delegation, members):
    """The delegation's people, once each by folded name: (name, position) of the
    members, and the head typed on the delegation when the list does not hold them."""
    people = {}
    for name, position in [*members, (delegation.leader_name, delegation.leader_title)]:
        key = fold(name) or fold(position)
        if key and key not in people:
            people[key] = (name.strip(), position.strip())
    return people


def checks_for(delegation, rules=None):
    """[(rule, message)] for each rule the outbound ``delegation`` breaks; [] for others."""
    if delegation.direction != Direction.OUTBOUND or delegation.province_id is None:
        return []
    rules = rules or rules_for(delegation.province_id)
    found = []
    members = list(delegation.members.values_list("name", "position")) if delegation.pk else []
    size = delegation.size if delegation.size is not None else (len(members) or None)
    limit = rules.limits.get(delegation.level)
    if size is not None and limit is not None and size > limit:
        found.append(
            (
                "size",
                _(
                    "Size (%(size)d persons) is above the limit of %(limit)d persons "
                    "for a delegation of level “%(level)s”."
                )
                % {"size": size, "limit": limit, "level": delegation.get_level_display()},
            )
        )
    start, end = delegation.start_date, delegation.end_date
    if rules.max_days is not None and start and end and delegation.date_precision == "day":
        days = (end - start).days + 1
        if days > rules.max_days:
            found.append(
                (
                    "days",
                    _("The trip lasts %(days)d days, longer than the limit of %(limit)d days abroad.")
                    % {"days": days, "limit": rules.max_days},
                )
            )
    if rules.max_countries is not None and delegation.pk:
        countries = sorted(set(delegation.partners.exclude(country="").values_list("country", flat=True)))
        if len(countries) > rules.max_countries:
            found.append(
                (
                    "countries",
                    _("The trip goes to %(count)d countries (%(codes)s), more than the limit of %(limit)d.")
                    % {"count": len(countries), "codes": ", ".join(countries), "limit": rules.max_countries},
                )
            )
    people = _persons(delegation, members)
    if rules.max_trips_per_person is not None and start and people:
        found.extend(_frequent_travellers(delegation, people, rules.max_trips_per_person))
    key_lines = {fold(line): line for line in rules.key_leader_lines()}
    leaders = [
        f"{name} ({position})" if name and position else name or position
        for name, position in people.values()
        if fold(name) in key_lines or fold(position) in key_lines
    ]
    if len(leaders) >= 2:
        found.append(
            (
                "key_leaders",
                _("%(count)d of the key leaders travel in one delegation: %(names)s.")
                % {"count": len(leaders), "names": "; ".join(leaders)},
            )
        )
    if rules.require_decision and start:
        decided_on = getattr(delegation, "decision_date", None)
        if decided_on is None and not getattr(delegation, "decision_ref", ""):
            found.append(
                (
                    "decision",
                    _("No sending decision is recorded for the departure on %(day)s.") % {"day": _day(start)},
                )
            )
        elif decided_on is not None and decided_on > start:
            found.append(
                (
                    "decision",
                    _("The sending decision (%(decided)s) is dated after the departure (%(day)s).")
                    % {"decided": _day(decided_on), "day": _day(start)},
                )
            )
    if rules.warn_outside_plan and getattr(delegation, "plan_line_id", None) is None:
        found.append(("outside_plan", _("The delegation is outside the annual plan (ngoài kế hoạch).")))
    return found


def _frequent_travellers(delegation, people, limit):
    """The people of ``delegation`` in more than ``limit`` outbound trips of its year
    in its province (this one counted): two queries, the names of the other trips'
    members and heads, compared folded (accent and case aside)."""
    year = delegation.start_date.year
    others = (
        Delegation.objects.filter(
            province=delegation.province_id,
            direction=Direction.OUTBOUND,
            start_date__gte=datetime.date(year, 1, 1),
            start_date__lt=datetime.date(year + 1, 1, 1),
        )
        .exclude(pk=delegation.pk)
        .exclude(status="cancelled")
    )
    trips = {}
    rows = [
        *DelegationMember.objects.filter(delegation__in=others).values_list("name", "delegation_id"),
        *others.exclude(leader_name="").values_list("leader_name", "pk"),
    ]
    for name, trip in rows:
        key = fold(name)
        if key in people:
            trips.setdefault(key, set()).add(trip)
    found = []
    for key, ids in trips.items():
        if len(ids) + 1 > limit:
            found.append(
                (
                    "trips_per_person",
                    _("%(name)s is in %(count)d outbound trips in %(year)d, more than the limit of %(limit)d a year.")
                    % {"name": people[key][0] or people[key][1], "count": len(ids) + 1, "year": year, "limit": limit},
                )
            )
    return found


def warnings_for(delegation):
    """The translated messages of the rules ``delegation`` breaks (see ``checks_for``)."""
    return [message for _rule, message in checks_for(delegation)]
