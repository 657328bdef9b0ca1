"""The annual plan and the rule warnings in Chromium (Debian's, driven by Playwright):
an approver signs in to the admin, reads a delegation's warnings on its change form
and its review page, then the plan page. Full-page screenshots go to
test-artifacts/screenshots/ (git-ignored): plan-1-change-form.png, plan-2-review.png,
plan-3-plan-page.png. Run: pytest tests/test_annual_plan_browser.py -m browser"""

import datetime as dt
from decimal import Decimal

import pytest

from delegations.models import Delegation, Direction, Level, Status
from partners.models import LocalUnit, LocalUnitKind
from planning.models import AnnualPlan, PlanLine
from planning.rules import rules_for
from tests.conftest import PASSWORD, make_user
from tests.test_browser import SCREENSHOTS, _plain_static_storage, browser  # noqa: F401 - the fixtures, shared

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


@pytest.fixture
def page(browser):  # noqa: F811
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1366, "height": 900}
    )
    yield context.new_page()
    context.close()


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"plan-{name}.png", full_page=True)


def test_an_approver_reads_the_warnings_and_the_plan_in_chromium(page, live_server, transactional_db):
    rules_for("20")
    trade = LocalUnit.objects.create(name="Sở Công Thương", kind=LocalUnitKind.DEPARTMENT)
    culture = LocalUnit.objects.create(name="Sở Văn hóa, Thể thao và Du lịch", kind=LocalUnitKind.DEPARTMENT)
    plan = AnnualPlan.objects.create(
        year=2026, title="Kế hoạch đoàn ra năm 2026", decision_ref="45/QĐ-UBND", decision_date=dt.date(2026, 1, 12)
    )
    done = PlanLine.objects.create(
        plan=plan,
        host_unit=trade,
        country="CN",
        purpose="Xúc tiến thương mại tại Nam Ninh",
        quarter=2,
        size=5,
        budget=Decimal("120000000"),
        leader="Giám đốc Sở Công Thương",
    )
    PlanLine.objects.create(
        plan=plan,
        host_unit=trade,
        country="TH",
        purpose="Hội chợ hàng Việt Nam tại Băng Cốc",
        quarter=3,
        size=6,
        budget=Decimal("150000000"),
    )
    PlanLine.objects.create(
        plan=plan,
        host_unit=culture,
        country="LA",
        purpose="Giao lưu văn hóa",
        quarter=4,
        size=8,
        budget=Decimal("90000000"),
        cancelled=True,
        cancel_reason="Phía bạn đề nghị lùi sang năm sau",
    )
    Delegation.objects.create(
        direction=Direction.OUTBOUND,
        title="Đoàn Sở Công Thương dự hội nghị xúc tiến tại Nam Ninh",
        status=Status.COMPLETED,
        start_date=dt.date(2026, 5, 4),
        end_date=dt.date(2026, 5, 7),
        size=5,
        plan_line=done,
        host_unit=trade,
        level=Level.DEPARTMENT,
        decision_ref="112/QĐ-UBND",
    )
    checked = Delegation.objects.create(
        direction=Direction.OUTBOUND,
        title="Đoàn khảo sát cửa khẩu tại Quảng Tây",
        status=Status.APPROVED,
        level=Level.DEPARTMENT,
        start_date=dt.date(2026, 6, 1),
        end_date=dt.date(2026, 6, 14),
        size=9,
        host_unit=trade,
        leader_name="Hoàng Văn B",
        leader_title="Chủ tịch UBND tỉnh",
        review_state="submitted",
    )
    checked.members.create(name="Trần Thị C", position="Bí thư Tỉnh ủy")
    make_user("pheduyet", "approver", is_staff=True, first_name="Phê duyệt")

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "pheduyet")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    page.goto(f"{live_server.url}/admin/delegations/delegation/{checked.pk}/change/")
    warnings = page.locator(".record-warnings li")
    assert warnings.count() == 5  # size, days, key leaders, no decision, outside the plan
    assert "Số người (9) vượt mức tối đa 6 người" in warnings.nth(0).inner_text()
    shoot(page, "1-change-form")

    page.goto(f"{live_server.url}/admin/delegations/delegation/{checked.pk}/review/")
    assert page.locator(".record-warnings li").count() == 5
    shoot(page, "2-review")

    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    assert page.locator("#total-done").inner_text() == "1"
    assert page.locator("#total-outside").inner_text() == "1"
    assert page.locator(".outside-line").count() == 1
    shoot(page, "3-plan-page")

    # The export, as the button downloads it (kept for a look through LibreOffice).
    with page.expect_download() as download:
        page.click("text=Xuất tệp (XLSX)")
    assert download.value.suggested_filename == "ke-hoach-doan-ra-2026.xlsx"
    download.value.save_as(SCREENSHOTS.parent / "plan-export.xlsx")
