"""A list's filters in words, for the title rows of its XLSX export: the period
("từ 01/01/2024 đến 31/03/2024", "mọi thời gian") and every other filter the
request applied, by its label and the chosen value's label ("Hướng: Đoàn ra").

Read from the FilterSet's cleaned data only, so a value the form refused (the
list ignored it) is not named, and nothing is written per list: a filter is
described by its kind (a period, a choice, a record, a date, text). No query:
a chosen record was read when the form validated it, choices are in the form.
"""

import datetime as dt

from django import forms
from django.utils.translation import gettext as _

from register.filters import PeriodFilter

# What a picker's label indents a record with under its parent (partners/filter_fields.py).
INDENT = "— "


def day(value):
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def period_bounds(declared, value):
    """(first day or None, last day or None) that a period filter's cleaned
    ``value`` ((first, last) of what was typed) stands for: a "from" filter keeps
    the first day only, an "until" filter the last (register/filters.py ``bounds``)."""
    bounds = getattr(declared, "bounds", None)
    return bounds(value) if bounds is not None else value


def period_words(low, high):
    if low and high:
        if low == high:
            return _("on %(day)s") % {"day": day(low)}
        return _("from %(start)s to %(end)s") % {"start": day(low), "end": day(high)}
    if low:
        return _("from %(start)s") % {"start": day(low)}
    if high:
        return _("until %(end)s") % {"end": day(high)}
    return _("all time")


def value_words(field, value):
    """The label of a cleaned ``value`` of the form ``field``, as the form offers it; "" for none."""
    if value in (None, "", [], ()):
        return ""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(unindented(field.label_from_instance(item)) for item in value)
    if isinstance(field, forms.ModelChoiceField):
        return unindented(field.label_from_instance(value))
    if isinstance(field, forms.ChoiceField):
        labels = {str(key): label for key, label in field.choices}
        values = value if isinstance(value, (list, tuple)) else [value]
        return ", ".join(str(labels.get(str(item), item)) for item in values)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.date):
        return day(value)
    if isinstance(field, forms.CharField):
        return f"“{value}”"
    return str(value)


def unindented(label):
    """A hierarchical picker's label without the indents that place it under its parent."""
    label = str(label)
    while label.startswith(INDENT):
        label = label[len(INDENT) :]
    return label


def filter_words(filterset):
    """(the period in words, [(label, value in words), ...] for every other applied filter)."""
    form = filterset.form
    # An unbound form (no query string) has no cleaned data: no filter applies.
    cleaned = getattr(form, "cleaned_data", None) or {}
    low = high = None
    others = []
    for name, declared in filterset.filters.items():
        value = cleaned.get(name)
        if value in (None, "", [], ()):
            continue
        if isinstance(declared, PeriodFilter):
            first, last = period_bounds(declared, value)
            low = first if low is None or (first is not None and first > low) else low
            high = last if high is None or (last is not None and last < high) else high
            continue
        field = form.fields.get(name)
        words = value_words(field, value) if field is not None else ""
        if words:
            others.append((str(field.label), words))
    return period_words(low, high), others


def filters_line(filterset):
    """ "Thời gian: từ 01/01/2024 đến 31/03/2024; Hướng: Đoàn ra; Tìm: “hội nghị”"."""
    period, others = filter_words(filterset)
    parts = [_("Period: %(period)s") % {"period": period}]
    parts += [f"{label}: {words}" for label, words in others]
    return "; ".join(parts)
