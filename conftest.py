"""Environment for the test suite, set before Django reads its settings.

Tests run with DEBUG off, as production does; only the secret key is a
throwaway one. DATABASE_URL passes through, so the same suite runs on
SQLite (the default) and on PostgreSQL.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
