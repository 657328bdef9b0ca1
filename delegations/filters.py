"""The filters of the delegation list. Every value arrives through a form field,
so nothing from the query string reaches the ORM unchecked; a value that does
not validate is dropped from the form's cleaned data and the page says so."""

import django_filters
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation, Direction, Level, Purpose, Status
from partners.filter_fields import RecordFilterSet, local_unit_filter, partner_subtree_filter
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
    partner = partner_subtree_filter()
    purpose = django_filters.ChoiceFilter(label=_("Purpose"), choices=Purpose.choices, empty_label=_("Any"))
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices, empty_label=_("Any"))
    host_unit = local_unit_filter(_("Host or sending unit"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("Any"))

    class Meta:
        model = Delegation
        fields = []
        form = DateRangeForm
