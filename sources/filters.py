"""The filters of the reported figures' list. Every value arrives through a form
field, so nothing from the query string reaches the ORM unchecked; a value that
does not validate is dropped from the form's cleaned data and the page says so."""

import django_filters
from django.utils.translation import gettext_lazy as _

from partners.filter_fields import RecordFilterSet, local_unit_filter, partner_subtree_filter
from register.filters import DateRangeForm, PeriodFilter, SortDateFromFilter, SortDateUntilFilter
from sources.models import Indicator, ReportedFigure, Unit


class FigureFilter(RecordFilterSet):
    """A figure has no words of its own to search (its excerpt quotes its source):
    it is found by what it counts, where, for whom and for when."""

    # A figure meets a period when its own period overlaps it (ReportedFigureQuerySet.overlapping).
    year = PeriodFilter(label=_("Year"), method="filter_period")
    start = SortDateFromFilter(label=_("From"), method="filter_period")
    end = SortDateUntilFilter(label=_("To"), method="filter_period")
    indicator = django_filters.ChoiceFilter(label=_("Indicator"), choices=Indicator.choices, empty_label=_("Any"))
    unit = django_filters.ChoiceFilter(label=_("Unit"), choices=Unit.choices, empty_label=_("Any"))
    scope = local_unit_filter(_("Scope"))
    country = django_filters.ChoiceFilter(label=_("Country"), method="filter_country", empty_label=_("Any"))
    partner = partner_subtree_filter()

    class Meta:
        model = ReportedFigure
        fields = []
        form = DateRangeForm

    def filter_period(self, queryset, name, value):
        declared = self.filters[name]
        first, last = declared.bounds(value) if hasattr(declared, "bounds") else value
        return queryset.overlapping(first, last)
