"""An approver drafts, prefills and issues a report in a real browser (Debian's
Chromium, see tests/test_browser.py), with a record of the period still in
review, which they choose to include; then reads the issued report's page.
The periodic report's content and files are stand-ins (tests/issued_fakes.py).
Every step writes a screenshot to test-artifacts/screenshots/issued-*.png.

Run: .venv/bin/pytest tests/test_issued_reports_browser.py -v   (or -m browser)
"""

import datetime as dt

import pytest

from delegations.models import Delegation, Direction
from register.publishable import ReviewState
from reports.issued.models import PeriodicReport
from tests.conftest import PASSWORD, make_user
from tests.issued_fakes import patch_periodic
from tests.test_browser import SCREENSHOTS, _plain_static_storage, browser  # noqa: F401 - the fixtures, shared

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def test_an_approver_drafts_prefills_and_issues_a_report(
    browser,  # noqa: F811 - the fixture imported above
    live_server,
    transactional_db,
    monkeypatch,
):
    patch_periodic(monkeypatch)
    make_user("head", "approver", is_staff=True)
    day = dt.date(2024, 2, 10)
    Delegation.objects.create(
        title="Đoàn đi Quảng Tây", direction=Direction.OUTBOUND, start_date=day, review_state=ReviewState.APPROVED
    )
    Delegation.objects.create(title="Đoàn còn nháp", direction=Direction.OUTBOUND, start_date=day)

    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.location.get("url", "").endswith("/favicon.ico")
            and problems.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shot(name):
        page.screenshot(path=SCREENSHOTS / f"issued-{name}.png", full_page=True)

    try:
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "head")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.goto(live_server.url + "/admin/reports/periodicreport/add/")
        page.select_option("#id_preset", "quarter")
        page.fill("#id_year", "2024")
        page.select_option("#id_quarter", "1")
        page.fill("#id_title", "Công tác đối ngoại quý I năm 2024")
        page.fill("#id_number", "45")
        page.fill("#id_day", "05/04/2024")
        page.fill("#id_signer_name", "Nguyễn Văn An")
        page.fill("#id_signer_title", "GIÁM ĐỐC")
        shot("1-draft")
        page.click("input[name=_prefill]")
        page.wait_for_selector("text=Đã điền từ cơ sở dữ liệu các mục")
        assert page.input_value("#id_assessment") == "Trong kỳ, tỉnh đã tiếp nhận và cử 1 đoàn."
        shot("2-prefilled")

        page.click("text=Ban hành")
        page.wait_for_selector("#in-review")
        assert "1 hồ sơ của kỳ này còn đang chờ duyệt" in page.inner_text("#in-review")
        shot("3-issue")
        page.check("input[name=in_review][value=include]")
        page.click("input[type=submit][value='Ban hành']")
        page.wait_for_selector("text=Đã ban hành báo cáo Số: 45/BC-SNgV")
        shot("4-issued")

        page.click("text=Trang báo cáo đã ban hành")
        page.wait_for_selector("text=Số liệu trong kỳ, so với cùng kỳ năm trước")
        shot("5-page")

        page.click("nav >> text=Báo cáo đã ban hành")
        page.wait_for_selector("table.issued-reports")
        assert "45/BC-SNgV" in page.inner_text("table.issued-reports")
        shot("6-list")
    finally:
        context.close()
    report = PeriodicReport.objects.get()
    assert report.is_issued and report.include_in_review
    assert report.snapshot["counts"]["delegations"]["value"] == 2
    assert problems == []
