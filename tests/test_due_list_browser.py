"""The due list, the admin's front page block and the month calendar in Chromium, as an
approver of the office sees them: screenshots in test-artifacts/screenshots/duties-*.png
(git-ignored), and no console error, script error or refused resource (CSP) on the way."""

import pytest
from django.contrib.contenttypes.models import ContentType

from duties import lines
from duties.registry import DueItem
from register import review
from register.models import ReviewAction, ReviewTransition
from tests.conftest import PASSWORD, cite
from tests.duties_fixtures import (
    TODAY,
    agreement,
    days,
    install_fake_provider,
    report_item,
    trip_event,
)
from tests.test_browser import (  # noqa: F401 - the module's Chromium
    SCREENSHOTS,
    _plain_static_storage,  # noqa: F401 - static files from the finders
    browser,
)

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


@pytest.fixture
def office_day(monkeypatch, staff, approver):
    """The approver's day: an overdue post-trip report and an unreturned passport (a fake
    provider, as the delegations' and passports' apps will give them), an agreement expiring,
    two records waiting for review, and a trip on the calendar."""
    monkeypatch.setattr(lines, "today", lambda: TODAY)
    provider = install_fake_provider(monkeypatch)
    provider.items = [
        report_item(pk=42, due_in=-3),
        DueItem(
            key="passport:7:return",
            kind="Hộ chiếu chưa nộp lại",
            title="Hộ chiếu công vụ C1234567 (Nguyễn Văn A): chưa nộp lại sau chuyến đi",
            url="/admin/",
            due_on=days(-2),
            stage="overdue",
            province="20",
        ),
        report_item(pk=43, due_in=4, stage="due_soon"),
    ]
    provider.events = [trip_event(pk=42, start_in=-9, length=5), trip_event(pk=44, start_in=8, length=3)]
    agreement("Bản ghi nhớ hợp tác thương mại biên giới", 12)
    for title in ("Thỏa thuận hợp tác giáo dục", "Biên bản hội đàm cửa khẩu"):
        record = agreement(title, None)
        cite(record)
        review.apply(record, ReviewAction.SUBMIT, staff)
        ReviewTransition.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        ).update(at=days(-5).isoformat() + "T09:00:00+07:00")
    return provider


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"duties-{name}.png"), full_page=True)


def test_an_approver_reads_the_due_list_the_admin_block_and_the_month(browser, live_server, office_day):  # noqa: F811
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda m: m.type == "error" and "favicon" not in m.location.get("url", "") and problems.append(m.text),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/?next=/due/")
    form = page.locator("form.stacked-form")
    form.locator("#id_username").fill("approver")
    form.locator("#id_password").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/due/")
    text = page.locator("main").inner_text()
    assert "quá hạn 3 ngày" in text and "Hộ chiếu chưa nộp lại" in text and "quá hạn 2 ngày" in text
    assert "còn 12 ngày" in text and "đã chờ 5 ngày" in text
    shoot(page, "due-list")

    page.goto(f"{live_server.url}/admin/")
    block = page.locator("#due-block").inner_text()
    assert "việc cần làm" in block.lower() and "quá hạn 3 ngày" in block
    shoot(page, "admin-index")

    page.goto(f"{live_server.url}/calendar/?month=2026-12")
    grid = page.locator(".month-grid").inner_text()
    assert "Đoàn số 44 đi Quảng Tây" in grid and "Thứ 2" in grid
    shoot(page, "month")
    page.goto(f"{live_server.url}/calendar/feed/")
    page.locator("form button[type=submit]", has_text="Tạo địa chỉ lịch của tôi").click()
    assert "/calendar/" in page.locator("#feed-url").input_value()
    shoot(page, "feed")
    context.close()
    assert problems == []
