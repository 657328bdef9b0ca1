"""Scaffolding: replaced by the real page in issue 3."""

from django.http import Http404


def search(request):
    raise Http404("Not built yet.")
