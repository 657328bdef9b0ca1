"""The passports' deadlines: a passport is handed back within 5 working days of
the delegation's return (weekends and Vietnam's public holidays, Tết first, do
not count), and a passport the agency keeps is warned of 6 months before it
expires. The due list shows them to the custodian and the administrators of
the passport's province, never with the number."""

import datetime

import pytest
from django.urls import reverse

from common.working_days import add_working_days, is_working_day
from duties.registry import due_items_for
from offices import provinces, services
from offices.models import OfficeProfile
from offices.profile import remember_profile
from passports.due import calendar_events, due_items
from tests.passport_helpers import a_loan, a_passport, a_trip, role_user, signed_in

D = datetime.date


def test_tet_and_the_weekend_around_it_are_not_working_days():
    # Tết Bính Ngọ: 16 to 20 February 2026, Monday to Friday.
    assert [is_working_day(D(2026, 2, day)) for day in range(13, 24)] == [
        True,  # Friday 13
        False,  # Saturday
        False,  # Sunday
        False,  # 16: Tết's eve
        False,  # 17: Tết
        False,
        False,
        False,  # 20
        False,  # Saturday 21
        False,  # Sunday 22
        True,  # Monday 23
    ]


def test_five_working_days_after_a_return_just_before_tet_end_a_fortnight_later():
    assert add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)


def test_five_working_days_after_a_wednesday_return_skip_the_weekend():
    assert add_working_days(D(2026, 3, 4), 5) == D(2026, 3, 11)


def test_national_day_is_skipped_too():
    # 1 and 2 September 2026 (Tuesday, Wednesday) are holidays; 31 August is a day off moved from 22 August.
    assert add_working_days(D(2026, 8, 28), 1) == D(2026, 9, 3)


@pytest.fixture
def custodian(db):
    return role_user("passport custodian")


@pytest.fixture
def trip(db):
    # Back on Wednesday 4 March 2026: the passports are due on Wednesday 11 March.
    return a_trip(start=D(2026, 2, 25), end=D(2026, 3, 4))


def loan_items(user, today):
    return [item for item in due_items(user, today) if item.key.startswith("passport-loan:")]


def test_a_passport_not_back_after_five_working_days_is_overdue_for_the_custodian(custodian, trip):
    loan = a_loan(a_passport(holder="Lý Văn Dũng"), trip, handed_out_on=D(2026, 2, 20))
    (item,) = loan_items(custodian, D(2026, 3, 13))
    assert (item.key, item.stage, item.due_on, item.province) == (
        f"passport-loan:{loan.pk}:return",
        "overdue",
        D(2026, 3, 11),
        "20",
    )
    assert item.days_late(D(2026, 3, 13)) == 2
    assert item.url == reverse("admin:passports_passportloan_change", args=[loan.pk])
    assert item.title == "Nộp lại hộ chiếu công vụ của Lý Văn Dũng (đoàn: Đoàn công tác sang Quảng Tây), hạn 11/03/2026"


def test_a_passport_still_within_its_five_working_days_is_not_due_yet(custodian, trip):
    a_loan(a_passport(), trip, handed_out_on=D(2026, 2, 20))
    assert loan_items(custodian, D(2026, 3, 11)) == []


def test_a_returned_passport_is_not_due(custodian, trip):
    a_loan(a_passport(), trip, handed_out_on=D(2026, 2, 20), returned_on=D(2026, 3, 12))
    assert loan_items(custodian, D(2026, 4, 1)) == []


def test_a_trip_with_no_return_date_yet_asks_nothing(custodian):
    a_loan(a_passport(), a_trip(start=D(2026, 2, 25), end=None), handed_out_on=D(2026, 2, 20))
    assert loan_items(custodian, D(2026, 6, 1)) == []


def test_the_number_of_working_days_is_a_setting(custodian, trip, settings):
    settings.PASSPORT_RETURN_WORKING_DAYS = 2
    a_loan(a_passport(), trip, handed_out_on=D(2026, 2, 20))
    (item,) = loan_items(custodian, D(2026, 3, 9))
    assert item.due_on == D(2026, 3, 6)


def test_a_passport_with_less_than_six_months_left_is_warned_of_without_its_number(custodian):
    soon = a_passport(holder="Đinh Thị Én", number="C7000001", expires_on=D(2026, 9, 1), kind="diplomatic")
    a_passport(holder="Còn hạn", number="C7000002", expires_on=D(2026, 10, 1))
    a_passport(holder="Cơ quan không giữ", number="C7000003", expires_on=D(2026, 5, 1), kept_by_agency=False)
    (item,) = due_items(custodian, D(2026, 3, 13))
    assert (item.key, item.stage, item.due_on) == (f"passport:{soon.pk}:expiry", "expiring", D(2026, 9, 1))
    assert item.title == "Hộ chiếu ngoại giao của Đinh Thị Én hết hạn ngày 01/09/2026"
    assert "C7000001" not in item.title + item.url + item.kind


def test_an_expired_passport_is_a_new_stage_of_the_same_item(custodian):
    passport = a_passport(expires_on=D(2026, 3, 1))
    (item,) = due_items(custodian, D(2026, 3, 13))
    assert (item.key, item.stage) == (f"passport:{passport.pk}:expiry", "expired")


def test_the_warning_months_are_a_setting(custodian, settings):
    settings.PASSPORT_EXPIRY_WARNING_MONTHS = 7
    a_passport(expires_on=D(2026, 10, 1))
    assert len(due_items(custodian, D(2026, 3, 13))) == 1


@pytest.mark.parametrize("role", ["staff", "approver", "official", "national"])
def test_who_cannot_act_on_a_passport_is_given_none_of_its_deadlines(role, trip):
    a_loan(a_passport(expires_on=D(2026, 5, 1)), trip, handed_out_on=D(2026, 2, 20))
    assert due_items(role_user(role), D(2026, 3, 13)) == []


def test_administrators_get_the_passports_deadlines_and_the_due_list_gathers_them(trip):
    a_loan(a_passport(expires_on=D(2026, 5, 1)), trip, handed_out_on=D(2026, 2, 20))
    administrator = role_user("administrator")
    stages = sorted(item.stage for item in due_items_for(administrator, D(2026, 3, 13)) if "passport" in item.key)
    assert stages == ["expiring", "overdue"]


def test_an_anonymous_user_is_given_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    a_passport(expires_on=D(2026, 5, 1))
    assert due_items(AnonymousUser(), D(2026, 3, 13)) == []


# --- another province's passports -----------------------------------------------------------------------------------


@pytest.fixture
def other_province(db):
    second = OfficeProfile(**services.defaults_for(provinces.province("04")))
    second.full_clean()
    second.save()
    remember_profile(None)
    return second


def test_another_provinces_passports_are_invisible_to_a_provinces_custodian(other_province):
    ours = a_passport(holder="Người tỉnh nhà", number="C1111111", expires_on=D(2026, 5, 1), province_id="20")
    theirs = a_passport(holder="Người tỉnh bạn", number="C1111111", expires_on=D(2026, 5, 1), province_id="04")
    a_loan(theirs, a_trip(start=D(2026, 2, 25), end=D(2026, 3, 4), province_id="04"), handed_out_on=D(2026, 2, 20))
    custodian = role_user("passport custodian", province="20")
    assert [item.key for item in due_items(custodian, D(2026, 3, 13))] == [f"passport:{ours.pk}:expiry"]
    client = signed_in(custodian)
    page = client.get(reverse("admin:passports_passport_changelist")).text
    assert "Người tỉnh nhà" in page and "Người tỉnh bạn" not in page
    response = client.get(reverse("admin:passports_passport_change", args=[theirs.pk]))
    assert response.status_code == 302  # the admin's "no such passport", as for any record not the user's
    loans = client.get(reverse("admin:passports_passportloan_changelist")).text
    assert "Người tỉnh bạn" not in loans
    export = client.get(reverse("admin:passports_passport_export"), {"download": "1", "numbers": "1"})
    assert "Người tỉnh bạn".encode() not in export.content


def test_the_custodians_calendar_has_the_day_a_passport_is_due_back_and_the_public_feed_has_none(custodian, trip):
    loan = a_loan(a_passport(holder="Lý Văn Dũng"), trip, handed_out_on=D(2026, 2, 20))
    a_loan(a_passport(number="C7000009"), a_trip(title="Đoàn đã về"), returned_on=D(2026, 2, 9))
    (event,) = calendar_events(custodian, D(2026, 3, 1), D(2026, 3, 31))
    assert (event.uid, event.start, event.end, event.category) == (
        f"passport-loan-{loan.pk}-return@20.register",
        D(2026, 3, 11),
        D(2026, 3, 11),
        "deadline",
    )
    assert event.summary == "Hạn nộp lại hộ chiếu công vụ của Lý Văn Dũng"
    assert "C1234567" not in event.summary + event.description
    assert calendar_events(custodian, D(2026, 4, 1), D(2026, 4, 30)) == []
    assert calendar_events(None, D(2026, 3, 1), D(2026, 3, 31)) == []
    assert calendar_events(role_user("staff"), D(2026, 3, 1), D(2026, 3, 31)) == []
