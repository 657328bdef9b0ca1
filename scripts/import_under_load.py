"""A large import beside another user's saves (a measurement, not a test).

Usage (from the project root, on a scratch PostgreSQL database):

    createdb -h 127.0.0.1 -U postgres lsa_import_load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lsa_import_load DJANGO_SECRET_KEY=x \\
        .venv/bin/python scripts/import_under_load.py --rows 10000
    dropdb -h 127.0.0.1 -U postgres lsa_import_load

It migrates the database and loads the fixtures, writes an XLSX of ``--rows``
delegations (over the days of 2024, as a year's records; ``--same-day`` puts
them all on the other clerk's day, the worst case: each row's tally trigger
recounts that day from its records, so the rows grow slower as it fills), and
queues its import as the admin's upload does. The worker is a real process,
``manage.py run_jobs``, stopped by SIGTERM at the end, when it prints its peak
resident memory (getrusage's high-water mark).
Meanwhile another process plays a second clerk who saves a delegation of the
same day every 0.2 s (the admin's save: the record, its audit trail and the
tally trigger, in one transaction) and records how long each save took. The
preview is awaited, confirmed as the job page's button does, and the save
awaited. It prints the preview's and the save's times, the other clerk's
waits (median, worst) during each, and the worker's peak memory.

``--batch-rows`` overrides IMPORT_BATCH_ROWS; ``--batch-rows 1000000`` is the
old behaviour (one transaction for the whole save) for comparison.
"""

# A measurement that starts the worker and a second clerk as processes (S603).
# ruff: noqa: S603

import argparse
import datetime as dt
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lang_son_affairs.settings")

SAVER = """
import json, os, sys, time, datetime as dt
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lang_son_affairs.settings")
import django; django.setup()
from django.db import transaction
from delegations.models import Delegation
from partners.models import Partner
record = Delegation.objects.create(title="Đoàn của người dùng khác", direction="out", start_date=dt.date(2024, 4, 3))
record.partners.add(Partner.objects.get(name="Khu tự trị dân tộc Choang Quảng Tây"))
out = open({out!r}, "a")
n = 0
while not os.path.exists({stop!r}):
    n += 1
    started = time.monotonic()
    with transaction.atomic():
        record.size = n % 40 + 1
        record.save()
    out.write(json.dumps([time.time(), time.monotonic() - started]) + "\\n"); out.flush()
    time.sleep(0.2)
"""


def workbook(rows, same_day=False):
    import openpyxl
    from django.utils import translation

    from delegations.columns import COLUMNS

    with translation.override("vi"):
        headers = [str(column.header) for column in COLUMNS]
    values = {"direction": "Đoàn ra", "partners": "Quảng Tây", "host_unit": "Sở Ngoại vụ"}
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Đoàn")
    sheet.append(headers)
    for n in range(rows):
        day = dt.date(2024, 4, 3) if same_day else dt.date(2024, 1, 1) + dt.timedelta(days=n % 366)
        cells = {**values, "title": f"Đoàn nhập thử số {n + 1}", "size": str(n % 30 + 1)}
        cells["start_date"] = f"{day:%d/%m/%Y}"
        sheet.append([cells.get(column.key, "") for column in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def wait_for(job, step, seen):
    while True:
        job.refresh_from_db()
        if job.step == step and job.status in {"done", "failed"}:
            return
        if (job.status, job.done_rows) != seen[-1][1:]:
            seen.append((time.monotonic(), job.status, job.done_rows))
        time.sleep(0.2)


def waits(path, start, end):
    found = []
    for line in Path(path).read_text().splitlines():
        at, took = json.loads(line)
        if start <= at <= end:
            found.append(took)
    return found


def describe(name, found):
    if not found:
        return f"{name}: no save"
    return (
        f"{name}: {len(found)} saves, median {statistics.median(found) * 1000:.0f} ms, worst {max(found) * 1000:.0f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--batch-rows", type=int, default=None)
    parser.add_argument("--same-day", action="store_true", help="every row on the other clerk's day (worst case)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db import connection

    from register.models import ImportJob

    if connection.vendor != "postgresql":
        sys.exit("Run it on PostgreSQL (DATABASE_URL): the lock waits are PostgreSQL's.")
    call_command("migrate", verbosity=0)
    call_command("loaddata", *sorted(str(p) for p in (ROOT / "fixtures").glob("*.json")), verbosity=0)
    clerk, _ = get_user_model().objects.get_or_create(username="import-clerk", defaults={"is_superuser": True})
    data = workbook(args.rows, args.same_day)
    print(f"workbook: {args.rows} rows, {len(data) / 1e6:.1f} MB")

    env = dict(os.environ)
    if args.batch_rows:
        env["DJANGO_IMPORT_BATCH_ROWS"] = str(args.batch_rows)
    print(f"batch: {args.batch_rows or settings.IMPORT_BATCH_ROWS} rows per transaction", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="import-under-load-"))
    saves, stop = tmp / "saves.jsonl", tmp / "stop"
    command = [sys.executable, "manage.py", "run_jobs", "--sleep", "0.2"]
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    saver = subprocess.Popen([sys.executable, "-c", SAVER.format(root=str(ROOT), out=str(saves), stop=str(stop))])
    time.sleep(3)  # the other clerk's first saves, alone: the baseline
    try:
        job = ImportJob(owner=clerk, model="delegations.delegation", file_name="doan.xlsx", file_kind="xlsx")
        job.file.save("doan.xlsx", ContentFile(data), save=False)
        job.save()
        began = time.time()
        started = time.monotonic()
        wait_for(job, "preview", [(started, "queued", 0)])
        preview = time.monotonic() - started
        preview_end = time.time()
        print(f"preview: {job.status}, {job.done_rows} rows in {preview:.1f} s, totals {job.result.get('totals')}")
        if not job.result.get("valid"):
            print(job.result.get("problems", [])[:5])
            return
        job.step, job.status, job.done_rows = "save", "queued", 0
        job.save()
        save_began = time.time()
        started = time.monotonic()
        wait_for(job, "save", [(started, "queued", 0)])
        saved = time.monotonic() - started
        ended = time.time()
        print(f"save: {job.status}, {job.saved_rows} rows in {saved:.1f} s {job.message}")
    finally:
        stop.touch()
        saver.wait()
        worker.terminate()
        said = worker.communicate()[0]
    print(describe("other clerk before the import", waits(saves, 0, began)))
    print(describe("other clerk during the preview", waits(saves, began, preview_end)))
    print(describe("other clerk during the save", waits(saves, save_began, ended)))
    print("worker:", " | ".join(said.strip().splitlines()))


if __name__ == "__main__":
    main()
