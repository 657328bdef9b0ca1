"""The due list as people read it: each item with how late it is, in words, and
the items grouped by kind (the page, the admin's front page and the digest)."""

import dataclasses

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from duties.registry import DueItem, due_items_for


@dataclasses.dataclass(frozen=True)
class Line:
    item: DueItem
    # "overdue", "today", "ahead", "waiting": the list's colour.
    state: str
    # "quá hạn 3 ngày", "hôm nay", "còn 5 ngày", "đã chờ 2 ngày".
    lateness: str


def today():
    """The office's today (settings.TIME_ZONE), not the server's UTC date."""
    return timezone.localdate()


def lateness(item, today):
    """(state, words) of how late ``item`` is on ``today``."""
    days = item.days_late(today)
    if item.stage == "waiting":  # a record in review is not late, it has waited since it was submitted
        if days <= 0:
            return "waiting", _("submitted today")
        return "waiting", ngettext("waiting for %(n)s day", "waiting for %(n)s days", days) % {"n": days}
    if days > 0:
        return "overdue", ngettext("%(n)s day overdue", "%(n)s days overdue", days) % {"n": days}
    if days == 0:
        return "today", _("due today")
    return "ahead", ngettext("%(n)s day left", "%(n)s days left", -days) % {"n": -days}


def lines_of(items, today):
    return [Line(item, *lateness(item, today)) for item in items]


def grouped(lines):
    """[(kind, [lines])], the kinds in the order of their most urgent line."""
    groups = {}
    for line in lines:
        groups.setdefault(str(line.item.kind), []).append(line)
    return list(groups.items())


def due_lines_for(user, on=None):
    """The lines ``user`` acts on (each provider's queries: see duties/registry.py)."""
    on = on or today()
    return lines_of(due_items_for(user, on), on)
