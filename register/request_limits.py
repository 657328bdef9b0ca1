"""Over-long addresses answered by the site itself.

gunicorn refuses a request line longer than its ``limit_request_line``
(deploy/gunicorn.conf.py) with a bare page of its own: no security headers, in
English. Below that limit, a query string longer than any form of the site
writes (``MAX_QUERY_STRING_LENGTH``) is answered here with a Vietnamese 414
page, before any view or query runs, and through the middlewares that add the
security headers and choose the language."""

from django.conf import settings
from django.http import HttpResponse
from django.template import loader

from offices.profile import cached_profile


class QueryStringLengthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = len(request.META.get("QUERY_STRING", ""))
        if length > settings.MAX_QUERY_STRING_LENGTH:
            # error_base.html reads nothing from the database: no user, no session; the office's
            # names as the cache holds them.
            context = {"length": length, "limit": settings.MAX_QUERY_STRING_LENGTH, "office": cached_profile()}
            page = loader.get_template("414.html").render(context)
            return HttpResponse(page, status=414)
        return self.get_response(request)
