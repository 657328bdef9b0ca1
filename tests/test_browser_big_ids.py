"""Saving and restoring in a real browser (Debian's Chromium through Playwright) a
record whose id and audit-trail id are past 1,000,000: the change form's hidden
version and the restore button carry numbers the server reads back, which a
thousands separator (1.000.001) once broke. Run it on PostgreSQL too:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lsa_x .venv/bin/pytest tests/test_browser_big_ids.py

Screenshots go to test-artifacts/screenshots/ (git-ignored)."""

import pytest
from django.db import connection
from django.urls import reverse

from delegations.models import Delegation
from register import history
from register.publishable import ReviewState
from tests.big_ids import NEXT_ID, OFFSET, load_shifted_articles, push_sequences_past
from tests.conftest import PASSWORD, make_user
from tests.test_browser import DEVICES, SCREENSHOTS, Tab, browser  # noqa: F401 - the module's Chromium

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


@pytest.fixture
def big_register(transactional_db, tmp_path):
    """The articles' data with ids past 1,000,000 (committed, so the live server sees it)."""
    load_shifted_articles(tmp_path)
    push_sequences_past(NEXT_ID)


@pytest.fixture
def tab(browser, live_server):  # noqa: F811 - the module's Chromium, imported above
    context = browser.new_context(**DEVICES["desktop"])
    try:
        yield Tab(context.new_page(), "desktop", live_server.url)
    finally:
        context.close()


def sign_in_to_the_admin(tab, username):
    tab.goto(f"/admin/login/?next={reverse('admin:index')}")
    tab.page.locator("#id_username").fill(username)
    tab.page.locator("#id_password").fill(PASSWORD)
    tab.page.locator("input[type=submit], button[type=submit]").first.click()
    tab.page.wait_for_url(tab.base_url + reverse("admin:index"))


def test_staff_save_a_delegation_whose_id_and_history_id_are_past_a_million(tab, big_register):
    make_user("staff", "staff", is_staff=True)
    record = Delegation.objects.order_by("pk").first()
    record.review_state, record.is_public = ReviewState.DRAFT, False
    record.save()  # a draft staff may edit, with a historical row past NEXT_ID
    assert record.pk > OFFSET and history.version(record) > NEXT_ID

    sign_in_to_the_admin(tab, "staff")
    tab.goto(reverse("admin:delegations_delegation_change", args=[record.pk]))
    page = tab.page
    page.locator("#id_size").fill("31")
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state("load")
    tab.check("big-id-saved")
    message = page.locator("ul.messagelist li.success")
    assert message.count() == 1, page.locator("ul.messagelist, .errornote, .errorlist").all_inner_texts()
    assert "thành công" in message.inner_text()
    assert page.locator(".errornote").count() == 0
    assert Delegation.objects.get(pk=record.pk).size == 31
    page.screenshot(path=SCREENSHOTS / f"big-id-saved-{connection.vendor}.png", full_page=True)


def test_an_approver_restores_a_deleted_delegation_whose_id_is_past_a_million(tab, big_register):
    make_user("approver", "approver", is_staff=True)
    record = Delegation.objects.order_by("pk").first()
    pk, title = record.pk, record.title
    record.delete()

    sign_in_to_the_admin(tab, "approver")
    tab.goto(reverse("admin:delegations_delegation_deleted"))
    page = tab.page
    page.locator("tr", has_text=title).locator("button[name=restore]").click()
    page.wait_for_load_state("load")
    tab.check("big-id-restored")
    assert page.locator("ul.messagelist li.success").count() == 1
    assert Delegation.objects.filter(pk=pk).exists()
    page.screenshot(path=SCREENSHOTS / f"big-id-restored-{connection.vendor}.png", full_page=True)
