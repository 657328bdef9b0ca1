"""The 500 handler, which tells a database outage (503, try again) from a bug
(500). Django calls it from inside its ``except`` block, so the exception being
handled is still ``sys.exc_info()``; this covers failures in middleware (the
session saved after the view) as well as in views."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from offices.profile import cached_profile

# How long a client should wait before retrying while the database is down.
RETRY_AFTER_SECONDS = 30


def database_unavailable(exc):
    return isinstance(exc, OperationalError | InterfaceError)


@requires_csrf_token
def server_error(request):
    # Neither template touches the database: no user, no session, no context processors; the
    # office's names only as the cache holds them (neutral names when it does not).
    context = {"office": cached_profile()}
    if database_unavailable(sys.exc_info()[1]):
        response = HttpResponseServerError(loader.get_template("503.html").render(context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render(context))
