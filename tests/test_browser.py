"""An official's round through the site in a real browser (Debian's Chromium driven
by Playwright), on a desktop screen and on a 390-pixel-wide phone: sign in, read the
dashboard, filter the delegations by Guangxi, open Bằng Tường's dossier and run the
period report for 01/01/2021–31/03/2024.

Every step writes a full-page screenshot to test-artifacts/screenshots/ (git-ignored)
and fails on a console error, an uncaught script error or a refused resource (a
Content-Security-Policy violation is reported on the console).

Run: .venv/bin/pytest tests/test_browser.py -v   (or -m browser)
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from delegations.models import Delegation, Direction
from partners.models import Partner, PartnerKind
from register.publishable import ReviewState
from tests.conftest import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    # WhiteNoise looks for collected static files at start-up; these tests serve them
    # from the finders instead (see _plain_static_storage), so its warning is expected.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
PHONE_WIDTH = 390

# An official's browser in Lạng Sơn: Vietnamese, local time. (Chromium's own default,
# en-US, is ignored: the site answers in Vietnamese unless the user picks English.)
OFFICIAL_BROWSER = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
DEVICES = {
    "desktop": {**OFFICIAL_BROWSER, "viewport": {"width": 1366, "height": 900}},
    "phone": {
        **OFFICIAL_BROWSER,
        "viewport": {"width": PHONE_WIDTH, "height": 844},
        "is_mobile": True,
        "device_scale_factor": 2,
    },
}

NEW_DELEGATION = "Đoàn Bằng Tường thăm Cao Lộc"
CONTROL_DELEGATION = "Đoàn kiểm chứng làm việc với phía Trung Quốc"


# --- The browser ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the whole module; each test opens its own context and page."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio event loop in this (the main) thread
    # and switches back into the test with greenlets, so to Django the test code
    # looks as if it ran inside a running event loop: every ORM call the test
    # makes after the browser starts (creating the official, loading fixtures)
    # would raise SynchronousOnlyOperation. Nothing here is actually async; the
    # live server answers from its own thread, so the check is switched off for
    # the duration of this module and restored afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=[
                    "--no-sandbox",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests run with DEBUG off but without collectstatic: the manifest storage
    # would refuse {% static %}. The live server serves /static/ from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


class Tab:
    """A page of one device profile that remembers what went wrong in it and
    photographs every step."""

    def __init__(self, page, device, base_url):
        self.page = page
        self.device = device
        self.base_url = base_url
        self.problems = []
        self.step = 0
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("requestfailed", lambda request: self.problems.append(f"request failed: {request.url}"))
        page.on("response", self._on_response)

    def _on_console(self, message):
        # CSP violations and resources that failed to load arrive here as errors.
        if message.type != "error":
            return
        url = message.location.get("url", "")
        # The browser asks for /favicon.ico on its own, whatever the page links; the site
        # has none yet (reported to the lead). Any other failure counts.
        if url == f"{self.base_url}/favicon.ico":
            return
        self.problems.append(f"console error: {message.text} ({url})")

    def _on_response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def goto(self, path):
        self.page.goto(self.base_url + path)

    def check(self, name):
        """The page is in Vietnamese and clean so far; a full-page screenshot is saved."""
        self.page.wait_for_load_state("load")
        self.step += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{self.device}-{self.step}-{name}.png", full_page=True)
        assert self.page.locator("html").get_attribute("lang") == "vi"
        assert self.problems == [], f"{self.device}, {name}: {self.problems}"

    def page_width(self):
        return self.page.evaluate("document.documentElement.scrollWidth")

    def sideways_scrolling_boxes(self, selector):
        """The text of each box matching ``selector`` whose content is wider than the box."""
        return self.page.locator(selector).evaluate_all(
            "boxes => boxes.filter(box => box.scrollWidth > box.clientWidth + 1).map(box => box.innerText.slice(0, 80))"
        )


@pytest.fixture(params=sorted(DEVICES))
def tab(request, browser, live_server):
    device = request.param
    context = browser.new_context(**DEVICES[device])
    try:
        yield Tab(context.new_page(), device, live_server.url)
    finally:
        context.close()


# --- The data ---------------------------------------------------------------------------------------------------


@pytest.fixture
def register(transactional_db):
    """The articles' data, an official, and two published delegations of our own:
    an inbound one from Bằng Tường (under Guangxi) and a control one with China
    itself (above Guangxi, so the Guangxi filter must leave it out). The live
    server's thread sees these rows because the test is transactional."""
    fixtures = sorted(str(path) for path in (Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
    call_command("loaddata", *fixtures, verbosity=0)
    make_user("official", "official")
    china = Partner.objects.get(kind=PartnerKind.COUNTRY, country="CN")
    guangxi = Partner.objects.get(name_en="Guangxi Zhuang Autonomous Region")
    bang_tuong = Partner.objects.get(name_en="Pingxiang", parent__parent=guangxi)
    for title, partner, start in [
        (NEW_DELEGATION, bang_tuong, datetime.date(2023, 5, 10)),
        (CONTROL_DELEGATION, china, datetime.date(2023, 5, 11)),
    ]:
        delegation = Delegation.objects.create(
            title=title,
            direction=Direction.INBOUND,
            size=12,
            start_date=start,
            is_public=True,
            review_state=ReviewState.APPROVED,
        )
        delegation.partners.add(partner)
    return {"guangxi": guangxi, "bang_tuong": bang_tuong}


# --- The round --------------------------------------------------------------------------------------------------


def sign_in(tab):
    tab.goto("/accounts/login/?next=/")
    tab.check("sign-in")
    form = tab.page.locator("form.stacked-form")
    form.locator("#id_username").fill("official")
    form.locator("#id_password").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    tab.page.wait_for_url(tab.base_url + "/")


def read_dashboard(tab):
    page = tab.page
    tab.check("dashboard")
    assert page.locator(".dashboard-kpis .kpi").first.is_visible()
    assert page.locator(".dashboard-kpis .kpi").count() >= 4
    chart = page.locator("figure.chart svg[role=img]").first
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > 100
    # Signed in: the header offers "sign out" (a form posting to the logout view).
    assert page.locator("form[action='/accounts/logout/']").count() == 1


def filter_delegations_by_guangxi(tab, guangxi):
    page = tab.page
    tab.goto("/delegations/")
    form = page.locator("form.filter-form")
    form.locator("#id_partner").select_option(value=str(guangxi.pk))
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/delegations/\?.*partner={guangxi.pk}"))
    tab.check("delegations-guangxi")

    # The form keeps the choice and the list holds Bằng Tường's delegation, not the control one.
    assert page.locator("#id_partner").input_value() == str(guangxi.pk)
    row = page.locator("table.record-list tbody tr", has_text=NEW_DELEGATION)
    assert row.count() == 1
    assert "Bằng Tường" in row.locator("td").nth(3).inner_text()
    assert page.locator("table.record-list", has_text=CONTROL_DELEGATION).count() == 0
    titles = page.locator("table.record-list tbody td.record-list__title a").all_inner_texts()
    assert len(titles) >= 2  # the articles' Guangxi delegations are there too


def open_bang_tuong_dossier(tab, bang_tuong):
    page = tab.page
    tab.goto("/partners/")
    form = page.locator("form.filter-form")
    form.locator("#id_q").fill("bang tuong")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/partners/\?.*q=bang\+tuong"))
    tab.check("partners-bang-tuong")

    page.locator("table.partners-table tbody").get_by_role("link", name="Bằng Tường", exact=True).click()
    page.wait_for_url(tab.base_url + bang_tuong.get_absolute_url())
    tab.check("dossier-bang-tuong")

    main = page.locator("main")
    assert page.locator("h1").inner_text() == "Bằng Tường"
    for name in ["Pingxiang", "凭祥市"]:
        assert main.get_by_text(name, exact=True).first.is_visible()
    assert main.get_by_role("link", name=NEW_DELEGATION).is_visible()


def run_the_period_report(tab):
    page = tab.page
    tab.goto("/reports/period/")
    form = page.locator("form.period-form", has=page.locator("#id_start"))
    form.locator("#id_start").fill("01/01/2021")  # typed as Vietnamese dates are written
    form.locator("#id_end").fill("31/03/2024")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/reports/period/\?.*start=01%2F01%2F2021.*end=31%2F03%2F2024"))
    assert form.locator("#id_start").input_value() == "01/01/2021"  # the form shows the period just made
    tab.check("period-report")

    assert page.locator("h1").inner_text().endswith("31/03/2024")
    figures = page.locator("table.period-figures").first
    for excerpt, value in [
        ("tỉnh đã cử 62 đoàn", "62"),
        ("510 lượt cán bộ", "510"),
        ("với 165 đoàn", "165"),
        ("883 lượt người nước ngoài", "883"),
    ]:
        row = figures.locator("tbody tr", has_text=excerpt)
        assert row.count() == 1, excerpt
        reported = row.locator("td").nth(1)  # after the figure's period
        assert reported.is_visible()
        assert reported.inner_text().split()[-1] == value


def test_an_official_signs_in_and_goes_through_dashboard_delegations_dossier_and_report(tab, register):
    sign_in(tab)
    read_dashboard(tab)
    if tab.device == "phone":
        assert tab.page_width() <= PHONE_WIDTH + 1, "the dashboard scrolls sideways on a phone"
    else:
        # On a 1366-pixel laptop screen the sections stand in one row (the search sits in the top row).
        tops = tab.page.locator(".site-nav > a").evaluate_all("links => links.map(a => a.getBoundingClientRect().top)")
        assert len(tops) >= 10 and len(set(tops)) == 1, f"the sections wrap: {tops}"

    filter_delegations_by_guangxi(tab, register["guangxi"])
    open_bang_tuong_dossier(tab, register["bang_tuong"])

    run_the_period_report(tab)
    if tab.device == "phone":
        assert tab.page_width() <= PHONE_WIDTH + 1, "the period report scrolls sideways on a phone"
        # Its wide tables become one card per row there: nothing in a card is cut off at the edge.
        assert tab.sideways_scrolling_boxes(".table-wrap:has(table.period-stack)") == []


def test_a_browser_that_asks_for_no_language_the_site_offers_gets_vietnamese(browser, live_server, transactional_db):
    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        assert page.locator("html").get_attribute("lang") == "vi"
    finally:
        context.close()
