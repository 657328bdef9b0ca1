"""``benchmark --peer datasette`` (issue 20): the register beside Datasette, a
generic read-only browser of the same SQLite file, request for request.

Both sides are served as users get them, over HTTP on 127.0.0.1: the register by
gunicorn as deployed (deploy/gunicorn.conf.py, one sync worker, one thread;
operations/benchmark/peer_settings.py), Datasette by ``datasette serve
--immutable`` (its documented mode for a file nobody writes). Each request opens
a connection of its own on both sides (gunicorn's sync worker closes it after
each response anyway) and is timed to the last byte of the body. The pairs run
interleaved, ours then theirs, so that a slow moment of the machine falls on
both; the ratio is ours p50 divided by Datasette's (above 1: the register is
slower).

The register's side signs in as the national role (every province's
delegations, internal ones included): the rows Datasette shows, which knows no
provinces and no publication. Datasette's table page shows the table's columns
with foreign keys labelled, counts the matching rows and pages by keyset
(``_next``), 25 rows a page (``default_page_size``), facet suggestions off, its
SQL time limit raised from 1 s to 30 s (the register's web statement timeout) so
that a slow query is timed instead of cut. The register's list does more per row
(partners, members, the filters' choices): the ratio is the price of that as
well as of the framework."""

import contextlib
import http.client
import importlib.util
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings

from operations.benchmark.runner import percentile

ROOT = Path(__file__).resolve().parent.parent.parent
TABLE = "delegations_delegation"
DEEP_ROW = 25_000  # the deep pair: the page holding about the 25,000th row
DATASETTE_SETTINGS = {
    "default_page_size": "25",
    "suggest_facets": "off",
    "sql_time_limit_ms": "30000",
    "max_csv_mb": "0",  # the CSV of 100,000 rows whole, not cut at 100 MB
}
START_SECONDS = 60


@dataclass
class Pair:
    """One request of the issue's table, as the register and as Datasette."""

    name: str
    ours: str
    theirs: str
    note: str = ""
    export: bool = False  # timed --export-runs times, not --requests


def datasette_table(database, table=TABLE, suffix="", **params):
    query = urlencode(params, safe=",~") if params else ""
    return f"/{quote(database)}/{table}{suffix}" + (f"?{query}" if query else "")


def pairs(database, *, list_url, year, word, deep, export):
    """The equivalent requests. ``deep`` is (our URL of the deep page, its
    number, Datasette's _next token to the same row or None, note); ``export``
    is (our CSV URL, its start date or None, rows); ``word`` is a folded word
    (common.text.fold), ``year`` a year holding delegations."""
    newest = {"_sort_desc": "start_date", "_size": 25}
    deep_url, deep_page, token, deep_note = deep
    export_url, export_start, export_rows = export
    result = [
        Pair(
            "delegation list, first page, 25 rows",
            list_url,
            datasette_table(database, **newest),
            "newest first, undated last on both sides",
        ),
        Pair(
            "direction = out",
            f"{list_url}?direction=out",
            datasette_table(database, **newest, direction="out"),
            "a column filter: the outbound delegations",
        ),
        Pair(
            f"one year's date range ({year})",
            f"{list_url}?year={year}",
            datasette_table(database, **newest, start_date__gte=f"{year}-01-01", start_date__lte=f"{year}-12-31"),
            "ours: the list's year filter; Datasette: start_date between 1 January and 31 December",
        ),
        Pair(
            f"page {deep_page:,} (from row {(deep_page - 1) * 25 + 1:,})",
            deep_url,
            datasette_table(database, **newest, **({"_next": token} if token else {})),
            "; ".join(
                filter(
                    None,
                    [
                        "both reached by their own next links (ours: its keyset cursor; Datasette: _next)",
                        deep_note,
                    ],
                )
            ),
        ),
        Pair(
            f"text search ({word})",
            f"{list_url}?q={quote(word)}",
            datasette_table(database, **newest, search_text__contains=word),
            "ours: the list's q (whole syllables on the folded search_text); Datasette has no FTS on this "
            "read-only file, so search_text__contains (LIKE '%word%' on the same column)",
        ),
        Pair(
            f"CSV of {export_rows:,} rows",
            export_url,
            datasette_table(
                database,
                suffix=".csv",
                _stream="on",
                _size="max",
                _sort_desc="start_date",
                **({"start_date__gte": export_start} if export_start else {}),
            ),
            "ours: the list's CSV export (its own columns: partners, members, version); Datasette: the table's "
            "columns streamed",
            export=True,
        ),
    ]
    return result


def check_database(connection):
    """The SQLite file to serve, or the reason why there is none."""
    if connection.vendor != "sqlite":
        return None, (
            f"--peer datasette serves the SQLite file itself; this database is {connection.vendor}. "
            "Run it with DATABASE_URL=sqlite:///..."
        )
    if connection.is_in_memory_db():
        return None, "--peer datasette needs a SQLite file, not an in-memory database."
    return Path(connection.settings_dict["NAME"]).resolve(), None


def datasette_available():
    """Whether Datasette (a dev requirement, run as a command) is installed; looked up,
    not imported, as the running app never imports it (tests/test_requirements.py)."""
    return importlib.util.find_spec("datasette") is not None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port, url, headers=None):
    """GET ``url`` on a connection of its own; (status, bytes of the body, ms to its last byte).
    A refused connection is (None, 0, ms)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request("GET", url, headers=headers or {})
        response = connection.getresponse()
        size = 0
        while block := response.read(65536):
            size += len(block)
        status = response.status
    except (ConnectionError, OSError):
        status, size = None, 0
    finally:
        connection.close()
    return status, size, (time.perf_counter() - started) * 1000


def get_body(port, url, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request("GET", url, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def get_json(port, url):
    status, body = get_body(port, url)
    if status != 200:
        raise RuntimeError(f"Datasette answered {status} to {url}")
    return json.loads(body)


def check_signed_in(server, url):
    """The register took the benchmark's session cookie: its page offers to sign
    out. Without this a refused cookie would time the visitor's page unnoticed."""
    from django.urls import reverse

    status, body = get_body(server.port, url, server.headers)
    if status != 200 or f'action="{reverse("logout")}"'.encode() not in body:
        raise RuntimeError(f"gunicorn did not sign the benchmark in with its session cookie ({url}: {status})")


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    headers: dict


def wait_until_it_answers(server, url, seconds=START_SECONDS):
    deadline = time.monotonic() + seconds
    while True:
        status, _size, _ms = get(server.port, url, server.headers)
        if status is not None:
            return status
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} stopped (exit code {server.process.returncode}) before answering")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{server.name} did not answer within {seconds} s")
        time.sleep(0.2)


@contextlib.contextmanager
def running(name, command, env, headers, probe):
    """Start ``command`` (its port written in where it says {port}), wait until
    ``probe`` answers, yield the Server, stop it at the end. Its error output is
    kept in a temporary file and shown when it fails to start."""
    port = free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, after the process
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [part.format(port=port) for part in command],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    server = Server(name, process, port, headers)
    try:
        try:
            wait_until_it_answers(server, probe)
        except RuntimeError as error:
            log.seek(0)
            tail = log.read().decode(errors="replace").strip().splitlines()[-15:]
            raise RuntimeError("\n".join([str(error), *tail])) from None
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def signed_cookie(user):
    """(secret key, session cookie) for the register's side: a key made for this
    run (the project refuses its development key with DEBUG off, and the real one
    need not leave this process) and ``user``'s session, a signed cookie under
    it. The sign-in signal is not sent: nothing is written (last_login, axes)."""
    from unittest import mock

    from django.contrib.auth import user_logged_in
    from django.test import Client
    from django.test.utils import override_settings

    key = secrets.token_urlsafe(50)
    client = Client()
    with (
        override_settings(SECRET_KEY=key, SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"),
        mock.patch.object(user_logged_in, "send", return_value=[]),
    ):
        client.force_login(user)
    return key, client.cookies[settings.SESSION_COOKIE_NAME].value


def serve_ours(path, secret_key, cookie, probe):
    """gunicorn as deployed, one sync worker with one thread, over the file read-only."""
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="operations.benchmark.peer_settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secret_key,  # the key the session cookie is signed with (signed_cookie)
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{path}",
        GUNICORN_LOGLEVEL="warning",
    )
    env.pop("DATABASE_REPLICA_URL", None)
    command = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "-b", "127.0.0.1:{port}"]
    command += ["-w", "1", "--threads", "1"]
    # As behind the production proxy: HTTPS said by nginx's header; the session cookie of the signed-in role.
    headers = {"X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
    return running("gunicorn", command, env, headers, probe)


def serve_datasette(path):
    command = [sys.executable, "-m", "datasette", "serve", "--immutable", str(path), "-h", "127.0.0.1", "-p", "{port}"]
    for name, value in DATASETTE_SETTINGS.items():
        command += ["--setting", name, value]
    return running("Datasette", command, dict(os.environ), {}, "/-/versions.json")


def datasette_database(server, path):
    """The name Datasette gives the file (its stem, made unique)."""
    for database in get_json(server.port, "/-/databases.json"):
        if database.get("path") and Path(database["path"]).resolve() == Path(path).resolve():
            return database["name"]
    return Path(path).stem


def datasette_version(server):
    return get_json(server.port, "/-/versions.json").get("datasette", {}).get("version", "")


def next_token(server, database, skip):
    """Datasette's _next token past the first ``skip`` rows, newest first: its own
    next links followed, 1,000 rows at a time (the token names the last row, so
    it does not depend on the page size)."""
    token, remaining = None, skip
    while remaining > 0:
        size = min(1000, remaining)
        params = {"_sort_desc": "start_date", "_size": size, "_col": "start_date"}
        if token:
            params["_next"] = token
        page = get_json(server.port, datasette_table(database, suffix=".json", **params))
        token, remaining = page.get("next"), remaining - size
        if token is None:
            break
    return token


def time_pair(pair, ours, theirs, runs, warmup):
    """Warm-up then ``runs`` timed requests, ours and theirs in turn."""
    for _ in range(warmup):
        get(ours.port, pair.ours, ours.headers)
        get(theirs.port, pair.theirs, theirs.headers)
    timings = {"ours": [], "theirs": []}
    statuses = {"ours": set(), "theirs": set()}
    sizes = {}
    for _ in range(runs):
        for side, server, url in (("ours", ours, pair.ours), ("theirs", theirs, pair.theirs)):
            status, size, ms = get(server.port, url, server.headers)
            timings[side].append(ms)
            statuses[side].add(status)
            sizes[side] = size
    return summary(pair, timings, statuses, sizes)


def summary(pair, timings, statuses, sizes):
    result = {"name": pair.name, "ours_url": pair.ours, "theirs_url": pair.theirs, "note": pair.note}
    result["n"] = len(timings["ours"])
    for side in ("ours", "theirs"):
        result[f"{side}_status"] = sorted(statuses[side], key=lambda status: status or 0)
        result[f"{side}_bytes"] = sizes.get(side, 0)
        result[f"{side}_p50_ms"] = round(statistics.median(timings[side]), 2)
        result[f"{side}_p95_ms"] = round(percentile(timings[side], 0.95), 2)
    result["ratio"] = round(result["ours_p50_ms"] / result["theirs_p50_ms"], 2) if result["theirs_p50_ms"] else None
    return result


def ratio_table(results):
    """The Markdown rows of the side-by-side table (request, URLs, n, p50s, ratio)."""
    lines = [
        "| Request | ours | Datasette | n | ours p50 ms | Datasette p50 ms | ratio |",
        "|---|---|---|--:|--:|--:|--:|",
    ]
    for r in results:
        ratio = "–" if r["ratio"] is None else f"{r['ratio']:,.2f}×"
        errors = [
            f"{who} answered {', '.join(str(s) for s in r[f'{side}_status'])}"
            for side, who in (("ours", "ours"), ("theirs", "Datasette"))
            if r[f"{side}_status"] != [200]
        ]
        name = r["name"] + (f" (**{'; '.join(errors)}**)" if errors else "")
        lines.append(
            f"| {name} | `{r['ours_url']}` | `{r['theirs_url']}` | {r['n']} "
            f"| {r['ours_p50_ms']:,.1f} | {r['theirs_p50_ms']:,.1f} | {ratio} |"
        )
    return lines


def pair_builder(client, user, export_rows):
    """``build_pairs(database, next_token)`` for measure(): the values of the
    register's side found in the data as the signed-in ``user`` (the national
    role) reads it, through ``client`` (in process) for the deep page's link."""
    from django.db.models import Count
    from django.db.models.functions import ExtractYear
    from django.urls import reverse

    from common.text import fold
    from delegations.models import Delegation
    from operations.benchmark import cases

    rows = Delegation.objects.visible_to(user)
    years = rows.exclude(start_date=None).annotate(y=ExtractYear("start_date")).values_list("y")
    busiest = years.annotate(n=Count("*")).order_by("-n", "-y").first()
    year = busiest[0] if busiest else time.gmtime().tm_year
    partner = cases.busiest_partner()
    words = fold(partner.name if partner else "").split() or ["a"]
    word = max(words, key=len)
    list_url = reverse("delegations:list")
    count = rows.count()
    deep_url, page, deep_note = cases.deep_page_url(client, list_url, count, page=DEEP_ROW // cases.PAGE_SIZE)
    params, export_count = cases.export_span(export_rows, user)
    export_url = cases.with_query(reverse("delegations:export_csv"), **params)

    def build(database, next_token):
        token = next_token((page - 1) * cases.PAGE_SIZE) if page > 1 else None
        return pairs(
            database,
            list_url=list_url,
            year=year,
            word=word,
            deep=(deep_url, page, token, deep_note),
            export=(export_url, params.get("start"), export_count),
        )

    return build


def measure(path, build_pairs, user, requests, warmup, export_runs, progress=None):
    """Serve ``path`` with both, build the pairs (``build_pairs(database, next_token)``,
    where ``next_token(skip)`` asks the running Datasette), time them with the
    register signed in as ``user``; the report's "peer"."""
    secret_key, cookie = signed_cookie(user)
    with serve_datasette(path) as theirs:
        database = datasette_database(theirs, path)
        version = datasette_version(theirs)
        built = build_pairs(database, lambda skip: next_token(theirs, database, skip))
        with serve_ours(path, secret_key, cookie, built[0].ours) as ours:
            check_signed_in(ours, built[0].ours)
            results = []
            for pair in built:
                runs, warm = (export_runs, min(warmup, 1)) if pair.export else (requests, warmup)
                result = time_pair(pair, ours, theirs, runs, warm)
                results.append(result)
                if progress:
                    progress(result)
    return {
        "peer": "datasette",
        "version": version,
        "file": str(path),
        "ours": "gunicorn -c deploy/gunicorn.conf.py -w 1 --threads 1 (sync), signed in as the national role",
        "theirs": "datasette serve --immutable "
        + " ".join(f"--setting {name} {value}" for name, value in DATASETTE_SETTINGS.items()),
        "pairs": results,
    }
