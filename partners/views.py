"""The partner list. A partner's own page is its dossier (reports.dossier)."""

from django.utils.translation import gettext_lazy as _

from common.views import FilteredListView
from partners.countries import COUNTRY_NAMES, by_country_name, country_name
from partners.filters import PartnerFilter
from partners.models import Partner


class ListPage(FilteredListView):
    template_name = "partners/list.html"
    filterset_class = PartnerFilter
    default_sort = "name"
    sort_options = {
        # Vietnamese order (common/sort_keys.py): an index range, cursor pages included.
        "name": (_("Name"), ("name_sort", "pk")),
        "kind": (_("Kind"), ("kind", "name_sort", "pk")),
        # By the country's Vietnamese name ("Pháp" before "Trung Quốc"), not its code: the
        # names come from the rows (filtered_rows() below), so no keyset index; numbered pages.
        "country": (_("Country"), (by_country_name(COUNTRY_NAMES).asc(), "country", "name_sort", "pk")),
    }

    def get_base_queryset(self):
        """One query for the page: the parent joined, the three counts as subqueries.
        A visitor's rows are the published partners (partner_published_name_idx)."""
        user = self.request.user
        return Partner.objects.visible_to(user).select_related("parent").with_record_counts(user)

    def filtered_rows(self):
        filterset, queryset, sort = super().filtered_rows()
        if sort == "country":
            # The order of the names the page shows, read once by the filter.
            queryset = queryset.order_by(by_country_name(filterset.country_names).asc(), "country", "name_sort", "pk")
        return filterset, queryset, sort

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The filter read the country names for its choices; the table reuses them.
        names = context["filter"].country_names
        rows = list(context["object_list"])
        for partner in rows:
            partner.country_name = country_name(partner.country, names)
        context["object_list"] = rows
        return context
