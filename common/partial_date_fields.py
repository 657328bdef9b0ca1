"""One text box per date for the models whose dates may be a day, a month or a
year (their ``PARTIAL_DATES``): "2008", "tháng 10/2011" or "11/06/2024" is read
into the date and its precision (common/partial_dates.py), so there is no separate
precision box that could contradict the date. The model keeps both fields; the
form sets both."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.partial_dates import DatePrecision, PartialDate, format_partial_input, parse_partial_date, period_end

PRECISION_WORDS = {
    DatePrecision.DAY: _("a day"),
    DatePrecision.MONTH: _("a month"),
    DatePrecision.YEAR: _("a year"),
}


def precision_field(model):
    """The field holding the precision of ``model``'s partial dates."""
    return getattr(model, "DATE_PRECISION_FIELD", "date_precision")


class PartialDateInput(forms.TextInput):
    """Shows a stored date to its precision: '2008', '10/2011', '11/06/2024'."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": _("2008, 10/2011 or 11/06/2024"), "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, PartialDate):
            return format_partial_input(*value)
        return super().format_value(value)


class PartialDateField(forms.CharField):
    """A day, a month or a year typed in one box; cleans to a ``PartialDate``
    (None when blank). ``end`` keeps the last day of the month or year, for the
    end of a period."""

    widget = PartialDateInput

    def __init__(self, *, end=False, help_text="", **kwargs):
        # How to write it, then what the model says of the date ("Blank means indefinite.").
        hint = _("A day (11/06/2024), a month (10/2011 or tháng 10/2011) or a year (2008).")
        super().__init__(help_text=format_lazy("{} {}", hint, help_text) if help_text else hint, **kwargs)
        self.end = end

    def to_python(self, value):
        if isinstance(value, PartialDate):
            return value
        text = super().to_python(value)
        if not text:
            return None
        found = parse_partial_date(text)
        return PartialDate(period_end(found), found.precision) if self.end else found


def partial_dates_form(form_class):
    """``form_class`` (a ModelForm) with each of its model's ``PARTIAL_DATES`` it
    shows as a ``PartialDateField``; the precision field is set from what was
    typed and must not be on the form. The dates of one record share one
    precision, so dates typed to different precisions are refused."""
    model = form_class._meta.model
    names = getattr(model, "PARTIAL_DATES", ())
    ends = set(getattr(model, "PARTIAL_DATE_ENDS", ()))
    if not any(name in form_class.base_fields for name in names):
        return form_class
    precision_name = precision_field(model)

    class PartialDatesForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            precision = getattr(self.instance, precision_name, DatePrecision.DAY) or DatePrecision.DAY
            for name in names:
                if name not in self.fields:
                    continue
                old = self.fields[name]
                self.fields[name] = PartialDateField(
                    label=old.label,
                    required=old.required,
                    disabled=old.disabled,
                    help_text=old.help_text,
                    end=name in ends,
                )
                value = self.initial.get(name)
                if value is not None and not isinstance(value, str):
                    self.initial[name] = PartialDate(value, precision)

        def clean(self):
            data = super().clean()
            typed = [(name, data[name]) for name in names if isinstance(data.get(name), PartialDate)]
            precisions = {found.precision for _name, found in typed}
            if len(precisions) > 1:
                first_name, first = typed[0]
                for name, found in typed[1:]:
                    if found.precision != first.precision:
                        self.add_error(
                            name,
                            ValidationError(
                                _(
                                    "This date is %(this)s but “%(field)s” is %(first)s: a record keeps one "
                                    "precision for its dates, so write them all as days, months or years."
                                ),
                                code="precision_mismatch",
                                params={
                                    "this": PRECISION_WORDS[found.precision],
                                    "first": PRECISION_WORDS[first.precision],
                                    "field": self.fields[first_name].label,
                                },
                            ),
                        )
            elif precisions:
                setattr(self.instance, precision_name, precisions.pop())
            for name, found in typed:
                data[name] = found.date
            return data

    PartialDatesForm.__name__ = form_class.__name__
    return PartialDatesForm


def without_precision(fields, model):
    """``fields`` (a fieldset's list, tuples for lines) without ``model``'s
    precision field: the date boxes set it."""
    name = precision_field(model)
    kept = []
    for item in fields:
        if isinstance(item, list | tuple):
            line = tuple(part for part in item if part != name)
            if line:
                kept.append(line if len(line) > 1 else line[0])
        elif item != name:
            kept.append(item)
    return kept


class PartialDatesAdminMixin:
    """For a ModelAdmin or an inline of a model with ``PARTIAL_DATES``: one text
    box per date, no precision box (``partial_dates_form``)."""

    def _has_partial_dates(self):
        return bool(getattr(self.model, "PARTIAL_DATES", ()))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._has_partial_dates():
            return fieldsets
        return [
            (title, {**options, "fields": without_precision(options["fields"], self.model)})
            for title, options in fieldsets
        ]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return without_precision(fields, self.model) if self._has_partial_dates() else fields

    def get_form(self, request, obj=None, **kwargs):
        return partial_dates_form(super().get_form(request, obj, **kwargs))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = partial_dates_form(formset.form)
        return formset
