"""What is due, and what is on the calendar, gathered from the apps that know.

Each app that has deadlines or dated events keeps them in its own ``due.py``
(``delegations/due.py``, ``passports/due.py``, ``conferences/due.py``,
``agreements/due.py``, ``register/due.py``) with one or both of:

- ``due_items(user, today)``: the ``DueItem``s that ``user`` should act on
  (their province's records only, and only what their role can act on);
- ``calendar_events(user, start, end)``: the ``CalendarEvent``s between
  ``start`` and ``end`` that ``user`` may see; ``user`` is None for the public
  feed, which holds published records only.

The due list, the reminders and the calendars (duties/) read every app through
``due_items_for`` and ``calendar_events_for`` and never import an app's models.
A record app imports only this module from duties, so the one-way direction of
imports holds: duties/registry.py sits below the record apps, like common/.
"""

import dataclasses
import datetime

from django.utils.module_loading import autodiscover_modules

_providers_loaded = False


@dataclasses.dataclass(frozen=True)
class DueItem:
    # Stable across days for the same thing and stage ("delegation:42:report"): a reminder
    # is sent once per (user, key, stage).
    key: str
    # What the deadline is about, as the list groups it ("Báo cáo kết quả chuyến đi").
    kind: str
    # The line's text: the record and what must be done ("Nộp báo cáo kết quả: Đoàn ... (Trưởng đoàn ...)").
    title: str
    url: str
    due_on: datetime.date
    # "due_soon", "overdue", "expiring", "waiting"...: a new stage of the same key mails again.
    stage: str = "due"
    # The province code of the record, for the national view and the digest.
    province: str = ""

    def days_late(self, today):
        """Days past due_on (negative while still ahead)."""
        return (today - self.due_on).days


@dataclasses.dataclass(frozen=True)
class CalendarEvent:
    # Globally unique and stable (RFC 5545 UID): "delegation-42@<province>.register".
    uid: str
    summary: str
    start: datetime.date
    # Inclusive last day (the feed writes DTEND as the day after, as RFC 5545 wants for dates).
    end: datetime.date
    url: str = ""
    description: str = ""
    location: str = ""
    # "delegation", "conference", "deadline"...
    category: str = ""


def _load_providers():
    global _providers_loaded
    if not _providers_loaded:
        autodiscover_modules("due")
        _providers_loaded = True


def _provider_modules():
    import sys

    from django.apps import apps

    _load_providers()
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.due")
        if module is not None:
            yield module


def due_items_for(user, today):
    """Every app's due items for ``user``, the most late first."""
    items = []
    for module in _provider_modules():
        if hasattr(module, "due_items"):
            items.extend(module.due_items(user, today))
    return sorted(items, key=lambda item: (item.due_on, item.key))


def calendar_events_for(user, start, end):
    """Every app's calendar events between ``start`` and ``end`` (inclusive) that ``user`` may see
    (``user`` None: the public's)."""
    events = []
    for module in _provider_modules():
        if hasattr(module, "calendar_events"):
            events.extend(module.calendar_events(user, start, end))
    return sorted(events, key=lambda event: (event.start, event.uid))
