"""Reading the offices' own workbooks (office_import/reading.py): every format,
the header row found, the rows around the data skipped, and bad files refused."""

import codecs
import datetime
import io
import pathlib
import zipfile

import openpyxl
import pytest

from common.text import fold
from register.office_import import reading
from register.office_import.reading import (
    ImportFileError,
    Sheet,
    body_rows,
    column_letter,
    detect_format,
    find_header,
    header_rows,
    is_blank_row,
    read_workbook,
)

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "office"
HEADINGS = [fold(word) for word in ("STT", "Họ tên", "Thời gian", "Nước đến", "Nước", "Mục đích", "Ghi chú")]


def known(text):
    return any(heading in fold(text) for heading in HEADINGS)


def fixture(name):
    return (FIXTURES / name).read_bytes()


def xlsx(rows, title="Sheet"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def replaced(data, name, content):
    """The zip ``data`` with the entry ``name`` holding ``content`` instead."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry.filename, content if entry.filename == name else source.read(entry.filename))
    return out.getvalue()


ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>{prolog}'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="S1">{rows}</table:table>'
    "</office:spreadsheet></office:body></office:document-content>"
)


def ods(rows, prolog=""):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        archive.writestr("content.xml", ODS_CONTENT.format(prolog=prolog, rows=rows))
    return out.getvalue()


def text_cell(text, repeat=1):
    return (
        f'<table:table-cell table:number-columns-repeated="{repeat}" office:value-type="string">'
        f"<text:p>{text}</text:p></table:table-cell>"
    )


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10))
    + "]>"
)


# The office's own lists, as Excel, old Excel and LibreOffice save them


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_office_list_is_read_with_its_row_numbers_values_and_sheets(kind):
    workbook = read_workbook(fixture(f"doan_ra_2023.{kind}"), f"doan_ra_2023.{kind}")

    assert workbook.format == kind
    assert [sheet.title for sheet in workbook.sheets] == ["Đoàn ra 2023", "Ghi chú"]
    rows = dict(workbook.sheet(None).rows)
    assert rows[1] == ["DANH SÁCH ĐOÀN RA NĂM 2023"]
    assert 2 not in rows  # the blank row is left out, the numbers stay true
    assert rows[5][:5] == [
        1,
        "Ông Hoàng Văn Minh, Phó Giám đốc Sở Công Thương",
        5,
        "Trung Quốc (Quảng Tây)",
        "11-16/6/2023",
    ]
    assert rows[6][4] == datetime.date(2023, 9, 4)  # a true date cell, midnight -> date
    assert rows[7][2] == 4  # a formula's cached value
    assert rows[8] == ["Tổng cộng", None, 12]


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_header_and_body_of_the_office_list_are_found(kind):
    sheet = read_workbook(fixture(f"doan_ra_2023.{kind}")).sheet("doan ra 2023")

    header = find_header(sheet, known)
    data, skipped = body_rows(sheet, header)

    assert sheet.rows[header][0] == 3
    assert [number for number, _cells in data] == [5, 6, 7]
    assert skipped == [
        (4, "dòng tiêu đề mục: I. ĐOÀN CẤP TỈNH"),
        (8, "dòng tổng cộng"),
        (10, "phần ký tên cuối danh sách"),
        (11, "phần ký tên cuối danh sách"),
        (13, "phần ký tên cuối danh sách"),
    ]


def test_csv_in_utf8_with_semicolons_is_read():
    data = "DANH SÁCH ĐOÀN VÀO\n\nSTT;Họ tên;Nước đến;Thời gian\n1;Ông Lý;Lào;11-16/6/2023\n".encode()

    workbook = read_workbook(codecs.BOM_UTF8 + data, "list.csv")

    assert workbook.format == "csv"
    assert workbook.sheets[0].rows == [
        (1, ["DANH SÁCH ĐOÀN VÀO"]),
        (3, ["STT", "Họ tên", "Nước đến", "Thời gian"]),
        (4, ["1", "Ông Lý", "Lào", "11-16/6/2023"]),
    ]
    assert find_header(workbook.sheets[0], known) == 1


def test_csv_saved_by_excel_as_unicode_text_is_read():
    data = "STT\tHọ tên\tNước đến\n1\tÔng Lý\tLào\n".encode("utf-16")

    assert read_workbook(data).sheets[0].rows[1] == (2, ["1", "Ông Lý", "Lào"])


def test_csv_in_a_windows_code_page_is_refused_with_the_way_to_save_it():
    with pytest.raises(ImportFileError, match="UTF-8"):
        read_workbook("STT;Tên\n1;Lào\n".encode("cp1252"))


def test_sheet_by_unknown_title_names_the_sheets():
    with pytest.raises(ImportFileError, match="“Đoàn ra 2023”, “Ghi chú”"):
        read_workbook(fixture("doan_ra_2023.xlsx")).sheet("Đoàn vào")


# Header and body


def sheet_of(*rows):
    return Sheet("S", [(number, cells) for number, cells in enumerate(rows, start=1)])


def test_header_falls_back_to_the_first_row_of_text_only():
    sheet = sheet_of(["Báo cáo"], ["Cột một", "Cột hai", "Cột ba"], ["a", 1, "b"])

    assert find_header(sheet, known) == 1


def test_header_prefers_the_row_with_most_known_headings():
    sheet = sheet_of(["Thời gian", "Ghi chú", "x"], ["STT", "Họ tên", "Thời gian", "Ghi chú"])

    assert find_header(sheet, known) == 1


def test_no_header_is_refused_saying_the_clerk_can_pick_it():
    with pytest.raises(ImportFileError, match="Hãy tự chọn dòng tiêu đề"):
        find_header(sheet_of([1, 2, 3], ["a", 4]), known)


@pytest.mark.parametrize("numbering", [[1, 2, 3, 4], ["(1)", "(2)", "(3)", "(4)"]])
def test_column_numbering_under_the_header_is_skipped(numbering):
    sheet = sheet_of(["STT", "Họ tên", "Thời gian", "Ghi chú"], numbering, [1, "Ông Lý", "6/2023", ""])

    data, skipped = body_rows(sheet, 0)

    assert [number for number, _ in data] == [3]
    assert skipped == [(2, "dòng đánh số cột dưới tiêu đề")]


def test_subtotals_and_sections_are_skipped_and_the_data_between_kept():
    sheet = sheet_of(
        ["STT", "Họ tên", "Thời gian", "Ghi chú"],
        ["A. Cấp tỉnh"],
        [1, "Ông Lý", "6/2023"],
        ["Cộng", None, 1],
        ["B. Cấp huyện", "(3 đoàn)"],
        [2, "Bà Hoa", "7/2023"],
        ["TOTAL:", None, 2],
        ["Hà Nội, ngày 5 tháng 2 năm 2024"],
        ["KT. GIÁM ĐỐC"],
    )

    data, skipped = body_rows(sheet, 0)

    assert [number for number, _ in data] == [3, 6]
    assert [reason for _number, reason in skipped] == [
        "dòng tiêu đề mục: A. Cấp tỉnh",
        "dòng tổng cộng",
        "dòng tiêu đề mục: B. Cấp huyện (3 đoàn)",
        "dòng tổng cộng",
        "phần ký tên cuối danh sách",
        "phần ký tên cuối danh sách",
    ]


# Headings on two rows

TWO_ROW_HEADINGS = [
    "STT",
    "Tên đoàn",
    "Trưởng đoàn – Họ tên",
    "Trưởng đoàn – Chức vụ",
    "Nước",
    "Thời gian – Từ ngày",
    "Thời gian – Đến ngày",
    "Ghi chú",
]


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_a_heading_merged_over_sub_headings_is_joined_to_each_of_them(kind):
    sheet = read_workbook(fixture(f"doan_vao_2_dong.{kind}")).sheets[0]

    found = find_header(sheet, known)
    header = header_rows(sheet, found)
    data, skipped = body_rows(sheet, header)

    assert sheet.rows[found][0] == 3
    assert header.cells == TWO_ROW_HEADINGS
    assert [number for number, _cells in data] == [5, 6]
    assert skipped == [(4, "một phần của dòng tiêu đề, ghép với tiêu đề ở dòng 3"), (7, "dòng tổng cộng")]
    # The clerk choosing the row of sub-headings gets the same header.
    assert header_rows(sheet, found + 1).cells == TWO_ROW_HEADINGS
    assert body_rows(sheet, header_rows(sheet, found + 1))[0] == data


def test_a_parent_heading_over_headings_all_on_the_lower_row_stops_before_one_not_its_own():
    sheet = sheet_of(
        ["DANH SÁCH ĐOÀN RA"],
        [None, None, None, "Thời gian"],
        ["STT", "Tên đoàn", "Nước đến", "Từ", "Đến", "Ghi chú"],
        ["1", "Đoàn A", "Lào", "1/2/2023", "3/2/2023", "x"],
    )

    header = header_rows(sheet, 2, lambda parent, sub: sub != "Ghi chú")

    assert header.cells == ["STT", "Tên đoàn", "Nước đến", "Thời gian – Từ", "Thời gian – Đến", "Ghi chú"]
    assert (header.first, header.last) == (1, 2)
    data, skipped = body_rows(sheet, header)
    assert [number for number, _ in data] == [4]
    assert skipped == [(2, "một phần của dòng tiêu đề, ghép với tiêu đề ở dòng 3")]


def test_merged_ranges_where_the_reader_gives_them_bound_a_parent_heading():
    sheet = Sheet(
        "S",
        [(3, [None, None, "Thời gian"]), (4, ["STT", "Tên đoàn", "Từ", "Đến", "Ghi chú"])],
        merged=["C3:D3", "A1:E1"],
    )

    assert header_rows(sheet, 1).cells == ["STT", "Tên đoàn", "Thời gian – Từ", "Thời gian – Đến", "Ghi chú"]


@pytest.mark.parametrize(
    "above",
    [
        ["DANH SÁCH ĐOÀN RA NĂM 2023"],  # a title, typed in its first cell
        [None, None, None, "DANH SÁCH ĐOÀN RA NĂM 2023"],  # a title, typed over the middle
        ["UBND TỈNH LẠNG SƠN", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        [None, None, None, "Đơn vị tính: người"],
        [None, None, "Ghi chú:", None],
    ],
)
def test_a_title_or_a_note_right_above_the_headings_is_not_their_parent(above):
    sheet = sheet_of(above, ["STT", "Họ tên", "Thời gian", "Số người", "Ghi chú"], [1, "Ông Lý", "6/2023", 3, ""])

    header = header_rows(sheet, find_header(sheet, known))

    assert header.cells == ["STT", "Họ tên", "Thời gian", "Số người", "Ghi chú"]
    assert body_rows(sheet, header) == ([(3, [1, "Ông Lý", "6/2023", 3, ""])], [])


def test_a_row_of_text_under_headings_with_a_blank_one_is_data_not_sub_headings():
    sheet = sheet_of(["Tên", None, "Tên tiếng Anh", "Ghi chú"], ["Bằng Tường", "Pingxiang", "Pingxiang", "Huyện"])

    header = header_rows(sheet, 0)

    assert header.cells == ["Tên", None, "Tên tiếng Anh", "Ghi chú"]
    assert [number for number, _ in body_rows(sheet, header)[0]] == [2]


def test_the_example_row_of_a_template_is_skipped_saying_so():
    sheet = sheet_of(["STT", "Họ tên", "Thời gian"], ["Ví dụ", "Ông Lý", "6/2023"], [1, "Bà Hoa", "7/2023"])

    data, skipped = body_rows(sheet, 0)

    assert [number for number, _ in data] == [3]
    assert skipped == [(2, "dòng ví dụ của mẫu (ghi “Ví dụ”)")]


def test_blank_rows_and_column_letters():
    assert is_blank_row([None, " ", ""])
    assert not is_blank_row([None, 0])
    assert [column_letter(i) for i in (0, 6, 26)] == ["A", "G", "AA"]


# Bad files


def test_encrypted_xlsx_is_refused_saying_to_remove_the_password():
    with pytest.raises(ImportFileError, match="mật khẩu"):
        detect_format(fixture("encrypted.xlsx"), "danh_sach.xlsx")


def test_encrypted_xls_is_refused_saying_to_remove_the_password(monkeypatch):
    # LibreOffice here would not write a password-protected .xls; xlrd reads the FILEPASS
    # record and says "Workbook is encrypted" (xlrd/book.py), which is what this stands for.
    import xlrd

    def encrypted_workbook(**kwargs):
        raise xlrd.XLRDError("Workbook is encrypted")

    monkeypatch.setattr(xlrd, "open_workbook", encrypted_workbook)
    with pytest.raises(ImportFileError, match="mật khẩu"):
        read_workbook(fixture("doan_ra_2023.xls"), "danh_sach.xls")


def test_truncated_xlsx_is_refused_as_damaged():
    data = fixture("doan_ra_2023.xlsx")

    with pytest.raises(ImportFileError, match="Tệp bị hỏng"):
        read_workbook(data[: len(data) // 2], "danh_sach.xlsx")


def test_xls_of_garbage_after_its_header_is_refused_as_damaged():
    data = reading.OLE2_SIGNATURE + bytes(range(256)) * 40

    with pytest.raises(ImportFileError, match="Tệp bị hỏng"):
        read_workbook(data, "danh_sach.xls")


def test_xls_with_a_cell_at_its_last_row_and_column_stays_small(counted_rows):
    # Written by LibreOffice from cells A1 and IV65536; calamine would hold all 16.7 million cells.
    rows = read_workbook(fixture("sparse.xls")).sheets[0].rows

    assert rows[0] == (1, ["x"])
    assert len(counted_rows) <= 65536


def test_xls_whose_sheet_is_damaged_is_refused_as_damaged():
    data = bytearray(fixture("doan_ra_2023.xls"))
    data[1024:4096] = b"\xff" * 3072  # the Workbook stream, past the OLE2 directory's sector

    with pytest.raises(ImportFileError):
        read_workbook(bytes(data), "danh_sach.xls")


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"%PDF-1.7\n" + b"\x00" * 100, "PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG"),
        (None, "Word"),
    ],
)
def test_pdf_image_or_word_document_renamed_xlsx_is_refused_naming_what_it_is(data, kind):
    if data is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
        data = out.getvalue()

    with pytest.raises(ImportFileError, match=kind):
        detect_format(data, "danh_sach.xlsx")


def test_file_over_20_mb_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(zipfile, "ZipFile", None)  # nothing may open it
    with pytest.raises(ImportFileError, match="20 MB"):
        read_workbook(b"PK\x03\x04" + bytes(50 * 1024 * 1024), "lon.xlsx")


def test_empty_file_is_refused():
    with pytest.raises(ImportFileError, match="Tệp trống"):
        read_workbook(b"", "x.csv")


def test_zip_bomb_is_refused_from_its_directory(monkeypatch):
    bomb = replaced(xlsx([["STT"]]), "xl/worksheets/sheet1.xml", b" " * (60 * 1024 * 1024))
    assert len(bomb) < 200 * 1024
    monkeypatch.setattr(openpyxl, "load_workbook", None)  # never parsed

    with pytest.raises(ImportFileError, match="quá lớn khi giải nén"):
        read_workbook(bomb, "bom.xlsx")


def test_zip_inflating_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNZIPPED_BYTES", 1000)

    with pytest.raises(ImportFileError, match="quá lớn khi giải nén"):
        detect_format(xlsx([["x" * 2000]]))


@pytest.mark.parametrize(
    "part, text", [("xl/worksheets/sheet1.xml", "<v>"), ("xl/sharedStrings.xml", '<t xml:space="preserve">')]
)
def test_xlsx_with_entity_expansion_is_refused(part, text):
    data = fixture("doan_ra_2023.xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(part).decode()
    assert text in xml
    xml = xml.replace("?>", "?>" + LAUGHS, 1).replace(text, text + "&lol9;", 1)

    with pytest.raises(ImportFileError, match="thực thể XML"):
        read_workbook(replaced(data, part, xml.encode()), "lol.xlsx")


def test_ods_with_entity_expansion_is_refused():
    data = ods(f"<table:table-row>{text_cell('&lol9;')}</table:table-row>", prolog=LAUGHS)

    with pytest.raises(ImportFileError, match="thực thể XML"):
        read_workbook(data, "lol.ods")


def test_ods_repeating_a_row_into_millions_of_cells_is_refused_before_calamine_reads_it(monkeypatch):
    rows = f'<table:table-row table:number-rows-repeated="3000000">{text_cell("x", 30)}</table:table-row>'
    import python_calamine

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", None)  # 3.8 GB and 10 s if it did

    with pytest.raises(ImportFileError, match="20.000 dòng"):
        read_workbook(ods(rows), "lap.ods")


def test_ods_whose_cells_fill_a_huge_area_is_refused(monkeypatch):
    import python_calamine

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", None)
    gap = '<table:table-cell table:number-columns-repeated="16000"/>'
    rows = (
        f'<table:table-row table:number-rows-repeated="10000">{text_cell("x")}{gap}{text_cell("y")}</table:table-row>'
    )

    with pytest.raises(ImportFileError, match="lặp lại các dòng"):
        read_workbook(ods(rows), "rong.ods")


def test_ods_with_a_long_blank_tail_is_read():
    rows = (
        f"<table:table-row>{text_cell('STT')}{text_cell('Họ tên')}</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048575"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row>'
    )

    assert read_workbook(ods(rows)).sheets[0].rows == [(1, ["STT", "Họ tên"])]


@pytest.fixture
def counted_rows(monkeypatch):
    """How many rows the readers looked at."""
    seen = []
    checked = reading.checked

    def counting(number, cells):
        seen.append(number)
        return checked(number, cells)

    monkeypatch.setattr(reading, "checked", counting)
    return seen


def test_csv_of_100000_rows_is_refused_at_the_row_budget(counted_rows):
    data = ("STT,Họ tên\n" + "".join(f"{n},Ông {n}\n" for n in range(100000))).encode()

    with pytest.raises(ImportFileError, match="không quá 20.000 dòng"):
        read_workbook(data, "lon.csv")
    assert len(counted_rows) <= 20001


def test_xlsx_of_100000_rows_is_refused_at_the_row_budget(counted_rows):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Đoàn")
    for n in range(100000):
        sheet.append([n, "Ông Lý"])
    out = io.BytesIO()
    workbook.save(out)

    with pytest.raises(ImportFileError, match="Hãy chia"):
        read_workbook(out.getvalue(), "lon.xlsx")
    assert len(counted_rows) <= 20001


def test_row_budget_counts_the_rows_of_all_sheets():
    workbook = openpyxl.Workbook()
    workbook.active.append(["a"])
    workbook.active.append(["b"])
    workbook.create_sheet("Hai").append(["c"])
    out = io.BytesIO()
    workbook.save(out)

    assert len(read_workbook(out.getvalue(), max_rows=3).sheets) == 2
    with pytest.raises(ImportFileError, match="hơn 2 dòng"):
        read_workbook(out.getvalue(), max_rows=2)


def test_a_row_at_the_bottom_of_the_sheet_costs_no_million_rows(counted_rows):
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "STT"
    workbook.active["A1048576"] = "cuối"
    out = io.BytesIO()
    workbook.save(out)

    assert read_workbook(out.getvalue()).sheets[0].rows == [(1, ["STT"]), (1048576, ["cuối"])]
    assert len(counted_rows) <= 3  # openpyxl's first made-up blank row is looked at once


def test_too_many_columns_and_too_long_cells_are_refused():
    with pytest.raises(ImportFileError, match="200"):
        read_workbook(xlsx([[None] * 200 + ["x"]]))
    with pytest.raises(ImportFileError, match="32.767"):
        read_workbook(("STT,Ghi chú\n1," + "x" * 32768 + "\n").encode())  # openpyxl cuts what it writes


WEB_LIST = """<html><head><meta charset="utf-8"></head><body><p>Xuất từ hệ thống</p>
<table border="1">
<tr><td colspan="7"><b>DANH SÁCH ĐOÀN RA NĂM 2023</b></td></tr>
<tr><th rowspan="2">STT</th><th rowspan="2">Họ tên, chức vụ trưởng đoàn</th><th rowspan="2">Số thành viên</th>
<th rowspan="2">Nước đến</th><th colspan="2">Thời gian</th><th rowspan="2">Ghi chú</th></tr>
<tr><th>Từ ngày</th><th>Đến ngày</th></tr>
<tbody><tr><td>1</td><td>Ông Hoàng Văn Minh,<br>Phó Giám đốc&nbsp;Sở Công Thương</td><td>5</td>
<td>Trung Quốc (Quảng Tây)</td><td>11/6/2023</td><td>16/6/2023</td><td><table><tr><td>x</td></tr></table></td></tr>
<tr><td>2</td><td>Bà Nguyễn Thị Lan</td><td>3</td><td>Lào</td><td>tháng 9/2023</td><td></td><td>Kinh phí tỉnh</td></tr>
</tbody></table></body></html>"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_an_excel_export_that_is_a_web_page_is_read_table_by_table_with_its_spans(encoding):
    data = WEB_LIST.encode(encoding)  # utf-16 with its BOM, as some systems write it
    assert detect_format(data, "danh-sach.xls") == "html"
    workbook = read_workbook(data, "danh-sach.xls")
    assert [sheet.title for sheet in workbook.sheets] == ["Bảng 1", "Bảng 2"]  # the table inside a cell: its own
    rows = dict(workbook.sheets[0].rows)
    assert rows[1] == ["DANH SÁCH ĐOÀN RA NĂM 2023"]  # a colspan: blanks after, as a merge (trailing ones trimmed)
    assert rows[2] == ["STT", "Họ tên, chức vụ trưởng đoàn", "Số thành viên", "Nước đến", "Thời gian", None, "Ghi chú"]
    assert rows[3] == [None, None, None, None, "Từ ngày", "Đến ngày"]  # a rowspan: blank below
    assert rows[4][:6] == [
        "1",
        "Ông Hoàng Văn Minh,\nPhó Giám đốc Sở Công Thương",
        "5",
        "Trung Quốc (Quảng Tây)",
        "11/6/2023",
        "16/6/2023",
    ]
    assert rows[5][4:7] == ["tháng 9/2023", None, "Kinh phí tỉnh"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("<!DOCTYPE html><html><body><p>Trang chủ</p></body></html>".encode(), "trang web không có bảng"),
        (
            b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
            "XML Spreadsheet 2003",
        ),
        (b'<?xml version="1.0"?><root/>', "tệp XML"),
    ],
)
def test_a_web_page_without_a_table_and_xml_files_are_refused_saying_what_they_are(data, message, settings):
    from django.utils import translation

    with translation.override("vi"), pytest.raises(ImportFileError) as refused:
        read_workbook(data, "danh-sach.xls")
    assert message in str(refused.value)
