"""The title rows and print setup of the lists' XLSX exports: the list's title,
its period and filters in words (from the FilterSet's cleaned data, invalid
values left out), when and by whom it was exported, the office; landscape A4,
one page wide, the header repeated on every page. A CSV stays data only."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from delegations.models import Delegation, Direction
from offices.models import OfficeProfile
from partners.models import Partner
from tests.import_files import HEADER_ROW, TITLE_ROWS

LISTS = ["delegations", "agreements", "projects", "partners", "twinnings", "figures"]
TITLES = {
    "delegations": "Danh sách đoàn ra, đoàn vào",
    "agreements": "Danh sách thỏa thuận quốc tế",
    "projects": "Danh sách dự án ODA, FDI và viện trợ nước ngoài",
    "partners": "Danh sách đối tác",
    "twinnings": "Danh sách các cặp kết nghĩa",
    "figures": "Danh sách số liệu đã công bố",
}


def export(client, app, params=None):
    response = client.get(reverse(f"{app}:export_xlsx"), params or {})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def title_lines(worksheet):
    return [worksheet.cell(row=row, column=1).value for row in range(1, TITLE_ROWS + 1)]


@pytest.mark.parametrize("app", LISTS)
def test_every_list_export_has_its_title_rows_above_the_header(client, seeded, app):
    sheet = export(client, app).worksheets[0]
    title, period, exported, office = title_lines(sheet)
    assert title == TITLES[app]
    assert period == "Thời gian: mọi thời gian"
    assert exported.startswith("Xuất ngày ") and exported.endswith(" bởi khách")
    assert office == OfficeProfile.objects.get().office_name
    # One cell each, so that the import finds the header below them.
    for row in range(1, TITLE_ROWS + 1):
        assert [cell.value for cell in sheet[row] if cell.value is not None] == [title_lines(sheet)[row - 1]]
    assert sheet.cell(row=HEADER_ROW, column=1).value == "Số hồ sơ"
    assert sheet.cell(row=HEADER_ROW, column=2).value


@pytest.mark.parametrize("app", LISTS)
def test_every_list_export_prints_landscape_on_a4_one_page_wide_with_the_header_on_every_page(client, seeded, app):
    for sheet in export(client, app).worksheets:  # the projects' transactions too
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # One page wide (1 is the default, which the file leaves out), as many pages long as it takes.
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
        assert sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
        assert "&P" in sheet.oddFooter.center.text


def test_the_period_and_filters_are_written_in_words_with_their_labels(official_client, seeded):
    partner = Partner.objects.filter(parent__isnull=False, parent__parent__isnull=False).order_by("pk").first()
    params = {
        "start": "01/01/2024",
        "end": "Quý I/2024",
        "direction": Direction.OUTBOUND,
        "partner": partner.pk,
        "q": "hội nghị",
        "level": "no-such-level",  # refused by the form: ignored by the list, not named
    }
    period = export(official_client, "delegations", params).worksheets[0].cell(row=2, column=1).value
    assert (
        period
        == f"Thời gian: từ 01/01/2024 đến 31/03/2024; Từ khóa: “hội nghị”; Loại đoàn: Đoàn ra; Đối tác: {partner.name}"
    )
    assert "no-such-level" not in period and "Cấp" not in period


def test_a_year_is_the_period_and_a_from_date_alone_has_no_end(client, seeded):
    sheet = export(client, "delegations", {"year": "2023"}).worksheets[0]
    assert sheet.cell(row=2, column=1).value == "Thời gian: từ 01/01/2023 đến 31/12/2023"
    sheet = export(client, "agreements", {"start": "10/2011", "kind": "mou"}).worksheets[0]
    assert sheet.cell(row=2, column=1).value == "Thời gian: từ 01/10/2011; Loại: Bản ghi nhớ"


def test_an_invalid_period_is_left_out_as_the_list_leaves_it_out(client, seeded):
    sheet = export(client, "delegations", {"year": "not-a-year", "start": "31/02/2024"}).worksheets[0]
    assert sheet.cell(row=2, column=1).value == "Thời gian: mọi thời gian"


def test_the_export_names_the_signed_in_user_by_full_name_and_the_minute(client, official, seeded):
    official.first_name, official.last_name = "Văn An", "Nguyễn"
    official.save()
    client.force_login(official)
    before = timezone.localtime()
    line = export(client, "delegations").worksheets[0].cell(row=3, column=1).value
    match = re.fullmatch(r"Xuất ngày (\d\d/\d\d/\d{4}) (\d\d:\d\d) bởi (.+)", line)
    assert match, line
    assert match.group(1) == f"{before:%d/%m/%Y}"
    assert match.group(3) in {"Văn An Nguyễn", "Nguyễn Văn An"}


def test_a_user_without_a_name_is_named_by_username(official_client, seeded):
    line = export(official_client, "delegations").worksheets[0].cell(row=3, column=1).value
    assert line.endswith(" bởi official")


def test_the_csv_stays_data_only(client, seeded):
    Delegation.objects.create(title="Đoàn thử", direction=Direction.INBOUND)
    content = b"".join(client.get(reverse("delegations:export_csv")).streaming_content).decode("utf-8-sig")
    assert content.startswith("Số hồ sơ,")
    assert "Danh sách" not in content and "Xuất ngày" not in content


def test_numbered_choices_a_single_date_and_a_period_typed_as_a_quarter_are_named(client, seeded):
    sheet = export(client, "projects", {"role": "1", "year": "Quý II/2011"}).worksheets[0]
    assert (
        sheet.cell(row=2, column=1).value == "Thời gian: từ 01/04/2011 đến 30/06/2011; Vai trò của đối tác: Nhà tài trợ"
    )
    sheet = export(client, "agreements", {"in_force_on": "05/06/2020"}).worksheets[0]
    assert sheet.cell(row=2, column=1).value == "Thời gian: mọi thời gian; Có hiệu lực vào ngày: 05/06/2020"
