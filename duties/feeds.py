"""iCalendar feeds (RFC 5545, written with the ``icalendar`` package): a user's
calendar at a secret address, and the public calendar of published records.

Every event is all-day: DTSTART is its first day and DTEND the day after its
last (RFC 5545 3.6.1: a DATE end is exclusive)."""

import datetime

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from duties.registry import CalendarEvent, calendar_events_for, due_items_for

PRODID = "-//So Ngoai vu//Foreign affairs register//VI"
# What a feed holds: the last month, for what was just done, and the year ahead.
DAYS_BEFORE = 31
DAYS_AFTER = 366


def window(today):
    return today - datetime.timedelta(days=DAYS_BEFORE), today + datetime.timedelta(days=DAYS_AFTER)


def deadline_events(items):
    """A due item as an all-day event on its due day. A record waiting for review has no
    deadline: it is on the due list, not on the calendar."""
    return [
        CalendarEvent(
            uid=f"due-{item.key.replace(':', '-')}-{item.stage}@{item.province or 'national'}.register",
            summary=f"{item.kind}: {item.title}",
            start=item.due_on,
            end=item.due_on,
            url=item.url,
            category="deadline",
        )
        for item in items
        if item.stage != "waiting"
    ]


def with_deadlines(events, items, start, end):
    """``events`` and the deadlines of ``items`` between ``start`` and ``end``, in order; a deadline
    that an event already shows (the same record's page, the same day: an agreement's expiry) once."""
    shown = {(event.url, event.start) for event in events if event.url}
    deadlines = [
        event
        for event in deadline_events(items)
        if start <= event.start <= end and (event.url, event.start) not in shown
    ]
    return sorted(events + deadlines, key=lambda event: (event.start, event.uid))


def user_events(user, today):
    """The user's calendar: every app's events, and the user's due items as deadlines."""
    start, end = window(today)
    return with_deadlines(calendar_events_for(user, start, end), due_items_for(user, today), start, end)


def public_events(today):
    start, end = window(today)
    return calendar_events_for(None, start, end)


def ics(events, name, absolute):
    """The feed's bytes. ``absolute(path)`` makes an event's link a full address."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", event.uid)
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.start)
        entry.add("dtend", event.end + datetime.timedelta(days=1))
        entry.add("summary", event.summary)
        entry.add("transp", "TRANSPARENT")
        if event.url:
            entry.add("url", absolute(event.url))
        if event.description:
            entry.add("description", event.description)
        if event.location:
            entry.add("location", event.location)
        if event.category:
            entry.add("categories", [event.category])
        calendar.add_component(entry)
    return calendar.to_ical()


def calendar_name(office, user=None):
    if user is None:
        return _("%(office)s: public calendar") % {"office": office.shown_office_name}
    return _("%(office)s: my calendar") % {"office": office.shown_office_name}
