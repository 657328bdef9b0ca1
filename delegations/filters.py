"""The filters of the delegation list. Every value arrives through a form field,
so nothing from the query string reaches the ORM unchecked; a value that does
not validate is dropped from the form's cleaned data and the page says so."""

import django_filters
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation, Direction, Level, Purpose, Status
from partners.filter_fields import LocalUnitFilter, PartnerTreeFilter, RecordFilterSet
from partners.models import LocalUnit, Partner
from register.filters import (
    DateRangeForm,
    SortDateFromFilter,
    SortDateUntilFilter,
    SortYearFilter,
)


class DelegationFilter(RecordFilterSet):
    q = django_filters.CharFilter(label=_("Words in the record"), method="filter_text")
    year = SortYearFilter(label=_("Year"), field_name="start_date")
    start = SortDateFromFilter(label=_("From"), field_name="start_date")
    end = SortDateUntilFilter(label=_("To"), field_name="start_date")
    direction = django_filters.ChoiceFilter(label=_("Direction"), choices=Direction.choices, empty_label=_("Any"))
    country = django_filters.ChoiceFilter(label=_("Country"), method="filter_country", empty_label=_("Any"))
    partner = PartnerTreeFilter(
        label=_("Partner"),
        queryset=Partner.objects.order_by("path").only("pk", "name", "path"),
        method="filter_partner",
        empty_label=_("Any"),
        help_text=_("Includes the localities under it."),
    )
    purpose = django_filters.ChoiceFilter(label=_("Purpose"), choices=Purpose.choices, empty_label=_("Any"))
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices, empty_label=_("Any"))
    host_unit = LocalUnitFilter(
        label=_("Host or sending unit"),
        queryset=LocalUnit.objects.order_by("name").only("pk", "name"),
        empty_label=_("Any"),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("Any"))

    class Meta:
        model = Delegation
        fields = []
        form = DateRangeForm
