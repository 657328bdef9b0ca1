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
    """The feed's bytes. ``absolute(path)`` makes an event's link a full address.

    The calendar's own lines are the ``icalendar`` package's; the events' lines are
    written here, as that package writes them (the same property order, escaping and
    folding: tests/test_calendar.py compares the bytes with ``ics_by_icalendar``). Through
    the package each event cost about 0,9 ms: the public feed's thousand events of a
    register of a million delegations took 0,9 s (docs/PERFORMANCE.md, issue 16, third pass)."""
    calendar = calendar_head(name)
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    head = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    lines = []
    for event in events:
        lines += event_lines(event, stamp, absolute)
    body = "".join(line + "\r\n" for line in lines).encode("utf-8")
    return head[: -len(end)] + body + end


def calendar_head(name):
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    return calendar


def text(value):
    """An iCalendar TEXT value (RFC 5545 3.3.11), escaped as ``icalendar`` escapes it."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold(line, limit=75):
    """The content line folded at 75 octets (RFC 5545 3.1), as ``icalendar`` folds it:
    never inside a UTF-8 character, nor right after a backslash or a caret."""
    if len(line.encode("utf-8")) < limit:
        return line
    pieces, begin, count = [], 0, 0
    for i, char in enumerate(line):
        size = 1 if char < "\x80" else 2 if char < "\u0800" else 3 if char < "\U00010000" else 4
        if i > begin and count + size >= limit:
            if i - begin > 1 and line[i - 1] in "\\^":
                pieces.append(line[begin : i - 1])
                begin, count = i - 1, 1
            else:
                pieces.append(line[begin:i])
                begin, count = i, 0
        count += size
    pieces.append(line[begin:])
    return "\r\n ".join(pieces)


def event_lines(event, stamp, absolute):
    """One event's content lines, in ``icalendar``'s order: SUMMARY, DTSTART, DTEND,
    DTSTAMP, UID first, then the others by name."""
    lines = [
        "BEGIN:VEVENT",
        fold("SUMMARY:" + text(event.summary)),
        f"DTSTART;VALUE=DATE:{event.start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{event.end + datetime.timedelta(days=1):%Y%m%d}",
        "DTSTAMP:" + stamp,
        fold("UID:" + text(event.uid)),
    ]
    if event.category:
        lines.append(fold("CATEGORIES:" + text(event.category)))
    if event.description:
        lines.append(fold("DESCRIPTION:" + text(event.description)))
    if event.location:
        lines.append(fold("LOCATION:" + text(event.location)))
    lines.append("TRANSP:TRANSPARENT")
    if event.url:
        lines.append(fold("URL:" + absolute(event.url)))
    lines.append("END:VEVENT")
    return lines


def calendar_name(office, user=None):
    if user is None:
        return _("%(office)s: public calendar") % {"office": office.shown_office_name}
    return _("%(office)s: my calendar") % {"office": office.shown_office_name}
