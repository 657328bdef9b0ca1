"""A clerk types "tháng 10/2011" in an agreement's one date box in a real browser
(Debian's Chromium through Playwright) and the agreement is saved to the month;
a visitor filters the delegations by "Quý I/2024".
Screenshots go to test-artifacts/screenshots/ (git-ignored)."""

import datetime as dt

import pytest
from django.urls import reverse

from agreements.models import Agreement, AgreementKind
from common.partial_dates import DatePrecision
from delegations.models import Delegation
from register.publishable import ReviewState
from tests.conftest import make_user
from tests.test_browser import DEVICES, SCREENSHOTS, Tab, browser  # noqa: F401 - the module's Chromium
from tests.test_browser_big_ids import sign_in_to_the_admin

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


@pytest.fixture
def tab(browser, live_server, transactional_db):  # noqa: F811 - the module's Chromium, imported above
    context = browser.new_context(**DEVICES["desktop"])
    try:
        yield Tab(context.new_page(), "desktop", live_server.url)
    finally:
        context.close()


def test_a_clerk_types_a_month_as_the_signing_date(tab):
    make_user("clerk", is_staff=True, is_superuser=True)
    sign_in_to_the_admin(tab, "clerk")
    tab.goto(reverse("admin:agreements_agreement_add"))
    page = tab.page
    assert page.locator("[name=date_precision]").count() == 0
    page.locator("#id_title").fill("Biên bản hội đàm về cửa khẩu")
    page.locator("#id_kind").select_option(AgreementKind.MINUTES)
    page.locator("#id_signed_on").fill("tháng 10/2011")
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state("load")
    page.screenshot(path=SCREENSHOTS / "partial-date-month-saved.png", full_page=True)
    assert page.locator(".errornote").count() == 0, page.locator(".errorlist").all_inner_texts()
    agreement = Agreement.objects.get()
    assert (agreement.signed_on, agreement.date_precision) == (dt.date(2011, 10, 1), DatePrecision.MONTH)
    assert page.locator("#id_signed_on").input_value() == "10/2011"
    assert tab.problems == []


def test_a_visitor_filters_the_delegations_by_a_quarter(tab):
    for day in (dt.date(2023, 12, 31), dt.date(2024, 2, 14), dt.date(2024, 4, 1)):
        Delegation.objects.create(
            title=f"Đoàn ngày {day:%d/%m/%Y}", start_date=day, is_public=True, review_state=ReviewState.APPROVED
        )
    tab.goto(reverse("delegations:list"))
    page = tab.page
    page.locator("#id_year").fill("Quý I/2024")
    page.locator("form.filter-form button[type=submit]").click()
    page.wait_for_load_state("load")
    page.screenshot(path=SCREENSHOTS / "partial-date-quarter-filter.png", full_page=True)
    titles = page.locator("td.record-list__title a").all_inner_texts()
    assert titles == ["Đoàn ngày 14/02/2024"]
    assert page.locator("#id_year").input_value() == "Quý I/2024"
    assert tab.problems == []
