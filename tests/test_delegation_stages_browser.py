"""A delegation's life in the admin, in Chromium (issue 19): staff open a delegation back from its
trip whose result report is late (the stage bar says so in red), record the report, and close the
trip; an approver then opens it. Screenshots in test-artifacts/screenshots/ (git-ignored).
Run: .venv/bin/pytest tests/test_delegation_stages_browser.py"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from delegations.models import Delegation, Direction
from delegations.stage_fields import Stage
from tests.conftest import PASSWORD, make_user
from tests.test_browser import SCREENSHOTS, _plain_static_storage, browser  # noqa: F401 - the fixtures, shared

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/?next=/admin/")
    form = page.locator("main form")
    form.locator("#id_username").fill(username)
    form.locator("#id_password").fill(PASSWORD)
    form.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_load_state("load")


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"stages-{name}.png", full_page=True)


def test_staff_record_a_late_result_report_and_close_the_trip(browser, live_server, transactional_db):  # noqa: F811
    make_user("staff", "staff", is_staff=True)
    make_user("approver", "approver", is_staff=True)
    back = timezone.localdate() - dt.timedelta(days=20)
    trip = Delegation.objects.create(
        direction=Direction.OUTBOUND,
        title="Đoàn công tác của Sở Công Thương sang Quảng Tây",
        leader_name="Nguyễn Văn A",
        leader_title="Phó Giám đốc Sở Công Thương",
        start_date=back - dt.timedelta(days=4),
        end_date=back,
        status="approved",
    )
    Delegation.objects.filter(pk=trip.pk).update(
        decision_ref="123/QĐ-UBND",
        decision_date=back - dt.timedelta(days=12),
        decision_signer="Chủ tịch UBND tỉnh",
        stage=Stage.RETURNED,
        status="completed",
        returned_on=back,
    )
    change = live_server.url + reverse("admin:delegations_delegation_change", args=[trip.pk])
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, live_server.url, "staff")
        page.goto(change)
        late = page.locator(".stage-bar__late")
        assert "đã trễ 5 ngày" in late.inner_text()
        assert page.locator(".stage-bar__step--current").inner_text().startswith("Đã về nước")
        shot(page, "1-staff-late-report")

        page.locator(".stage-panel__moves a", has_text="Đã nhận báo cáo kết quả").click()
        page.wait_for_load_state("load")
        page.locator("#id_report_received_on").fill(f"{timezone.localdate():%d/%m/%Y}")
        page.locator("#id_report_summary").fill("Đoàn đã ký biên bản ghi nhớ về hợp tác thương mại biên giới.")
        shot(page, "2-staff-report-form")
        page.locator("input[type=submit]").click()
        page.wait_for_load_state("load")
        assert page.locator(".stage-bar__step--current").inner_text().startswith("Đã nhận báo cáo kết quả")
        assert page.locator(".stage-bar__late").count() == 0
        shot(page, "3-staff-report-received")

        page.locator(".stage-panel__moves a", has_text="Đã kết thúc").click()
        page.wait_for_load_state("load")
        page.locator("input[type=submit]").click()
        page.wait_for_load_state("load")
        assert page.locator(".stage-bar__step--current").inner_text().startswith("Đã kết thúc")
        shot(page, "4-staff-closed")
    finally:
        context.close()
    trip.refresh_from_db()
    assert (trip.stage, trip.status) == (Stage.CLOSED, "completed")

    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, live_server.url, "approver")
        page.goto(change)
        assert page.locator(".stage-bar__step--current").inner_text().startswith("Đã kết thúc")
        shot(page, "5-approver-closed")
    finally:
        context.close()
