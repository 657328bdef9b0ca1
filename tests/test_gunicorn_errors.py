"""gunicorn's own answers (a request it refuses before Django sees it) carry the
site's security headers and a Vietnamese text: gunicorn runs for real, with
deploy/gunicorn.conf.py, and is sent a request line past its limit."""

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


def raw_request(port, line, timeout=10):
    """Send ``line`` and the Host header; return the whole answer as text."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(f"{line}\r\nHost: 127.0.0.1\r\n\r\n".encode("latin-1"))
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    port = free_port()
    env = dict(
        os.environ,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="gunicorn-test-key-" + "x" * 40,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_STATIC_ROOT=str(tmp_path_factory.mktemp("static")),
    )
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("gunicorn did not start within 30 s")
            time.sleep(0.2)
    yield port
    server.terminate()
    server.wait(timeout=10)


def test_a_10000_character_query_refused_by_gunicorn_carries_the_security_headers(gunicorn):
    answer = raw_request(gunicorn, "GET /delegations/?q=" + "a" * 10_000 + " HTTP/1.1")
    head, _, body = answer.partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 414 ")
    assert "Content-Security-Policy: default-src 'none'" in head
    assert "X-Content-Type-Options: nosniff" in head
    assert "X-Frame-Options: DENY" in head
    assert "Cache-Control: no-store" in head
    assert "Địa chỉ quá dài" in body
    # the length it announces is the length it sends
    length = int(next(line for line in head.splitlines() if line.startswith("Content-Length:")).split()[1])
    assert length == len(body.encode())


def test_a_malformed_request_gets_the_vietnamese_400_with_the_security_headers(gunicorn):
    answer = raw_request(gunicorn, "GET /\x01 HTTP/1.1")
    head, _, body = answer.partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 400 ")
    assert "X-Frame-Options: DENY" in head
    assert "Yêu cầu không hợp lệ" in body
