"""`manage.py benchmark` (issue 6): its JSON and Markdown on the articles' tiny data,
and the small rules behind its numbers."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from delegations.models import Delegation
from offices import services
from offices.models import OfficeProfile, StaffProfile
from operations.benchmark.cases import next_link
from operations.benchmark.explain import main_query, time_raw
from operations.benchmark.report import check
from operations.benchmark.runner import percentile

CASE_FIELDS = {
    "name": str,
    "url": str,
    "who": str,
    "group": str,
    "n": int,
    "warmup": int,
    "status": list,
    "p50_ms": float,
    "p95_ms": float,
    "queries": int,
    "sql_ms": float,
    "note": str,
    "targets": dict,
    "checks": list,
    "verdict": str,
}
EXPORT_FIELDS = {
    "name": str,
    "url": str,
    "format": str,
    "n": int,
    "rows": int,
    "bytes": int,
    "seconds_p50": float,
    "tracemalloc_peak_mb": float,
    "rss_growth_mb": float,
    "memory_mb": float,
    "targets": dict,
    "checks": list,
    "verdict": str,
}


def run_benchmark(tmp_path, *extra):
    json_path, markdown_path = tmp_path / "bench.json", tmp_path / "PERFORMANCE.md"
    call_command(
        "benchmark",
        "--requests=2",
        "--warmup=1",
        "--export-runs=1",
        "--import-rows=50",
        f"--json={json_path}",
        f"--markdown={markdown_path}",
        *extra,
    )
    return json.loads(json_path.read_text()), markdown_path.read_text()


@pytest.fixture
def accounts(official, superuser):
    return official, superuser


@pytest.mark.django_db
def test_the_benchmark_reports_every_page_and_export_with_its_numbers(seeded, accounts, tmp_path):
    report, markdown = run_benchmark(tmp_path)

    assert report["schema"] == 1
    assert {"cpu", "cores", "python", "django", "database"} <= report["machine"].keys()
    assert isinstance(report["machine"]["cores"], int)
    assert {"vendor", "version"} <= report["machine"]["database"].keys()
    assert report["data"]["delegations"] == Delegation.objects.count() > 0
    assert set(report["data"]) == {"delegations", "members", "agreements", "projects", "transactions", "partners"}
    names = [case["name"] for case in report["cases"]]
    assert len(names) == len(set(names))
    for wanted in ("delegations list", "partner dossier", "search", "dashboard", "period report", "admin delegations"):
        assert any(name.startswith(wanted) for name in names), wanted
    for case in report["cases"]:
        for key, kind in CASE_FIELDS.items():
            assert isinstance(case[key], kind), (case["name"], key)
        assert case["status"] == [200], case["name"]
        assert case["n"] == 2
        assert case["p50_ms"] <= case["p95_ms"]
        assert case["queries"] > 0
        assert case["verdict"] in {"PASS", "MISS"}
        if "ratio" in case["targets"]:
            assert case["main_query_ms"] > 0 and case["ratio"] > 0, case["name"]
            assert case["main_query"]["sql"].upper().startswith("SELECT")
        assert f"| {case['name']}" in markdown
    assert [export["format"] for export in report["exports"]] == ["csv", "xlsx"]
    for export in report["exports"]:
        for key, kind in EXPORT_FIELDS.items():
            assert isinstance(export[key], kind), (export["name"], key)
        assert export["status"] == [200]
        assert export["rows"] > 0 and export["bytes"] > 0
        assert f"| {export['name']}" in markdown
    assert report["date"] in markdown


@pytest.mark.django_db
def test_the_benchmark_times_the_import_preview_without_writing(seeded, accounts, tmp_path):
    before = Delegation.objects.count()
    report, markdown = run_benchmark(tmp_path, "--only=import", "--skip-exports")

    assert report["cases"] == []
    [preview] = report["imports"]
    assert preview["name"] == "import preview (50 delegations, XLSX)"
    assert preview["status"] == [200] and preview["verdict"] == "PASS"
    assert preview["new"] + preview["update"] + preview["skip"] == 50 and preview["update"] > 0
    assert preview["targets"] == {"seconds": 20} and preview["seconds"] > 0
    assert "## Imports" in markdown and "| import preview (50 delegations, XLSX) | 50 |" in markdown
    assert Delegation.objects.count() == before


@pytest.mark.django_db
def test_the_benchmark_times_the_article_reader_and_leaves_the_register_as_it_was(seeded, accounts, tmp_path):
    from reading.models import ArticleReading
    from sources.models import Citation, Source

    before = (Delegation.objects.count(), Source.objects.count(), Citation.objects.count())
    report, markdown = run_benchmark(tmp_path, "--only=article reader", "--skip-exports")

    review, accept = report["imports"]
    assert review["name"] == "article reader: review screen (rolled back)"
    assert accept["name"] == "article reader: accept (rolled back)"
    for case in (review, accept):
        assert case["status"] == [200] and case["seconds"] > 0 and case["rows"] > 0, case
    assert "| article reader: review screen (rolled back) |" in markdown
    assert (Delegation.objects.count(), Source.objects.count(), Citation.objects.count()) == before
    assert not ArticleReading.objects.exists()


@pytest.mark.django_db
def test_only_runs_the_named_cases_and_skip_exports_leaves_the_exports_out(seeded, accounts, tmp_path):
    report, markdown = run_benchmark(tmp_path, "--only=dashboard,search", "--skip-exports")

    assert [case["name"] for case in report["cases"]] == ["search", "dashboard", "dashboard, national"]
    assert report["exports"] == [] and report["imports"] == []
    assert "## Exports" not in markdown and "## Imports" not in markdown


@pytest.mark.django_db
def test_the_benchmark_signs_in_as_temporary_accounts_and_deletes_them(seeded, tmp_path):
    report, _markdown = run_benchmark(tmp_path, "--only=admin delegations", "--skip-exports")

    assert report["cases"][0]["status"] == [200]
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_read_only_refuses_to_create_a_missing_account(seeded, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="read-only"):
        run_benchmark(tmp_path, "--read-only", "--skip-exports")
    assert not get_user_model().objects.exists()


def test_p95_of_twenty_timings_is_the_nineteenth_smallest():
    assert percentile(list(range(20, 0, -1)), 0.95) == 19
    assert percentile([5.0], 0.95) == 5.0


def test_the_main_query_is_the_slowest_select_on_the_pages_table():
    captured = [
        {"sql": 'SELECT COUNT(*) FROM "delegations_delegation"', "time": "0.004"},
        {"sql": 'SELECT "id" FROM "delegations_delegation" ORDER BY "id" LIMIT 25', "time": "0.009"},
        {"sql": 'SELECT "id" FROM "delegations_delegation_partners" WHERE "delegation_id" IN (1)', "time": "0.050"},
        {"sql": 'UPDATE "delegations_delegation" SET "size" = 1', "time": "0.900"},
    ]

    assert main_query(captured, "delegations_delegation") is captured[1]
    assert main_query(captured, "agreements_agreement") is None


@pytest.mark.django_db
def test_the_raw_sql_timed_is_the_statement_the_page_executed_with_its_parameters(
    seeded, accounts, official_client, tmp_path
):
    """Issue 20: the list used to order by COALESCE(start_date, %s) with 0001-01-01 bound,
    which SQLite cannot match to the list's index, while the benchmark timed the date
    written in and hid the scan. The raw SQL timed is now the statement the page executed,
    placeholders and parameters as they were: on SQLite the page writes the sentinel in
    (common/pagination.py Literal) and the plan reported is the index's; on PostgreSQL
    the driver binds it on the client and it stays a parameter."""
    from operations.benchmark.explain import plain
    from operations.benchmark.runner import capture

    captured = capture(official_client, "/delegations/")
    [ordered] = [q for q in captured if "COALESCE" in q["statement"].upper() and "ORDER BY" in q["statement"]]
    assert ordered["statement"].count("%s") == len(ordered["params"])
    if connection.vendor == "sqlite":
        assert "'0001-01-01'" in ordered["statement"] and "0001-01-01" not in plain(ordered["params"])
    else:
        assert "0001-01-01" not in ordered["statement"] and "0001-01-01" in plain(ordered["params"])
        assert "0001-01-01" in ordered["sql"]  # Django's display writes it in: not what is timed
    raw = time_raw(ordered, runs=1)
    assert raw["sql"] == ordered["statement"] and raw["params"] == plain(ordered["params"])
    assert raw["plan"], raw
    if connection.vendor == "sqlite":
        assert any("delegation_list_newest_idx" in line for line in raw["plan"]), raw["plan"]
        assert not any("TEMP B-TREE" in line for line in raw["plan"]), raw["plan"]

    # Through the command: each main SQL is a captured statement with its own parameters.
    report, _markdown = run_benchmark(tmp_path, "--only=delegations list", "--skip-exports", "--skip-imports")
    for case in report["cases"]:
        raw = case["main_query"]
        assert raw["sql"].upper().startswith("SELECT") and isinstance(raw["params"], list), case["name"]
        assert raw["sql"].count("%s") == len(raw["params"]), case["name"]
        assert raw["raw_ms"] > 0
        expected = "execute + fetchall" if connection.vendor == "sqlite" else "EXPLAIN ANALYZE"
        assert raw["method"] == expected and raw["plan"], raw


@pytest.mark.django_db
def test_time_raw_runs_the_statement_with_its_own_parameters(seeded):
    Delegation.objects.update(start_date=None, end_date=None)
    statement = 'SELECT COUNT(*) FROM "delegations_delegation" WHERE COALESCE("start_date", %s) = %s'
    captured = {"sql": "shown only", "statement": statement, "params": ("0001-01-01", "0001-01-01"), "time": "0.1"}

    raw = time_raw(captured, runs=1)

    assert raw["sql"] == statement and raw["params"] == ["0001-01-01", "0001-01-01"]
    with connection.cursor() as cursor:
        cursor.execute(statement, ["0001-01-01", "0001-01-01"])
        assert cursor.fetchone()[0] == Delegation.objects.count() > 0
    if connection.vendor == "sqlite":
        assert any("delegations_delegation" in line for line in raw["plan"]), raw["plan"]


def test_a_measure_over_its_limit_is_a_miss_and_says_by_how_much():
    result = check({"status": [200], "p50_ms": 150.0, "p95_ms": 180.0, "targets": {"p50_ms": 100, "p95_ms": 200}})

    assert result["verdict"] == "MISS"
    assert [(c["metric"], c["pass"], c["margin_pct"]) for c in result["checks"]] == [
        ("p50_ms", False, 50.0),
        ("p95_ms", True, -10.0),
    ]
    assert check({**result, "status": [200, 500]})["verdict"] == "ERROR"


def test_the_deep_page_is_reached_by_the_next_link_of_the_page_before_it():
    html = (
        '<a href="?page=3" rel="prev">‹ Previous</a> <a rel="nofollow" href="/x/">x</a>'
        '<a href="?direction=out&amp;after=WyIyMDI0Il0" rel="next">Next ›</a>'
    )

    assert next_link(html) == "?direction=out&after=WyIyMDI0Il0"
    assert next_link('<a href="?page=1" rel="prev">‹</a>') is None


@pytest.mark.django_db
def test_from_json_writes_the_markdown_of_an_earlier_run_without_measuring(seeded, accounts, tmp_path):
    report, markdown = run_benchmark(tmp_path, "--only=dashboard", "--skip-exports")
    again = tmp_path / "again.md"

    call_command("benchmark", f"--from-json={tmp_path / 'bench.json'}", f"--markdown={again}")

    assert again.read_text() == markdown
    assert report["cases"][0]["slowest_queries"][0]["sql"]


# Provinces (docs/PROVINCES.md, step 7) -----------------------------------------------------------

NATIONAL_CASES = ("delegations list", "partner dossier (most delegations)", "dashboard", "period report")


def second_office(code="04"):
    profile = OfficeProfile(**services.defaults_for(services.find_province(code)))
    profile.full_clean()
    profile.save()
    return profile


def assert_national_cases(report, markdown):
    national = [case for case in report["cases"] if case["who"] == "national"]
    assert all(case["name"].endswith(", national") for case in national)
    for wanted in NATIONAL_CASES:
        assert any(case["name"].startswith(wanted) for case in national), wanted
    assert sum(case["name"].startswith("period report") for case in national) == 2
    assert all(case["status"] == [200] for case in report["cases"]), [c["name"] for c in report["cases"]]
    assert "| dashboard, national | national |" in markdown and "| dashboard | official |" in markdown


@pytest.mark.django_db
def test_a_temporary_official_is_the_busiest_provinces_and_a_temporary_national_reads_every_one(seeded, tmp_path):
    report, markdown = run_benchmark(tmp_path, "--only=national,dashboard", "--skip-exports", "--skip-imports")

    assert report["accounts"]["official"] == "benchmark-official (province 20)"
    assert report["accounts"]["national"] == "benchmark-national (national: every province)"
    assert "- Signed in as: official: benchmark-official (province 20)" in markdown
    assert_national_cases(report, markdown)
    assert not get_user_model().objects.exists() and not StaffProfile.objects.exists()


@pytest.mark.django_db
def test_with_a_second_office_the_official_is_of_one_province_the_busiest_or_the_one_chosen(seeded, tmp_path):
    second_office("04")
    Delegation.objects.create(title="Đoàn của tỉnh thứ hai", province_id="04")

    report, markdown = run_benchmark(tmp_path, "--only=national,dashboard", "--skip-exports", "--skip-imports")
    assert report["accounts"]["official"] == "benchmark-official (province 20)"  # the most delegations
    assert_national_cases(report, markdown)

    report, markdown = run_benchmark(tmp_path, "--province=4", "--only=delegations list", "--skip-exports")
    assert report["accounts"]["official"] == "benchmark-official (province 04)"
    assert {case["who"] for case in report["cases"]} == {"official", "visitor", "national"}
    assert all(case["status"] == [200] for case in report["cases"])
    assert not get_user_model().objects.exists() and not StaffProfile.objects.exists()


@pytest.mark.django_db
def test_an_existing_official_keeps_its_own_province(seeded, accounts, tmp_path):
    official, _admin = accounts
    second_office("04")
    StaffProfile.objects.create(user=official, province_id="04")

    report, _markdown = run_benchmark(tmp_path, "--province=20", "--only=dashboard", "--skip-exports")

    assert report["accounts"]["official"] == "official (province 04)"
    assert StaffProfile.objects.get(user=official).province_id == "04"
    assert set(get_user_model().objects.values_list("username", flat=True)) == {"official", "admin"}


@pytest.mark.django_db
def test_a_province_without_an_office_is_refused_and_nothing_is_left(seeded, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No office of province 04"):
        run_benchmark(tmp_path, "--province=04", "--skip-exports")
    assert not get_user_model().objects.exists() and not StaffProfile.objects.exists()


@pytest.mark.django_db
def test_read_only_without_a_national_account_leaves_the_national_cases_out(seeded, accounts, tmp_path):
    report, _markdown = run_benchmark(tmp_path, "--read-only", "--only=dashboard", "--skip-exports")

    assert [case["name"] for case in report["cases"]] == ["dashboard"]
    assert "national" not in report["accounts"]


# Beside Datasette (issue 20, --peer datasette) ---------------------------------------------------


def test_the_peer_pairs_are_the_issues_requests_on_both_sides():
    from operations.benchmark import peer

    built = peer.pairs(
        "bench",
        list_url="/delegations/",
        year=2020,
        word="quang",
        deep=("/delegations/?after=WyIyMDIwIl0", 1000, "2020-01-01,5", ""),
        export=("/delegations/export.csv?start=2010-01-01", "2010-01-01", 100_000),
    )

    ours = [pair.ours for pair in built]
    theirs = [pair.theirs for pair in built]
    assert ours == [
        "/delegations/",
        "/delegations/?direction=out",
        "/delegations/?year=2020",
        "/delegations/?after=WyIyMDIwIl0",
        "/delegations/?q=quang",
        "/delegations/export.csv?start=2010-01-01",
    ]
    table = "/bench/delegations_delegation"
    assert theirs == [
        f"{table}?_sort_desc=start_date&_size=25",
        f"{table}?_sort_desc=start_date&_size=25&direction=out",
        f"{table}?_sort_desc=start_date&_size=25&start_date__gte=2020-01-01&start_date__lte=2020-12-31",
        f"{table}?_sort_desc=start_date&_size=25&_next=2020-01-01,5",
        f"{table}?_sort_desc=start_date&_size=25&search_text__contains=quang",
        f"{table}.csv?_stream=on&_size=max&_sort_desc=start_date&start_date__gte=2010-01-01",
    ]
    assert [pair.export for pair in built] == [False] * 5 + [True]
    assert built[3].name == "page 1,000 (from row 24,976)"
    assert all(pair.note for pair in built)


def test_the_ratio_is_ours_p50_over_datasettes_and_the_table_says_so():
    from operations.benchmark import peer

    pair = peer.Pair("direction = out", "/delegations/?direction=out", "/db/t?direction=out")
    result = peer.summary(
        pair,
        {"ours": [30.0, 10.0, 20.0], "theirs": [5.0, 4.0, 6.0]},
        {"ours": {200}, "theirs": {200, 500}},
        {"ours": 1000, "theirs": 800},
    )

    assert (result["ours_p50_ms"], result["theirs_p50_ms"], result["ratio"]) == (20.0, 5.0, 4.0)
    assert result["n"] == 3 and result["theirs_status"] == [200, 500]
    header, _rule, row = peer.ratio_table([result])
    assert header.startswith("| Request | ours | Datasette | n | ours p50 ms | Datasette p50 ms | ratio |")
    assert row == (
        "| direction = out (**Datasette answered 200, 500**) | `/delegations/?direction=out` "
        "| `/db/t?direction=out` | 3 | 20.0 | 5.0 | 4.00× |"
    )


def test_the_peer_is_refused_on_a_database_that_is_not_a_sqlite_file(accounts):
    from types import SimpleNamespace

    from django.core.management.base import CommandError

    from operations.benchmark import peer

    _path, error = peer.check_database(SimpleNamespace(vendor="postgresql"))
    assert error.startswith("--peer datasette serves the SQLite file itself; this database is postgresql")
    # The tests' database is PostgreSQL or SQLite in memory: either way there is no file to serve.
    with pytest.raises(CommandError, match="--peer datasette"):
        call_command("benchmark", "--peer=datasette", "--skip-exports")
    assert set(get_user_model().objects.values_list("username", flat=True)) == {"official", "admin"}


@pytest.mark.django_db(transaction=True)
def test_the_peer_run_serves_the_file_with_gunicorn_and_datasette_and_reports_the_ratios(
    seeded, accounts, tmp_path, monkeypatch
):
    """For real: the tests' SQLite database copied to a file once the benchmark
    has made its temporary national account, then served by both."""
    import sqlite3

    from operations.benchmark import peer

    if connection.vendor != "sqlite":
        pytest.skip("--peer datasette serves a SQLite file")
    if not peer.datasette_available():
        pytest.skip("datasette is not installed (requirements-dev.txt)")
    path = tmp_path / "peer.sqlite3"
    measure = peer.measure

    def copied_then_measured(_path, *args, **kwargs):
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return measure(path, *args, **kwargs)

    monkeypatch.setattr(peer, "check_database", lambda _connection: (path, None))
    monkeypatch.setattr(peer, "measure", copied_then_measured)

    report, markdown = run_benchmark(tmp_path, "--only=no such case", "--skip-imports", "--peer=datasette")

    result = report["peer"]
    assert result["peer"] == "datasette" and result["version"] == "0.65.1"
    assert "benchmark-national (national: every province)" in result["ours"]
    assert [pair["name"].split(" (")[0] for pair in result["pairs"]] == [
        "delegation list, first page, 25 rows",
        "direction = out",
        "one year's date range",
        "page 1",
        "text search",
        f"CSV of {Delegation.objects.count()} rows",
    ]
    for pair in result["pairs"]:
        assert pair["ours_status"] == [200] and pair["theirs_status"] == [200], pair
        assert pair["ours_p50_ms"] > 0 and pair["theirs_p50_ms"] > 0
        assert pair["ratio"] == round(pair["ours_p50_ms"] / pair["theirs_p50_ms"], 2)
        assert pair["ours_bytes"] > 0 and pair["theirs_bytes"] > 0
    assert result["pairs"][0]["n"] == 2 and result["pairs"][-1]["n"] == 1
    assert "## Beside Datasette" in markdown
    assert "| delegation list, first page, 25 rows | `/delegations/` |" in markdown
    assert not get_user_model().objects.filter(username__startswith="benchmark-").exists()
