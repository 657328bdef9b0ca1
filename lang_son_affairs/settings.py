"""Settings for the foreign-affairs register of a province.

Everything that differs between a laptop and production comes from the
environment (see README.md, "Configuration"); the helpers in
``common.env`` refuse values they cannot read.
"""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from common.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

# A fixed development key is only acceptable while DEBUG is on; production
# must bring its own.
_DEV_SECRET_KEY = "dev-only-insecure-key-lang-son-affairs-do-not-use-in-production"  # noqa: S105 - refused below
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET_KEY if DEBUG else None)
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a private value in production.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "register.apps.LoginAttemptsConfig",  # django-axes, named in Vietnamese
    "csp",
    "simple_history",
    "import_export",
    "lang_son_affairs.apps.LangSonAffairsConfig",  # the site package: only its migration history
    "register.apps.RegisterConfig",
    "offices",
    "partners",
    "sources",
    "delegations",
    "planning",
    "agreements",
    "projects",
    "conferences",
    "passports",
    "reports",
    "operations",
    "reading",
    "duties",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "operations.db_router.ReadOnlyRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Vietnamese unless the user picked another language (not the browser's Accept-Language).
    "register.language.ChosenLanguageMiddleware",
    # /p/<code>/...: the pages of one province's office (offices/site_scope.py), before the URLs are read.
    "offices.site_scope.ProvinceMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The audit trail names the signed-in user behind every change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # An over-long query string gets a Vietnamese 414 (register/request_limits.py):
    # before any view, yet inside the middlewares above, which add the security headers.
    "register.request_limits.QueryStringLengthMiddleware",
    # Warns once when a proxy in front is not declared (DJANGO_PROXY_COUNT=0).
    "register.login_throttle.UndeclaredProxyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lang_son_affairs.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                # The office profile's names in the header and footer (cached: no query per page).
                "offices.context_processors.office",
                "offices.context_processors.province_links",
            ],
        },
    },
]

WSGI_APPLICATION = "lang_son_affairs.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# A PostgreSQL streaming replica for the reading pages (operations/db_router.py).
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL", ""),
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["operations.db_router.ReplicaRouter"]
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        # Django's SQLite, keeping the query planner's statistics (common/sqlite_backend/base.py).
        _database["ENGINE"] = "common.sqlite_backend"
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # With the database down, a page answers 503 within seconds instead of
        # hanging until gunicorn kills the worker.
        _database.setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("DJANGO_DB_CONNECT_TIMEOUT", 3))
        # No JIT: the pages run short queries whose estimated cost (a count
        # subquery per row over a million rows) trips PostgreSQL's JIT threshold,
        # and compiling them took longer than running them (issue 6's benchmark).
        _database["OPTIONS"].setdefault("options", "-c jit=off")
# The covering indexes' INCLUDE columns are PostgreSQL's; SQLite builds each index
# on its key columns alone, as intended, and Django would say so (seven warnings)
# at every command of the README's first line.
if DATABASES["default"]["ENGINE"] == "common.sqlite_backend":
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

# A hung database (issue 13): PostgreSQL paused, or cut off by the network,
# without closing the connections. Each value from the environment (README,
# "Configuration"); see common/db_watchdog.py for why all three
# layers are needed.
# - TCP keepalives and tcp_user_timeout (libpq) drop a connection whose server
#   has vanished from the network: an idle one after about
#   KEEPALIVES_IDLE + KEEPALIVES_COUNT x KEEPALIVES_INTERVAL seconds, a busy one
#   when data sent stays unacknowledged for TCP_USER_TIMEOUT seconds.
# - statement_timeout: PostgreSQL cancels a web request's statement after this
#   many seconds. manage.py commands (migrate, backup, restore,
#   rebuild_aggregates, generate_synthetic, benchmark, the job worker) run long
#   statements on purpose: manage.py gives them DJANGO_DB_COMMAND_STATEMENT_TIMEOUT
#   instead (default 0, none).
# - DB_HANG_SECONDS: a statement in progress this long makes the watchdog check
#   that the database still answers a new connection, and cut the stuck ones if
#   not (a paused server still acknowledges packets, so TCP alone never notices).
#   0 turns the watchdog off.
DB_STATEMENT_TIMEOUT = env_int("DJANGO_DB_STATEMENT_TIMEOUT", 30)
DB_HANG_SECONDS = env_int("DJANGO_DB_HANG_SECONDS", 2)
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _options = _database["OPTIONS"]
        _options.setdefault("keepalives", 1)
        _options.setdefault("keepalives_idle", env_int("DJANGO_DB_KEEPALIVES_IDLE", 10))
        _options.setdefault("keepalives_interval", env_int("DJANGO_DB_KEEPALIVES_INTERVAL", 2))
        _options.setdefault("keepalives_count", env_int("DJANGO_DB_KEEPALIVES_COUNT", 3))
        _options.setdefault("tcp_user_timeout", env_int("DJANGO_DB_TCP_USER_TIMEOUT", 10) * 1000)  # milliseconds
        if DB_STATEMENT_TIMEOUT:
            _options["options"] += f" -c statement_timeout={DB_STATEMENT_TIMEOUT * 1000}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first; English is the source language and stays selectable.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["common.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))

# Uploads: photos are capped at 10 MB by their validator; the request as a
# whole may carry a few of them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Admin imports (django-import-export): a confirmed import runs in one
# database transaction, rolled back if any row is bad (register/imports.py).
IMPORT_EXPORT_USE_TRANSACTIONS = True

# Large imports (register/import_jobs.py). A file of more data rows than
# IMPORT_MAX_ROWS is refused while it is read; one of more than
# IMPORT_BACKGROUND_ROWS is previewed and saved by the worker (`manage.py
# run_jobs`, beside gunicorn), IMPORT_BATCH_ROWS rows per transaction so that
# no other user waits long for the tallies' locks: a delegation row costs
# 20-40 ms to save on PostgreSQL (its audit trail and the tally triggers, which
# let one writer at a time update a tally), so 50 rows hold them for one to two
# seconds, and a batch is cut shorter when the last one took more than
# IMPORT_BATCH_SECONDS (DJANGO_IMPORT_BATCH_MS; scripts/import_under_load.py).
# A file saved in the request is saved in one transaction: no larger than one
# batch, by default.
IMPORT_MAX_ROWS = env_int("DJANGO_IMPORT_MAX_ROWS", 20000)
IMPORT_BACKGROUND_ROWS = env_int("DJANGO_IMPORT_BACKGROUND_ROWS", 50)
IMPORT_BATCH_ROWS = env_int("DJANGO_IMPORT_BATCH_ROWS", 50)
IMPORT_BATCH_SECONDS = env_int("DJANGO_IMPORT_BATCH_MS", 1000) / 1000
JOBS_RUN_INLINE = env_bool("DJANGO_JOBS_RUN_INLINE", False)

# Approving a record needs at least one cited source (register/review.py
# missing_source). Off only for a deployment that enters records before their sources.
REVIEW_REQUIRES_SOURCE = env_bool("DJANGO_REVIEW_REQUIRES_SOURCE", True)
# Days after its return within which a delegation's head hands in the result report (15 in most
# provinces' regulations): delegations.stages.report_due_days() reads it.
DELEGATION_REPORT_DUE_DAYS = env_int("DELEGATION_REPORT_DUE_DAYS", 15)
# How long a process keeps a province's public calendar feed once written (duties/views.py public_feed).
PUBLIC_FEED_CACHE_SECONDS = env_int("DJANGO_PUBLIC_FEED_CACHE_SECONDS", 300)

# E-mail (the reminders' daily digest, duties/reminders.py): SMTP from the environment. Without
# EMAIL_HOST, or with DJANGO_DEBUG on, mails are written to the console (the cron job's log) instead.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if DEBUG or not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# The site's address, for the links in a mail (a command has no request to take it from).
SITE_URL = env_str("DJANGO_SITE_URL", "http://localhost:8000")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Hardening that applies whenever DEBUG is off (`manage.py check --deploy`).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The language cookie (the header's switcher, a plain form posting to Django's
# set_language) is sent over HTTPS only wherever the session cookie is, is out
# of scripts' reach, and is not sent along with another site's requests.
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The longest query string the site reads (request_limits.py); longer ones get a
# 414 page. Well above the longest filter address, well below gunicorn's
# limit_request_line (8190 bytes for the whole request line, deploy/gunicorn.conf.py).
MAX_QUERY_STRING_LENGTH = env_int("DJANGO_MAX_QUERY_STRING_LENGTH", 4096)
# A session ends DJANGO_SESSION_SECONDS after sign-in (default 8 hours: a
# working day), whatever happens meanwhile; the server refuses an older
# session even if a browser kept its cookie. Not pushed back on every request,
# which would cost a database write per page.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 8 * 60 * 60)

# Content-Security-Policy (django-csp): only our own scripts, styles, images
# and fonts; no inline script or style, no framing, forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins the
# username from that address is locked out for the cool-off; every attempt
# is logged (admin: Axes > Access attempts / failures). Behind nginx the address
# comes from X-Forwarded-For, which only nginx sets (see deploy/nginx.conf.example).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
# Issue 13: the lock falls on the pair (username, address), so a stranger's
# guesses never lock the real user out from their own address; beside it a
# slower, higher limit per address alone (register/login_throttle.py,
# AddressThrottlingHandler), counted from axes' failure log.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "register.login_throttle.AddressThrottlingHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT", 50)
LOGIN_ADDRESS_WINDOW = datetime.timedelta(minutes=env_int("DJANGO_LOGIN_ADDRESS_WINDOW_MINUTES", 60))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "register.login_throttle.locked_out"
AXES_CLIENT_IP_CALLABLE = "register.login_throttle.client_ip"
# How many proxies of ours stand in front of gunicorn (nginx: 1).
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Backups (operations/backups.py): archives are signed (HMAC-SHA256) with
# this key, kept outside the archive and off the server, so an edited archive is
# refused on restore. Required with DEBUG off; a development machine derives one
# from SECRET_KEY.
BACKUP_KEY = env_str("DJANGO_BACKUP_KEY", "")

# The office's names, its province, the IATI reporting organisation and the
# Word reports' heading are the office profile's (offices/models.py), edited by
# administrators in the admin and set up by `manage.py start_province`. The
# settings below only fill a profile that start_province or the admin's profile
# screen creates, where they are set; with no profile at all (a database not yet
# set up) documents show them, or dotted lines. The profile wins.
# - IATI: the reporting organisation's identifier starts with a code of IATI's
#   OrganisationRegistrationAgency list; for a Vietnamese state body VN-COA (Viet
#   Nam Chart of Accounts) and its code there: "VN-COA-<mã ĐVQHNS>". Type 11 is
#   "Local Government" in IATI's OrganisationType list.
# - REPORT_*: the issuing body (parent first), the place of the date line, the
#   symbol in "Số: .../BC-SNgV" and the signer's title (Nghị định 30/2020/NĐ-CP).
IATI_REPORTING_ORG = {
    "ref": env_str("IATI_REPORTING_ORG_REF", ""),
    "type": env_str("IATI_REPORTING_ORG_TYPE", "11"),
    "name": env_str("IATI_REPORTING_ORG_NAME", ""),
}
REPORT_ISSUER = env_list("REPORT_ISSUER", [])
REPORT_PLACE = env_str("REPORT_PLACE", "")
REPORT_SYMBOL = env_str("REPORT_SYMBOL", "SNgV")
REPORT_SIGNER_TITLE = env_str("REPORT_SIGNER_TITLE", "GIÁM ĐỐC")
# The LibreOffice program that renders a periodic report's PDF from its DOCX
# (reports/periodic/documents.py); blank: `soffice` or `libreoffice` on the PATH,
# and no PDF when neither is installed.
SOFFICE_PATH = env_str("SOFFICE_PATH", "")
# Pages read the profile from the cache and query it again after this many seconds
# (offices/profile.py); a save drops it at once in the process that saved it.
OFFICE_PROFILE_CACHE_SECONDS = env_int("DJANGO_OFFICE_PROFILE_CACHE_SECONDS", 60)

# International conferences and seminars (Decision 06/2020/QĐ-TTg; conferences/rules.py): the
# application reaches the authority at least 30 days before the opening (40 when the Prime Minister
# decides), a consulted agency answers within 15 days, the organiser reports within 15 days of the
# end; the due list warns of an application this many days ahead. A stricter provincial rule changes them.
CONFERENCE_APPLICATION_DAYS = env_int("CONFERENCE_APPLICATION_DAYS", 30)
CONFERENCE_APPLICATION_DAYS_PRIME_MINISTER = env_int("CONFERENCE_APPLICATION_DAYS_PRIME_MINISTER", 40)
CONFERENCE_CONSULTATION_DAYS = env_int("CONFERENCE_CONSULTATION_DAYS", 15)
CONFERENCE_REPORT_DAYS = env_int("CONFERENCE_REPORT_DAYS", 15)
CONFERENCE_APPLICATION_WARNING_DAYS = env_int("CONFERENCE_APPLICATION_WARNING_DAYS", 14)

# Money (projects/conversion_sql.py): a foreign amount is converted at the latest
# exchange rate on or before its value date, and only when that rate is at most
# this many days older; past it the amount stays unconverted (shown in its own
# currency, with the rate that was too old) rather than silently converted at,
# say, a 2020 rate for a 2024 transaction. Taken into the database's triggers at
# each `manage.py migrate`, which re-derives the amounts it changes.
EXCHANGE_RATE_MAX_AGE_DAYS = env_int("EXCHANGE_RATE_MAX_AGE_DAYS", 31)

# Official passports (passports/): the agency keeps them, and a holder hands theirs back within
# this many working days of the delegation's return (Decision 58/2012/QĐ-TTg; Circular 08/2025/TT-BNG);
# the due list warns of a passport with less than this many months of validity left.
PASSPORT_RETURN_WORKING_DAYS = env_int("PASSPORT_RETURN_WORKING_DAYS", 5)
PASSPORT_EXPIRY_WARNING_MONTHS = env_int("PASSPORT_EXPIRY_WARNING_MONTHS", 6)
