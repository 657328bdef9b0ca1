"""gunicorn serving the register for real, as deployed: `deploy/gunicorn.conf.py`,
DEBUG off, the web's own statement timeout (the suite runs with the commands'),
in a subprocess the tests talk to over 127.0.0.1."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def accepts(port):
    """Whether something listens on ``port``: gunicorn is up, whatever the database."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@contextlib.contextmanager
def running_gunicorn(*, workers=1, threads=2, ready=None, **env):
    """Yield (base URL, port) of gunicorn started with ``env`` over the test's own
    environment; ``ready(base)`` says when it serves (default: its port accepts)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environment = dict(
        os.environ,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="gunicorn-test-key-" + "x" * 40,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        **env,
    )
    # The web's defaults, as deployed (the suite sets the commands' statement timeout).
    for name in ("DJANGO_DB_STATEMENT_TIMEOUT", "DJANGO_DB_HANG_SECONDS"):
        if name not in env:
            environment.pop(name, None)
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "-b", f"127.0.0.1:{port}"]
        + ["-w", str(workers), "--threads", str(threads)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not (ready(base) if ready else accepts(port)):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail("gunicorn did not start within 30 s")
        time.sleep(0.2)
    try:
        yield base, port
    finally:
        server.terminate()
        server.wait(timeout=10)
