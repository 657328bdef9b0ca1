"""Large imports: a file past the row limit is refused while it is read; one
of more than a few hundred rows is previewed and saved by the worker
(`manage.py run_jobs`) in batches of their own transactions, and its page,
progress and status belong to the clerk who uploaded it."""

import zipfile

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse

from delegations.models import Delegation
from delegations.resources import DelegationResource
from projects.columns import COLUMNS as PROJECT_COLUMNS
from projects.columns import TRANSACTION_COLUMNS
from projects.models import Project, Transaction
from register import import_bulk, import_jobs
from register.import_reading import RowBudget, table
from register.import_rows import ImportFileError
from register.models import ImportJob
from tests.conftest import make_user
from tests.import_files import csv_bytes, headers, post_file, xlsx_bytes
from tests.test_imports import DELEGATION_HEADERS, delegation_row


@pytest.fixture
def background(settings):
    """Files of more than 3 rows go to the worker, saved 2 rows per batch."""
    settings.IMPORT_BACKGROUND_ROWS = 3
    settings.IMPORT_BATCH_ROWS = 2
    settings.JOBS_RUN_INLINE = False
    return settings


def five_delegations(**cells):
    return csv_bytes(DELEGATION_HEADERS, [delegation_row(f"Đoàn lớn {n}", **cells) for n in range(1, 6)])


def url(job, step=""):
    name = "admin:delegations_delegation_import_job" + (f"_{step}" if step else "")
    return reverse(name, args=[job.pk])


# --- The row limit ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_past_the_row_limit_is_refused_with_the_limit_named(staff_client, seeded, settings, fmt):
    settings.IMPORT_MAX_ROWS = 4
    rows = [delegation_row(f"Đoàn {n}") for n in range(5)]
    data = csv_bytes(DELEGATION_HEADERS, rows) if fmt == "csv" else xlsx_bytes(("Đoàn", DELEGATION_HEADERS, rows))
    before = Delegation.objects.count()
    response = post_file(staff_client, Delegation, data, f"doan.{fmt}")
    assert response.status_code == 200
    assert "Tệp có hơn 4 dòng dữ liệu, số dòng nhiều nhất một lần nhập." in response.text
    assert "Hãy chia thành các tệp không quá 4 dòng" in response.text
    assert Delegation.objects.count() == before and not ImportJob.objects.exists()


def test_the_default_row_limit_is_twenty_thousand(settings):
    del settings.IMPORT_MAX_ROWS
    assert RowBudget().limit == 20000


def test_reading_stops_at_the_first_row_past_the_limit():
    read = []

    def rows():
        for number in range(1, 1_000_001):
            read.append(number)
            yield number, [f"ô {number}"]

    with pytest.raises(ImportFileError, match="hơn 10 dòng"):
        table(rows(), budget=RowBudget(10))
    assert len(read) == 12  # the header, 10 rows, and the one past the limit


def test_a_cell_longer_than_excel_allows_or_a_sheet_too_wide_is_refused():
    with pytest.raises(ImportFileError, match="32.767"):
        table([(1, ["Tiêu đề"]), (2, ["x" * 32768])])
    with pytest.raises(ImportFileError, match="sau cột 200"):
        table([(1, ["Tiêu đề"]), (2, ["a", *[""] * 250, "b"])])


# --- Small files stay in the request ------------------------------------------------------------------------------


def test_a_file_of_a_few_rows_is_still_previewed_in_the_request(staff_client, seeded, background):
    data = csv_bytes(DELEGATION_HEADERS, [delegation_row("Đoàn nhỏ")])
    response = post_file(staff_client, Delegation, data)
    assert response.status_code == 200 and "confirm_form" in response.context
    assert not ImportJob.objects.exists()


# --- A large file goes to the worker ------------------------------------------------------------------------------


def test_a_large_import_is_previewed_and_saved_by_run_jobs(staff_client, staff, seeded, background):
    before = Delegation.objects.count()
    response = post_file(staff_client, Delegation, five_delegations(partners="Quảng Tây"))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == url(job)
    assert (job.owner, job.step, job.status, job.total_rows) == (staff, "preview", "queued", 5)
    assert job.file.name.startswith("imports/") and job.file.storage.exists(job.file.name)

    page = staff_client.get(url(job))
    assert '<progress id="import-progress" max="5" value="0"' in page.text
    assert '<meta http-equiv="refresh" content="5">' in page.text
    assert "js/import_progress.js" in page.text and "Đang chờ tiến trình chạy nền" in page.text

    call_command("run_jobs", "--once")
    job.refresh_from_db()
    assert (job.status, job.done_rows, job.result["totals"]["new"]) == ("done", 5, 5)
    assert Delegation.objects.count() == before  # the preview saved nothing
    page = staff_client.get(url(job))
    assert "Xem trước" in page.text and "Đoàn lớn 5" in page.text and "refresh" not in page.text

    assert staff_client.post(url(job, "confirm")).status_code == 302
    job.refresh_from_db()
    assert (job.step, job.status) == ("save", "queued")
    call_command("run_jobs", "--once")
    job.refresh_from_db()
    assert (job.status, job.saved_rows, job.result["saved_totals"]["new"]) == ("done", 5, 5)
    assert Delegation.objects.count() == before + 5
    assert not job.file  # the kept file is deleted once saved
    assert "Đã nhập xong: 5 mới, 0 cập nhật, 0 không đổi." in staff_client.get(url(job)).text
    imported = Delegation.objects.filter(title__startswith="Đoàn lớn")
    assert {p.name for d in imported for p in d.partners.all()} == {"Khu tự trị dân tộc Choang Quảng Tây"}
    entries = LogEntry.objects.filter(object_id__in=[str(d.pk) for d in imported], action_flag=ADDITION)
    assert entries.count() == 5


def test_a_large_file_with_bad_rows_lists_them_with_their_excel_row_and_saves_nothing(staff_client, seeded, background):
    rows = [delegation_row(f"Đoàn {n}") for n in range(6)]
    rows[3] = delegation_row("Ngày sai", start_date="31/02/2024")  # spreadsheet row 5
    post_file(staff_client, Delegation, csv_bytes(DELEGATION_HEADERS, rows))
    call_command("run_jobs", "--once")
    job = ImportJob.objects.get()
    assert job.result["valid"] is False
    assert [p[1:3] for p in job.result["problems"]] == [[5, "Ngày bắt đầu"]]
    page = staff_client.get(url(job))
    assert "Có lỗi ở 1 dòng." in page.text and "31/02/2024" in page.text
    assert url(job, "confirm") not in page.text
    # A forged confirm of an invalid preview queues nothing.
    staff_client.post(url(job, "confirm"))
    job.refresh_from_db()
    assert job.step == "preview"


def test_a_job_runs_inline_when_the_setting_says_so(staff_client, seeded, background):
    background.JOBS_RUN_INLINE = True
    response = post_file(staff_client, Delegation, five_delegations())
    job = ImportJob.objects.get()
    assert job.status == "done" and staff_client.get(response.url).status_code == 200


# --- Only the owner sees a job ------------------------------------------------------------------------------------


def test_a_jobs_page_and_status_are_for_its_owner_and_superusers_only(
    client, staff_client, superuser, seeded, background
):
    post_file(staff_client, Delegation, five_delegations())
    job = ImportJob.objects.get()
    status = staff_client.get(url(job, "status"))
    assert status.status_code == 200 and "no-store" in status["Cache-Control"]
    assert status.json() == {
        "step": "preview",
        "status": "queued",
        "done": 0,
        "total": 5,
        "saved": 0,
        "percent": 0,
        "finished": False,
        "text": "Đang chờ tiến trình chạy nền bắt đầu…",
    }
    other = make_user("staff2", "staff", is_staff=True)
    client.force_login(other)
    for step in ("", "status"):
        assert client.get(url(job, step)).status_code == 404
    assert client.post(url(job, "confirm")).status_code == 404
    client.force_login(superuser)
    assert client.get(url(job, "status")).status_code == 200
    client.logout()
    assert client.get(url(job, "status")).status_code == 302  # to the admin's sign-in page


# --- Batches ------------------------------------------------------------------------------------------------------


def test_the_save_commits_each_batch_in_its_own_transaction(staff, seeded, background, monkeypatch):
    job = queued_save(staff, five_delegations())
    batches = []
    real = import_jobs.save_batch

    def counting(job, resource, batch):
        batches.append([row[0] for row in batch])  # their spreadsheet row numbers
        return real(job, resource, batch)

    monkeypatch.setattr(import_jobs, "save_batch", counting)
    call_command("run_jobs", "--once")
    assert batches == [[2, 3], [4, 5], [6]]
    job.refresh_from_db()
    assert (job.status, job.saved_rows) == ("done", 5)


def queued_save(owner, data):
    """A job whose preview passed and whose save waits for the worker."""
    from django.core.files.base import ContentFile

    job = ImportJob(owner=owner, model="delegations.delegation", file_name="doan.csv", file_kind="csv")
    job.file.save("doan.csv", ContentFile(data), save=False)
    job.step, job.language = "save", "vi"
    job.save()
    return job


def test_a_failing_batch_is_rolled_back_alone_and_the_job_says_which_rows_were_saved(
    staff_client, staff, seeded, background, monkeypatch
):
    before = Delegation.objects.count()
    job = queued_save(staff, five_delegations())
    real = DelegationResource.do_instance_save

    def refuse_row_four(resource, instance, is_create):
        if instance.title == "Đoàn lớn 3":  # spreadsheet row 4, first of the second batch
            raise DatabaseError("deadlock detected")
        return real(resource, instance, is_create)

    monkeypatch.setattr(DelegationResource, "do_instance_save", refuse_row_four)
    call_command("run_jobs", "--once")
    job.refresh_from_db()
    assert (job.status, job.saved_rows, job.result["resume_row"]) == ("failed", 2, 4)
    assert sorted(Delegation.objects.filter(title__startswith="Đoàn lớn").values_list("title", flat=True)) == [
        "Đoàn lớn 1",
        "Đoàn lớn 2",
    ]
    assert job.message == (
        "Lô các dòng từ dòng 4 bị từ chối và đã được hoàn tác: các dòng từ 4 trở đi chưa được lưu. "
        "Các dòng 2 đến 3 đã được lưu. Khi đã khắc phục nguyên nhân, hãy tiếp tục từ dòng 4; "
        "hoặc nhập các dòng từ 4 trở đi thành một tệp mới."
    )
    page = staff_client.get(url(job))
    assert "deadlock detected" in page.text and "Tiếp tục từ dòng 4" in page.text

    monkeypatch.setattr(DelegationResource, "do_instance_save", real)
    assert staff_client.post(url(job, "resume")).status_code == 302
    call_command("run_jobs", "--once")
    job.refresh_from_db()
    assert (job.status, job.saved_rows) == ("done", 5)
    assert Delegation.objects.count() == before + 5  # rows 2 and 3 were not saved twice


def test_a_batch_whose_records_the_database_refuses_together_is_saved_again_row_by_row(
    staff, seeded, background, monkeypatch
):
    job = queued_save(staff, five_delegations(partners="Quảng Tây"))
    refused = []

    def refuse(model, pending, user):
        refused.append(len(pending))
        raise DatabaseError("could not serialize access")

    monkeypatch.setattr(import_bulk, "write", refuse)
    call_command("run_jobs", "--once")
    job.refresh_from_db()
    assert (job.status, job.saved_rows) == ("done", 5)
    assert refused == [2, 2, 1]
    imported = Delegation.objects.filter(title__startswith="Đoàn lớn")
    assert imported.count() == 5
    assert {p.name for d in imported for p in d.partners.all()} == {"Khu tự trị dân tộc Choang Quảng Tây"}


def test_a_worker_asked_to_stop_leaves_the_job_waiting_after_the_batch_it_committed(staff, seeded, background):
    job = queued_save(staff, five_delegations())
    claimed = import_jobs.claim()
    # SIGTERM arrives once the first batch is committed.
    import_jobs.run(claimed, should_stop=lambda: ImportJob.objects.get(pk=job.pk).saved_rows >= 2)
    job.refresh_from_db()
    assert (job.status, job.saved_rows) == ("queued", 2)
    # The batch it was in when asked was rolled back: nothing of it is half-saved.
    assert Delegation.objects.filter(title__startswith="Đoàn lớn").count() == 2
    call_command("run_jobs", "--once")
    job.refresh_from_db()
    assert (job.status, job.saved_rows) == ("done", 5)
    assert Delegation.objects.filter(title__startswith="Đoàn lớn").count() == 5


def test_a_save_whose_rows_went_bad_since_the_preview_saves_nothing(staff, seeded, background):
    job = queued_save(staff, five_delegations(host_unit="Không có đơn vị này"))
    call_command("run_jobs", "--once")
    job.refresh_from_db()
    assert (job.status, job.saved_rows, job.result["stage"]) == ("failed", 0, "check")
    assert not Delegation.objects.filter(title__startswith="Đoàn lớn").exists()


def test_two_workers_never_claim_the_same_job(staff, seeded, background):
    queued_save(staff, five_delegations())
    first = import_jobs.claim()
    assert first is not None and import_jobs.claim() is None


def test_the_worker_deletes_the_files_of_jobs_left_for_a_week_and_keeps_the_rest(staff, seeded, background):
    import datetime as dt

    old, recent = queued_save(staff, five_delegations()), queued_save(staff, five_delegations())
    old.status = recent.status = "done"
    old.save()
    recent.save()
    ImportJob.objects.filter(pk=old.pk).update(created_at=old.created_at - dt.timedelta(days=8))
    name = old.file.name
    call_command("run_jobs", "--once")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file and not recent.file.storage.exists(name)
    assert recent.file and recent.file.storage.exists(recent.file.name)


@pytest.mark.parametrize(
    ("size", "rows", "seconds", "expected"),
    [
        (50, 50, 0.5, 50),  # fast enough: as many as allowed
        (50, 50, 2.0, 25),  # twice too slow: half as many
        (50, 50, 200.0, 1),  # never fewer than one
        (25, 25, 0.1, 50),  # faster again: back up, to the most allowed
        (50, 7, 5.0, 50),  # a short last batch says nothing of the pace
    ],
)
def test_a_batch_is_cut_to_what_fits_in_a_second_at_the_last_batchs_pace(settings, size, rows, seconds, expected):
    settings.IMPORT_BATCH_ROWS, settings.IMPORT_BATCH_SECONDS = 50, 1.0
    assert import_jobs.next_size(size, rows, seconds) == expected


def test_an_xlsx_without_dimensions_is_read_only_up_to_the_row_limit(settings, tmp_path, monkeypatch):
    """openpyxl alone parsed such a sheet whole before its first row; the reader
    stops at the limit, having read a small part of the sheet."""
    import importlib.util
    from pathlib import Path

    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    from register.import_reading import read_xlsx

    spec = importlib.util.spec_from_file_location("import_row_limit", Path("scripts/import_row_limit.py"))
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    path = tmp_path / "no-dimension.xlsx"
    script.write_workbook(path, 200_000)
    read = []
    opened = ReadOnlyWorksheet._get_source

    def counted(worksheet):
        source = opened(worksheet)
        real = source.read

        def reading(*args):
            chunk = real(*args)
            read.append(len(chunk))
            return chunk

        source.read = reading
        return source

    monkeypatch.setattr(ReadOnlyWorksheet, "_get_source", counted)
    settings.IMPORT_MAX_ROWS = 100
    with pytest.raises(ImportFileError, match="hơn 100 dòng"):
        read_xlsx(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        sheet_bytes = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    assert sum(read) < sheet_bytes / 20


def test_a_large_project_workbook_saves_its_projects_then_its_transactions_through_the_worker(
    staff_client, seeded, background
):

    projects = [{"code": f"LON-{n}", "kind": "ODA", "title": f"Dự án lớn {n}"} for n in range(4)]
    transactions = [
        {"project_code": f"LON-{n}", "kind": "Giải ngân", "date": "15/01/2026", "amount": "1.000", "currency": "VND"}
        for n in range(4)
    ]
    data = xlsx_bytes(
        ("Dự án", headers(PROJECT_COLUMNS), [[p.get(c.key, "") for c in PROJECT_COLUMNS] for p in projects]),
        (
            "Giao dịch",
            headers(TRANSACTION_COLUMNS),
            [[t.get(c.key, "") for c in TRANSACTION_COLUMNS] for t in transactions],
        ),
    )
    post_file(staff_client, Project, data, "du-an.xlsx")
    call_command("run_jobs", "--once")
    job = ImportJob.objects.get()
    assert job.result["valid"] and [child["totals"]["new"] for child in job.result["children"]] == [4]
    assert not Project.objects.filter(code__startswith="LON-").exists()  # the preview's writes were rolled back

    staff_client.post(reverse("admin:projects_project_import_job_confirm", args=[job.pk]))
    call_command("run_jobs", "--once")
    job.refresh_from_db()
    assert (job.status, job.saved_rows, job.total_rows) == ("done", 8, 8)
    assert Transaction.objects.filter(project__code__startswith="LON-").count() == 4


def test_the_kept_upload_is_never_served_from_media_not_even_to_its_owner(client, staff_client, seeded, background):
    post_file(staff_client, Delegation, five_delegations())
    job = ImportJob.objects.get()
    assert job.file.storage.exists(job.file.name)
    assert staff_client.get(f"/media/{job.file.name}").status_code == 404
    client.logout()
    assert client.get(f"/media/{job.file.name}").status_code == 404
