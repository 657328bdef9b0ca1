"""The worker: runs the admin's large imports (register/import_jobs.py) outside
the web requests. Run it beside gunicorn (deploy/lsa-jobs.service);
`python3 dev.py serve` starts it beside runserver."""

import resource
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from register import import_jobs

TIDY_EVERY = 3600  # seconds between two deletions of old uploaded files


class Command(BaseCommand):
    help = (
        "Runs the waiting background jobs (large imports): claims one at a time, safely beside other workers, "
        "and records its progress and result. SIGTERM or Ctrl-C stops it between two batches; the job waits "
        "for the next worker and resumes where it stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the jobs waiting now, then exit (tests, cron)")
        parser.add_argument("--sleep", type=float, default=1.0, help="seconds between two looks for work (default 1)")

    def handle(self, *args, once=False, sleep=1.0, **options):
        self.stopping = False
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        ran = 0
        try:
            requeued = import_jobs.requeue_stale()
            if requeued:
                self.stdout.write(f"{requeued} job(s) left running by a stopped worker are waiting again")
            tidied = None  # at the first look (monotonic() counts from the machine's boot)
            while not self.stopping:
                if not connection.in_atomic_block:  # (a test's transaction: keep it)
                    # Drops a connection the database closed or that is past its age.
                    close_old_connections()
                if tidied is None or time.monotonic() - tidied > TIDY_EVERY:
                    tidied = time.monotonic()
                    forgotten = import_jobs.forget_old_files()
                    if forgotten:
                        self.stdout.write(f"the files of {forgotten} job(s) older than a week deleted")
                job = import_jobs.claim()
                if job is None:
                    if once:
                        break
                    time.sleep(sleep)
                    continue
                started = time.monotonic()
                import_jobs.run(job, should_stop=lambda: self.stopping)
                job.refresh_from_db()
                ran += 1
                self.stdout.write(
                    f"job {job.pk} ({job.model}, {job.step}, {job.file_name}): {job.status}, "
                    f"{job.done_rows}/{job.total_rows} rows, {time.monotonic() - started:.1f} s"
                )
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        # The high-water mark of this process (kB on Linux): what a job of the
        # largest file allowed costs (scripts/import_under_load.py reads it).
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        stopped = ", stopped by a signal" if self.stopping else ""
        self.stdout.write(f"{ran} job(s) run{stopped}; peak memory {peak:.0f} MB")

    def stop(self, signum, frame):
        # Only a flag: the running job checks it between rows and batches.
        self.stopping = True
