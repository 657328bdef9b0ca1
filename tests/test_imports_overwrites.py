"""Imports that would overwrite or repeat what others entered: a header error
names the column as the sheet shows it; a row that updates a record must bring
back the version the export wrote, and is refused (naming who changed the
record and when) if the record changed since; a new row that looks like an
existing record is shown as a possible duplicate and saved only when the clerk
ticks "import anyway". Through the admin's own pages, with files as the list's
export writes them, in the request and in the background job."""

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from delegations.columns import COLUMNS as DELEGATION_COLUMNS
from delegations.models import Delegation, Direction
from partners.models import Partner
from projects.models import Project
from register import history
from register.models import ImportJob
from tests.conftest import make_user
from tests.import_files import csv_bytes, download, export_rows, import_url, post_file, xlsx_bytes
from tests.test_imports import DELEGATION_HEADERS, delegation_row

SEARCH = "Kiểm thử phiên bản"  # in the title of this file's delegations: the export's search


@pytest.fixture
def trips(seeded):
    """Two draft delegations to Guangxi, saved (their audit trail has a row each)."""
    guangxi = Partner.objects.get(pk=9)
    made = []
    for n, day in ((1, dt.date(2025, 3, 4)), (2, dt.date(2025, 5, 6))):
        delegation = Delegation.objects.create(
            title=f"{SEARCH} {n}", direction=Direction.OUTBOUND, start_date=day, size=n + 3
        )
        delegation.partners.add(guangxi)
        made.append(delegation)
    return made


def exported(client, fmt):
    """The delegation list's export of this file's delegations, as rows of text (header first)."""
    data = download(client, reverse(f"delegations:export_{fmt}") + "?" + f"q={SEARCH}")
    if fmt == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [["" if cell is None else cell for cell in row] for row in export_rows(sheet)]


def as_file(rows, fmt):
    """``rows`` (header first) written back as the clerk's spreadsheet saves them."""
    if fmt == "csv":
        return csv_bytes(
            rows[0], [[v.strftime("%d/%m/%Y") if isinstance(v, dt.datetime) else v for v in row] for row in rows[1:]]
        ), "doan.csv"
    return xlsx_bytes(("Đoàn", rows[0], rows[1:])), "doan.xlsx"


def edited(rows, pk, **changes):
    """``rows`` with the record ``pk``'s cells changed (by column key)."""
    header = rows[0]
    keys = {str(column.header): column.key for column in DELEGATION_COLUMNS}
    out = [header]
    for row in rows[1:]:
        if str(row[0]) == str(pk):
            row = [changes.get(keys.get(h), value) for h, value in zip(header, row, strict=True)]
        out.append(row)
    return out


def problems(response):
    return {(number, column): message for _sheet, number, column, message in response.context["result"].problems()}


# --- a) Header errors name the column as the spreadsheet shows it --------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_header_errors_name_columns_by_their_letter_and_number(staff_client, seeded, fmt):
    header = ["Tiêu đề", "", "Ngày bắt đầuu", "Hướng đoàn"]
    rows = [["Đoàn A", "ghi chú lạc", "03/04/2024", "Đoàn ra"]]
    data = csv_bytes(header, rows) if fmt == "csv" else xlsx_bytes(("Đoàn", header, rows))
    response = post_file(staff_client, Delegation, data, f"doan.{fmt}")
    assert "cột B (2), không có tiêu đề" in response.text
    assert "“Ngày bắt đầuu” ở cột C (3)" in response.text
    assert "cột 3" not in response.text
    assert "confirm_form" not in response.context


# --- b) Versions ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_file_edited_and_imported_with_unchanged_versions_saves(staff_client, trips, fmt):
    first, second = trips
    rows = exported(staff_client, fmt)
    assert "Phiên bản" in rows[0]
    version = rows[0].index("Phiên bản")
    assert {str(row[0]): str(row[version]) for row in rows[1:]} == {str(d.pk): str(history.version(d)) for d in trips}
    data, name = as_file(edited(rows, first.pk, size=9, title=f"{SEARCH} 1 (sửa)"), fmt)
    preview = post_file(staff_client, Delegation, data, name)
    assert "confirm_form" in preview.context, preview.context["result"].problems()
    totals = preview.context["result"].totals
    assert (totals["update"], totals["skip"], totals["new"]) == (1, 1, 0)
    done = staff_client.post(import_url(Delegation, "process_import"), preview.context["confirm_form"].initial)
    assert done.status_code == 302
    first.refresh_from_db()
    assert (first.title, first.size) == (f"{SEARCH} 1 (sửa)", 9)
    second.refresh_from_db()
    assert second.size == 5


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_stale_version_is_refused_naming_who_changed_the_record_and_when_and_nothing_is_saved(
    staff_client, trips, fmt
):
    first, second = trips
    rows = exported(staff_client, fmt)
    # After the export, a colleague corrects the first delegation in the admin.
    colleague = make_user("nva", "staff", is_staff=True, first_name="Nguyễn Văn A")
    first.refresh_from_db()
    first.size, first._history_user = 12, colleague
    first.save()
    changed_at = timezone.localtime(first.history.order_by("-history_id").first().history_date)

    data, name = as_file(edited(edited(rows, first.pk, size=4), second.pk, size=7), fmt)
    response = post_file(staff_client, Delegation, data, name)
    assert "confirm_form" not in response.context
    row = next(n for n, r in enumerate(rows[1:], start=2) if str(r[0]) == str(first.pk))
    expected = (
        f"Bản ghi #{first.pk} đã được Nguyễn Văn A sửa lúc {changed_at:%H:%M %d/%m/%Y}, sau khi tệp được xuất. "
        "Xuất lại tệp và sửa trên bản mới."
    )
    assert problems(response) == {(row, "Phiên bản"): expected}
    assert expected in response.text and "Chưa có gì được lưu." in response.text
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.size, second.size) == (12, 5)  # the colleague's change kept, the other row not saved either


def test_a_row_updating_a_record_without_its_version_is_refused(staff_client, trips):
    first = trips[0]
    data = csv_bytes(DELEGATION_HEADERS, [delegation_row(first.title, id=str(first.pk), version="", size="30")])
    response = post_file(staff_client, Delegation, data)
    assert "confirm_form" not in response.context
    assert problems(response) == {
        (2, "Phiên bản"): f"Dòng này sửa bản ghi #{first.pk} nhưng không có “Phiên bản”: hãy xuất lại tệp và "
        "sửa trên bản mới (bản ghi mới thì để trống số hồ sơ)."
    }
    # A file without the column at all is refused the same way; a new row needs no version.
    without = [h for h in DELEGATION_HEADERS if h != "Phiên bản"]
    row = delegation_row(first.title, id=str(first.pk), size="30")[: len(without)]
    response = post_file(staff_client, Delegation, csv_bytes(without, [row, delegation_row("Đoàn mới hẳn")[:-1]]))
    assert list(problems(response)) == [(2, "Phiên bản")]
    first.refresh_from_db()
    assert first.size == 4


@pytest.fixture
def background(settings):
    """Files of more than 2 rows go to the worker, run when the test says."""
    settings.IMPORT_BACKGROUND_ROWS = 2
    settings.IMPORT_BATCH_ROWS = 2
    settings.JOBS_RUN_INLINE = False
    return settings


def job_url(job, step=""):
    return reverse("admin:delegations_delegation_import_job" + (f"_{step}" if step else ""), args=[job.pk])


def test_a_background_import_refuses_a_stale_version_in_its_preview_and_saves_nothing(staff_client, trips, background):
    first, second = trips
    rows = exported(staff_client, "xlsx")
    colleague = make_user("nva", "staff", is_staff=True, first_name="Nguyễn Văn A")
    first.refresh_from_db()
    first.size, first._history_user = 12, colleague
    first.save()
    data = xlsx_bytes(("Đoàn", rows[0], [*edited(rows, second.pk, size=7)[1:], delegation_row("Đoàn mới X")]))
    post_file(staff_client, Delegation, data, "doan.xlsx")
    job = ImportJob.objects.get()
    call_command("run_jobs", "--once")
    job.refresh_from_db()
    assert job.result["valid"] is False
    messages = [message for _s, _n, _c, message in job.result["problems"]]
    assert len(messages) == 1 and f"Bản ghi #{first.pk} đã được Nguyễn Văn A sửa lúc" in messages[0]
    page = staff_client.get(job_url(job))
    assert "Nguyễn Văn A" in page.text and job_url(job, "confirm") not in page.text
    second.refresh_from_db()
    assert second.size == 5 and not Delegation.objects.filter(title="Đoàn mới X").exists()


# --- c) Possible duplicates ------------------------------------------------------------------------------------------


def duplicate_rows(trips):
    """Row 2: the first trip's title but for case and accents; row 3: the second
    trip again (direction, start date, partner) under another title; row 4: new."""
    return [
        delegation_row(trips[0].title.upper().replace("Ể", "E").replace("Ê", "E"), start_date="01/01/2020"),
        delegation_row("Đoàn khác tên", start_date="06/05/2025", partners="Quảng Tây"),
        delegation_row("Đoàn hoàn toàn mới", start_date="07/05/2025", partners="Quảng Tây"),
    ]


def test_possible_duplicates_are_shown_in_the_preview_and_skipped_unless_ticked(staff_client, trips):
    before = Delegation.objects.count()
    data = csv_bytes(DELEGATION_HEADERS, duplicate_rows(trips))
    preview = post_file(staff_client, Delegation, data)
    assert "confirm_form" in preview.context
    result = preview.context["result"]
    assert [(n, [pk for pk, _url in found]) for n, found in result.possible_duplicates()] == [
        (2, [trips[0].pk]),
        (3, [trips[1].pk]),
    ]
    change = reverse("admin:delegations_delegation_change", args=[trips[0].pk])
    assert re.search(rf'có thể trùng với <a href="{change}"[^>]*>#{trips[0].pk}</a>', preview.text)
    assert 'name="import_anyway" value="3"' in preview.text and 'name="import_all_duplicates"' in preview.text
    assert Delegation.objects.count() == before

    done = staff_client.post(import_url(Delegation, "process_import"), preview.context["confirm_form"].initial)
    assert done.status_code == 302
    assert Delegation.objects.count() == before + 1
    assert Delegation.objects.filter(title="Đoàn hoàn toàn mới").exists()
    assert "Đã bỏ qua 2 dòng có thể trùng" in staff_client.get(done.url).text


def test_possible_duplicates_ticked_import_anyway_are_imported(staff_client, trips):
    before = Delegation.objects.count()
    data = csv_bytes(DELEGATION_HEADERS, duplicate_rows(trips))
    preview = post_file(staff_client, Delegation, data)
    form = {**preview.context["confirm_form"].initial, "import_anyway": ["3"]}
    assert staff_client.post(import_url(Delegation, "process_import"), form).status_code == 302
    assert Delegation.objects.count() == before + 2
    assert Delegation.objects.filter(title="Đoàn khác tên").exists()

    preview = post_file(staff_client, Delegation, csv_bytes(DELEGATION_HEADERS, duplicate_rows(trips)[:1]))
    form = {**preview.context["confirm_form"].initial, "import_all_duplicates": "1"}
    assert staff_client.post(import_url(Delegation, "process_import"), form).status_code == 302
    assert Delegation.objects.count() == before + 3


def test_a_background_import_shows_possible_duplicates_and_saves_only_those_ticked(staff_client, trips, background):
    before = Delegation.objects.count()
    data = csv_bytes(DELEGATION_HEADERS, duplicate_rows(trips))
    post_file(staff_client, Delegation, data)
    job = ImportJob.objects.get()
    call_command("run_jobs", "--once")
    page = staff_client.get(job_url(job))
    change = reverse("admin:delegations_delegation_change", args=[trips[1].pk])
    assert re.search(rf'có thể trùng với <a href="{change}"[^>]*>#{trips[1].pk}</a>', page.text)
    assert 'name="import_anyway" value="2"' in page.text
    assert Delegation.objects.count() == before

    assert staff_client.post(job_url(job, "confirm"), {"import_anyway": ["2"]}).status_code == 302
    call_command("run_jobs", "--once")
    job.refresh_from_db()
    assert (job.status, job.result["saved_totals"]["new"], job.result["saved_totals"]["skip"]) == ("done", 2, 1)
    titles = set(Delegation.objects.filter(pk__gt=trips[1].pk).values_list("title", flat=True))
    assert titles == {duplicate_rows(trips)[0][2], "Đoàn hoàn toàn mới"}


def test_a_project_workbook_exported_edited_and_imported_again_saves_its_projects_and_transactions(
    staff_client, seeded
):
    """The project export's two sheets carry their versions, and come back."""
    project = Project.objects.create(title=f"{SEARCH} dự án", kind="oda", code="KT-PB-1")
    payment = project.transactions.create(kind="disbursement", date=dt.date(2025, 1, 15), amount=1000, currency="VND")
    data = download(staff_client, reverse("projects:export_xlsx") + f"?q={SEARCH}")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    projects, transactions = (export_rows(sheet) for sheet in workbook.worksheets)
    assert "Phiên bản" in projects[0] and "Phiên bản" in transactions[0]
    projects[1][projects[0].index("Tiêu đề")] = f"{SEARCH} dự án (sửa)"
    transactions[1][transactions[0].index("Số tiền")] = 2000
    edited_file = xlsx_bytes(
        ("Dự án", projects[0], projects[1:]), ("Giao dịch", transactions[0], [r for r in transactions[1:] if any(r)])
    )
    preview = post_file(staff_client, Project, edited_file, "du-an.xlsx")
    assert "confirm_form" in preview.context, preview.context["result"].problems()
    assert (
        staff_client.post(import_url(Project, "process_import"), preview.context["confirm_form"].initial).status_code
        == 302
    )
    project.refresh_from_db()
    payment.refresh_from_db()
    assert (project.title, payment.amount) == (f"{SEARCH} dự án (sửa)", 2000)
