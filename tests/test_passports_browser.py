"""The passports' admin in Chromium, as the custodian (numbers shown) and as staff
(numbers hidden): full-page screenshots in test-artifacts/screenshots/passports-*.png.

Run: .venv/bin/pytest tests/test_passports_browser.py (marked ``browser``)."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from tests.passport_helpers import a_loan, a_passport, a_trip, role_user
from tests.test_browser import SCREENSHOTS, _plain_static_storage, browser  # noqa: F401 - the fixtures, shared

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def page_of(browser, live_server, user):  # noqa: F811
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def test_the_custodian_sees_the_numbers_and_staff_see_dots(browser, live_server, transactional_db):  # noqa: F811
    today = datetime.date.today()
    trip = a_trip(start=today - datetime.timedelta(days=30), end=today - datetime.timedelta(days=20))
    cuc = a_passport(holder="Hoàng Thị Cúc", number="C1234567", holder_position="Giám đốc Sở Ngoại vụ")
    a_loan(cuc, trip, handed_out_on=today - datetime.timedelta(days=35))
    a_passport(
        holder="Lý Văn Dũng", number="B7654321", kind="diplomatic", expires_on=today + datetime.timedelta(days=100)
    )
    a_passport(holder="Đinh Thị Én", number="C2345678", expires_on=today - datetime.timedelta(days=3))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for role in ("passport custodian", "staff"):
        page = page_of(browser, live_server, role_user(role))
        name = role.replace(" ", "-")
        page.goto(f"{live_server.url}/admin/passports/passport/")
        page.screenshot(path=str(SCREENSHOTS / f"passports-list-{name}.png"), full_page=True)
        text = page.content()
        assert ("C1234567" in text) is (role == "passport custodian")
        page.goto(f"{live_server.url}/admin/passports/passport/{cuc.pk}/change/")
        page.screenshot(path=str(SCREENSHOTS / f"passports-page-{name}.png"), full_page=True)
        assert ("C1234567" in page.content()) is (role == "passport custodian")
        page.goto(f"{live_server.url}/admin/passports/passportloan/?returned=no")
        page.screenshot(path=str(SCREENSHOTS / f"passports-loans-{name}.png"), full_page=True)
        page.context.close()
