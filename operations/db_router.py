"""Reads to a PostgreSQL read replica, writes to the primary, when
DATABASE_REPLICA_URL is set (see README, "Growing past one machine").

Only requests that change nothing read from the replica: a GET or HEAD by a
visitor or an official. Anything else in a request that writes (a POST, the
admin, an import) reads the primary, so nobody saves a form and then sees the
old value from a replica a moment behind. Accounts, sessions and login
attempts always use the primary: a session created by signing in must be
there on the very next page. The request is known through a middleware that
marks the current thread; management commands and tests read the primary."""

import threading

from django.conf import settings

_state = threading.local()

# The register's tables; everything else (auth, sessions, axes) stays on the primary.
REPLICATED_APPS = {"partners", "sources", "delegations", "agreements", "projects"}


def has_replica():
    return "replica" in settings.DATABASES


def replica_allowed():
    return getattr(_state, "read_only_request", False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if has_replica() and replica_allowed() and model._meta.app_label in REPLICATED_APPS:
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReadOnlyRequestMiddleware:
    """Marks GET/HEAD requests outside the admin as free to read the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _state.read_only_request = request.method in {"GET", "HEAD"} and not request.path.startswith("/admin/")
        try:
            return self.get_response(request)
        finally:
            _state.read_only_request = False
