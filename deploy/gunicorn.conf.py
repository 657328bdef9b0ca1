"""Gunicorn settings for the register: `gunicorn -c deploy/gunicorn.conf.py`.

Every value can be overridden from the environment (GUNICORN_WORKERS, ...),
so the same file serves a 2-core test box and a 16-core server."""

import multiprocessing
import os

cores = multiprocessing.cpu_count()

wsgi_app = "lang_son_affairs.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# The register's pages spend most of their time in Python (templates, the ORM),
# not waiting on PostgreSQL, so threads share one GIL rather than help. The load
# test (scripts/load_test.py: 32 users on 2 cores) measured p95 of 129, 198 and
# 177 ms with 2 x cores processes of one thread, against 178 to 538 ms with the
# usual (2 x cores + 1) x 4 threads. Raise GUNICORN_THREADS where many people
# download large exports at once: each export holds its thread while it streams.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * cores))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# gunicorn's threaded worker, whose own error pages (a request line past the
# limit below, malformed requests) carry the site's security headers and a
# Vietnamese text (operations/gunicorn_worker.py).
worker_class = "operations.gunicorn_worker.SafeErrorWorker"

# A page that takes longer than this is a bug or a runaway export: kill the
# worker rather than let requests queue behind it. Exports stream, so a big
# file keeps the worker busy but never silent for this long.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then so that a slow leak can never take the site down.
max_requests = 2000
max_requests_jitter = 200

# nginx in front buffers slow clients; trust its X-Forwarded-* only from itself.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Request size: 8190 bytes is the longest request line gunicorn accepts short of
# no limit at all (twice its default), so the longest filter or export address
# passes with room to spare. Django answers a query string over
# DJANGO_MAX_QUERY_STRING_LENGTH (4096) itself, with a Vietnamese 414 page and the
# site's security headers; a line past this limit gets gunicorn's answer, rewritten
# by the worker class above, and behind nginx (large_client_header_buffers 4 8k)
# none reaches gunicorn.
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", 8190))
limit_request_fields = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELDS", 100))
limit_request_field_size = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", 8190))

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
