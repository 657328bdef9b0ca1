"""PostgreSQL stops answering without closing its connections, then resumes.

A throwaway PostgreSQL cluster of our own (operations/pg_cluster.py:
initdb in a temporary folder, a free port) holds a copy of the test database;
gunicorn runs against it with production settings (DEBUG off). The test pauses every process of that cluster
with SIGSTOP, as a frozen VM or a network partition would leave it: the
server's kernel still acknowledges packets, so only the watchdog
(common/db_watchdog.py) can notice. /healthz and a page must
answer the Vietnamese 503 within seconds on connections gunicorn had open,
and answer 200 again after SIGCONT without a restart. Never the shared
cluster on 5432: only the private one is paused.

The figures (seconds to the 503, seconds to recovery) are printed; run with
``-s`` to see them (docs/RELIABILITY.md)."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection

from operations import pg_cluster
from tests.gunicorn_server import ROOT, running_gunicorn
from tests.test_db_faults import get, serves, static_root  # noqa: F401 - static_root is a fixture

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="a hung database is tested against PostgreSQL, the production database",
    ),
    pytest.mark.skipif(
        not pg_cluster.available(),
        reason="needs PostgreSQL 15's server programs to make a private cluster",
    ),
]


def database_url_of_tests():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def cluster():
    private = pg_cluster.PrivateCluster(prefix="lsa-hang-")
    try:
        private.start()
        yield private
    finally:
        private.stop()


@pytest.fixture
def app(seeded, static_root, cluster):  # noqa: F811 - static_root is the imported fixture
    url = cluster.copy_database("register", database_url_of_tests())
    with running_gunicorn(
        ready=serves, DJANGO_STATIC_ROOT=str(static_root), DATABASE_URL=url, DJANGO_DB_CONNECT_TIMEOUT="2"
    ) as (base, _port):
        yield base


def at_once(base, paths):
    """GET every path at the same time (one per gunicorn thread): [(status, body, seconds)]."""
    results = [None] * len(paths)

    def fetch(index, path):
        try:
            results[index] = get(base + path, timeout=30)
        except OSError as error:
            results[index] = (None, str(error), 30.0)

    threads = [threading.Thread(target=fetch, args=pair) for pair in enumerate(paths)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_paused_database_gives_503_within_seconds_and_the_site_recovers_without_restart(app, cluster):
    base = app
    # Both gunicorn threads hold an open connection, as they do in production.
    assert [status for status, _, _ in at_once(base, ["/delegations/", "/healthz"])] == [200, 200]

    cluster.signal(signal.SIGSTOP)
    paused = time.monotonic()
    try:
        page, health = at_once(base, ["/delegations/", "/healthz"])
        to_503 = time.monotonic() - paused
        assert page[0] == 503, page[:2]
        assert "tạm thời không truy cập được" in page[1]
        assert "Traceback" not in page[1]
        assert health[0] == 503, health[:2]
        assert to_503 < 10, to_503
        # A new connection, while it lasts, gives up after DJANGO_DB_CONNECT_TIMEOUT.
        status, _, seconds = get(base + "/partners/")
        assert status == 503 and seconds < 5, (status, seconds)
    finally:
        cluster.signal(signal.SIGCONT)
    resumed = time.monotonic()
    while get(base + "/healthz")[0] != 200:
        assert time.monotonic() - resumed < 15, "the site did not recover by itself"
        time.sleep(0.1)
    to_recovery = time.monotonic() - resumed
    assert [status for status, _, _ in at_once(base, ["/delegations/", "/"])] == [200, 200]
    print(  # noqa: T201 - the figures docs/RELIABILITY.md records
        f"\nhung database: 503 after {page[2]:.1f} s (page) and {health[2]:.1f} s (/healthz); "
        f"new connection refused after {seconds:.1f} s; 200 again {to_recovery:.1f} s after SIGCONT"
    )


def test_a_long_statement_on_a_live_database_is_left_alone(db, caplog):
    # Longer than DB_HANG_SECONDS (2): the watchdog probes, the database
    # answers, and the statement runs to its end.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(3), 1")
        assert cursor.fetchone()[1] == 1
    assert "did not answer" not in caplog.text


def test_web_requests_get_a_statement_timeout_and_commands_none(db):
    show = "from django.db import connection as c; k = c.cursor(); k.execute('SHOW statement_timeout'); "
    show += "print(k.fetchone()[0])"
    # The suite itself runs as a command does (pyproject.toml); the web's default is
    # what the WSGI entry point, which gunicorn loads, gets with nothing set.
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_DB_STATEMENT_TIMEOUT"}
    env["DATABASE_URL"] = database_url_of_tests()
    web = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-c", "import lang_son_affairs.wsgi; " + show],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert web.stdout.splitlines()[-1] == "30s"
    command = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "manage.py", "shell", "-c", show],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert command.stdout.splitlines()[-1] == "0"
