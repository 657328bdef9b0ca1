"""gunicorn's worker, with its own error pages made safe and Vietnamese.

gunicorn answers a request it cannot parse (a request line past
``limit_request_line``, too many or too large headers, a malformed line)
itself, before Django sees it, with a bare English page and no security
headers. ``limit_request_line`` cannot go above 8190 bytes short of "no
limit at all", so a 10,000-character address always ends there.

This worker lets gunicorn decide the status and log the error as usual, and
rewrites only what is sent: the same status, the headers every page of the
site carries (deploy/gunicorn.conf.py sets ``worker_class`` to it).
"""

import html

from gunicorn.workers.gthread import ThreadWorker

# What the visitor reads, by status; anything else gets the 400 text.
MESSAGES = {
    414: (
        "Địa chỉ quá dài",
        "Địa chỉ trang (URL) dài quá giới hạn máy chủ nhận được. Hãy bớt điều kiện lọc rồi thử lại.",
    ),
    431: (
        "Yêu cầu quá lớn",
        "Phần đầu yêu cầu (header, cookie) quá lớn. Hãy xoá cookie của trang này rồi thử lại.",
    ),
    400: (
        "Yêu cầu không hợp lệ",
        "Máy chủ không đọc được yêu cầu này. Hãy mở lại trang từ đường dẫn của trang web.",
    ),
}
SECURITY_HEADERS = (
    ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cache-Control", "no-store"),
    ("Content-Language", "vi"),
)


def error_response(status_line):
    """The whole HTTP response for gunicorn's ``status_line`` ("414 URI Too Long")."""
    code = int(status_line.split()[0])
    title, text = MESSAGES.get(code, MESSAGES[400])
    body = (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>"
        f'<body style="font-family:sans-serif;margin:2rem"><h1>{html.escape(title)}</h1>'
        f"<p>{html.escape(text)}</p><p>Mã lỗi {code}.</p></body></html>"
    ).encode()
    headers = [
        f"HTTP/1.1 {status_line}",
        "Connection: close",
        "Content-Type: text/html; charset=utf-8",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in SECURITY_HEADERS),
    ]
    return ("\r\n".join(headers) + "\r\n\r\n").encode("latin-1") + body


class _Capture:
    """Stands in for the client socket while gunicorn writes its error page:
    keeps the bytes, so that only the status line is taken from them."""

    def __init__(self, sock):
        self.sock = sock
        self.sent = b""

    def gettimeout(self):
        return self.sock.gettimeout()

    def setblocking(self, flag):
        self.sock.setblocking(flag)

    def sendall(self, data):
        self.sent += data


class SafeErrorWorker(ThreadWorker):
    def handle_error(self, req, client, addr, exc):
        capture = _Capture(client)
        super().handle_error(req, capture, addr, exc)
        if not capture.sent:
            return
        status_line = capture.sent.split(b"\r\n", 1)[0].decode("latin-1").partition(" ")[2]
        try:
            client.sendall(error_response(status_line))
        except OSError:
            self.log.debug("Failed to send error message.")
