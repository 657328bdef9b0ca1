"""The error pages: Vietnamese, without internals, and a database outage told
apart from a bug (503 with Retry-After, not 500). /healthz for the monitoring."""

import pytest
from django.db import OperationalError
from django.test import Client

from delegations.models import Delegation
from delegations.views import ListPage

INTERNALS = ("Traceback", "settings.py", "DEBUG", "OperationalError", "SELECT", "/work/")


def assert_no_internals(body):
    for word in INTERNALS:
        assert word not in body


@pytest.fixture
def quiet_client():
    # The default test client re-raises view exceptions; a browser gets the page.
    return Client(raise_request_exception=False)


def test_unknown_address_answers_404_in_vietnamese(client, db):
    response = client.get("/khong-co-trang-nay/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in body
    assert "Tìm kiếm trong cơ sở dữ liệu" in body
    assert_no_internals(body)


def test_unpublished_record_answers_404_page_to_a_visitor(client, seeded):
    internal = Delegation.objects.filter(is_public=False).first() or Delegation.objects.first()
    Delegation.objects.filter(pk=internal.pk).update(is_public=False)
    response = client.get(f"/delegations/{internal.pk}/")
    assert response.status_code == 404
    assert "chỉ hiển thị cho cán bộ đã đăng nhập" in response.content.decode()


def test_staff_without_delete_permission_gets_the_403_page_and_nothing_is_deleted(staff_client, seeded):
    delegation = Delegation.objects.first()
    response = staff_client.post(f"/admin/delegations/delegation/{delegation.pk}/delete/", {"post": "yes"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "Không có quyền truy cập" in body
    assert Delegation.objects.filter(pk=delegation.pk).exists()
    assert_no_internals(body)


def test_a_bug_answers_500_in_vietnamese_without_internals(quiet_client, db, monkeypatch):
    def broken(self):
        raise ValueError("secret internal detail")

    monkeypatch.setattr(ListPage, "get_base_queryset", broken)
    response = quiet_client.get("/delegations/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Đã xảy ra lỗi" in body
    assert "secret internal detail" not in body
    assert_no_internals(body)


def test_a_database_outage_answers_503_with_retry_after(quiet_client, db, monkeypatch):
    def unreachable(self):
        raise OperationalError("connection to server at 127.0.0.1 failed")

    monkeypatch.setattr(ListPage, "get_base_queryset", unreachable)
    response = quiet_client.get("/delegations/")
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "tạm thời không truy cập được" in body
    assert "127.0.0.1" not in body
    assert_no_internals(body)


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, db, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(self, sql, params=None):
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patched:
        patched.setattr(CursorWrapper, "execute", refuse)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
