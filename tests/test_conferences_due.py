"""What is due on international conferences (conferences/due.py, duties/registry.py):
applications whose deadline is near or past, consultations unanswered after 15
days, reports late after the event; for whom; and the conferences on the calendar."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from conferences import due
from conferences.models import Authority, Conference, ConferenceKind, ConferenceStatus, Consultation
from offices import services
from offices.models import OfficeProfile, StaffProfile
from partners.models import LocalUnit, LocalUnitKind
from register.publishable import ReviewState
from tests.conftest import PUBLISHED, make_user

TODAY = dt.date(2026, 9, 1)


def conference(title="Hội thảo quốc tế về du lịch", opening=TODAY + dt.timedelta(days=40), **fields):
    return Conference.objects.create(
        title=title, kind=ConferenceKind.SEMINAR, start_date=opening, end_date=opening, **fields
    )


def fresh(user):
    """The user read again, as a request reads it: permissions are cached on the object."""
    return get_user_model().objects.get(pk=user.pk)


def keyed(user, today=TODAY):
    return {item.key: item for item in due.due_items(fresh(user), today)}


# Applications ------------------------------------------------------------------


def test_an_application_due_within_two_weeks_is_due_soon(staff):
    seminar = conference(opening=TODAY + dt.timedelta(days=40), authority=Authority.PROVINCIAL_CHAIRMAN)
    item = keyed(staff)[f"conference:{seminar.pk}:application"]
    assert (item.stage, item.due_on) == ("due_soon", TODAY + dt.timedelta(days=10))
    assert item.url == seminar.get_absolute_url()
    assert item.days_late(TODAY) == -10
    assert "Hội thảo quốc tế về du lịch" in item.title
    assert item.province == "20"


def test_an_application_past_its_deadline_is_overdue_and_says_by_how_much(staff):
    seminar = conference(opening=TODAY + dt.timedelta(days=35), authority=Authority.PRIME_MINISTER)
    item = keyed(staff)[f"conference:{seminar.pk}:application"]
    assert item.stage == "overdue"
    assert item.days_late(TODAY) == 5  # 40 days before the opening was five days ago


def test_an_application_due_later_than_two_weeks_is_not_listed_yet(staff):
    conference(opening=TODAY + dt.timedelta(days=45), authority=Authority.PROVINCIAL_CHAIRMAN)
    assert keyed(staff) == {}


def test_an_application_sent_is_no_longer_due(staff):
    conference(opening=TODAY + dt.timedelta(days=35), application_date=TODAY - dt.timedelta(days=1))
    assert not [key for key in keyed(staff) if key.endswith(":application")]


def test_a_cancelled_conference_has_nothing_due(staff):
    conference(opening=TODAY + dt.timedelta(days=35), status=ConferenceStatus.CANCELLED)
    assert keyed(staff) == {}


def test_a_conference_already_opened_has_no_application_due(staff):
    conference(opening=TODAY - dt.timedelta(days=1))
    assert keyed(staff) == {}


# Consultations ------------------------------------------------------------------


def test_a_consultation_unanswered_after_15_days_is_overdue(approver):
    seminar = conference(application_date=TODAY - dt.timedelta(days=20))
    asked = Consultation.objects.create(conference=seminar, agency="Bộ Công an", asked_on=TODAY - dt.timedelta(days=16))
    item = keyed(approver)[f"consultation:{asked.pk}:answer"]
    assert (item.stage, item.days_late(TODAY)) == ("overdue", 1)
    assert "Bộ Công an" in item.title


def test_a_consultation_within_its_15_days_is_not_yet_due(staff):
    seminar = conference(application_date=TODAY - dt.timedelta(days=20))
    Consultation.objects.create(conference=seminar, agency="Bộ Công an", asked_on=TODAY - dt.timedelta(days=15))
    assert not [key for key in keyed(staff) if key.startswith("consultation:")]


def test_an_answered_consultation_is_not_due(staff):
    seminar = conference(application_date=TODAY - dt.timedelta(days=30))
    Consultation.objects.create(
        conference=seminar, agency="Bộ Ngoại giao", asked_on=TODAY - dt.timedelta(days=30), answered_on=TODAY
    )
    assert not [key for key in keyed(staff) if key.startswith("consultation:")]


# Reports -------------------------------------------------------------------------


def test_a_report_not_sent_15_days_after_the_event_is_overdue(staff):
    held = conference(
        opening=TODAY - dt.timedelta(days=20),
        application_date=TODAY - dt.timedelta(days=60),
        status=ConferenceStatus.HELD,
    )
    item = keyed(staff)[f"conference:{held.pk}:report"]
    assert (item.stage, item.days_late(TODAY)) == ("overdue", 5)


def test_a_report_due_within_a_week_is_due_soon(staff):
    held = conference(opening=TODAY - dt.timedelta(days=10), application_date=TODAY - dt.timedelta(days=60))
    assert keyed(staff)[f"conference:{held.pk}:report"].stage == "due_soon"


def test_a_report_sent_is_not_due(staff):
    conference(
        opening=TODAY - dt.timedelta(days=20),
        application_date=TODAY - dt.timedelta(days=60),
        report_date=TODAY - dt.timedelta(days=2),
    )
    assert keyed(staff) == {}


def test_a_conference_copied_from_an_article_has_no_report_to_chase(staff):
    conference(opening=dt.date(2011, 10, 5))
    assert keyed(staff) == {}


# For whom ------------------------------------------------------------------------


@pytest.fixture
def overdue(db):
    """A conference with an overdue application and an unanswered consultation."""
    seminar = conference(opening=TODAY + dt.timedelta(days=20))
    Consultation.objects.create(conference=seminar, agency="Bộ Công an", asked_on=TODAY - dt.timedelta(days=30))
    return seminar


def test_staff_and_approvers_get_the_items(staff, approver, overdue):
    assert len(keyed(staff)) == len(keyed(approver)) == 2


def test_an_official_only_reads_and_gets_no_items(official, overdue):
    assert keyed(official) == {}


def test_a_visitor_gets_no_items(overdue):
    assert due.due_items(AnonymousUser(), TODAY) == []
    assert due.due_items(None, TODAY) == []


def test_a_national_user_gets_no_items(overdue):
    assert keyed(make_user("ministry", "national")) == {}


def test_staff_of_another_province_do_not_get_this_provinces_items(overdue):
    profile = OfficeProfile(**services.defaults_for(services.find_province("04")))
    profile.full_clean()
    profile.save()
    other = make_user("staff04", "staff", is_staff=True)
    StaffProfile.objects.create(user=other, province_id="04")
    assert keyed(other) == {}


def test_staff_limited_to_a_unit_get_only_that_units_conferences(staff, overdue):
    unit = LocalUnit.objects.create(name="Sở Văn hóa", kind=LocalUnitKind.DEPARTMENT)
    StaffProfile.objects.create(user=staff, province_id="20", unit=unit)
    assert keyed(staff) == {}
    overdue.organiser = unit
    overdue.save()
    assert len(keyed(staff)) == 2


def test_the_due_items_cost_four_queries(staff, overdue, django_assert_num_queries):
    user = fresh(staff)
    user.has_perm("conferences.change_conference")  # the permissions, read once per request
    # 1 the staff profile (its unit); 2 the conferences waiting for their application;
    # 3 the consultations unanswered; 4 the reports due.
    with django_assert_num_queries(4):
        assert len(due.due_items(user, TODAY)) == 2


def test_the_registry_gathers_the_conference_items(staff, overdue):
    from duties.registry import due_items_for

    keys = {item.key for item in due_items_for(fresh(staff), TODAY)}
    assert f"conference:{overdue.pk}:application" in keys


# The calendar --------------------------------------------------------------------


@pytest.fixture
def calendar(db):
    return {
        "published": conference("Diễn đàn du lịch", opening=dt.date(2026, 10, 3), **PUBLISHED),
        "internal": conference("Hội nghị nội bộ", opening=dt.date(2026, 10, 10), review_state=ReviewState.APPROVED),
        "later": conference("Hội thảo tháng sau", opening=dt.date(2026, 11, 20), **PUBLISHED),
        "cancelled": conference(
            "Hội thảo bị hủy", opening=dt.date(2026, 10, 12), status=ConferenceStatus.CANCELLED, **PUBLISHED
        ),
    }


def summaries(user, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31)):
    return [event.summary for event in due.calendar_events(user, start, end)]


def test_the_public_calendar_holds_published_conferences_in_the_range(calendar):
    assert summaries(None) == ["Diễn đàn du lịch"]


def test_an_officials_calendar_holds_the_internal_ones_too(official, calendar):
    assert summaries(fresh(official)) == ["Diễn đàn du lịch", "Hội nghị nội bộ"]


def test_a_conference_running_into_the_range_is_on_the_calendar(calendar):
    long = calendar["published"]
    long.start_date, long.end_date = dt.date(2026, 9, 28), dt.date(2026, 10, 2)
    long.save()
    event = due.calendar_events(None, dt.date(2026, 10, 1), dt.date(2026, 10, 31))[0]
    assert (event.start, event.end, event.category) == (dt.date(2026, 9, 28), dt.date(2026, 10, 2), "conference")
    assert event.uid == f"conference-{long.pk}@20.register"
