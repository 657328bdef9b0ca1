"""The filters of the partner list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from partners.countries import country_names
from partners.models import Partner, PartnerKind
from register.filters import FilterSet


class PartnerFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Name (any script or spelling)"), method="filter_text")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PartnerKind.choices, empty_label=_("All kinds"))
    # The codes in use, read per request; the list shows the same names (one query).
    country = django_filters.ChoiceFilter(label=_("Country"), choices=[], empty_label=_("All countries"))
    parent = django_filters.ModelChoiceFilter(
        label=_("Belongs to (at any depth)"),
        queryset=Partner.objects.with_children().order_by("name_sort", "pk"),
        method="filter_parent",
        empty_label=_("Anywhere"),
    )

    class Meta:
        model = Partner
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_names = country_names(getattr(self.request, "user", None))
        self.filters["country"].extra["choices"] = list(self.country_names.items())

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_parent(self, queryset, name, parent):
        return queryset.under(parent)
