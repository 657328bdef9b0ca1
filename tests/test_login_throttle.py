"""Login throttling (django-axes) and the security headers every page carries.

A brute force of 20 attempts is locked after the fifth, logged, shown a clear
Vietnamese page (even with the right password), and let in again after the
cool-off; a forged X-Forwarded-For does not buy fresh attempts. The lock falls
on the pair (username, address): the real user signs in from elsewhere. One
address trying many usernames meets a slower, higher limit of its own. A proxy
in front that DJANGO_PROXY_COUNT does not declare is logged and reported by
`check --deploy`."""

import datetime as dt
import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.core.checks import run_checks

from register.login_throttle import UndeclaredProxyMiddleware
from register.models import ProxySighting
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def attempt(client, username, password, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


@pytest.fixture(autouse=True)
def _failure_log(settings, monkeypatch):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    monkeypatch.setattr(UndeclaredProxyMiddleware, "noticed", False)


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


def test_a_stranger_guessing_elsewhere_does_not_lock_the_real_user_out(client, official):
    for n in range(20):
        attempt(client, "official", f"guess-{n}", REMOTE_ADDR="203.0.113.66")
    assert attempt(client, "official", PASSWORD, REMOTE_ADDR="203.0.113.66").status_code == 429
    response = attempt(client, "official", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(official.pk)


def test_a_few_failures_for_other_usernames_do_not_lock_the_address(client, staff):
    for n in range(5):
        attempt(client, f"nobody-{n}", "guess")
    assert attempt(client, "staff", PASSWORD).status_code == 302


def test_one_address_trying_many_usernames_is_locked_by_the_limit_per_address(client, settings, staff):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    statuses = [attempt(client, f"nobody-{n // 3}", "guess", REMOTE_ADDR="203.0.113.9").status_code for n in range(12)]
    # Three tries per username never reach the pair's limit of five: only the address's limit stops them.
    assert statuses[:11] == [200] * 11 and statuses[11] == 429
    locked = attempt(client, "staff", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert locked.status_code == 429
    assert "60 phút" in locked.content.decode()
    assert attempt(client, "staff", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_the_limit_per_address_forgets_failures_older_than_its_window(client, settings, staff):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for n in range(6):
        attempt(client, f"nobody-{n}", "guess")
    assert attempt(client, "staff", PASSWORD).status_code == 429
    AccessFailureLog.objects.update(attempt_time=dt.datetime.now(dt.UTC) - settings.LOGIN_ADDRESS_WINDOW)
    assert attempt(client, "staff", PASSWORD).status_code == 302


def test_a_request_through_an_undeclared_proxy_is_logged_once_and_recorded(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="register.login_throttle"):
        client.get("/", HTTP_X_FORWARDED_FOR="203.0.113.5")
        client.get("/", HTTP_X_FORWARDED_FOR="203.0.113.6")
    warnings = [r for r in caplog.records if "DJANGO_PROXY_COUNT is 0" in r.getMessage()]
    assert len(warnings) == 1
    assert ProxySighting.objects.get().forwarded_for == "203.0.113.5"


def deploy_warnings():
    return [message.id for message in run_checks(include_deployment_checks=True)]


def test_check_deploy_warns_when_the_site_ran_behind_an_undeclared_proxy(client, db, settings):
    assert "register.W001" not in deploy_warnings()
    client.get("/", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert "register.W001" in deploy_warnings()
    settings.PROXY_COUNT = 1
    assert "register.W001" not in deploy_warnings()


def test_a_declared_proxy_records_nothing(client, db, settings):
    settings.PROXY_COUNT = 1
    client.get("/", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert not ProxySighting.objects.exists()


def test_behind_one_proxy_the_address_nginx_saw_is_used(settings, rf):
    from register.login_throttle import client_ip

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
