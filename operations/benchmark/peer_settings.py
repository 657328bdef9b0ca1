"""The settings gunicorn serves the register with for ``benchmark --peer``: the
project's own (DEBUG off from the environment), with the in-process benchmark's
departures so that both measure the same thing and write nothing:

- sessions in signed cookies: the benchmark's official signs in by a cookie the
  benchmark process made with the same secret key, and no session row is read
  or written (production reads its session row too: one query more);
- the SQLite file opened read-only (``mode=ro``), as Datasette opens it with
  --immutable, so that a page writing on GET fails instead of changing it;
- plain static storage when collectstatic has not been run, as the in-process
  benchmark does (the manifest storage would fail every page)."""

from pathlib import Path

from lang_son_affairs.settings import *  # noqa: F403
from lang_son_affairs.settings import DATABASES, STATIC_ROOT, STORAGES

SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"

_default = DATABASES["default"]
if _default["ENGINE"] == "django.db.backends.sqlite3" and not str(_default["NAME"]).startswith("file:"):
    # Django opens SQLite with uri=True: a file: URI with mode=ro is a read-only connection.
    _default["NAME"] = f"file:{_default['NAME']}?mode=ro"

if "Manifest" in STORAGES["staticfiles"]["BACKEND"] and not (Path(STATIC_ROOT) / "staticfiles.json").exists():
    STORAGES = {
        **STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
