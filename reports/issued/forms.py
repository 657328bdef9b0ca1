"""The admin's forms of a report: the draft (its period chosen as the period
report chooses it: a preset with its year, or two dates, reports/period.py
``PeriodForm``), and the choice made on the issue page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.issued.models import PeriodicReport, ReportKind
from reports.period import PeriodBoundField, PeriodForm

# The kind a preset suggests when the draft's kind is left as it was.
KIND_OF_PRESET = {
    "quarter": ReportKind.QUARTERLY,
    "first_half": ReportKind.HALF_YEAR,
    "second_half": ReportKind.HALF_YEAR,
    "year": ReportKind.YEARLY,
}
PERIOD_FIELDS = ("preset", "year", "month", "quarter")


class PeriodicReportForm(forms.ModelForm):
    preset = PeriodForm.base_fields["preset"]
    year = PeriodForm.base_fields["year"]
    month = PeriodForm.base_fields["month"]
    quarter = PeriodForm.base_fields["quarter"]
    start = PeriodBoundField(label=_("From"), required=False)
    end = PeriodBoundField(label=_("To"), required=False)
    replace_written = forms.BooleanField(
        label=_("Replace the text already written"),
        required=False,
        help_text=_(
            "Tick it only to replace what was written in the sections with the register's draft "
            "(“Prefill the narrative”). Left unticked, only the empty sections are filled."
        ),
    )

    class Meta:
        model = PeriodicReport
        fields = [
            "kind",
            "start",
            "end",
            "title",
            "number",
            "symbol",
            "day",
            "place",
            "recipients",
            "signer_name",
            "signer_title",
            "authority",
            "authority_title",
            "assessment",
            "results",
            "difficulties",
            "recommendations",
            "next_tasks",
            "is_public",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial.update(preset="custom", start=self.instance.start, end=self.instance.end)
        if "day" in self.fields:
            self.fields["day"].widget = forms.DateInput(
                attrs={"placeholder": _("dd/mm/yyyy"), "autocomplete": "off"}, format="%d/%m/%Y"
            )
            self.fields["day"].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]

    def clean(self):
        data = super().clean()
        if "start" not in self.fields:  # an issued report: its period is read-only
            return data
        period = PeriodForm({name: self.data.get(name, "") for name in (*PERIOD_FIELDS, "start", "end")})
        if not period.is_valid():
            # The boxes' own (first, last) pairs are not dates of the report: they stay off the instance.
            data.pop("start", None)
            data.pop("end", None)
            for name, errors in period.errors.items():
                for error in errors:
                    self.add_error(name if name in self.fields and name != "__all__" else None, error)
            return data
        data["start"], data["end"] = period.cleaned_data["start"], period.cleaned_data["end"]
        suggested = KIND_OF_PRESET.get(period.cleaned_data["preset"])
        if suggested and not self.instance.pk and "kind" not in self.changed_data:
            data["kind"] = suggested
        self._check_number(data)
        return data

    def _check_number(self, data):
        """A number already used by an issued report of the province, symbol and year is named at once,
        not only on the issue page (the database refuses it there: periodicreport_number_unique)."""
        from reports.issued import services

        probe = PeriodicReport(
            pk=self.instance.pk,
            province_id=self.instance.province_id,
            number=data.get("number"),
            symbol=data.get("symbol") or "",
            day=data.get("day"),
        )
        if probe.province_id and services.number_taken(probe) is not None:
            self.add_error("number", services.taken_message(probe))


class IssuedReportForm(forms.ModelForm):
    """An issued report: only whether visitors see it may change."""

    class Meta:
        model = PeriodicReport
        fields = ["is_public"]


class IssueForm(forms.Form):
    """What to do with the period's records still in review, when it has some."""

    WITHOUT = "without"
    INCLUDE = "include"
    in_review = forms.ChoiceField(
        label=_("Records still in review"),
        choices=[
            (WITHOUT, _("Issue without them (count the approved records only)")),
            (INCLUDE, _("Include them in the report")),
        ],
        initial=WITHOUT,
        widget=forms.RadioSelect,
        required=False,
    )
