"""Gunicorn settings for the register: `gunicorn -c deploy/gunicorn.conf.py`.

Every value can be overridden from the environment (GUNICORN_WORKERS, ...),
so the same file serves a 2-core test box and a 16-core server."""

import multiprocessing
import os

cores = multiprocessing.cpu_count()

wsgi_app = "lang_son_affairs.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Requests spend most of their time waiting on PostgreSQL, so threads help:
# (2 x cores + 1) processes of 4 threads each is the usual starting point.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * cores + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"

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

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
