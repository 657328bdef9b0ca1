"""gunicorn's own answers (a request it refuses before Django sees it) carry the
site's security headers and a Vietnamese text: gunicorn runs for real, with
deploy/gunicorn.conf.py, and is sent a request line past its limit."""

import socket

import pytest

from tests.gunicorn_server import running_gunicorn


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
    with running_gunicorn(threads=1, DJANGO_STATIC_ROOT=str(tmp_path_factory.mktemp("static"))) as (_base, port):
        yield port


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
