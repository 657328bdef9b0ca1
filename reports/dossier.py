"""Scaffolding: replaced by the real page in issue 3."""

from django.http import Http404


def dossier(request, pk):
    raise Http404("Not built yet.")
