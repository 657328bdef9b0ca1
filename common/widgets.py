"""A drop-down that writes its HTML in Python.

Django renders every ``<option>`` of a ``Select`` through two included templates.
On the list pages, whose filter forms offer every country, partner and local unit,
that was close to half of the page's time; this widget writes the same markup
directly, so the browser and the tests see exactly what Django would have written."""

from functools import cache, partial

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """``forms.Select`` with the same output, without a template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        selected_values = self.format_value(value)
        final_attrs = self.build_attrs(self.attrs, attrs)
        parts = [f'<select name="{escape(name)}"{flatatt(final_attrs)}>']
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            if isinstance(option_label, (list, tuple)):
                parts.append(f'\n  <optgroup label="{conditional_escape(option_value)}">')
                for sub_value, sub_label in option_label:
                    has_selected = self._option(parts, sub_value, sub_label, selected_values, has_selected)
                parts.append("\n  </optgroup>")
            else:
                has_selected = self._option(parts, option_value, option_label, selected_values, has_selected)
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above

    @staticmethod
    def _option(parts, value, label, selected_values, has_selected):
        selected = not has_selected and str(value) in selected_values
        parts.append(
            f'\n  <option value="{conditional_escape(value)}"{" selected" if selected else ""}>'
            f"{conditional_escape(label)}</option>"
        )
        return has_selected or selected


class FastWidgetsFormMixin:
    """Swaps each plain ``Select`` of the form for a ``FastSelect`` that keeps its
    attributes and choices (for a model choice field, the same lazy query). A
    field with ``shallow_choices(selected)`` (partners/filter_fields.py) offers
    those instead of its whole table; it still validates any row of it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if type(widget) is forms.Select:
                fast = FastSelect(attrs=widget.attrs)
                fast.choices = widget.choices
                if hasattr(field, "shallow_choices"):
                    # A callable, run once when the drop-down is drawn, never by an export.
                    fast.choices = cache(partial(field.shallow_choices, str(self.data.get(self.add_prefix(name), ""))))
                fast.is_required = widget.is_required
                field.widget = fast
