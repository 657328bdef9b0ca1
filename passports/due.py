"""The passports' due items (duties/registry.py): passports not handed back within
``PASSPORT_RETURN_WORKING_DAYS`` working days of the delegation's return, and
passports the agency keeps with less than ``PASSPORT_EXPIRY_WARNING_MONTHS``
of validity left.

For the users who look after the passports: the custodian role and the
administrators (``view_passport_number``), of their province (a national
user: every province). Staff and approvers get none: they cannot act on a
passport (they only read whether it is out). A line never holds the number:
it may be mailed (duties' reminders). Their calendar has the days the
passports still out are due back."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from duties.registry import CalendarEvent, DueItem
from offices.scope import records_of
from passports.access import may_see_numbers
from passports.models import Passport, PassportKind, PassportLoan, months_after, warning_months

# The kind inside a sentence ("Nộp lại hộ chiếu công vụ của ...").
KIND_IN_TEXT = {
    PassportKind.OFFICIAL: _lazy("official passport"),
    PassportKind.DIPLOMATIC: _lazy("diplomatic passport"),
}


def _day(value):
    return date_format(value, "SHORT_DATE_FORMAT")


def due_items(user, today):
    """Two queries: the open hand-outs with their delegations, the passports near expiry."""
    if not getattr(user, "is_authenticated", False) or not may_see_numbers(user):
        return []
    items = []
    loans = records_of(PassportLoan.objects.not_returned(), user).select_related("passport", "delegation")
    for loan in loans:
        due = loan.return_due_on()
        if due is None or due >= today:
            continue
        items.append(
            DueItem(
                key=f"passport-loan:{loan.pk}:return",
                kind=_("Passport not returned"),
                title=_("Hand back the %(kind)s of %(holder)s (delegation: %(delegation)s), due %(due)s")
                % {
                    "kind": KIND_IN_TEXT[loan.passport.kind],
                    "holder": loan.passport.holder_name,
                    "delegation": loan.delegation.title,
                    "due": _day(due),
                },
                url=reverse("admin:passports_passportloan_change", args=[loan.pk]),
                due_on=due,
                stage="overdue",
                province=loan.province_id,
            )
        )
    horizon = months_after(today, warning_months())
    for passport in records_of(Passport.objects.expiring_by(horizon), user).order_by("expires_on", "pk"):
        expired = passport.expires_on < today
        sentence = (
            _("The %(kind)s of %(holder)s expired on %(day)s")
            if expired
            else _("The %(kind)s of %(holder)s expires on %(day)s")
        )
        items.append(
            DueItem(
                key=f"passport:{passport.pk}:expiry",
                kind=_("Passport expiring"),
                title=capfirst(
                    sentence
                    % {
                        "kind": KIND_IN_TEXT[passport.kind],
                        "holder": passport.holder_name,
                        "day": _day(passport.expires_on),
                    }
                ),
                url=reverse("admin:passports_passport_change", args=[passport.pk]),
                due_on=passport.expires_on,
                stage="expired" if expired else "expiring",
                province=passport.province_id,
            )
        )
    return items


def calendar_events(user, start, end):
    """The days the passports still out are due back, for who looks after them (one query); none in the
    public feed (``user`` None). The holder's name, never the number: a calendar is synced to phones."""
    if user is None or not getattr(user, "is_authenticated", False) or not may_see_numbers(user):
        return []
    events = []
    loans = records_of(PassportLoan.objects.not_returned(), user).select_related("passport", "delegation")
    for loan in loans:
        due = loan.return_due_on()
        if due is None or not start <= due <= end:
            continue
        events.append(
            CalendarEvent(
                uid=f"passport-loan-{loan.pk}-return@{loan.province_id}.register",
                summary=_("Passport due back: %(kind)s of %(holder)s")
                % {"kind": KIND_IN_TEXT[loan.passport.kind], "holder": loan.passport.holder_name},
                start=due,
                end=due,
                url=reverse("admin:passports_passportloan_change", args=[loan.pk]),
                description=loan.delegation.title,
                category="deadline",
            )
        )
    return events
