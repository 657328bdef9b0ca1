"""The filters of the project list. Every value arrives through a form field,
so nothing from the query string reaches the ORM unchecked."""

import django_filters
from django.utils.translation import gettext_lazy as _

from partners.filter_fields import LocalUnitFilter, PartnerTreeFilter
from partners.models import LocalUnit, Partner, Sector
from projects.models import ParticipantRole, Project, ProjectKind, ProjectStatus
from register.filters import FilterSet, PeriodFilter


class ProjectFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Title, code or description"), method="filter_text")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ProjectKind.choices, empty_label=_("All kinds"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProjectStatus.choices, empty_label=_("All statuses")
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.order_by("name"), empty_label=_("All sectors")
    )
    partner = PartnerTreeFilter(
        label=_("Partner (and the localities under it)"),
        queryset=Partner.objects.order_by("path").only("pk", "name", "path"),
        method="filter_partner",
        empty_label=_("All partners"),
    )
    role = django_filters.ChoiceFilter(
        label=_("Partner's role"),
        choices=ParticipantRole.choices,
        method="filter_role",
        empty_label=_("Any role"),
    )
    location = LocalUnitFilter(
        label=_("Location"),
        queryset=LocalUnit.objects.order_by("name"),
        method="filter_location",
        empty_label=_("All locations"),
    )
    # A year, or any period typed there: "Quý I/2024", "10/2011" (common/partial_dates.py).
    year = PeriodFilter(label=_("Active in year"), method="filter_year")

    class Meta:
        model = Project
        fields = []

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_partner(self, queryset, name, partner):
        # The role, when chosen, narrows the same participant row: "Guangxi as funder".
        role = self.form.cleaned_data.get("role")
        return queryset.involving(partner, role=int(role) if role else None)

    def filter_role(self, queryset, name, role):
        if self.form.cleaned_data.get("partner"):
            return queryset  # applied together with the partner above
        return queryset.with_partner_in_role(int(role))

    def filter_location(self, queryset, name, unit):
        return queryset.located_in(unit)

    def filter_year(self, queryset, name, period):
        return queryset.active_between(*period)
