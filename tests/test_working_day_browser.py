"""A delegation's whole working life in Chromium (issue 19), across the apps that carry it: staff move an
outbound trip of the annual plan from proposed to returned on its stage bar (delegations/), the
approver reads the office's rule warnings on it (planning/), the custodian hands a passport out for
it and it does not come back (passports/), and the due list ("Việc cần làm", duties/) then shows the
late result report and the unreturned passport; staff record the report and close the trip, and the
report leaves the list. Screenshots in test-artifacts/screenshots/working-day-*.png (git-ignored).
Run: .venv/bin/pytest tests/test_working_day_browser.py"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from delegations.models import Delegation, Direction, Level
from delegations.stage_fields import Stage
from partners.models import LocalUnit, LocalUnitKind
from passports.models import Passport, PassportLoan
from planning.models import AnnualPlan, PlanLine
from planning.rules import rules_for
from tests.conftest import PASSWORD, make_user
from tests.test_browser import SCREENSHOTS, _plain_static_storage, browser  # noqa: F401 - the fixtures, shared

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def page_of(browser, base_url, username):  # noqa: F811
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/?next=/admin/")
    form = page.locator("main form")
    form.locator("#id_username").fill(username)
    form.locator("#id_password").fill(PASSWORD)
    form.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_load_state("load")
    return page


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"working-day-{name}.png", full_page=True)


def vietnamese(label):
    with translation.override("vi"):
        return str(label)


def move(page, stage, **fields):
    """Press the stage bar's button to ``stage``, fill the step's fields, confirm."""
    page.locator(".stage-panel__moves a", has_text=vietnamese(stage.label)).first.click()
    page.wait_for_load_state("load")
    for name, value in fields.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".stage-bar__step--current").inner_text().startswith(vietnamese(stage.label))


def test_a_planned_trip_goes_from_proposal_to_closed_with_its_warnings_and_deadlines(
    browser,  # noqa: F811
    live_server,
    transactional_db,
):
    today = timezone.localdate()
    left, back = today - dt.timedelta(days=27), today - dt.timedelta(days=22)
    rules_for("20")
    trade = LocalUnit.objects.create(name="Sở Công Thương", kind=LocalUnitKind.DEPARTMENT)
    plan = AnnualPlan.objects.create(year=left.year, title=f"Kế hoạch đoàn ra năm {left.year}")
    line = PlanLine.objects.create(
        plan=plan, host_unit=trade, country="CN", purpose="Xúc tiến thương mại", quarter=4, size=5,
        budget=Decimal("120000000"),
    )  # fmt: skip
    trip = Delegation.objects.create(
        direction=Direction.OUTBOUND,
        title="Đoàn Sở Công Thương xúc tiến thương mại tại Nam Ninh",
        level=Level.DEPARTMENT,
        start_date=left,
        end_date=back,
        size=9,  # above the department's limit of 6
        host_unit=trade,
        plan_line=line,
        leader_name="Nguyễn Văn A",
        leader_title="Phó Giám đốc Sở Công Thương",
        stage=Stage.PROPOSED,
        status="planned",
    )
    passport = Passport.objects.create(
        holder_name="Nguyễn Văn A", number="C1234567", issued_on=dt.date(2020, 5, 1), expires_on=dt.date(2030, 5, 1)
    )
    make_user("nhanvien", "staff", is_staff=True)
    make_user("pheduyet", "approver", is_staff=True)
    make_user("quantri", "administrator", is_staff=True)
    change = live_server.url + reverse("admin:delegations_delegation_change", args=[trip.pk])

    # Staff: proposed → in the plan → decided → under way → returned, on the stage bar.
    page = page_of(browser, live_server.url, "nhanvien")
    page.goto(change)
    shot(page, "1-staff-proposed")
    move(page, Stage.IN_PLAN)
    move(
        page,
        Stage.DECIDED,
        decision_ref="215/QĐ-UBND",
        decision_date=f"{left - dt.timedelta(days=10):%d/%m/%Y}",
        decision_signer="Chủ tịch UBND tỉnh",
    )
    move(page, Stage.UNDER_WAY)
    move(page, Stage.RETURNED, returned_on=f"{back:%d/%m/%Y}")
    late = page.locator(".stage-bar__late").inner_text()
    assert "đã trễ 7 ngày" in late, late  # 15 days after the return
    shot(page, "2-staff-returned-report-late")
    page.context.close()

    # The custodian's hand-out for the trip, never returned (the 5 working days after the return are past).
    PassportLoan.objects.create(passport=passport, delegation=trip, handed_out_on=left - dt.timedelta(days=2))

    # The approver reads the rule warnings above the form: 9 persons for a department's trip.
    Delegation.objects.filter(pk=trip.pk).update(review_state="submitted")
    page = page_of(browser, live_server.url, "pheduyet")
    page.goto(change)
    warnings = page.locator(".record-warnings").inner_text()
    assert "9" in warnings and "6" in warnings, warnings
    shot(page, "3-approver-warnings")
    page.context.close()

    # The administrator (who keeps the passports and chases the reports) reads both on the due list.
    page = page_of(browser, live_server.url, "quantri")
    page.goto(live_server.url + reverse("duties:due"))
    text = page.locator("main").inner_text()
    assert "Nộp báo cáo kết quả" in text and "quá hạn 7 ngày" in text, text
    assert "Nộp lại hộ chiếu công vụ của Nguyễn Văn A" in text, text
    assert "C1234567" not in text  # a due line may be mailed: never the number
    shot(page, "4-due-list-late-report-and-passport")
    page.context.close()

    # Staff record the report and close the trip: the report leaves the due list.
    page = page_of(browser, live_server.url, "nhanvien")
    page.goto(change)
    move(page, Stage.REPORT_RECEIVED, report_received_on=f"{today:%d/%m/%Y}")
    move(page, Stage.CLOSED)
    shot(page, "5-staff-closed")
    page.goto(live_server.url + reverse("duties:due"))
    assert "quá hạn 7 ngày" not in page.locator("main").inner_text()
    page.context.close()
    trip.refresh_from_db()
    assert (trip.stage, trip.status, trip.report_received_on) == (Stage.CLOSED, "completed", today)
