"""Login throttling helpers for django-axes: the visitor's address, the
lockout page, a limit per address beside axes' lock of a (username, address)
pair, and the warning when a proxy in front is not declared.

Behind nginx, REMOTE_ADDR is nginx itself; nginx appends the address it saw to
X-Forwarded-For. Only the entries added by our own proxies can be trusted (a
visitor can send any X-Forwarded-For they like), so with PROXY_COUNT proxies
in front the visitor is the PROXY_COUNT-th entry from the right."""

import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessFailureLog
from django.conf import settings
from django.db import DatabaseError
from django.shortcuts import render
from django.utils import timezone

from register.models import ProxySighting

logger = logging.getLogger(__name__)


def client_ip(request):
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer: a page that says for how long, in the user's language."""
    lasting = settings.LOGIN_ADDRESS_WINDOW if getattr(request, "login_address_throttled", False) else None
    minutes = int((lasting or settings.AXES_COOLOFF_TIME).total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


# A limit per address alone, beside axes' lockout of a (username, address)
# pair: slower and higher, so that one address cannot try password after
# password across many usernames, while guessing one person's password from
# elsewhere never locks that person out. Counted from axes' own failure log.


def address_is_throttled(request):
    """Whether the request's address has failed LOGIN_ADDRESS_FAILURE_LIMIT
    sign-ins within LOGIN_ADDRESS_WINDOW. One query."""
    since = timezone.now() - settings.LOGIN_ADDRESS_WINDOW
    failures = AccessFailureLog.objects.filter(ip_address=request.axes_ip_address, attempt_time__gte=since)
    throttled = failures.count() >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
    if throttled:
        request.login_address_throttled = True
    return throttled


class AddressThrottlingHandler(AxesDatabaseHandler):
    """django-axes' database handler (AXES_HANDLER) with the limit per address added."""

    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or address_is_throttled(request)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is not None and not getattr(request, "axes_locked_out", False) and address_is_throttled(request):
            request.axes_locked_out, request.axes_credentials = True, credentials


class UndeclaredProxyMiddleware:
    """Notices a proxy in front that settings do not declare: a request with
    X-Forwarded-For while DJANGO_PROXY_COUNT is 0. Then every visitor has the
    proxy's address, and the limit per address locks them all out together.
    Warns in the log and records it for `check --deploy` once per process,
    so it costs nothing on the following requests."""

    noticed = False

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not UndeclaredProxyMiddleware.noticed and not settings.PROXY_COUNT:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
            if forwarded:
                UndeclaredProxyMiddleware.noticed = True
                self.record(request.META.get("REMOTE_ADDR", ""), forwarded)
        return self.get_response(request)

    @staticmethod
    def record(remote_addr, forwarded):
        logger.warning(
            "A request came through a proxy (X-Forwarded-For: %s, from %s) but DJANGO_PROXY_COUNT is 0: "
            "every visitor shares the proxy's address for login throttling. Set DJANGO_PROXY_COUNT.",
            forwarded[:300],
            remote_addr,
        )
        try:
            ProxySighting.objects.update_or_create(
                pk=1, defaults={"remote_addr": remote_addr[:100], "forwarded_for": forwarded[:300]}
            )
        except DatabaseError:
            logger.exception("Could not record the proxy sighting for `manage.py check --deploy`.")
