"""A delegation whose head is known and whose size is not, seen in a real browser:
the admin says "chưa rõ (đã biết tên 1 người)" and the period report counts it under
"Chưa ghi số người", not as one person. Screenshots go to test-artifacts/screenshots/
(and to $SHOTS_DIR when set)."""

import datetime
import os
import shutil

import pytest

from delegations.models import Delegation, DelegationMember, Direction
from partners.models import Partner, PartnerKind
from register.publishable import ReviewState
from tests.conftest import PASSWORD, make_user
from tests.test_browser import DEVICES, SCREENSHOTS, Tab, _plain_static_storage, browser  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]
TITLE = "Đoàn thành phố Bằng Tường chúc Tết tỉnh Lạng Sơn"


@pytest.fixture
def head_only(transactional_db):
    make_user("staff", "staff", is_staff=True)
    china = Partner.objects.create(
        name="Trung Quốc", kind=PartnerKind.COUNTRY, country="CN", is_public=True, review_state=ReviewState.APPROVED
    )
    delegation = Delegation.objects.create(
        title=TITLE,
        direction=Direction.INBOUND,
        start_date=datetime.date(2024, 2, 2),
        leader_name="Lưu Minh",
        is_public=True,
        review_state=ReviewState.APPROVED,
    )
    delegation.partners.set([china])
    DelegationMember.objects.create(delegation=delegation, name="Lưu Minh", position="Thị trưởng", is_leader=True)
    return delegation


def shot(tab, name):
    tab.check(name)
    target = os.environ.get("SHOTS_DIR")
    if target:
        os.makedirs(target, exist_ok=True)
        shutil.copy(SCREENSHOTS / f"{tab.device}-{tab.step}-{name}.png", os.path.join(target, f"h1-{name}.png"))


def test_a_head_only_delegation_is_of_unknown_size_in_the_admin_and_the_report(browser, live_server, head_only):  # noqa: F811
    context = browser.new_context(**DEVICES["desktop"])
    try:
        tab = Tab(context.new_page(), "desktop", live_server.url)
        tab.goto("/admin/login/?next=/admin/")
        tab.page.locator("#id_username").fill("staff")
        tab.page.locator("#id_password").fill(PASSWORD)
        tab.page.locator("input[type=submit], button[type=submit]").first.click()
        tab.page.wait_for_url(f"{live_server.url}/admin/")

        tab.goto(f"/admin/delegations/delegation/{head_only.pk}/change/")
        tab.page.locator(".fieldBox.field-persons_counted").scroll_into_view_if_needed()
        shot(tab, "admin-unknown-size")
        assert "chưa rõ (đã biết tên 1 người)" in tab.page.locator(".fieldBox.field-persons_counted").inner_text()
        # Approved, the record is read-only here: the size typed is shown blank ("-").
        assert tab.page.locator(".fieldBox.field-size .readonly").inner_text().strip() == "-"

        tab.goto("/reports/period/?start=2024-01-01&end=2024-12-31")
        shot(tab, "period-report-unknown-size")
        row = tab.page.locator("table", has_text="Đoàn vào").locator("tbody tr", has_text="Trung Quốc")
        assert row.locator("td").all_inner_texts() == ["1", "0", "1"]
    finally:
        context.close()
