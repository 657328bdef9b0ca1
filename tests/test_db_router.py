"""With DATABASE_REPLICA_URL set, pages that only read use the replica for the
register's tables; writes, the admin, accounts and sessions use the primary."""

import pytest
from django.contrib.sessions.models import Session
from django.http import HttpResponse

from delegations.models import Delegation
from operations import db_router
from operations.db_router import ReadOnlyRequestMiddleware, ReplicaRouter


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(db_router, "has_replica", lambda: True)


def route_during(rf, method, path, *models):
    """The database each model is read from while the middleware handles a request."""
    seen = {}

    def view(request):
        seen.update({m.__name__: ReplicaRouter().db_for_read(m) for m in models})
        return HttpResponse()

    ReadOnlyRequestMiddleware(view)(getattr(rf, method)(path))
    return seen


def test_a_reading_page_reads_the_register_from_the_replica(rf, with_replica):
    assert route_during(rf, "get", "/delegations/", Delegation, Session) == {
        "Delegation": "replica",
        "Session": "default",  # a session created at sign-in must be there on the next page
    }


@pytest.mark.parametrize(("method", "path"), [("post", "/accounts/login/"), ("get", "/admin/delegations/delegation/")])
def test_writes_and_the_admin_read_the_primary(rf, with_replica, method, path):
    assert route_during(rf, method, path, Delegation) == {"Delegation": "default"}


def test_outside_a_request_and_without_a_replica_everything_uses_the_primary(rf):
    assert ReplicaRouter().db_for_read(Delegation) == "default"
    assert route_during(rf, "get", "/delegations/", Delegation) == {"Delegation": "default"}
    assert ReplicaRouter().db_for_write(Delegation) == "default"


def test_the_replica_is_never_migrated():
    assert ReplicaRouter().allow_migrate("replica", "delegations") is False
    assert ReplicaRouter().allow_migrate("default", "delegations") is True
