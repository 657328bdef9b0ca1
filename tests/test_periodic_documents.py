"""The files of a periodic report (reports/periodic/documents.py): the DOCX in
the administrative form of Decree 30/2020 with its annexes on landscape pages,
the XLSX with a sheet per annex, the PDF through LibreOffice where installed."""

import datetime as dt
import shutil
from io import BytesIO

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from offices.models import OfficeProfile
from reports.periodic import documents
from reports.periodic.content import report_content
from reports.periodic.documents import pdf_available, render_docx, render_pdf, render_xlsx
from reports.periodic.narrative import narrative_prefill
from tests import docx_form
from tests.test_periodic_content import Q1_2024, other_records, period_records  # noqa: F401 -- fixtures

RECIPIENTS = ["- Bộ Ngoại giao (để b/c);", "- UBND tỉnh (để b/c);", "- Lưu: VT, NV."]


def meta(content, **changes):
    office = OfficeProfile.objects.get()
    values = {
        "issuer": office.issuer_lines(),
        "place": office.place,
        "day": "2024-04-05",
        "number": 45,
        "symbol": office.report_symbol,
        "title": "Kết quả công tác đối ngoại quý I năm 2024",
        "sections": narrative_prefill(content),
        "recipients": RECIPIENTS,
        "signer_name": "Nguyễn Văn Minh",
        "signer_title": "PHÓ GIÁM ĐỐC",
        "authority": "KT.",
        "authority_title": "GIÁM ĐỐC",
        "draft": False,
    }
    return values | changes


@pytest.fixture
def content(period_records, other_records):  # noqa: F811 -- the fixtures imported above
    return report_content(OfficeProfile.objects.get().province_code, *Q1_2024)


def word(content, **changes):
    return docx.Document(BytesIO(render_docx(content, meta(content, **changes))))


def texts(document):
    return [p.text for p in document.paragraphs]


def annex_tables(document):
    """The annexes' data tables, in order: those whose header row repeats on each page, after the ending."""
    tables = document.tables
    ending = docx_form.ending_table(document)._tbl
    after = [table._tbl for table in tables].index(ending) + 1
    return tables[after:]


# --- The Word file --------------------------------------------------------------------------------------------


def test_the_docx_opens_with_the_heading_the_number_and_the_title(content):
    document = word(content)

    heading = document.tables[0]
    assert heading.rows[0].cells[0].text.split("\n")[:2] == ["UBND TỈNH LẠNG SƠN", "SỞ NGOẠI VỤ"]
    assert heading.rows[0].cells[1].text.split("\n")[:2] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert heading.rows[1].cells[0].text == "Số: 45/BC-SNgV"
    assert heading.rows[1].cells[1].text == "Lạng Sơn, ngày 05 tháng 4 năm 2024"
    assert heading.rows[1].cells[1].paragraphs[0].runs[0].italic
    lines = texts(document)
    assert "BÁO CÁO" in lines
    assert "Kết quả công tác đối ngoại quý I năm 2024" in lines
    assert "DỰ THẢO" not in lines
    assert [line for line in lines if line.startswith(("I. ", "II. ", "III. ", "IV. ", "V. "))] == [
        "I. ĐÁNH GIÁ CHUNG",
        "II. KẾT QUẢ THỰC HIỆN CÁC LĨNH VỰC",
        "III. KHÓ KHĂN, HẠN CHẾ",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT",
        "V. NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
    ]
    assert any(line.startswith("Trong quý I/2024, tỉnh đã cử 3 đoàn") for line in lines)


def test_a_draft_shows_its_mark_and_leaves_the_number_and_date_blank(content):
    document = word(content, draft=True, day=None, number=None)

    assert "DỰ THẢO" in texts(document)
    number, date_line = (cell.text for cell in document.tables[0].rows[1].cells)
    assert number == "Số:      /BC-SNgV"
    assert date_line.startswith("Lạng Sơn, ngày ") and not any(ch.isdigit() for ch in date_line)
    assert "(Kèm theo dự thảo báo cáo)" in texts(document)


def test_the_docx_keeps_the_decree_30_form_on_every_page(content):
    document = word(content)

    assert docx_form.page_problems(document) == []
    assert docx_form.font_problems(document) == []
    assert docx_form.language_problems(document) == []
    assert docx_form.justification_problems(document) == []
    assert len(docx_form.body_paragraphs(document)) >= 5
    assert docx_form.keep_together_problems(document) == []
    # Page numbers from page 2: the first page has a header of its own, empty.
    first = document.sections[0]
    assert first.different_first_page_header_footer
    assert first.header._element.find(".//" + qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"


def test_the_recipients_stand_beside_the_signature_with_its_authority_line(content):
    document = word(content)

    recipients, signature = docx_form.ending_table(document).rows[0].cells
    first = recipients.paragraphs[0].runs[0]
    assert (first.text, first.bold, first.italic, first.font.size.pt) == ("Nơi nhận:", True, True, 12)
    assert [p.text for p in recipients.paragraphs[1:]] == RECIPIENTS
    assert {run.font.size.pt for p in recipients.paragraphs[1:] for run in p.runs} == {11}
    lines = [p.text for p in signature.paragraphs if p.text]
    assert lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Minh"]


def test_a_signer_in_their_own_name_has_no_authority_line(content):
    document = word(content, authority="", authority_title="", signer_title="GIÁM ĐỐC")

    signature = docx_form.ending_table(document).rows[0].cells[1]
    assert [p.text for p in signature.paragraphs if p.text] == ["GIÁM ĐỐC", "Nguyễn Văn Minh"]


def test_the_comparison_table_gives_the_value_the_year_before_the_change_and_the_percent(content):
    document = word(content)

    rows = {row.cells[1].text: [c.text for c in row.cells] for t in document.tables for row in t.rows[1:]}
    assert rows["Đoàn ra"][2:] == ["đoàn", "3", "2", "+1", "+50,0 %"]
    assert rows["Lượt cán bộ đi nước ngoài"][3:] == ["12", "10", "+2", "+20,0 %"]
    # Đoàn vào Delta and the Spring meeting of the mechanism (other_records); none a year before.
    assert rows["Đoàn vào"][3:] == ["2", "0", "+2", "—"]


def test_each_annex_starts_a_landscape_page_and_lists_the_approved_records_of_the_period(content, period_records):  # noqa: F811
    document = word(content)

    # The report's own section, then one per annex (VI, the conferences, says "none in the period").
    assert len(document.sections) == 7
    for section in document.sections[1:]:
        assert section.start_type == docx.enum.section.WD_SECTION.NEW_PAGE
        assert section.page_width > section.page_height
    tables = annex_tables(document)
    assert len(tables) == 5
    outbound = tables[0]
    assert outbound.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    titles = [row.cells[1].text for row in outbound.rows[1:]]
    assert titles == ["Đoàn Alpha", "Đoàn Beta", "Đoàn Gamma"]
    assert "Đoàn nháp" not in titles and "Đoàn quý II" not in titles
    assert outbound.rows[3].cells[3].text == "chưa rõ"
    assert "Phụ lục I" in texts(document)
    assert "(Kèm theo Báo cáo số 45/BC-SNgV ngày 05/04/2024)" in texts(document)


# --- The workbook ---------------------------------------------------------------------------------------------


def test_the_xlsx_has_a_summary_sheet_and_one_sheet_per_annex(content):
    book = openpyxl.load_workbook(BytesIO(render_xlsx(content, meta(content))))

    assert book.sheetnames == [
        "Số liệu chính",
        "Phụ lục I",
        "Phụ lục II",
        "Phụ lục III",
        "Phụ lục IV",
        "Phụ lục V",
        "Phụ lục VI",
    ]
    summary = book["Số liệu chính"]
    rows = {row[0]: row for row in summary.iter_rows(values_only=True) if row and row[0]}
    assert rows["Đoàn ra"][1:6] == ("đoàn", 3, 2, 1, 0.5)
    assert rows["Đoàn vào"][1:6] == ("đoàn", 2, 0, 2, None)
    assert "ĐOÀN THEO CẤP" in rows
    outbound = book["Phụ lục I"]
    assert outbound["A1"].value == "Phụ lục I. Đoàn ra trong kỳ báo cáo"
    header = [cell.value for cell in outbound[4]]
    assert header[:2] == ["TT", "Đoàn"]
    assert [outbound.cell(row=r, column=2).value for r in range(5, 8)] == ["Đoàn Alpha", "Đoàn Beta", "Đoàn Gamma"]
    assert outbound.cell(row=8, column=2).value is None
    # Printed: A4 landscape, one page wide, the header row on every page.
    assert outbound.page_setup.orientation == "landscape"
    assert outbound.page_setup.paperSize == 9  # A4
    assert outbound.sheet_properties.pageSetUpPr.fitToPage
    # One page wide (1, the attribute's default, left out of the file), as many pages down as needed.
    assert (outbound.page_setup.fitToWidth or 1) == 1
    assert outbound.page_setup.fitToHeight == 0
    assert outbound.print_title_rows == "$4:$4"


# --- The PDF --------------------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_the_pdf_is_rendered_from_the_docx_by_libreoffice(content):
    assert pdf_available()

    pdf = render_pdf(render_docx(content, meta(content)))

    assert pdf is not None and pdf.startswith(b"%PDF")


def test_without_libreoffice_there_is_no_pdf_and_the_page_can_say_so(settings, tmp_path):
    settings.SOFFICE_PATH = str(tmp_path / "no-soffice")

    assert not pdf_available()
    assert render_pdf(b"not even a docx") is None


def test_a_conversion_that_hangs_is_stopped(settings, tmp_path, monkeypatch):
    slow = tmp_path / "soffice"
    slow.write_text("#!/bin/sh\nsleep 30\n")
    slow.chmod(0o755)
    settings.SOFFICE_PATH = str(slow)
    monkeypatch.setattr(documents, "PDF_TIMEOUT_SECONDS", 1)

    started = dt.datetime.now()
    assert render_pdf(b"PK") is None
    assert (dt.datetime.now() - started).total_seconds() < 20


@pytest.mark.parametrize(
    ("authority", "authority_title", "signer_title", "lines"),
    [
        ("TL.", "GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"]),
        ("TUQ.", "GIÁM ĐỐC", "TRƯỞNG PHÒNG", ["TUQ. GIÁM ĐỐC", "TRƯỞNG PHÒNG"]),
    ],
)
def test_the_other_delegations_of_authority_put_their_form_above_the_signers_title(
    content, authority, authority_title, signer_title, lines
):
    document = word(content, authority=authority, authority_title=authority_title, signer_title=signer_title)

    signature = docx_form.ending_table(document).rows[0].cells[1]
    assert [p.text for p in signature.paragraphs if p.text] == [*lines, "Nguyễn Văn Minh"]


def test_a_report_counting_records_in_review_says_so_above_its_figures(period_records):  # noqa: F811
    snapshot = report_content(OfficeProfile.objects.get().province_code, *Q1_2024, include_in_review=True)

    document = word(snapshot)

    assert "Bao gồm cả bản ghi đang chờ duyệt (nháp, đã gửi duyệt)." in texts(document)
    assert "Đoàn nháp" in [row.cells[1].text for row in annex_tables(document)[0].rows]
