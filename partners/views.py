"""Scaffolding: replaced by the real pages in issue 3."""

from django.http import Http404
from django.views import View


class ListPage(View):
    def get(self, request):
        raise Http404("Not built yet.")
