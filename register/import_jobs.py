"""Large imports as background jobs: the worker (``manage.py run_jobs``)
claims an ``ImportJob``, previews or saves its file, and records its progress
and result on the job, which the admin's job page shows.

The save commits at most ``IMPORT_BATCH_ROWS`` rows per transaction, fewer
when the last batch took longer than ``IMPORT_BATCH_SECONDS``, so that the
tallies' locks (register/tallies.py: one writer of a tally at a time; a batch's
new delegations, written together, recount their days once) are held for
about a second, never for the whole file, and another user's save waits at
most for one batch. What "nothing lost or half-saved" becomes:

- A resource whose preview writes nothing (delegations, agreements) is
  validated again in full, writing nothing, before the first batch: a row that
  went bad since the preview (a name that became ambiguous) stops the save
  before any row is written, as the one-transaction import did.
- Then each batch is one transaction. A batch that fails (the database
  refuses a row; a partner or project file whose rows name each other, checked
  by its preview, changed meanwhile) is rolled back whole; the batches before it
  stay saved. A worker asked to stop (SIGTERM) rolls back the batch it is in
  and leaves the job waiting at that batch's first row. The job stops and names them: rows up to N were saved, rows from
  M on were not (M being the failed batch's first row), and "Resume" saves
  from row M. ``saved_rows`` counts the committed rows, in file order, so a
  worker stopped (SIGTERM) between batches resumes at the same place.
"""

import logging
import time

import tablib
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export.results import RowResult

from register.import_reading import read_file, thousands
from register.import_rows import ImportFileError
from register.models import ImportJob

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 200  # rows of the preview table kept with the job
MAX_PROBLEMS = 1000  # problems kept with the job; the count covers them all
PROGRESS_EVERY = 250  # rows between two progress writes during the preview
STALE_AFTER = timezone.timedelta(minutes=10)
KEEP_FILES_DAYS = 7  # an uploaded file waits this long for its confirmation


class JobInterrupted(BaseException):  # noqa: N818 - like KeyboardInterrupt, passes import-export's except Exception
    """The worker was asked to stop; raised between rows of a preview."""


def batch_rows():
    return max(1, getattr(settings, "IMPORT_BATCH_ROWS", 50))


def background_rows():
    return getattr(settings, "IMPORT_BACKGROUND_ROWS", 50)


def data_rows(dataset):
    """The rows an import of ``dataset`` reads: its own and its other sheets'."""
    return len(dataset) + sum(len(sheet) for sheet in getattr(dataset, "sheets", ()) if sheet is not dataset)


def resource_class(job):
    model = apps.get_model(job.model)
    return admin.site._registry[model].get_import_resource_classes(None)[job.resource]


def save_parts(resource, dataset):
    """[(resource class, sheet)] in the order they are saved."""
    parts = getattr(resource, "save_parts", None)
    return parts(dataset) if parts else [(type(resource), dataset)]


def rows_of(sheet, start, stop):
    """A Dataset of the rows ``start:stop`` of ``sheet``, without other sheets."""
    part = tablib.Dataset(*sheet[start:stop], headers=sheet.headers)
    part.title = sheet.title
    return part


def summary(result):
    """What the job page shows of an import-export result (JSON)."""
    problems = result.problems()
    rows = [
        [row.number, row.import_type, [str(cell) for cell in (row.diff or [])]]
        for row in result.valid_rows()[:PREVIEW_ROWS]
    ]
    return {
        "valid": not (result.has_errors() or result.has_validation_errors()),
        "totals": dict(result.totals),
        "sheet": result.sheet,
        "children": [{"sheet": child.sheet, "totals": dict(child.totals)} for child in result.children],
        "problems": [list(problem) for problem in problems[:MAX_PROBLEMS]],
        "problem_count": len(problems),
        "bad_rows": len(result.bad_rows()),
        "headers": [str(header) for header in result.diff_headers],
        "rows": rows,
        "row_count": len(result.valid_rows()),
        # Every possible duplicate, not only the first rows': each needs the clerk's choice.
        "duplicates": [
            [number, [list(found) for found in records]] for number, records in result.possible_duplicates()
        ],
    }


def update(job, **fields):
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])


def finish(job, status, **fields):
    update(job, status=status, finished_at=timezone.now(), **fields)


# --- claiming ---------------------------------------------------------------------------------------------------


def claim(pk=None):
    """The oldest waiting job (or job ``pk``), now marked running; None if none.
    Safe with several workers: on PostgreSQL a row lock skipping the rows another
    worker holds, elsewhere an UPDATE that succeeds for one worker only."""
    waiting = ImportJob.objects.filter(status=ImportJob.Status.QUEUED).order_by("created_at", "pk")
    if pk is not None:
        waiting = waiting.filter(pk=pk)
    now = timezone.now()
    if connection.vendor == "postgresql":
        with transaction.atomic():
            job = waiting.select_for_update(skip_locked=True).first()
            if job is not None:
                update(job, status=ImportJob.Status.RUNNING, started_at=now)
            return job
    for candidate in waiting.values_list("pk", flat=True)[:10]:
        claimed = ImportJob.objects.filter(pk=candidate, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.RUNNING, started_at=now, updated_at=now
        )
        if claimed:
            return ImportJob.objects.get(pk=candidate)
    return None


def forget_old_files(days=KEEP_FILES_DAYS):
    """Deletes the files of jobs older than ``days`` (a preview never confirmed,
    a save never resumed); the jobs themselves stay, as a record."""
    old = ImportJob.objects.filter(created_at__lt=timezone.now() - timezone.timedelta(days=days)).exclude(file="")
    forgotten = 0
    for job in old.exclude(status=ImportJob.Status.RUNNING):
        job.file.delete(save=False)
        update(job, file="")
        forgotten += 1
    return forgotten


def requeue_stale():
    """Jobs left running by a worker that died (killed, the machine stopped):
    waiting again. A running job writes its progress at least every batch."""
    stale = ImportJob.objects.filter(status=ImportJob.Status.RUNNING, updated_at__lt=timezone.now() - STALE_AFTER)
    return stale.update(status=ImportJob.Status.QUEUED)


# --- running ----------------------------------------------------------------------------------------------------


def run(job, should_stop=lambda: False):
    """Runs a claimed job to its end (or, asked to stop, back to waiting)."""
    with translation.override(job.language):
        try:
            if job.step == ImportJob.Step.PREVIEW:
                preview(job, should_stop)
            else:
                save(job, should_stop)
        except JobInterrupted:
            update(job, status=ImportJob.Status.QUEUED)
        except ImportFileError as error:
            finish(job, ImportJob.Status.FAILED, message=str(error))
        except Exception as error:
            logger.exception("import job %s failed", job.pk)
            finish(
                job, ImportJob.Status.FAILED, message=_("The import stopped on an error: %(error)s") % {"error": error}
            )


def run_inline(job):
    """Runs ``job`` now, in this process (JOBS_RUN_INLINE: the tests)."""
    claimed = claim(job.pk)
    if claimed is not None:
        run(claimed)
        job.refresh_from_db()
    return job


def load(job):
    with job.file.open("rb") as stream:
        data = stream.read()
    return read_file(data, job.file_kind)


def progress_writer(job, offset, total, should_stop, write=True):
    """Called after each row of an import: stops it when the worker is asked to
    (between rows, nothing written), and records the progress now and then."""

    def progress(number):
        if should_stop():
            raise JobInterrupted
        if write and (number % PROGRESS_EVERY == 0 or offset + number == total):
            update(job, done_rows=min(total, offset + number))

    return progress


def preview(job, should_stop):
    dataset = load(job)
    update(job, total_rows=data_rows(dataset), done_rows=0)
    resource = resource_class(job)()
    resource.progress = progress_writer(job, 0, job.total_rows, should_stop)
    result = resource.import_data(dataset, dry_run=True, raise_errors=False, user=job.owner, file_name=job.file_name)
    finish(job, ImportJob.Status.DONE, result=summary(result), done_rows=job.total_rows)


def save(job, should_stop):
    dataset = load(job)
    resource = resource_class(job)()
    # The possible duplicates the clerk ticked "import anyway" (import_job_views.py).
    # The possible duplicates its preview found, and those the clerk ticked "import
    # anyway" (import_job_views.py): the others are skipped.
    found = (job.result or {}).get("duplicates", [])
    chosen = (job.result or {}).get("import_duplicates", [])
    parts = save_parts(resource, dataset)
    total = sum(len(sheet) for _cls, sheet in parts)
    update(job, total_rows=total, done_rows=job.saved_rows, message="")
    if not resource.preview_writes:
        remaining = rows_of(dataset, job.saved_rows, None)
        remaining.sheets = []
        checker = type(resource)()
        checker.progress = progress_writer(job, job.saved_rows, total, should_stop, write=False)
        checked = checker.import_data(remaining, dry_run=True, user=job.owner, file_name=job.file_name)
        if not summary(checked)["valid"]:
            finish(job, ImportJob.Status.FAILED, result={**summary(checked), "stage": "check"})
            return
    totals = job.result.get("saved_totals", {}) if job.saved_rows else {}
    # One resource per sheet for all its batches: its name indexes (every
    # partner, unit and mechanism) are read once, not once a batch.
    writers = {type(resource): resource}
    offset, size = 0, batch_rows()
    for cls, sheet in parts:
        first = max(0, job.saved_rows - offset)
        while first < len(sheet):
            if should_stop():
                update(job, status=ImportJob.Status.QUEUED)
                return
            batch = rows_of(sheet, first, first + size)
            started = time.monotonic()
            writer = writers.setdefault(cls, cls())
            writer.duplicates_choice = chosen
            if cls is type(resource):
                writer.known_duplicates = {number: [pk for pk, _url in records] for number, records in found}
            # Asked to stop within a batch, the batch is rolled back (nothing of it
            # saved) and the job resumes at its first row.
            writer.progress = progress_writer(job, 0, total, should_stop, write=False)
            outcome = save_batch(job, writer, batch)
            if not outcome["valid"]:
                failed(job, sheet, first, outcome)
                return
            for key, count in outcome["totals"].items():
                totals[key] = totals.get(key, 0) + count
            saved = offset + first + len(batch)
            result = {"saved_totals": totals, "duplicates": found, "import_duplicates": chosen}
            update(job, saved_rows=saved, done_rows=saved, result=result)
            first += len(batch)
            size = next_size(size, len(batch), time.monotonic() - started)
        offset += len(sheet)
    job.file.delete(save=False)
    finish(job, ImportJob.Status.DONE, result={"saved_totals": totals, "valid": True}, file="")


def next_size(size, rows, seconds):
    """The next batch's rows: as many as fit in IMPORT_BATCH_SECONDS at the pace
    of the last batch (a loaded machine, rows that cost more), at least one,
    at most IMPORT_BATCH_ROWS."""
    if seconds <= 0 or rows < size:
        return size
    target = getattr(settings, "IMPORT_BATCH_SECONDS", 1.0)
    return max(1, min(batch_rows(), int(rows * target / seconds)))


def save_batch(job, resource, batch):
    """One batch in one transaction, with its admin log entries; rolled back
    whole when any of its rows fails."""
    with transaction.atomic():
        try:
            result = resource.import_data(
                batch,
                dry_run=False,
                use_transactions=True,
                user=job.owner,
                file_name=job.file_name,
                retain_instance_in_row_result=True,
            )
        except DatabaseError as error:
            return {"valid": False, "problems": [[batch.title, None, "", str(error)]], "problem_count": 1}
        outcome = summary(result)
        if outcome["valid"]:
            log(job, result)
    return outcome


def log(job, result):
    flags = {RowResult.IMPORT_TYPE_NEW: ADDITION, RowResult.IMPORT_TYPE_UPDATE: CHANGE}
    for import_type, flag in flags.items():
        instances = [row.instance for row in result.valid_rows() if row.import_type == import_type]
        if instances:
            LogEntry.objects.log_actions(
                job.owner_id,
                instances,
                flag,
                change_message=_("Imported from a spreadsheet"),
                single_object=len(instances) == 1,
            )


def failed(job, sheet, first, outcome):
    """Stops the save at a failed batch, saying what was saved and what not."""
    first_row = sheet[first][0] if len(sheet) > first else None
    last_saved = sheet[first - 1][0] if first > 0 else None
    if last_saved is None:
        saved = _("No row of this sheet was saved.")
    else:
        saved = _("Rows 2 to %(row)s were saved.") % {"row": thousands(last_saved)}
    message = " ".join(
        [
            (_("Sheet “%(sheet)s”: ") % {"sheet": sheet.title}) if sheet.title else "",
            _("The batch of rows from %(first)s was refused and rolled back: rows from %(first)s on are not saved.")
            % {"first": thousands(first_row)},
            saved,
            _(
                "Once the cause is removed, resume from row %(first)s; or import the rows from %(first)s on "
                "as a new file."
            )
            % {"first": thousands(first_row)},
        ]
    ).strip()
    result = {**job.result, **outcome, "stage": "save", "resume_row": first_row}
    finish(job, ImportJob.Status.FAILED, message=message, result=result)
