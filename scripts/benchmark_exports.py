"""Benchmark of the list exports (not a test): rows per second and memory growth
of the CSV and XLSX exports of the whole delegation list, as a signed-in official.

Usage (from the project root):

    DJANGO_DEBUG=1 .venv/bin/python scripts/benchmark_exports.py --rows 100000

On PostgreSQL (an empty scratch database; drop it afterwards):

    createdb -h 127.0.0.1 -U postgres lsa_exports_bench
    DJANGO_DEBUG=1 .venv/bin/python scripts/benchmark_exports.py --database lsa_exports_bench --rows 100000
    dropdb -h 127.0.0.1 -U postgres lsa_exports_bench

(``--database`` takes a name on 127.0.0.1 or a URL, like DATABASE_URL.) A
database that is not yours (a copy of the national register) is measured with
``--read-only``: nothing is migrated, seeded or written, the views are called
for an official held in memory; ``--query year=2020`` exports a filtered list.

Without DATABASE_URL the script works in a temporary SQLite file that it
deletes at the end. It migrates the database, then a child process creates the
delegations (bulk_create, two partners each, a host unit, dates, sizes and
text in every usual column), so that the seeding's memory does not count in the
measuring process's peak. A database that already holds more than 1,000
delegations is refused unless --reuse is given: the script is meant for
scratch databases, never for the register's own.

It first times the export's SELECT alone (fetched and dropped: the floor under
both formats on this machine and database). Then each format is exported twice
through the Django test client, the streamed response consumed block by block
and thrown away:

1. timed, without tracing: rows per second;
2. under tracemalloc: the peak of Python allocations during the export, with
   the process's resident memory sampled every 10 ms (peak minus before) and
   the getrusage high-water mark before and after.

Targets (issues 4 and 6): CSV >= 100,000 rows/s, XLSX >= 20,000 rows/s, peak memory
growth < 50 MB. Each line ends in PASS or MISS.
"""

import argparse
import gc
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_ROWS_PER_SECOND = {"csv": 100_000, "xlsx": 20_000}
TARGET_MEMORY_MB = 50
BATCH = 5000
MB = 1024 * 1024


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="delegations to export (default 100000)")
    parser.add_argument("--reuse", action="store_true", help="accept a database that already holds delegations")
    parser.add_argument(
        "--database",
        help="a PostgreSQL database name (on 127.0.0.1, user postgres) or URL;"
        " default: $DATABASE_URL, else a temporary SQLite file",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="export an existing database without writing to it: no migration, seeding, user or session",
    )
    parser.add_argument("--query", default="", help="the export's query string, e.g. year=2020 (default: every row)")
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.database:
        url = args.database if "://" in args.database else f"postgres://postgres@127.0.0.1:5432/{args.database}"
        os.environ["DATABASE_URL"] = url
    return args


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lang_son_affairs.settings")
    import django

    django.setup()
    from django.conf import settings

    # DJANGO_DEBUG=1 only lets the settings load without production secrets.
    # Measure as production runs: with DEBUG on, Django would log every query
    # and, on SQLite, run extra SQL to quote each logged parameter.
    settings.DEBUG = False


def seed(rows):
    """Creates ``rows`` published delegations with two partners each, in batches."""
    import datetime as dt

    from delegations.models import Delegation, Direction, Funding, Level, Purpose, Status
    from partners.models import CooperationMechanism, LocalUnit, Partner
    from register.publishable import ReviewState

    partners = Partner.objects.bulk_create(
        Partner(name=f"Thành phố đối tác số {n}", name_en=f"Partner city {n}", kind="prefecture_city", country="CN")
        for n in range(50)
    )
    units = LocalUnit.objects.bulk_create(LocalUnit(name=f"Sở ngành số {n}", kind="department") for n in range(10))
    mechanism = CooperationMechanism.objects.create(name="Hội nghị hội đàm thường niên")
    directions, purposes, levels = list(Direction.values), list(Purpose.values), list(Level.values)
    statuses, fundings = list(Status.values), list(Funding.values)
    Link = Delegation.partners.through
    made = 0
    while made < rows:
        size = min(BATCH, rows - made)
        batch = []
        for n in range(made, made + size):
            start = dt.date(2010, 1, 1) + dt.timedelta(days=n % 5000)
            batch.append(
                Delegation(
                    direction=directions[n % len(directions)],
                    title=f"Đoàn công tác số {n} của Sở Ngoại vụ thăm và làm việc tại thành phố đối tác",
                    purpose=purposes[n % len(purposes)],
                    level=levels[n % len(levels)],
                    start_date=start,
                    end_date=start + dt.timedelta(days=n % 5),
                    host_unit=units[n % len(units)],
                    leader_name=f"Nguyễn Văn {n}",
                    leader_title="Phó Chủ tịch UBND tỉnh",
                    size=5 + n % 30,
                    places="Nam Ninh, Bằng Tường, Sùng Tả",
                    received_by="Lãnh đạo Chính phủ nhân dân thành phố",
                    mechanism=mechanism if n % 3 == 0 else None,
                    decision_ref=f"{n}/QĐ-UBND",
                    funding=fundings[n % len(fundings)],
                    status=statuses[n % len(statuses)],
                    outcome="Hai bên thống nhất tăng cường hợp tác thương mại, cửa khẩu và giao lưu nhân dân.",
                    is_public=True,
                    review_state=ReviewState.APPROVED,
                )
            )
        created = Delegation.objects.bulk_create(batch)
        Link.objects.bulk_create(
            Link(delegation_id=d.pk, partner_id=partners[(i + k) % len(partners)].pk)
            for i, d in enumerate(created, start=made)
            for k in (0, 1)
        )
        made += size


class ReadOnlyClient:
    """Calls the export views directly for an official held in memory: nothing
    is written (no user, no session), for databases that are not ours."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        self.user = get_user_model()(username="benchmark-official", is_active=True)

    def get(self, url, **_headers):
        from django.test import RequestFactory
        from django.urls import resolve

        request = RequestFactory().get(url)
        request.user = self.user
        match = resolve(request.path)
        return match.func(request, *match.args, **match.kwargs)


def export(client, url):
    """Requests the export and consumes its streamed blocks; returns the bytes received."""
    response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200, response.status_code
    size = 0
    for block in response.streaming_content:
        size += len(block)
    response.close()
    return size


def read_alone(user, query):
    """The export's own SELECT, fetched and thrown away: the floor under both
    formats. Returns the number of rows the export selects."""
    from django.db import connection
    from django.test import RequestFactory

    from delegations.exports import DelegationExport
    from register.sheets import Reader

    request = RequestFactory().get("/delegations/export.csv?" + query)
    request.user = user
    page = DelegationExport.list_page()
    page.setup(request)
    _filterset, queryset, _sort = page.filtered_rows()
    rows = queryset.count()
    sql, params = Reader(DelegationExport.sheet, user).rows(queryset).query.sql_with_params()
    started = time.perf_counter()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while cursor.fetchmany(2000):
            pass
    seconds = time.perf_counter() - started
    print(f"Database read alone (the export's SELECT, rows fetched and dropped): {rows / seconds:,.0f} rows/s")
    return rows


def database_cpu():
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine), else None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def measure(client, file_format, rows, query):
    from django.urls import reverse

    url = reverse(f"delegations:export_{file_format}") + (f"?{query}" if query else "")
    gc.collect()
    database_before = database_cpu()
    started, cpu_started = time.perf_counter(), time.process_time()
    size = export(client, url)
    seconds, python_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    database_seconds = database_cpu() - database_before if database_before is not None else None
    rate = rows / seconds

    gc.collect()
    maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    from operations.benchmark.runner import RssSampler  # after django.setup()

    sampler = RssSampler()
    sampler.start()
    tracemalloc.start()
    export(client, url)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    sampler.stop()
    maxrss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    rss_growth = sampler.peak - sampler.before

    target = TARGET_ROWS_PER_SECOND[file_format]
    growth = max(traced_peak, rss_growth) / MB
    print(f"{file_format.upper()}: {rows:,} rows, {size / MB:.1f} MB in {seconds:.2f} s")
    print(f"  speed   {rate:>12,.0f} rows/s   (target >= {target:,})  {'PASS' if rate >= target else 'MISS'}")
    # Wall time counts whatever else the machine runs; CPU seconds do not.
    busiest = max(python_cpu, database_seconds or 0)
    print(
        f"  cpu     Python process {python_cpu:.2f} s"
        + (f", PostgreSQL backend {database_seconds:.2f} s" if database_seconds is not None else "")
        + f": {rows / busiest:,.0f} rows/s of the busier process (1-minute load {os.getloadavg()[0]:.1f})"
    )
    print(f"  memory  tracemalloc peak {traced_peak / MB:.1f} MB; RSS peak growth {rss_growth / MB:.1f} MB (sampled)")
    print(
        f"          getrusage ru_maxrss {maxrss_before / MB:.1f} MB before, {maxrss_after / MB:.1f} MB after"
        f" (+{(maxrss_after - maxrss_before) / MB:.1f} MB)"
    )
    verdict = "PASS" if growth < TARGET_MEMORY_MB else "MISS"
    print(f"  growth  {growth:.1f} MB (target < {TARGET_MEMORY_MB} MB)  {verdict}")


def prepare(args):
    """Migrates and seeds the scratch database; returns a signed-in client."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from delegations.models import Delegation

    call_command("migrate", verbosity=0)
    existing = Delegation.objects.count()
    if existing > 1000 and not args.reuse:
        sys.exit(
            f"The database {connection.settings_dict['NAME']} already holds {existing:,} delegations: "
            "this benchmark runs on a scratch database. Give --reuse to export them anyway, "
            "or --read-only to measure a database that is not yours."
        )
    if existing < args.rows:
        started = time.perf_counter()
        # A child process seeds, so that its memory stays out of this process's high-water mark.
        connection.close()
        subprocess.run(  # noqa: S603 -- this very script, with our own arguments
            [sys.executable, __file__, "--seed-only", "--rows", str(args.rows - existing)], check=True, env=os.environ
        )
        print(f"Created {args.rows - existing:,} delegations in {time.perf_counter() - started:.1f} s")
        # Fresh statistics (and, on PostgreSQL, the visibility map that index-only
        # scans need), as the database's own maintenance would leave them.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(
        f"Database: {connection.vendor} {connection.settings_dict['NAME']}, {Delegation.objects.count():,} delegations"
    )
    official, _created = get_user_model().objects.get_or_create(username="benchmark-official")
    client = Client()
    client.force_login(official)
    client.official = official
    return client


def main():
    args = parse_args()
    scratch = None
    if not os.environ.get("DATABASE_URL"):
        scratch = tempfile.TemporaryDirectory(prefix="lsa-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch.name}/bench.sqlite3"
    setup_django()
    from django.db import connection

    if args.seed_only:
        seed(args.rows)
        return
    if args.read_only:
        client = ReadOnlyClient()
        print(f"Database: {connection.vendor} {connection.settings_dict['NAME']} (read only)")
    else:
        client = prepare(args)
    export(client, "/delegations/export.csv?year=2011")  # imports and caches, as on a running site
    export(client, "/delegations/export.xlsx?year=2011")
    rows = read_alone(client.user if args.read_only else client.official, args.query)
    for file_format in ["csv", "xlsx"]:
        measure(client, file_format, rows, args.query)
    if scratch is not None:
        connection.close()
        scratch.cleanup()


if __name__ == "__main__":
    main()
