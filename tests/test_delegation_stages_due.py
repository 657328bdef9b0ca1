"""The delegations' part of "Việc cần làm" and of the calendars (delegations/due.py): the result
reports late or due within a week, for those who chase them, and the trips each reader may see."""

import datetime as dt

import pytest
from django.urls import reverse

from delegations import due
from delegations.models import Delegation, Direction
from delegations.stage_fields import Stage
from duties.registry import calendar_events_for, due_items_for
from offices.models import OfficeProfile, StaffProfile
from offices.services import defaults_for, find_province
from partners.models import LocalUnit, LocalUnitKind
from tests.conftest import PUBLISHED, make_user

TODAY = dt.date(2026, 4, 20)


def returned(days_ago, **fields):
    """An outbound delegation back home ``days_ago`` days before TODAY, its report awaited."""
    back = TODAY - dt.timedelta(days=days_ago)
    data = {
        "direction": Direction.OUTBOUND,
        "title": f"Đoàn về {days_ago} ngày trước",
        "leader_name": "Hoàng Văn B",
        "start_date": back - dt.timedelta(days=4),
        "end_date": back,
        "status": "completed",
    }
    trip = Delegation.objects.create(**{**data, **fields})
    Delegation.objects.filter(pk=trip.pk).update(stage=Stage.RETURNED, returned_on=back)
    trip.refresh_from_db()
    return trip


def keys(items):
    return {item.key: item for item in items}


def test_a_late_report_is_overdue_by_the_days_past_its_deadline(db, staff):
    trip = returned(20)  # due 15 days after the return: 5 days late
    (item,) = due.due_items(staff, TODAY)
    assert item.key == f"delegation:{trip.pk}:report"
    assert item.stage == "overdue"
    assert item.due_on == TODAY - dt.timedelta(days=5)
    assert item.days_late(TODAY) == 5
    assert item.title == "Nộp báo cáo kết quả: Đoàn về 20 ngày trước (Trưởng đoàn: Hoàng Văn B)"
    assert item.kind == "Báo cáo kết quả chuyến đi"
    assert item.url == reverse("admin:delegations_delegation_change", args=[trip.pk])
    assert item.province == trip.province_id


def test_a_report_due_within_a_week_is_due_soon_and_one_further_is_not_listed(db, approver):
    soon = returned(9)  # due in 6 days
    returned(7)  # due in 8 days: not yet
    today_due = returned(15)  # due today: not late yet
    items = keys(due.due_items(approver, TODAY))
    assert set(items) == {f"delegation:{soon.pk}:report", f"delegation:{today_due.pk}:report"}
    assert items[f"delegation:{soon.pk}:report"].stage == "due_soon"
    assert items[f"delegation:{today_due.pk}:report"].stage == "due_soon"


def test_the_number_of_days_is_the_setting(db, staff, settings):
    settings.DELEGATION_REPORT_DUE_DAYS = 30
    returned(20)  # due in 10 days
    assert due.due_items(staff, TODAY) == []


def test_a_report_received_a_closed_trip_or_an_inbound_visit_is_not_due(db, staff):
    trip = returned(30)
    Delegation.objects.filter(pk=trip.pk).update(stage=Stage.REPORT_RECEIVED, report_received_on=TODAY)
    Delegation.objects.create(direction=Direction.OUTBOUND, title="Đoàn cũ", status="completed")
    Delegation.objects.create(direction=Direction.INBOUND, title="Đoàn vào", status="completed")
    assert due.due_items(staff, TODAY) == []


def test_another_provinces_late_report_is_not_on_the_list(db, staff, _an_office):
    OfficeProfile.objects.create(**{**defaults_for(find_province("04")), "province_code": "04"})
    StaffProfile.objects.create(user=staff, province=_an_office)
    ours = returned(20, province_id=_an_office.province_code)
    returned(25, province_id="04", title="Đoàn tỉnh khác")
    assert set(keys(due.due_items(staff, TODAY))) == {f"delegation:{ours.pk}:report"}


def test_visitors_officials_and_national_users_have_no_report_to_chase(db, official):
    returned(20)
    national = make_user("ministry", "national", is_staff=True)
    assert due.due_items(None, TODAY) == []
    assert due.due_items(official, TODAY) == []
    assert due.due_items(national, TODAY) == []


def test_a_staff_member_limited_to_a_unit_chases_its_reports_only(db, staff):
    cao_loc = LocalUnit.objects.create(name="Huyện Cao Lộc", kind=LocalUnitKind.DISTRICT)
    loc_binh = LocalUnit.objects.create(name="Huyện Lộc Bình", kind=LocalUnitKind.DISTRICT)
    StaffProfile.objects.create(user=staff, unit=cao_loc)
    ours = returned(20, host_unit=cao_loc)
    returned(20, host_unit=loc_binh)
    assert set(keys(due.due_items(staff, TODAY))) == {f"delegation:{ours.pk}:report"}


def test_the_due_list_gathers_the_delegations_items(db, staff):
    trip = returned(20)
    assert f"delegation:{trip.pk}:report" in keys(due_items_for(staff, TODAY))


def test_the_due_items_cost_two_queries(db, staff, django_assert_num_queries):
    returned(20)
    returned(18)
    due.due_items(staff, TODAY)  # the user's permissions, staff profile and unit limit: read once per request
    # The province's days to report (planning.rules); the delegations awaiting their report.
    with django_assert_num_queries(2):
        assert len(due.due_items(staff, TODAY)) == 2


# The calendars.


def trip_on(start, end, **fields):
    data = {"direction": Direction.INBOUND, "title": "Đoàn Quảng Tây", "start_date": start, "end_date": end}
    return Delegation.objects.create(**{**data, **fields})


APRIL = (dt.date(2026, 4, 1), dt.date(2026, 4, 30))


def uids(events):
    return {event.uid for event in events}


def test_the_public_calendar_holds_published_delegations_only(db):
    shown = trip_on(dt.date(2026, 4, 10), dt.date(2026, 4, 12), **PUBLISHED)
    trip_on(dt.date(2026, 4, 10), dt.date(2026, 4, 12), title="Đoàn nội bộ")
    events = due.calendar_events(None, *APRIL)
    assert uids(events) == {f"delegation-{shown.pk}@{shown.province_id}.register"}
    (event,) = events
    assert (event.start, event.end, event.category) == (shown.start_date, shown.end_date, "delegation")
    assert event.url == shown.get_absolute_url()


def test_the_calendar_holds_the_delegations_overlapping_the_range(db, official):
    overlapping = trip_on(dt.date(2026, 3, 30), dt.date(2026, 4, 2))
    one_day = trip_on(dt.date(2026, 4, 30), None)
    trip_on(dt.date(2026, 3, 1), dt.date(2026, 3, 31), title="Tháng trước")
    trip_on(dt.date(2026, 5, 1), dt.date(2026, 5, 3), title="Tháng sau")
    trip_on(dt.date(2026, 4, 1), None, date_precision="month", title="Chỉ biết tháng")
    trip_on(dt.date(2026, 4, 5), dt.date(2026, 4, 6), status="cancelled", title="Đã hủy")
    assert {event.uid.split("@")[0] for event in due.calendar_events(official, *APRIL)} == {
        f"delegation-{overlapping.pk}",
        f"delegation-{one_day.pk}",
    }


def test_a_signed_in_official_sees_the_provinces_internal_trips_but_no_deadline(db, official):
    internal = trip_on(dt.date(2026, 4, 10), dt.date(2026, 4, 12))
    returned(5)  # due within April
    events = due.calendar_events(official, *APRIL)
    assert f"delegation-{internal.pk}@{internal.province_id}.register" in uids(events)
    assert not [event for event in events if event.category == "deadline"]


def test_staff_see_the_result_reports_deadline_on_the_calendar(db, staff):
    trip = returned(5)  # back 15/04, due 30/04
    deadlines = [event for event in due.calendar_events(staff, *APRIL) if event.category == "deadline"]
    assert [(event.uid, event.start) for event in deadlines] == [
        (f"delegation-{trip.pk}-report@{trip.province_id}.register", dt.date(2026, 4, 30))
    ]


def test_another_provinces_internal_trip_is_not_on_a_users_calendar(db, official, _an_office):
    OfficeProfile.objects.create(**{**defaults_for(find_province("04")), "province_code": "04"})
    StaffProfile.objects.create(user=official, province=_an_office)
    trip_on(dt.date(2026, 4, 10), dt.date(2026, 4, 12), province_id="04")
    assert due.calendar_events(official, *APRIL) == []


@pytest.mark.parametrize("user", [None, "official"])
def test_the_calendars_gather_the_delegations_events(db, official, user):
    trip = trip_on(dt.date(2026, 4, 10), dt.date(2026, 4, 12), **PUBLISHED)
    reader = official if user else None
    assert f"delegation-{trip.pk}@{trip.province_id}.register" in uids(calendar_events_for(reader, *APRIL))
