"""The calendars: a user's iCalendar feed at a secret address, the public feed of
published records, and the month page."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from duties.models import CalendarToken
from tests import duties_fixtures
from tests.duties_fixtures import (
    PUBLISHED,
    agreement,
    days,
    report_item,
    second_office,
    trip_event,
    user_of,
)

pytestmark = pytest.mark.django_db

# The fake provider and the fixed day (tests/duties_fixtures.py).
provider = duties_fixtures.provider
_today = duties_fixtures._today


def feed_of(client, user):
    token = CalendarToken.objects.create(user=user)
    return client.get(reverse("duties:feed", args=[token.token]))


def events_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return calendar, {str(event["UID"]): event for event in calendar.walk("VEVENT")}


# A user's feed ---------------------------------------------------------------------------------------


def test_a_users_feed_holds_their_events_and_deadlines_as_all_day_events(client, staff, provider):
    provider.events = [trip_event(pk=42, start_in=3, length=4)]
    provider.items = [report_item(pk=9, due_in=-2)]
    expiring = agreement("Bản ghi nhớ sắp hết hạn", 20)
    calendar, events = events_of(feed_of(client, staff))

    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
    assert "lịch của tôi" in str(calendar["X-WR-CALNAME"])
    trip = events["delegation-42@20.register"]
    assert trip.decoded("DTSTART") == days(3)
    assert trip.decoded("DTEND") == days(7)  # exclusive: the day after the fourth day
    assert str(trip["SUMMARY"]) == "Đoàn số 42 đi Quảng Tây"
    assert str(trip["URL"]) == "http://testserver/delegations/42/"
    assert isinstance(trip.decoded("DTSTAMP"), datetime.datetime)
    report = events["due-delegation-9-report-overdue@20.register"]
    assert report.decoded("DTSTART") == days(-2) and report.decoded("DTEND") == days(-1)
    assert "Báo cáo kết quả chuyến đi" in str(report["SUMMARY"])
    expiry = events[f"agreement-{expiring.pk}-expiry@20.register"]
    assert expiry.decoded("DTSTART") == days(20)
    # The expiry is also a due item: the feed shows it once, as the agreement's event.
    assert f"due-agreement-{expiring.pk}-expiry-expiring@20.register" not in events


def test_events_outside_the_feeds_year_are_left_out(client, staff, provider):
    provider.events = [trip_event(pk=1, start_in=400), trip_event(pk=2, start_in=-60, length=1)]
    _calendar, events = events_of(feed_of(client, staff))
    assert events == {}


def test_a_second_calendar_client_reads_the_feed(client, staff, provider):
    vobject = pytest.importorskip("vobject")  # requirements-dev.txt: an independent reader of iCalendar
    provider.events = [trip_event(pk=42, start_in=3, length=4)]
    parsed = vobject.readOne(feed_of(client, staff).content.decode())
    (event,) = parsed.vevent_list
    assert event.uid.value == "delegation-42@20.register"
    assert (event.dtstart.value, event.dtend.value) == (days(3), days(7))
    assert event.summary.value == "Đoàn số 42 đi Quảng Tây"


def test_an_unknown_token_is_not_found(client):
    assert client.get(reverse("duties:feed", args=["no-such-token"])).status_code == 404


def test_a_revoked_token_is_not_found(client, staff):
    token = CalendarToken.objects.create(user=staff)
    url = reverse("duties:feed", args=[token.token])
    assert client.get(url).status_code == 200
    client.force_login(staff)
    client.post(reverse("duties:feed_revoke"))
    client.logout()
    assert client.get(url).status_code == 404


def test_the_token_of_a_deactivated_user_is_not_found(client, staff):
    token = CalendarToken.objects.create(user=staff)
    staff.is_active = False
    staff.save()
    assert client.get(reverse("duties:feed", args=[token.token])).status_code == 404


def test_a_user_makes_sees_and_renews_their_address_and_the_old_one_stops_working(client, official):
    client.force_login(official)
    page = client.get(reverse("duties:feed_settings")).content.decode()
    assert "Bạn chưa có địa chỉ lịch nào đang dùng" in page
    client.post(reverse("duties:feed_create"))
    first = CalendarToken.objects.get(user=official)
    assert f"/calendar/{first.token}.ics" in client.get(reverse("duties:feed_settings")).content.decode()
    client.post(reverse("duties:feed_create"))
    first.refresh_from_db()
    assert first.revoked_at is not None
    (current,) = CalendarToken.objects.filter(user=official, revoked_at__isnull=True)
    assert client.get(reverse("duties:feed", args=[first.token])).status_code == 404
    assert client.get(reverse("duties:feed", args=[current.token])).status_code == 200


def test_the_database_keeps_one_address_in_use_per_user(staff):
    from django.db import IntegrityError

    CalendarToken.objects.create(user=staff)
    with pytest.raises(IntegrityError):
        CalendarToken.objects.create(user=staff)


def test_a_visitor_is_sent_to_sign_in_from_the_feed_page_and_cannot_post(client):
    assert client.get(reverse("duties:feed_settings")).status_code == 302
    assert client.post(reverse("duties:feed_create")).status_code == 302
    assert CalendarToken.objects.count() == 0


def test_the_address_page_takes_only_posts_to_change_the_address(client, staff):
    client.force_login(staff)
    assert client.get(reverse("duties:feed_create")).status_code == 405
    assert client.get(reverse("duties:feed_revoke")).status_code == 405


def test_the_feed_reads_a_constant_number_of_queries(client, staff, django_assert_num_queries):
    for n in range(3):
        agreement(f"Bản ghi nhớ {n}", 10 + n)
    token = CalendarToken.objects.create(user=staff)
    url = reverse("duties:feed", args=[token.token])
    client.get(url)  # content types and the office profile read once, as a running site has them
    # The token with its user; the user's permissions (own and group's) and groups (passports: is a
    # custodian?); their staff profile; the calendar events: the province's days to report and the
    # delegations with the reports' deadlines (delegations/due.py), the agreements, the conferences;
    # the due items: the days and the delegations awaiting their report, the agreements expiring, the
    # conferences' applications, consultations and reports (conferences/due.py). The review queue asks
    # nothing of staff.
    with django_assert_num_queries(15):
        _calendar, events = events_of(client.get(url))
    assert len(events) == 3  # each expiry once (an event, and a due item the feed shows once)


# The public feed ---------------------------------------------------------------------------------------


def test_the_public_feed_holds_published_records_only(client):
    published = agreement("Thỏa thuận đã công bố", 30, **PUBLISHED)
    internal = agreement("Thỏa thuận nội bộ", 30, review_state="approved")
    draft = agreement("Thỏa thuận nháp", 30)
    calendar, events = events_of(client.get(reverse("duties:public_feed")))
    assert "lịch công khai" in str(calendar["X-WR-CALNAME"])
    assert f"agreement-{published.pk}-expiry@20.register" in events
    text = client.get(reverse("duties:public_feed")).content.decode()
    assert internal.title not in text and draft.title not in text


def test_the_public_feed_of_a_province_holds_that_provinces_records(client):
    second_office("04")
    ours = agreement("Thỏa thuận tỉnh 20", 30, province="20", **PUBLISHED)
    theirs = agreement("Thỏa thuận tỉnh 04", 30, province="04", **PUBLISHED)
    _calendar, events = events_of(client.get("/p/04/calendar/public.ics"))
    assert set(events) == {f"agreement-{theirs.pk}-expiry@04.register"}
    _calendar, events = events_of(client.get("/p/20/calendar/public.ics"))
    assert f"agreement-{ours.pk}-expiry@20.register" in events


def test_a_users_feed_holds_their_provinces_records_only(client):
    second_office("04")
    agreement("Thỏa thuận tỉnh 20", 30, province="20")
    theirs = agreement("Thỏa thuận tỉnh 04", 30, province="04")
    text = feed_of(client, user_of("official20", "official", "20")).content.decode()
    assert "Thỏa thuận tỉnh 20" in text and theirs.title not in text


# The month page -----------------------------------------------------------------------------------------


def month_page(client, month=None):
    response = client.get(reverse("duties:month"), {"month": month} if month else {})
    assert response.status_code == 200
    return response


def test_the_month_page_is_a_monday_first_grid_in_vietnamese(client, official):
    client.force_login(official)
    response = month_page(client, "2026-12")
    page = response.content.decode()
    assert "Lịch tháng 12/2026" in page
    weeks = response.context["weeks"]
    assert weeks[0][0].date == datetime.date(2026, 11, 30)  # a Monday
    assert all(day.date.weekday() == 0 for day in (week[0] for week in weeks))
    assert page.index("Thứ 2") < page.index("Chủ nhật")
    assert 'href="?month=2026-11"' in page and 'href="?month=2027-01"' in page


def test_an_event_of_several_days_is_on_each_of_its_days(client, official, provider):
    provider.events = [trip_event(pk=42, start_in=3, length=4)]  # 10 to 13/12/2026
    client.force_login(official)
    weeks = month_page(client, "2026-12").context["weeks"]
    on = {day.date: [event.uid for event in day.events] for week in weeks for day in week}
    assert [day for day, uids in on.items() if "delegation-42@20.register" in uids] == [
        datetime.date(2026, 12, d) for d in (10, 11, 12, 13)
    ]


def test_a_signed_in_user_sees_their_deadlines_on_the_month_page_each_once(client, official, provider):
    provider.items = [report_item(pk=9, due_in=-2), report_item(pk=10, due_in=-1, stage="waiting")]
    agreement("Bản ghi nhớ sắp hết hạn", 20)
    client.force_login(official)
    page = month_page(client, "2026-12").content.decode()
    assert "Báo cáo kết quả chuyến đi: Nộp báo cáo kết quả: Đoàn số 9" in page
    assert "Đoàn số 10" not in page  # a record waiting for review has no deadline
    assert page.count("Bản ghi nhớ sắp hết hạn") == 1


def test_a_visitor_sees_published_events_only_on_the_month_page(client):
    agreement("Thỏa thuận đã công bố", 20, **PUBLISHED)
    agreement("Thỏa thuận nội bộ", 20, review_state="approved")
    page = month_page(client, "2026-12").content.decode()
    assert "Thỏa thuận đã công bố" in page and "Thỏa thuận nội bộ" not in page


@pytest.mark.parametrize("value", ["2026-13", "tháng 12", "0999-01", ""])
def test_a_month_that_is_not_one_shows_this_month(client, value):
    assert month_page(client, value).context["first"] == datetime.date(2026, 12, 1)


def test_an_empty_month_says_so(client):
    assert "Tháng này không có sự kiện nào" in month_page(client, "2027-03").content.decode()


def test_the_month_page_reads_a_constant_number_of_queries(client, django_assert_num_queries):
    for n in range(3):
        agreement(f"Thỏa thuận đã công bố {n}", 10 + n, **PUBLISHED)
    month_page(client, "2026-12")
    # A visitor's: the published calendar events of the delegations, the agreements and the conferences,
    # one query each.
    with django_assert_num_queries(3):
        month_page(client, "2026-12")


def test_the_public_feed_is_kept_for_some_minutes_by_province_and_then_written_again(
    client, settings, django_assert_max_num_queries
):
    from django.core.cache import cache

    settings.PUBLIC_FEED_CACHE_SECONDS = 300
    cache.clear()
    second_office("04")
    first = agreement("Thỏa thuận thứ nhất", 30, province="20", **PUBLISHED)
    response = client.get("/p/20/calendar/public.ics")
    assert response["Cache-Control"] == "public, max-age=300"
    assert f"agreement-{first.pk}-expiry@20.register" in events_of(response)[1]

    later = agreement("Thỏa thuận công bố sau", 40, province="20", **PUBLISHED)
    # Kept: the same bytes, without reading the register again (the office profile is cached too).
    with django_assert_max_num_queries(0):
        kept = client.get("/p/20/calendar/public.ics")
    assert kept.content == response.content
    # Another province's feed is its own.
    assert f"agreement-{first.pk}" not in client.get("/p/04/calendar/public.ics").content.decode()

    cache.clear()  # as when the minutes are up
    assert f"agreement-{later.pk}-expiry@20.register" in events_of(client.get("/p/20/calendar/public.ics"))[1]
