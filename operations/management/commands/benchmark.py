"""`manage.py benchmark`: issue 6's performance measures on the database that
DATABASE_URL names, through the full Django stack, checked against the targets.

    DJANGO_DEBUG=1 python manage.py benchmark --json bench.json --markdown docs/PERFORMANCE.md

It writes nothing to the database while it measures: the sessions live in
signed cookies and each connection is made read-only. It signs in as the
existing accounts ``official``, ``national`` and ``admin`` (see --official,
--national, --admin); where one is missing it creates a temporary account and
deletes it at the end, unless --read-only forbids even that (a missing national
account then leaves its cases out). A temporary official is a province's
(docs/PROVINCES.md): its StaffProfile names the province holding the most
delegations, or --province; an existing account keeps its own. DJANGO_DEBUG=1 only lets the settings
load without production secrets: requests are made with DEBUG off."""

import datetime as dt
import json
import time
from contextlib import ExitStack, contextmanager, nullcontext
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model, user_logged_in
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.backends.signals import connection_created
from django.test import Client
from django.test.utils import override_settings

from offices.models import OfficeProfile, StaffProfile
from offices.provinces import normal_code
from offices.scope import is_national, writing_province
from operations.benchmark import cases as case_list
from operations.benchmark import imports, peer, report
from operations.benchmark import reading as reading_cases
from operations.benchmark.runner import time_export, time_page
from register.roles import NATIONAL

SETTINGS_NOTE = (
    "Requests as in production: DEBUG off, HTTPS. Sessions are kept in signed cookies so that the benchmark "
    "writes nothing (production reads its session row too: one query more on each signed-in page)."
)


def read_only(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only = ON")


def read_write(connection):
    if connection.connection is None:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only = OFF")


def on_connect(sender, connection, **kwargs):
    read_only(connection)


@contextmanager
def writes_refused():
    """Every connection, open or opened meanwhile, refuses writes: a page that
    writes on GET shows up as an error instead of changing the database."""
    connection_created.connect(on_connect)
    for connection in connections.all(initialized_only=True):
        read_only(connection)
    try:
        yield
    finally:
        connection_created.disconnect(on_connect)
        for connection in connections.all(initialized_only=True):
            read_write(connection)


@contextmanager
def writes_allowed():
    """Inside ``writes_refused``: writes allowed again, for a case that writes and
    rolls its writes back (an import's save)."""
    connection_created.disconnect(on_connect)
    for connection in connections.all(initialized_only=True):
        read_write(connection)
    try:
        yield
    finally:
        connection_created.connect(on_connect)
        for connection in connections.all(initialized_only=True):
            read_only(connection)


def production_settings():
    overrides = {
        "DEBUG": False,
        "ALLOWED_HOSTS": [*settings.ALLOWED_HOSTS, "testserver"],
        "SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies",
    }
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    if "Manifest" in backend and not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        # No collectstatic here: the manifest storage would fail on every page.
        overrides["STORAGES"] = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    return override_settings(**overrides)


def account_label(user):
    """Who a client is, for the report: "official of province 20", "national (every province)"..."""
    if user.is_superuser:
        return f"{user.username} (superuser)"
    if is_national(user):
        return f"{user.username} (national: every province)"
    code = writing_province(user)
    return f"{user.username} (province {code})" if code else f"{user.username} (no province)"


class Command(BaseCommand):
    help = (
        "Time the lists, deep page, dossier, search, dashboard, period reports, admin changelist and "
        "100,000-row exports through the Django stack, and the 10,000-row import preview; p50/p95, queries, "
        "main SQL raw; JSON and Markdown."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", metavar="PATH", help="Write the results as JSON here.")
        parser.add_argument("--markdown", metavar="PATH", help="Write the Markdown table here (else: printed).")
        parser.add_argument("--requests", type=int, default=20, help="Timed requests per page (default 20).")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed requests first (default 3).")
        parser.add_argument("--export-runs", type=int, default=3, help="Timed runs per export (default 3).")
        parser.add_argument("--export-rows", type=int, default=case_list.EXPORT_ROWS, help="Rows per export.")
        parser.add_argument("--only", default="", help="Comma-separated words: run the cases whose name has one.")
        parser.add_argument("--skip-exports", action="store_true", help="Leave the exports out.")
        parser.add_argument(
            "--import-rows", type=int, default=imports.IMPORT_ROWS, help="Rows of the import preview (default 10,000)."
        )
        parser.add_argument("--skip-imports", action="store_true", help="Leave the import preview out.")
        parser.add_argument("--official", default="official", help="Account for the public pages (an official).")
        parser.add_argument(
            "--province", metavar="CODE", help="The temporary official's province (default: most delegations)."
        )
        parser.add_argument("--national", default="national", help="Account of the national role (every province).")
        parser.add_argument("--admin", default="admin", help="Account for the admin changelist (a superuser).")
        parser.add_argument(
            "--from-json", metavar="PATH", help="Measure nothing: write the Markdown of an earlier run's JSON."
        )
        parser.add_argument(
            "--read-only", action="store_true", help="Never write, not even temporary accounts: fail if one is missing."
        )
        parser.add_argument(
            "--peer",
            choices=["datasette"],
            help=(
                "Also serve the SQLite file with Datasette and the register with gunicorn (1 sync worker) and time "
                "the same requests on both over HTTP, interleaved: ours p50 / Datasette p50 (SQLite only; "
                "--only does not select these)."
            ),
        )

    def handle(self, *args, **options):
        if options["from_json"]:
            result = json.loads(Path(options["from_json"]).read_text(encoding="utf-8"))
            self.write(result, {**options, "json": None})
            return
        if options["requests"] < 1:
            raise CommandError("--requests must be at least 1.")
        if options["peer"]:
            _path, error = peer.check_database(connections["default"])
            if error:
                raise CommandError(error)
            if not peer.datasette_available():
                raise CommandError("Datasette is not installed: pip install datasette==0.65.1 (requirements-dev.txt).")
        if settings.DEBUG:
            self.stderr.write("DEBUG is on in the settings: the benchmark turns it off for its requests.")
        started = time.perf_counter()
        temporary = []
        try:
            read_only = options["read_only"]
            official = self.account(
                options["official"], "benchmark-official", read_only, temporary, province=options["province"]
            )
            national = self.account(options["national"], "benchmark-national", read_only, temporary, role=NATIONAL)
            admin = self.account(options["admin"], "benchmark-admin", read_only, temporary, role="admin")
            users = {"official": official, "national": national, "admin": admin}
            with ExitStack() as stack:
                stack.enter_context(production_settings())
                stack.enter_context(writes_refused())
                result = self.measure(users, options)
        finally:
            for user in temporary:
                user.delete()  # and its StaffProfile with it
        self.write(result, options)
        self.stdout.write(f"Benchmark done in {time.perf_counter() - started:.0f} s.")

    def write(self, result, options):
        text = report.markdown(result)
        if options["json"]:
            report.write_json(result, options["json"])
            self.stdout.write(f"JSON written to {options['json']}")
        if options["markdown"]:
            Path(options["markdown"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"Markdown written to {options['markdown']}")
        else:
            self.stdout.write(text)

    def account(self, username, temporary_name, read_only, temporary, role="official", province=None):
        """The active account ``username``, checked for its ``role`` ("official", NATIONAL or
        "admin"), else a temporary one (None for a national one under --read-only)."""
        User = get_user_model()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is not None:
            if role == "admin" and not user.is_superuser:
                raise CommandError(f"The account {username} is not a superuser: the admin needs one (--admin).")
            if role == NATIONAL and not is_national(user):
                raise CommandError(f"The account {username} does not read every province (--national).")
            if province:
                self.stdout.write(f"--province {province} ignored: the account {username} keeps its own province.")
            return user
        if read_only and role == NATIONAL:
            self.stdout.write(f"No account {username} and --read-only: the national cases are not run.")
            return None
        if read_only:
            raise CommandError(f"No active account {username} and --read-only forbids a temporary one.")
        code = self.official_province(province) if role == "official" else None
        admin = role == "admin"
        user = User.objects.create_user(temporary_name, is_staff=admin, is_superuser=admin)
        temporary.append(user)
        if not admin:
            group = Group.objects.filter(name=role).first()
            if group is None and role == NATIONAL:
                raise CommandError(f"No group {NATIONAL}: run `manage.py migrate` first.")
            if group is not None:
                user.groups.add(group)
        if code is not None:
            StaffProfile.objects.create(user=user, province_id=code)
        where = f" of province {code}" if code else ""
        self.stdout.write(f"No account {username}: a temporary {temporary_name}{where} is used and deleted at the end.")
        return user

    def official_province(self, code):
        """--province, checked against the offices of the database, else the province holding the most delegations."""
        if not code:
            return case_list.busiest_province()
        found = normal_code(code)
        if found is None or not OfficeProfile.objects.filter(province_code=found).exists():
            raise CommandError(f"No office of province {code} in this database (--province).")
        return found

    def clients(self, users):
        """Signed-in clients without a write: cookie sessions, and the sign-in signal
        (last_login, django-axes' access log) not sent."""
        clients = {"visitor": Client(raise_request_exception=False)}
        with mock.patch.object(user_logged_in, "send", return_value=[]):
            for who, user in users.items():
                if user is not None:
                    clients[who] = Client(raise_request_exception=False)
                    clients[who].force_login(user)
        return clients

    def selected(self, items, only):
        words = [word.strip().lower() for word in only.split(",") if word.strip()]
        return [item for item in items if not words or any(word in item.name.lower() for word in words)]

    def measure(self, users, options):
        clients = self.clients(users)
        found = time.perf_counter()
        data = case_list.data_size()
        pages = case_list.page_cases(data, clients["official"], users["official"])
        pages = self.selected([case for case in pages if case.who in clients], options["only"])
        exports = [] if options["skip_exports"] else case_list.export_cases(options["export_rows"], users["official"])
        exports = self.selected(exports, options["only"])
        self.stdout.write(
            f"Data: {json.dumps(data)}; {len(pages)} pages and {len(exports)} exports "
            f"(parameters found in {time.perf_counter() - found:.1f} s)"
        )
        page_results = []
        for case in pages:
            result = time_page(case, clients[case.who], options["requests"], options["warmup"])
            page_results.append(report.check(result))
            self.progress(result, f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, {result['queries']} queries")
        import_results = []
        import_list = [] if options["skip_imports"] else imports.import_cases(options["import_rows"])
        import_list += [] if options["skip_imports"] else reading_cases.reading_cases()
        for case in self.selected(import_list, options["only"]):
            if case.writes and options["read_only"]:
                self.stdout.write(f"  {case.name}: not run (--read-only; it writes, then rolls back)")
                continue
            with writes_allowed() if case.writes else nullcontext():
                timer = reading_cases.time_reading if case.note in reading_cases.NOTES else imports.time_import
                result = timer(case, users["admin"])
            import_results.append(report.check(result))
            self.progress(result, f"{result['seconds']} s, {result['rows_per_s']:,} rows/s, {result['memory_mb']} MB")
        export_results = []
        for case in exports:
            result = time_export(case, clients["official"], options["export_runs"], min(options["warmup"], 1))
            export_results.append(report.check(result))
            self.progress(result, f"{result['rows_per_s']:,} rows/s, {result['memory_mb']} MB")
        peer_result = self.peer(users, clients, options) if options["peer"] else None
        date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        accounts = {who: account_label(user) for who, user in users.items() if user is not None}
        return report.build(
            report.machine(),
            data,
            date,
            page_results,
            export_results,
            SETTINGS_NOTE,
            import_results,
            accounts,
            peer=peer_result,
        )

    def peer(self, users, clients, options):
        """The register beside Datasette (operations/benchmark/peer.py), signed in
        as the national role (every row, as Datasette shows them), else the official."""
        who = "national" if users["national"] is not None else "official"
        path, _error = peer.check_database(connections["default"])
        build = peer.pair_builder(clients[who], users[who], options["export_rows"])
        self.stdout.write(f"Beside Datasette: {path}, the register signed in as {account_label(users[who])}")

        def progress(result):
            self.stdout.write(
                f"  {result['name']}: ours {result['ours_p50_ms']} ms, Datasette {result['theirs_p50_ms']} ms "
                f"(×{result['ratio']}; status {result['ours_status']} / {result['theirs_status']})"
            )

        result = peer.measure(
            path,
            build,
            users[who],
            options["requests"],
            options["warmup"],
            options["export_runs"],
            progress,
        )
        result["ours"] += f" ({account_label(users[who])})"
        return result

    def progress(self, result, text):
        extra = ""
        if result.get("main_query_ms") is not None:
            extra = f", main SQL {result['main_query_ms']} ms (×{result['ratio']})"
        self.stdout.write(f"  {result['name']}: {text}{extra}  {result['verdict']}")
