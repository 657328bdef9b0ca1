"""Login throttling (django-axes) and the security headers every page carries.

A brute force of 20 attempts is locked after the fifth, logged, shown a clear
Vietnamese page (even with the right password), and let in again after the
cool-off; a forged X-Forwarded-For does not buy fresh attempts."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def attempt(client, username, password, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


@pytest.fixture(autouse=True)
def _failure_log(settings):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True


def test_a_brute_force_is_locked_after_five_failures_and_logged(client, official):
    statuses = [attempt(client, "official", f"guess-{n}").status_code for n in range(20)]
    # Four wrong passwords re-show the form; the fifth locks; the rest stay locked.
    assert statuses[:4] == [200] * 4
    assert set(statuses[4:]) == {429}
    locked = attempt(client, "official", PASSWORD)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Tạm khóa đăng nhập" in body
    assert "15 phút" in body
    assert "_auth_user_id" not in client.session
    record = AccessAttempt.objects.get(username="official")
    assert record.failures_since_start >= 5
    assert AccessFailureLog.objects.filter(username="official").count() >= 5


def test_the_lock_lifts_after_the_cool_off(client, official):
    for n in range(5):
        attempt(client, "official", f"guess-{n}")
    assert attempt(client, "official", PASSWORD).status_code == 429
    cooled = dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=cooled)
    response = attempt(client, "official", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(official.pk)


def test_a_forged_forwarded_for_header_does_not_reset_the_count(client, official):
    for n in range(5):
        attempt(client, "official", f"guess-{n}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert attempt(client, "official", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429


def test_the_address_is_locked_for_other_usernames_too(client, official, staff):
    for n in range(5):
        attempt(client, f"nobody-{n}", "guess")
    assert attempt(client, "staff", PASSWORD).status_code == 429


def test_behind_one_proxy_the_address_nginx_saw_is_used(settings, rf):
    from lang_son_affairs.lib.login_throttle import client_ip

    settings.PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "203.0.113.9"  # what nginx appended, not what the visitor claimed
    settings.PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"


def test_pages_carry_a_content_security_policy_without_unsafe_inline(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
