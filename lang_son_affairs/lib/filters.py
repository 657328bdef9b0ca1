"""Filter building blocks shared by the register's list pages: years, dates
typed as dd/mm/yyyy, date ranges that must be in order, publication."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from lang_son_affairs.lib.widgets import FastWidgetsFormMixin


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


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
    option (lib/widgets.py), which halves the time of a list page."""

    def get_form_class(self):
        form_class = super().get_form_class()
        return type(form_class.__name__, (FastWidgetsFormMixin, form_class), {})
