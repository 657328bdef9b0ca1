"""Records and fake providers shared by the due list's, the reminders' and the calendars' tests."""

import datetime
import sys
import types

import pytest

from agreements.models import Agreement, AgreementKind, AgreementStatus
from duties import lines, registry
from duties.registry import CalendarEvent, DueItem
from offices import services
from offices.models import OfficeProfile, StaffProfile
from tests.conftest import make_user

TODAY = datetime.date(2026, 12, 7)
PUBLISHED = {"is_public": True, "review_state": "approved"}


def days(n):
    return TODAY + datetime.timedelta(days=n)


def agreement(title, expires_in, province="20", **fields):
    fields.setdefault("status", AgreementStatus.IN_FORCE)
    return Agreement.objects.create(
        title=title,
        kind=AgreementKind.MOU,
        signed_on=days(-400),
        expires_on=days(expires_in) if expires_in is not None else None,
        province_id=province,
        **fields,
    )


def second_office(code="04"):
    profile = OfficeProfile(**services.defaults_for(services.find_province(code)))
    profile.full_clean()
    profile.save()
    return profile


def user_of(username, group, code, **flags):
    user = make_user(username, group, **flags)
    StaffProfile.objects.create(user=user, province_id=code)
    return user


def install_fake_provider(monkeypatch):
    """A provider module ``fake_due`` in the registry (a test's ``provider`` fixture): its
    ``items`` and ``events`` are what it answers to every signed-in user (and the events
    to the public too, when its ``public`` is True)."""
    module = types.ModuleType("fake_due")
    module.items = []
    module.events = []
    module.public = False

    def due_items(user, today):
        return list(module.items) if user is not None else []

    def calendar_events(user, start, end):
        if user is None and not module.public:
            return []
        return [event for event in module.events if event.end >= start and event.start <= end]

    module.due_items = due_items
    module.calendar_events = calendar_events
    real = registry._provider_modules

    def with_fake():
        yield from real()
        yield module

    monkeypatch.setattr(registry, "_provider_modules", with_fake)
    monkeypatch.setitem(sys.modules, "fake_due", module)
    return module


def report_item(pk=42, due_in=-3, stage="overdue"):
    return DueItem(
        key=f"delegation:{pk}:report",
        kind="Báo cáo kết quả chuyến đi",
        title=f"Nộp báo cáo kết quả: Đoàn số {pk}",
        url=f"/delegations/{pk}/",
        due_on=days(due_in),
        stage=stage,
        province="20",
    )


def trip_event(pk=42, start_in=3, length=4):
    return CalendarEvent(
        uid=f"delegation-{pk}@20.register",
        summary=f"Đoàn số {pk} đi Quảng Tây",
        start=days(start_in),
        end=days(start_in + length - 1),
        url=f"/delegations/{pk}/",
        category="delegation",
    )


@pytest.fixture
def provider(monkeypatch):
    """A fake app's due.py: what it answers, the test says."""
    return install_fake_provider(monkeypatch)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(lines, "today", lambda: TODAY)
