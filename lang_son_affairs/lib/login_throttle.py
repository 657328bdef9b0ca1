"""Login throttling helpers for django-axes: the visitor's address, and the lockout page.

Behind nginx, REMOTE_ADDR is nginx itself; nginx appends the address it saw to
X-Forwarded-For. Only the entries added by our own proxies can be trusted (a
visitor can send any X-Forwarded-For they like), so with PROXY_COUNT proxies
in front the visitor is the PROXY_COUNT-th entry from the right."""

from django.conf import settings
from django.shortcuts import render


def client_ip(request):
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer: a page that says for how long, in the user's language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
