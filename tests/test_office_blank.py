"""Blank templates of an office's list: the title, the headings the office
import reads back, an example row, and a guide sheet with a row per column."""

import io

import openpyxl
import pytest
from django.utils import translation

from delegations.models import Delegation
from register.office_import import engine, fields
from register.office_import.blank import template_headings, template_targets, template_workbook


def workbook(kind_key):
    with translation.override("vi"):
        return openpyxl.load_workbook(io.BytesIO(template_workbook(kind_key)))


def header_row(sheet, kind):
    """The first row whose every cell is a heading the office import knows."""
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [cell for cell in row if cell not in (None, "")]
        if len(cells) > 1 and all(fields.target_for(kind, cell) for cell in cells):
            return number
    return None


@pytest.mark.parametrize("kind_key", list(fields.KINDS))
def test_every_heading_of_the_template_is_read_back_as_its_target(kind_key):
    kind = fields.KINDS[kind_key]
    sheet = workbook(kind_key).worksheets[0]
    headings = [cell.value for cell in sheet[3]]
    assert headings == template_headings(kind_key)
    assert headings[0] == "STT" and fields.target_for(kind, "STT") == fields.IGNORE
    read = [fields.target_for(kind, heading) for heading in headings[1:]]
    assert read == [target.key for target in template_targets(kind)]
    assert header_row(sheet, kind) == 3


def test_the_delegation_template_has_the_combined_columns_only():
    keys = [target.key for target in template_targets(fields.DELEGATIONS)]
    assert {"leader", "dates", "notes"} <= set(keys)
    assert not {"id", "version", "ignore", "leader_name", "leader_title", "start_date", "end_date"} & set(keys)
    assert [t.key for t in template_targets(fields.AGREEMENTS)].count("term") == 1
    assert "expires_on" not in [t.key for t in template_targets(fields.AGREEMENTS)]
    assert "currency" not in [t.key for t in template_targets(fields.PROJECTS)]


def test_the_title_is_merged_across_the_columns_above_a_blank_row():
    sheet = workbook("delegations").worksheets[0]
    width = len(template_headings("delegations"))
    assert sheet["A1"].value == "DANH SÁCH ĐOÀN RA, ĐOÀN VÀO"
    assert [str(r) for r in sheet.merged_cells.ranges] == [f"A1:{openpyxl.utils.get_column_letter(width)}1"]
    assert all(cell.value is None for cell in sheet[2])
    assert sheet.freeze_panes == "A4"
    assert all(cell.font.b and cell.alignment.wrap_text and cell.border.left.style for cell in sheet[3])


def test_the_example_row_is_in_grey_italics_with_choice_labels_in_vietnamese():
    sheet = workbook("delegations").worksheets[0]
    example = dict(zip([c.value for c in sheet[3]], [c.value for c in sheet[4]], strict=True))
    assert example["STT"] == "Ví dụ"  # the import skips the row by this mark
    assert example["Họ tên, chức vụ trưởng đoàn"] == "Ông Hoàng Văn Minh, Phó Giám đốc Sở Công Thương"
    assert example["Thời gian"] == "11-16/6/2023"
    assert example["Loại đoàn"] == "Đoàn ra"
    assert all(cell.font.i and cell.font.color.rgb.endswith("808080") for cell in sheet[4])
    assert sheet.max_row == 4


@pytest.mark.parametrize(
    ("kind_key", "title"),
    [
        ("agreements", "DANH SÁCH THỎA THUẬN QUỐC TẾ"),
        ("projects", "DANH SÁCH DỰ ÁN"),
        ("partners", "DANH SÁCH ĐỐI TÁC"),
        ("twinnings", "DANH SÁCH CẶP KẾT NGHĨA"),
    ],
)
def test_each_kind_has_its_title(kind_key, title):
    assert workbook(kind_key).worksheets[0]["A1"].value == title


def test_the_guide_has_a_row_per_column_with_its_forms_and_whether_it_is_required():
    book = workbook("delegations")
    guide = book["Hướng dẫn"]
    assert [c.value for c in guide[3]] == ["Cột", "Nội dung", "Cách ghi", "Bắt buộc"]
    rows = {row[0]: row[1:] for row in guide.iter_rows(min_row=4, values_only=True)}
    assert list(rows) == template_headings("delegations")[1:]
    assert rows["Thời gian"][1] == "11/6/2023, 11-16/6/2023, từ 11/6 đến 16/6/2023, tháng 9/2023, Quý III/2023, 2018"
    assert rows["Nước đến"][1] == "Trung Quốc (Quảng Tây); Lào (tỉnh Luông Pha Băng)"
    assert rows["Họ tên, chức vụ trưởng đoàn"][1] == "Ông Hoàng Văn Minh, Phó Giám đốc Sở Công Thương"
    assert rows["Loại đoàn"][1].startswith("Đoàn ra; Đoàn vào; ")
    assert rows["Tên đoàn"][2] == "Có" and rows["Nước đến"][2] == "Không"


def test_the_agreement_guide_tells_the_forms_of_a_term():
    rows = {row[0]: row[1:] for row in workbook("agreements")["Hướng dẫn"].iter_rows(min_row=4, values_only=True)}
    assert rows["Thời hạn"][1] == "3 năm, 05 năm kể từ ngày ký, không thời hạn, đến 31/12/2025"
    assert rows["Loại văn bản"][2] == "Có"


def test_the_guide_names_what_the_funding_column_of_a_delegation_holds():
    rows = {row[0]: row[1:] for row in workbook("delegations")["Hướng dẫn"].iter_rows(min_row=4, values_only=True)}
    # Not "Nhà tài trợ", the funder of a project: where the delegation's money comes from.
    assert rows["Kinh phí"][0] == "Nguồn kinh phí"
    assert rows["Kinh phí"][1].startswith("Ngân sách nhà nước; ")
    assert "“Ví dụ”" in workbook("delegations")["Hướng dẫn"]["A2"].value


def test_a_template_filled_with_two_rows_and_its_example_left_in_imports_the_two(seeded, superuser):
    book = workbook("delegations")
    sheet = book.worksheets[0]
    filled = {
        "Tên đoàn": ["Đoàn Sở Ngoại vụ thăm Bằng Tường", "Đoàn thành phố Bằng Tường thăm Lạng Sơn"],
        "Loại đoàn": ["Đoàn ra", "Đoàn vào"],
        "Họ tên, chức vụ trưởng đoàn": ["Bà Nguyễn Thị Lan, Giám đốc Sở Ngoại vụ", "Ông Lý Minh, Phó Thị trưởng"],
        "Số người": [4, 6],
        "Nước đến": ["Trung Quốc (Bằng Tường)", "Trung Quốc (Bằng Tường)"],
        "Thời gian": ["5-6/3/2024", "12/4/2024"],
    }
    headings = [cell.value for cell in sheet[3]]
    for offset, number in enumerate((5, 6)):
        sheet.cell(number, 1, offset + 1)
        for heading, cells in filled.items():
            sheet.cell(number, headings.index(heading) + 1, cells[offset])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    before = Delegation.objects.count()

    plan = engine.read(data, "mau.xlsx", "delegations")

    assert [row.number for row in plan.rows] == [5, 6]
    assert plan.skipped == [(4, "dòng ví dụ của mẫu (ghi “Ví dụ”)")]
    engine.preview(plan, superuser)
    assert not plan.bad_rows(), [(row.number, row.errors) for row in plan.bad_rows()]
    engine.save(plan, superuser, data=data, file_name="mau.xlsx")
    assert Delegation.objects.count() == before + 2
    assert set(Delegation.objects.order_by("-pk").values_list("title", flat=True)[:2]) == set(filled["Tên đoàn"])
    assert not Delegation.objects.filter(title__startswith="Đoàn công tác của Sở Công Thương").exists()
