"""The conference list and a conference's own page."""

from django.db.models import F
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from common.views import FilteredListView, admin_change_url
from conferences.filters import ConferenceFilter
from conferences.models import Conference
from sources.selectors import citations_for


class ListPage(FilteredListView):
    template_name = "conferences/conference_list.html"
    filterset_class = ConferenceFilter
    # Conferences without a known date go last both ways.
    sort_options = {
        "-start": (_("Newest first"), (F("start_date").desc(nulls_last=True), "-pk")),
        "start": (_("Oldest first"), (F("start_date").asc(nulls_last=True), "pk")),
        # Vietnamese order (Đ after D, capitals and tones aside): the key of common/collation.py.
        "title": (_("Title (A–Z)"), ("title_sort", "pk")),
    }
    default_sort = "-start"

    def get_base_queryset(self):
        return Conference.objects.visible_to(self.request.user).with_list_relations()


def detail(request, pk):
    """Queries: the conference with its organiser, its partners, its consultations,
    its citations, and its history (templates/includes/record_history.html)."""
    conference = get_object_or_404(Conference.objects.visible_to(request.user).select_related("organiser"), pk=pk)
    context = {
        "conference": conference,
        "partners": list(conference.partners.visible_to(request.user)),
        # Which agencies were asked, and when they answered, is internal work: signed-in users only.
        "consultations": list(conference.consultations.all()) if request.user.is_authenticated else [],
        "citations": citations_for(conference, request.user),
        "admin_url": admin_change_url(request, conference),
    }
    return render(request, "conferences/conference_detail.html", context)
