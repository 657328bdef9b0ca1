"""Filter building blocks shared by the register's list pages: years, dates
and periods typed as staff write them ("2008", "10/2011", "Quý I/2024",
"11/06/2024", read by common/partial_dates.py), date ranges that must be in
order, publication."""

import datetime

import django_filters
from django import forms
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from common.pagination import Literal
from common.partial_dates import parse_period
from common.widgets import FastWidgetsFormMixin


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


class PeriodField(forms.CharField):
    """A day, a month, a quarter or a year in one box; cleans to its (first, last) day."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", period_input())
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        return parse_period(text) if text else None


class PeriodFilter(django_filters.Filter):
    field_class = PeriodField


_UNDATED = datetime.date(1, 1, 1)


def newest_first_key(field_name):
    """``COALESCE(field, 0001-01-01)``: the date key of a list sorted newest first,
    undated rows last, as common/pagination.py orders it and the list's index holds it."""
    return Coalesce(F(field_name), Literal(_UNDATED, output_field=models.DateField()))


class SortDateFilterMixin:
    """A filter on the list's sort date, written on its sort key: the range then
    bounds the same index scan that yields the page in order (a year of a million
    delegations reads ~25 index entries, not every one of that year's rows). For any
    real date the condition is the same as on the column, NULLs included."""

    def bounds(self, value):
        raise NotImplementedError

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        low, high = self.bounds(value)
        key = newest_first_key(self.field_name)
        # Undated rows have the key 0001-01-01: a lower bound above it leaves them
        # out, as the condition on the column itself would.
        qs = qs.filter(GreaterThanOrEqual(key, max(low or _UNDATED, _UNDATED + datetime.timedelta(days=1))))
        if high is not None:
            qs = qs.filter(LessThanOrEqual(key, high))
        return qs


class SortYearFilter(SortDateFilterMixin, PeriodFilter):
    """The rows of a year, or of any period typed there: "Quý I/2024", "10/2011"."""

    def bounds(self, value):
        return value


class SortDateFromFilter(SortDateFilterMixin, PeriodFilter):
    """From the first day of what is typed: "2008" is from 01/01/2008."""

    def bounds(self, value):
        return value[0], None


class SortDateUntilFilter(SortDateFilterMixin, PeriodFilter):
    """To the last day of what is typed: "2008" is to 31/12/2008."""

    def bounds(self, value):
        return None, value[1]


def date_input():
    """A text box for dd/mm/yyyy (the active language's DATE_INPUT_FORMATS also take yyyy-mm-dd)."""
    return forms.DateInput(attrs={"placeholder": _("dd/mm/yyyy"), "autocomplete": "off"})


def period_input():
    """A text box for a day, a month, a quarter or a year."""
    return forms.TextInput(attrs={"placeholder": _("2008, 10/2011, Quý I/2024…"), "autocomplete": "off"})


class DateRangeForm(forms.Form):
    """Refuses a range that ends before it starts, naming the "to" field. The
    fields are periods (``PeriodField``): the range runs from the first day of
    "from" to the last day of "to"."""

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end[1] < start[0]:
            self.add_error("end", _("The end of the range is before its start."))
        return data


PUBLICATION_CHOICES = [("published", _("Published")), ("internal", _("Internal (not published)"))]


class FilterSet(django_filters.FilterSet):
    """The register's FilterSet: its form writes drop-downs without a template per
    option (common/widgets.py), which halves the time of a list page. Every choice
    of a reviewed kind (a partner, a local unit, a mechanism) is one the viewer
    may see: a visitor is never offered, nor may choose, an unpublished one."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        from register.publishable import ReviewedModel

        user = getattr(request, "user", None)
        for declared in self.filters.values():
            queryset = getattr(declared, "queryset", None)
            if isinstance(queryset, models.QuerySet) and issubclass(queryset.model, ReviewedModel):
                declared.queryset = queryset.visible_to(user)

    def get_form_class(self):
        form_class = super().get_form_class()
        return type(form_class.__name__, (FastWidgetsFormMixin, form_class), {})
