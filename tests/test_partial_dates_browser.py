"""A clerk types "tháng 10/2011" in an agreement's one date box in a real browser
(Debian's Chromium through Playwright) and the agreement is saved to the month.
Screenshots go to test-artifacts/screenshots/ (git-ignored)."""

import datetime as dt

import pytest
from django.urls import reverse

from agreements.models import Agreement, AgreementKind
from lang_son_affairs.lib.models import DatePrecision
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
