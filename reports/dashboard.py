"""Scaffolding: replaced by the real page in issue 3."""

from django.http import Http404


def dashboard(request):
    raise Http404("Not built yet.")
