"""The delegations' part of the due list and the calendars (duties/registry.py).

- Due: an outbound delegation back home (stage "returned") whose result report
  is late, or due within ``DUE_SOON_DAYS``; for the staff and approvers of its
  province (of their unit, when limited to one), who chase it. Officials, who
  only read, national users and visitors have none.
- Calendar: the delegations whose dates overlap the range, as the site's lists
  show them (a visitor: the published ones only; a signed-in user: their
  province's), dated to the day and neither cancelled nor postponed; and, for
  those who chase them, the result reports' deadlines.
"""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from delegations.models import Delegation, Direction
from delegations.stage_fields import STOPPED, Stage
from delegations.stages import report_due_days
from duties.registry import CalendarEvent, DueItem
from offices.scope import is_national, office_of
from register import review
from register.publishable import signed_in

DUE_SOON_DAYS = 7
# No delegation lasts a year: a calendar reads the trips that began within a year before its first day, a
# range of the start-date index, not every past delegation (a million of them nationally).
LONGEST_TRIP = datetime.timedelta(days=366)


def _awaited_reports(user):
    """The outbound delegations of ``user``'s province awaiting their result report, with the number of days
    it is due after the return; None when ``user`` chases none (a visitor, an official, a national user)."""
    if not signed_in(user) or is_national(user) or not review.may_change(user, Delegation):
        return None, 0
    office = office_of(user)
    if office is None:
        return None, 0
    awaited = Delegation.objects.filter(
        province=office.province_code, direction=Direction.OUTBOUND, stage=Stage.RETURNED
    )
    scope = review.unit_scope(user)
    if scope is not None:
        awaited = awaited.filter(host_unit__in=scope)
    return awaited, report_due_days(office.province_code)


def _admin_url(delegation):
    return reverse("admin:delegations_delegation_change", args=[delegation.pk])


def _report_title(delegation):
    if delegation.leader_name:
        return _("Result report: %(delegation)s (head: %(head)s)") % {
            "delegation": delegation.title,
            "head": delegation.leader_name,
        }
    return _("Result report: %(delegation)s") % {"delegation": delegation.title}


def due_items(user, today):
    """The result reports late or due within a week. One query."""
    awaited, days = _awaited_reports(user)
    if awaited is None:
        return []
    # Due on returned_on + days; due soon when that is at most DUE_SOON_DAYS ahead.
    last_return = today + datetime.timedelta(days=DUE_SOON_DAYS - days)
    items = []
    for delegation in awaited.filter(returned_on__lte=last_return).order_by("returned_on", "pk"):
        due_on = delegation.returned_on + datetime.timedelta(days=days)
        items.append(
            DueItem(
                key=f"delegation:{delegation.pk}:report",
                kind=_("Result report of a trip abroad"),
                title=_report_title(delegation),
                url=_admin_url(delegation),
                due_on=due_on,
                stage="overdue" if due_on < today else "due_soon",
                province=delegation.province_id,
            )
        )
    return items


def _visible(user):
    if user is None:
        return Delegation.objects.published()
    return Delegation.objects.visible_to(user)


def calendar_events(user, start, end):
    """The delegations between ``start`` and ``end`` that ``user`` (None: the public) may see, and the result
    reports' deadlines for those who chase them. Two queries (one for a visitor)."""
    trips = (
        _visible(user)
        .filter(start_date__gte=start - LONGEST_TRIP, start_date__lte=end, date_precision="day")
        .exclude(stage__in=STOPPED)
        .exclude(end_date__lt=start)
        .exclude(end_date__isnull=True, start_date__lt=start)
        .order_by("start_date", "pk")
    )
    events = [
        CalendarEvent(
            uid=f"delegation-{delegation.pk}@{delegation.province_id}.register",
            summary=delegation.title,
            start=delegation.start_date,
            end=delegation.end_date or delegation.start_date,
            url=delegation.get_absolute_url(),
            description=delegation.leader_name,
            location=delegation.places,
            category="delegation",
        )
        for delegation in trips
    ]
    awaited, days = _awaited_reports(user)
    if awaited is not None:
        span = datetime.timedelta(days=days)
        for delegation in awaited.filter(returned_on__gte=start - span, returned_on__lte=end - span).order_by(
            "returned_on", "pk"
        ):
            due_on = delegation.returned_on + span
            events.append(
                CalendarEvent(
                    uid=f"delegation-{delegation.pk}-report@{delegation.province_id}.register",
                    summary=_report_title(delegation),
                    start=due_on,
                    end=due_on,
                    url=_admin_url(delegation),
                    category="deadline",
                )
            )
    return events
