"""A client-side read timeout for PostgreSQL: a statement stuck on a database
that has stopped answering is cut, so the page answers 503 within seconds.

Why neither libpq nor PostgreSQL can do it alone: when the server's processes
are paused (``kill -STOP``, a frozen VM) the server's kernel still
acknowledges every packet and answers every TCP keepalive, so libpq's
``keepalives*`` and ``tcp_user_timeout`` (settings.py) never fire, and
``statement_timeout`` is enforced by the very server that is paused. libpq
has no read timeout of its own: a reused connection waits for ever.

So one daemon thread per process looks at the connections Django opened
every half second. A connection whose statement has been in progress for
``DB_HANG_SECONDS`` is not cut on that alone (a report may legitimately run
a long query): the watchdog first opens a fresh connection and runs
``SELECT 1``. If that answers, the database is alive and merely busy, and
the statement is left to ``statement_timeout``. If it does not answer within
``DB_HANG_SECONDS``, the database is hung: the stuck connections' sockets are
shut down, libpq raises "server closed the connection unexpectedly" in the
waiting thread, and that OperationalError becomes the Vietnamese 503
(register/errors.py, operations/health.py). The next request connects afresh,
so recovery needs no restart.
"""

import contextlib
import logging
import os
import socket
import threading
import time
import weakref

from django.conf import settings
from django.db import DatabaseError

logger = logging.getLogger(__name__)

# PQTRANS_ACTIVE, the same number in psycopg 2 and 3: a command is in progress.
ACTIVE = 1
# After the database answered a probe, leave a long statement alone this many
# times DB_HANG_SECONDS before probing again on its behalf.
BACKOFF_FACTOR = 10


def _status(raw):
    """The raw connection's transaction status, or None once it is closed."""
    try:
        return None if raw.closed else raw.info.transaction_status
    except Exception:  # noqa: BLE001 - the owning thread may be closing it right now
        return None


def cut(raw):
    """Shut the connection's socket down under libpq's feet: the thread that
    waits on it wakes at once with an error. Closing it from this thread
    would not be safe; shutdown() on a duplicate of the descriptor is."""
    try:
        with socket.socket(fileno=os.dup(raw.fileno())) as duplicate:
            duplicate.shutdown(socket.SHUT_RDWR)
    except Exception:  # noqa: BLE001, S110 - already closed (OSError, or psycopg's own error)
        pass


def database_answers(wrapper, timeout):
    """Whether a new connection with ``wrapper``'s settings answers
    ``SELECT 1`` within ``timeout`` seconds. Runs in a thread of its own so
    that a hung server cannot hang the watchdog; a probe left waiting is cut
    like the rest. A failure that is not the database's (a bug here) counts as
    an answer: better a slow page than a cut one."""
    answered, probe = threading.Event(), {}
    database_errors = (DatabaseError, wrapper.Database.Error)

    def run():
        # A connection of its own, created in this thread (Django refuses to
        # close a connection from another thread), with the same settings:
        # the wrapper may be one Django made aside (its alias "__no_db__").
        fresh = type(wrapper)(wrapper.settings_dict, wrapper.alias)
        try:
            fresh.ensure_connection()
            probe["raw"] = fresh.connection
            with fresh.connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except database_errors:
            return
        except Exception:
            logger.exception("The database watchdog's probe failed.")
        finally:
            with contextlib.suppress(Exception):
                fresh.close()
        answered.set()

    threading.Thread(target=run, name=f"db-watchdog-probe-{wrapper.alias}", daemon=True).start()
    if answered.wait(timeout):
        return True
    if "raw" in probe:
        cut(probe["raw"])
    return False


class Watchdog:
    def __init__(self, hang_seconds):
        self.hang_seconds = hang_seconds
        self.interval = min(0.5, hang_seconds / 4)
        self.wrappers = weakref.WeakSet()
        # id(raw connection) -> when to look again at its statement in progress
        self.deadlines = {}
        self.lock = threading.Lock()
        self.thread = None

    def watch(self, wrapper):
        with self.lock:
            self.wrappers.add(wrapper)
            # A process forked from one that watched (gunicorn's workers) has
            # the watchdog but not its thread: start one of its own.
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="db-watchdog", daemon=True)
                self.thread.start()

    def run(self):
        while True:
            time.sleep(self.interval)
            try:
                self.check(time.monotonic())
            except Exception:
                logger.exception("The database watchdog failed to check the connections.")

    def check(self, now):
        with self.lock:
            wrappers = list(self.wrappers)
        stuck, seen = {}, set()
        for wrapper in wrappers:
            raw = wrapper.connection
            if raw is None or _status(raw) != ACTIVE:
                continue
            seen.add(id(raw))
            deadline = self.deadlines.setdefault(id(raw), now + self.hang_seconds)
            if now >= deadline:
                stuck.setdefault(wrapper.alias, (wrapper, []))[1].append(raw)
        # A connection seen idle (or gone) starts afresh next time.
        self.deadlines = {key: value for key, value in self.deadlines.items() if key in seen}
        for alias, (wrapper, raws) in stuck.items():
            if database_answers(wrapper, self.hang_seconds):
                for raw in raws:
                    self.deadlines[id(raw)] = now + BACKOFF_FACTOR * self.hang_seconds
                continue
            logger.warning(
                "The database %r did not answer within %s s: cutting %d stuck connection(s).",
                alias,
                self.hang_seconds,
                len(raws),
            )
            for raw in raws:
                cut(raw)
                self.deadlines.pop(id(raw), None)


_watchdog, _watchdog_lock = None, threading.Lock()


def watch_connection(sender, connection, **kwargs):
    """``connection_created`` receiver: watch every PostgreSQL connection of
    this process (off when DB_HANG_SECONDS is 0)."""
    global _watchdog
    if connection.vendor != "postgresql" or not settings.DB_HANG_SECONDS:
        return
    with _watchdog_lock:
        if _watchdog is None:
            _watchdog = Watchdog(settings.DB_HANG_SECONDS)
    _watchdog.watch(connection)
