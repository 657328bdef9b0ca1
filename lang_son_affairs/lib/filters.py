"""Filter building blocks shared by the register's list pages: years, dates
typed as dd/mm/yyyy, date ranges that must be in order, publication."""

import datetime

import django_filters
from django import forms
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from lang_son_affairs.lib.widgets import FastWidgetsFormMixin


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


_UNDATED = datetime.date(1, 1, 1)


def newest_first_key(field_name):
    """``COALESCE(field, 0001-01-01)``: the date key of a list sorted newest first,
    undated rows last, as lib/pagination.py orders it and the list's index holds it."""
    return Coalesce(F(field_name), Value(_UNDATED, output_field=models.DateField()))


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


class SortYearFilter(SortDateFilterMixin, YearFilter):
    def bounds(self, value):
        return datetime.date(value, 1, 1), datetime.date(value, 12, 31)


class SortDateFromFilter(SortDateFilterMixin, django_filters.DateFilter):
    def bounds(self, value):
        return value, None


class SortDateUntilFilter(SortDateFilterMixin, django_filters.DateFilter):
    def bounds(self, value):
        return None, value


def date_input():
    """A text box for dd/mm/yyyy (the active language's DATE_INPUT_FORMATS also take yyyy-mm-dd)."""
    return forms.DateInput(attrs={"placeholder": _("dd/mm/yyyy"), "autocomplete": "off"})


class DateRangeForm(forms.Form):
    """Refuses a range that ends before it starts, naming the "to" field."""

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the range is before its start."))
        return data


PUBLICATION_CHOICES = [("published", _("Published")), ("internal", _("Internal (not published)"))]


class FilterSet(django_filters.FilterSet):
    """The register's FilterSet: its form writes drop-downs without a template per
    option (lib/widgets.py), which halves the time of a list page. Every choice
    of a reviewed kind (a partner, a local unit, a mechanism) is one the viewer
    may see: a visitor is never offered, nor may choose, an unpublished one."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        from lang_son_affairs.lib.models import ReviewedModel

        user = getattr(request, "user", None)
        for declared in self.filters.values():
            queryset = getattr(declared, "queryset", None)
            if isinstance(queryset, models.QuerySet) and issubclass(queryset.model, ReviewedModel):
                declared.queryset = queryset.visible_to(user)

    def get_form_class(self):
        form_class = super().get_form_class()
        return type(form_class.__name__, (FastWidgetsFormMixin, form_class), {})
