"""The deadlines of Decision 06/2020/QĐ-TTg on international conferences and
seminars in Viet Nam, each a setting an administrator may change (the
province's regulation can be stricter), with the decision's numbers as defaults.

- The application must reach the approving authority at least 30 days before
  the opening, 40 days when the Prime Minister decides (CONFERENCE_APPLICATION_DAYS,
  CONFERENCE_APPLICATION_DAYS_PRIME_MINISTER).
- A consulted agency answers within 15 days of being asked (CONFERENCE_CONSULTATION_DAYS).
- The organiser reports on the event within 15 days of its end (CONFERENCE_REPORT_DAYS).
- The due list warns of an application deadline this many days ahead (CONFERENCE_APPLICATION_WARNING_DAYS).
"""

import datetime

from django.conf import settings

DEFAULTS = {
    "CONFERENCE_APPLICATION_DAYS": 30,
    "CONFERENCE_APPLICATION_DAYS_PRIME_MINISTER": 40,
    "CONFERENCE_CONSULTATION_DAYS": 15,
    "CONFERENCE_REPORT_DAYS": 15,
    "CONFERENCE_APPLICATION_WARNING_DAYS": 14,
}


def days(name):
    """The setting ``name`` in days (settings.py may override the default)."""
    return int(getattr(settings, name, DEFAULTS[name]))


def application_days(prime_minister):
    return days("CONFERENCE_APPLICATION_DAYS_PRIME_MINISTER" if prime_minister else "CONFERENCE_APPLICATION_DAYS")


def application_deadline(start_date, prime_minister):
    """The last day the application may reach the authority, or None without an opening date."""
    if start_date is None:
        return None
    return start_date - datetime.timedelta(days=application_days(prime_minister))


def consultation_deadline(asked_on):
    return asked_on + datetime.timedelta(days=days("CONFERENCE_CONSULTATION_DAYS"))


def report_deadline(start_date, end_date):
    """The last day for the post-event report: from the end, else the opening day."""
    last_day = end_date or start_date
    if last_day is None:
        return None
    return last_day + datetime.timedelta(days=days("CONFERENCE_REPORT_DAYS"))
