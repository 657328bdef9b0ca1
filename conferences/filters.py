"""The filters of the conference list. Every value arrives through a form field,
so nothing from the query string reaches the ORM unchecked."""

import django_filters
from django.utils.translation import gettext_lazy as _

from conferences.models import Authority, Conference, ConferenceKind, ConferenceStatus
from partners.filter_fields import RecordFilterSet, local_unit_filter, partner_subtree_filter
from register.filters import DateRangeForm, SortDateFromFilter, SortDateUntilFilter, SortYearFilter


class ConferenceFilter(RecordFilterSet):
    q = django_filters.CharFilter(label=_("Words in the record"), method="filter_text")
    year = SortYearFilter(label=_("Year held"), field_name="start_date")
    start = SortDateFromFilter(label=_("Opening from"), field_name="start_date")
    end = SortDateUntilFilter(label=_("Opening until"), field_name="start_date")
    country = django_filters.ChoiceFilter(label=_("Country"), method="filter_country", empty_label=_("Any"))
    partner = partner_subtree_filter()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ConferenceKind.choices, empty_label=_("Any"))
    authority = django_filters.ChoiceFilter(
        label=_("Approving authority"), choices=Authority.choices, empty_label=_("Any")
    )
    organiser = local_unit_filter(_("Organised by"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ConferenceStatus.choices, empty_label=_("Any"))

    class Meta:
        model = Conference
        fields = []
        form = DateRangeForm
