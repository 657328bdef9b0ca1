"""The delegation list and a delegation's own page."""

from django.db.models import F
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from common.views import FilteredListView, admin_change_url
from delegations.filters import DelegationFilter
from delegations.models import Delegation
from sources.selectors import citations_for


class ListPage(FilteredListView):
    template_name = "delegations/delegation_list.html"
    filterset_class = DelegationFilter
    # Undated delegations (the articles do not always say when) go last both ways.
    sort_options = {
        "-date": (_("Newest first"), (F("start_date").desc(nulls_last=True), "-pk")),
        "date": (_("Oldest first"), (F("start_date").asc(nulls_last=True), "pk")),
        # Vietnamese order (Đ after D, capitals and tones aside): the key of common/collation.py.
        "title": (_("Title (A–Z)"), ("title_sort", "pk")),
        "-size": (_("Largest first"), (F("size").desc(nulls_last=True), "-pk")),
        "size": (_("Smallest first"), (F("size").asc(nulls_last=True), "pk")),
    }
    default_sort = "-date"

    def get_base_queryset(self):
        return Delegation.objects.visible_to(self.request.user).with_list_relations()


def detail(request, pk):
    delegation = get_object_or_404(
        Delegation.objects.visible_to(request.user).select_related("host_unit", "mechanism"), pk=pk
    )
    context = {
        "delegation": delegation,
        "partners": list(delegation.partners.visible_to(request.user)),
        "members": list(delegation.members.all()),
        "photos": list(delegation.photos.all()),
        "citations": citations_for(delegation, request.user),
        "admin_url": admin_change_url(request, delegation),
    }
    return render(request, "delegations/delegation_detail.html", context)
