"""The due list ("Việc cần làm", /due/): each signed-in user sees their province's
items that their role acts on, grouped by kind, each saying how late it is."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from duties.lines import lateness
from register import review
from register.models import ReviewAction, ReviewTransition
from tests import duties_fixtures
from tests.conftest import cite
from tests.duties_fixtures import (
    TODAY,
    agreement,
    days,
    report_item,
    second_office,
    user_of,
)

pytestmark = pytest.mark.django_db

# The fake provider and the fixed day (tests/duties_fixtures.py).
provider = duties_fixtures.provider
_today = duties_fixtures._today


def page_of(client, user):
    client.force_login(user)
    response = client.get(reverse("duties:due"))
    assert response.status_code == 200
    return response.content.decode()


def submitted(record, staff):
    cite(record)
    review.apply(record, ReviewAction.SUBMIT, staff)
    return record


# Lateness in words --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due_in", "stage", "words"),
    [
        (-3, "overdue", "quá hạn 3 ngày"),
        (-1, "overdue", "quá hạn 1 ngày"),
        (0, "due", "hôm nay"),
        (5, "due_soon", "còn 5 ngày"),
        (-2, "waiting", "đã chờ 2 ngày"),
        (0, "waiting", "gửi hôm nay"),
    ],
)
def test_each_line_says_in_vietnamese_how_late_it_is(due_in, stage, words):
    assert words in lateness(report_item(due_in=due_in, stage=stage), TODAY)[1]


# Who sees what --------------------------------------------------------------------------------------


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("duties:due"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_see_agreements_expiring_within_90_days_with_the_days_left(client, staff):
    agreement("Bản ghi nhớ sắp hết hạn", 5)
    agreement("Thỏa thuận còn xa", 120)
    agreement("Thỏa thuận đã chấm dứt", 10, status="terminated")
    page = page_of(client, staff)
    assert "Bản ghi nhớ sắp hết hạn" in page
    assert "còn 5 ngày" in page and days(5).strftime("%d/%m/%Y") in page
    assert "Thỏa thuận còn xa" not in page
    assert "Thỏa thuận đã chấm dứt" not in page


def test_an_official_sees_expiring_agreements_but_not_the_review_queue(client, staff, official):
    record = submitted(agreement("Bản ghi nhớ chờ duyệt", 30), staff)
    page = page_of(client, official)
    assert record.title in page  # as an agreement expiring in 30 days
    assert "Hồ sơ chờ duyệt" not in page


def test_an_approver_sees_each_submitted_record_with_the_days_it_has_waited(client, staff, approver):
    record = submitted(agreement("Thỏa thuận chờ duyệt", None), staff)
    ReviewTransition.objects.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk).update(
        at=days(-4).isoformat() + "T09:00:00+07:00"
    )
    page = page_of(client, approver)
    assert "Hồ sơ chờ duyệt" in page
    assert "Thỏa thuận chờ duyệt" in page
    assert "đã chờ 4 ngày" in page and days(-4).strftime("%d/%m/%Y") in page
    assert reverse("admin:agreements_agreement_change", args=[record.pk]) in page


def test_staff_do_not_see_the_review_queue(client, staff):
    submitted(agreement("Thỏa thuận chờ duyệt", None), staff)
    assert "Thỏa thuận chờ duyệt" not in page_of(client, staff)


def test_past_the_cap_one_line_says_how_many_more_records_wait(client, staff, approver, monkeypatch):
    from register import due

    monkeypatch.setattr(due, "CAP", 2)
    for n in range(5):
        submitted(agreement(f"Thỏa thuận chờ duyệt số {n}", None), staff)
    page = page_of(client, approver)
    assert page.count("Thỏa thuận chờ duyệt số") == 2
    assert "còn 3 hồ sơ đã gửi khác đang chờ trong danh sách" in page


def test_another_provinces_items_are_not_shown(client):
    second_office("04")
    agreement("Thỏa thuận của tỉnh mình", 10, province="20")
    agreement("Thỏa thuận của tỉnh khác", 10, province="04")
    page = page_of(client, user_of("official20", "official", "20"))
    assert "Thỏa thuận của tỉnh mình" in page
    assert "Thỏa thuận của tỉnh khác" not in page


def test_items_are_grouped_by_kind_the_most_late_first(client, staff, provider):
    provider.items = [report_item(pk=7, due_in=2, stage="due_soon"), report_item(pk=8, due_in=-6)]
    agreement("Bản ghi nhớ sắp hết hạn", 5)
    page = page_of(client, staff)
    assert page.index("Báo cáo kết quả chuyến đi") < page.index("Thỏa thuận sắp hết hạn")
    assert page.index("Đoàn số 8") < page.index("Đoàn số 7")
    assert "quá hạn 6 ngày" in page and "còn 2 ngày" in page
    assert 'href="/delegations/8/"' in page


def test_with_nothing_due_the_page_says_so(client, official):
    assert "Không có việc nào đến hạn" in page_of(client, official)


def test_the_due_list_reads_a_constant_number_of_queries(client, staff, approver, django_assert_num_queries):
    for n in range(3):
        agreement(f"Bản ghi nhớ {n}", 10 + n)
        submitted(agreement(f"Thỏa thuận chờ duyệt {n}", None), staff)
    client.force_login(approver)
    client.get(reverse("duties:due"))  # the office profile and the content types read once, as a running site has
    # The session and the user; the user's permissions (own and group's); their staff profile (the
    # province); one per kind of record an approver may change that goes through review (10 kinds:
    # agreements, twinning pairs, conferences, delegations, mechanisms, local units, partners, projects,
    # reported figures, sources); the province's days to report after return and the delegations
    # awaiting their report (delegations/due.py); the agreements expiring; the conferences whose
    # application is due, the consultations unanswered and the conferences whose report is due
    # (conferences/due.py). An approver keeps no passports: passports/due.py reads nothing.
    with django_assert_num_queries(21):
        response = client.get(reverse("duties:due"))
    assert response.content.decode().count("Thỏa thuận chờ duyệt") == 3


# The admin's front page -------------------------------------------------------------------------------


def test_the_admin_front_page_shows_the_first_ten_lines_and_a_link_to_the_whole_list(client, staff, provider):
    provider.items = [report_item(pk=n, due_in=-n) for n in range(1, 13)]
    client.force_login(staff)
    page = client.get(reverse("admin:index")).content.decode()
    block = page[page.index('id="due-block"') :]
    assert "Việc cần làm" in block
    assert "Đoàn số 12" in block and "quá hạn 12 ngày" in block
    assert "Đoàn số 3<" in block and "Đoàn số 2<" not in block
    assert reverse("duties:due") in block and "12 việc" in block


def test_the_admin_front_page_says_when_nothing_is_due(client, staff):
    client.force_login(staff)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Không có việc nào đến hạn" in page


def test_the_site_navigation_links_the_due_list_and_the_calendar_for_signed_in_users(client, official):
    assert reverse("duties:due") not in client.get("/").content.decode()
    client.force_login(official)
    page = client.get("/").content.decode()
    assert f'href="{reverse("duties:due")}"' in page and f'href="{reverse("duties:month")}"' in page
