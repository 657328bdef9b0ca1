"""The agreement list and an agreement's own page."""

from django.db.models import F, Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from agreements.filters import AgreementFilter, PartnershipFilter
from agreements.models import Agreement, Partnership
from common.views import FilteredListView, admin_change_url
from sources.selectors import citations_for


class ListPage(FilteredListView):
    template_name = "agreements/agreement_list.html"
    filterset_class = AgreementFilter
    # Agreements without a known date go last both ways.
    sort_options = {
        "-signed": (_("Newest first"), (F("signed_on").desc(nulls_last=True), "-pk")),
        "signed": (_("Oldest first"), (F("signed_on").asc(nulls_last=True), "pk")),
        # Vietnamese order (Đ after D, capitals and tones aside): the key of common/collation.py.
        "title": (_("Title (A–Z)"), ("title_sort", "pk")),
        "expires": (_("Expiring soonest"), (F("expires_on").asc(nulls_last=True), "pk")),
        "-expires": (_("Expiring latest"), (F("expires_on").desc(nulls_last=True), "-pk")),
    }
    default_sort = "-signed"

    def get_base_queryset(self):
        return Agreement.objects.visible_to(self.request.user).with_list_relations()


class PartnershipListPage(FilteredListView):
    """The twinning pairs (huyện–thị, thôn–bản, đồn–trạm hữu nghị). The list shows
    every field of a pair, so a pair has no page of its own."""

    template_name = "agreements/partnership_list.html"
    filterset_class = PartnershipFilter
    # Pairs without a known date go last both ways.
    sort_options = {
        "-established": (_("Newest first"), (F("established_on").desc(nulls_last=True), "-pk")),
        "established": (_("Oldest first"), (F("established_on").asc(nulls_last=True), "pk")),
        "unit": (_("Our unit (A–Z)"), ("local_unit__name", "pk")),
        "kind": (_("Kind of pair"), ("kind", "local_unit__name", "pk")),
    }
    default_sort = "-established"

    def get_base_queryset(self):
        return Partnership.objects.visible_to(self.request.user).with_list_relations()


def detail(request, pk):
    agreement = get_object_or_404(Agreement.objects.visible_to(request.user).select_related("local_signatory"), pk=pk)
    # The agreement it was replaced by and the ones it replaced, in one query,
    # each shown only when the viewer may see it.
    related = list(
        Agreement.objects.visible_to(request.user)
        .filter(Q(pk=agreement.succeeded_by_id) | Q(succeeded_by=agreement))
        .exclude(pk=agreement.pk)
        .order_by(F("signed_on").asc(nulls_last=True), "pk")
    )
    context = {
        "agreement": agreement,
        "partners": list(agreement.partners.visible_to(request.user)),
        "sectors": list(agreement.fields.all()),
        "updates": list(agreement.updates.all()),
        "successor": next((a for a in related if a.pk == agreement.succeeded_by_id), None),
        "predecessors": [a for a in related if a.pk != agreement.succeeded_by_id],
        "partnerships": list(
            Partnership.objects.visible_to(request.user)
            .filter(agreement=agreement)
            .select_related("local_unit", "partner")
        ),
        "citations": citations_for(agreement, request.user),
        "admin_url": admin_change_url(request, agreement),
    }
    return render(request, "agreements/agreement_detail.html", context)
