"""A visitor in a real browser (tests/test_browser.py's Chromium, desktop and phone)
goes from the navigation to the twinning pairs and the reported figures, filters
each list, and downloads the filtered XLSX, whose title rows say what it holds.

Run: .venv/bin/pytest tests/test_twinning_figure_browser.py -v   (or -m browser)"""

import datetime
import io
import re

import openpyxl
import pytest

from agreements.models import Partnership, PartnershipKind
from partners.models import LocalUnit
from register.publishable import ReviewState
from sources.models import Indicator, ReportedFigure
from tests.import_files import HEADER_ROW, export_rows
from tests.test_browser import PHONE_WIDTH, _plain_static_storage, browser, register, tab  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


@pytest.fixture
def pair(register):  # noqa: F811 - test_browser's fixture, imported above
    unit = LocalUnit.objects.filter(is_public=True, review_state=ReviewState.APPROVED).order_by("pk").first()
    return Partnership.objects.create(
        local_unit=unit,
        partner=register["bang_tuong"],
        kind=PartnershipKind.DISTRICT_PAIR,
        established_on=datetime.date(2015, 3, 4),
        is_public=True,
        review_state=ReviewState.APPROVED,
    )


def download(shown, link_name):
    """The first sheet of the file a click on the list's download link brings."""
    with shown.page.expect_download() as info:
        shown.page.locator("p.export-links").get_by_role("link", name=link_name).click()
    with open(info.value.path(), "rb") as file:
        return openpyxl.load_workbook(io.BytesIO(file.read())).worksheets[0]


def test_a_visitor_filters_the_twinning_pairs_and_the_figures_and_downloads_them(tab, register, pair):  # noqa: F811
    page = tab.page
    tab.goto("/")
    # The site's navigation names both lists (on a phone, inside its menu).
    assert page.locator('a[href="/twinnings/"]', has_text="Cặp kết nghĩa").count() >= 1
    assert page.locator('a[href="/figures/"]', has_text="Số liệu").count() >= 1
    tab.goto("/twinnings/")
    form = page.locator("form.filter-form")
    form.locator("#id_kind").select_option(value=PartnershipKind.DISTRICT_PAIR)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/twinnings/\?.*kind=district_pair"))
    tab.check("twinnings-district-pairs")
    row = page.locator("table.record-list tbody tr", has_text="Bằng Tường")
    assert row.count() == 1
    assert row.get_by_role("link", name="Bằng Tường").get_attribute("href") == register["bang_tuong"].get_absolute_url()
    if tab.device == "phone":
        assert tab.page_width() <= PHONE_WIDTH + 1, "the twinning list scrolls sideways on a phone"
    sheet = download(tab, "Excel (XLSX)")
    assert sheet.cell(row=1, column=1).value == "Danh sách các cặp kết nghĩa"
    assert "Loại kết nghĩa: Cặp huyện – thị hữu nghị" in sheet.cell(row=2, column=1).value
    assert [row[0] for row in export_rows(sheet)[1:]] == [pair.pk]

    tab.goto("/figures/")
    form = page.locator("form.filter-form")
    form.locator("#id_indicator").select_option(value=Indicator.OUTBOUND_DELEGATIONS)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/figures/\?.*indicator=outbound_delegations"))
    tab.check("figures-outbound-delegations")
    published = ReportedFigure.objects.published().filter(indicator=Indicator.OUTBOUND_DELEGATIONS)
    assert page.locator("table.record-list tbody tr").count() == published.count() > 0
    if tab.device == "phone":
        assert tab.page_width() <= PHONE_WIDTH + 1, "the figure list scrolls sideways on a phone"
    sheet = download(tab, "Excel (XLSX)")
    assert sheet.cell(row=1, column=1).value == "Danh sách số liệu đã công bố"
    assert sheet.cell(row=HEADER_ROW, column=1).value == "Số hồ sơ"
    assert sorted(row[0] for row in export_rows(sheet)[1:]) == sorted(published.values_list("pk", flat=True))
