"""The period report: /reports/period/?start=YYYY-MM-DD&end=YYYY-MM-DD, or a
preset (?preset=quarter&year=2024&quarter=1). The view parses the period,
calls the selector and renders; bad input gets a message and the form, never
an error page."""

import calendar
import datetime as dt

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from common import formatting, html_rows
from common.partial_dates import parse_period
from offices.site_scope import shown_province
from reports.national import figures_by_province, national_dates, national_view
from reports.selectors_period import LIST_LIMIT
from reports.selectors_period import period_report as build_report
from sources.models import Unit

MAX_YEARS = 100
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

PRESETS = [
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("first_half", _("First six months")),
    ("second_half", _("Last six months")),
    ("year", _("Year")),
    ("term_2020_2025", _("Term 2020–2025")),
    ("term_2025_2030", _("Term 2025–2030")),
    ("custom", _("Custom dates")),
]
TERMS = {
    "term_2020_2025": (dt.date(2020, 1, 1), dt.date(2025, 12, 31)),
    "term_2025_2030": (dt.date(2025, 1, 1), dt.date(2030, 12, 31)),
}
ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}
PERIOD_FIELDS = ("preset", "year", "month", "quarter", "start", "end", "in_review")


class DateField(forms.DateField):
    """A date as 31/03/2024 or 2024-03-31; the error repeats what was typed. A text
    box showing dd/mm/yyyy, as the lists' date filters (register/filters.py): a browser's
    date box shows the computer's format, 03/31/2024 on an English Windows."""

    widget = forms.DateInput(attrs={"placeholder": _("dd/mm/yyyy"), "autocomplete": "off"}, format="%d/%m/%Y")
    input_formats = DATE_FORMATS
    default_error_messages = {
        "invalid": _("“%(value)s” is not a real date. Write it as 31/03/2024 or 2024-03-31."),
    }

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": str(value)[:40]}
            ) from None


class PeriodBoundInput(forms.DateInput):
    """The box of one end of the period: a date shows as 31/03/2024, what was typed as typed."""

    def __init__(self):
        super().__init__(
            attrs={"placeholder": _("31/03/2024, 10/2011, Quý I/2024, 2021…"), "autocomplete": "off"}, format="%d/%m/%Y"
        )


class PeriodBoundField(DateField):
    """One end of a custom period: a day as before, or a month, a quarter or a year
    in the same box ("2021" to "Quý I/2024" is 01/01/2021 – 31/03/2024). Cleans to
    the (first, last) day of what was typed; the form takes the first day of the
    start and the last day of the end."""

    widget = PeriodBoundInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            day = super().to_python(value)
        except forms.ValidationError:
            return parse_period(value)
        return (day, day) if day else None


class PeriodForm(forms.Form):
    """A preset with its year (and month or quarter), or two dates."""

    preset = forms.ChoiceField(
        label=_("Period"),
        choices=PRESETS,
        required=False,
        error_messages={
            "invalid_choice": _("“%(value)s” is not one of the periods offered. Choose one from the list.")
        },
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=1900,
        max_value=2100,
        error_messages={"invalid": _("Enter the year as four digits, such as 2024.")},
    )
    month = forms.TypedChoiceField(
        label=_("Month (for a monthly report)"),
        choices=[("", "—")] + [(m, f"{m:02d}") for m in range(1, 13)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter (for a quarterly report)"),
        choices=[("", "—")] + [(q, ROMAN_QUARTERS[q]) for q in range(1, 5)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    start = PeriodBoundField(label=_("From"), required=False)
    end = PeriodBoundField(label=_("To"), required=False)
    # Signed in only (a visitor's report counts the published records whatever is asked):
    # a report sent up counts the approved records unless this is ticked.
    in_review = forms.BooleanField(
        label=_("Include records still in review (drafts, submitted for review)"),
        required=False,
        help_text=_("Every table then says that it counts them."),
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        preset = data.get("preset") or ("custom" if data.get("start") or data.get("end") else "year")
        year = data.get("year") or self.today.year
        if preset == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Enter both dates of the period: from and to."))
            start, end = start[0], end[1]
        elif preset in TERMS:
            start, end = TERMS[preset]
        elif preset == "month":
            if not data.get("month"):
                raise forms.ValidationError(_("Choose the month of the monthly report."))
            month = data["month"]
            start = dt.date(year, month, 1)
            end = dt.date(year, month, calendar.monthrange(year, month)[1])
        elif preset == "quarter":
            if not data.get("quarter"):
                raise forms.ValidationError(_("Choose the quarter of the quarterly report."))
            first = 3 * data["quarter"] - 2
            start = dt.date(year, first, 1)
            end = dt.date(year, first + 2, calendar.monthrange(year, first + 2)[1])
        elif preset == "first_half":
            start, end = dt.date(year, 1, 1), dt.date(year, 6, 30)
        elif preset == "second_half":
            start, end = dt.date(year, 7, 1), dt.date(year, 12, 31)
        else:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if end < start:
            raise forms.ValidationError(
                _("The end of the period (%(end)s) is before its start (%(start)s).")
                % {"start": formatting.partial_date(start, "day"), "end": formatting.partial_date(end, "day")}
            )
        years, rest = end.year - start.year, (end.month, end.day) >= (start.month, start.day)
        if years > MAX_YEARS or (years == MAX_YEARS and rest):
            raise forms.ValidationError(
                _("A report covers at most %(years)s years. Choose a shorter period.") % {"years": MAX_YEARS}
            )
        data.update(preset=preset, start=start, end=end, year=year)
        return data


def scope_note(user, in_review=False):
    """What the report counts, as ``register.publishable.counted_q`` says: the
    published records for whom the province's internal rows are not (a visitor, an
    official reading another province: offices/site_scope.py)."""
    if not shown_province(user)[1]:
        return gettext("Computed over the published records only.")
    if in_review:
        return gettext(
            "Computed over the approved records, internal ones included, and the records still in review "
            "(drafts and records submitted for review)."
        )
    return gettext(
        "Computed over the approved records only, internal ones included; records still in review are left out."
    )


def period_label(preset, start):
    """'Quarter I/2024', 'First six months of 2024'...; blank for custom dates."""
    labels = {
        "month": _("Month %(month)02d/%(year)s"),
        "quarter": _("Quarter %(quarter)s/%(year)s"),
        "first_half": _("First six months of %(year)s"),
        "second_half": _("Last six months of %(year)s"),
        "year": _("Year %(year)s"),
        "term_2020_2025": _("The 2020–2025 term"),
        "term_2025_2030": _("The 2025–2030 term"),
    }
    if preset not in labels:
        return ""
    return labels[preset] % {
        "month": start.month,
        "year": start.year,
        "quarter": ROMAN_QUARTERS[(start.month - 1) // 3 + 1],
    }


def quantity(value, unit):
    """A reported or register value in its unit, exact: 134.525.000 ₫, 224.500.000 USD, 62."""
    if value is None:
        return "—"
    if unit == Unit.VND:
        return formatting.vnd(value)
    if unit == Unit.USD:
        return f"{formatting.number(value)} USD"
    return formatting.number(value)


def _display_rows(rows):
    for row in rows:
        unit = row.figure.unit
        row.reported_display = quantity(row.figure.value, unit)
        row.register_display = quantity(row.register, unit)
        difference = row.difference
        row.difference_display = (
            "" if difference is None else ("+" if difference > 0 else "") + quantity(difference, unit)
        )
        row.coverage_display = "" if row.coverage is None else f"{formatting.number(row.coverage)} %"
    return rows


def _rows_by_partner(rows):
    """The rows of the table of agreements by partner, as the page writes them:
    the ``LIST_LIMIT`` partners with the most agreements, then one row for the
    others (over thirty years there are thousands; the downloads list them all).
    Written here, each distinct count formatted once, they cost a tenth of what
    the template engine and |number took once a row. The names are escaped as
    the template escapes them."""
    shown = {}
    for row in rows[:LIST_LIMIT]:
        count = row["agreements"]
        if count not in shown:
            shown[count] = formatting.number(count)
    html = format_html_join(
        "",
        '<tr><td>{}</td><td class="num">{}</td></tr>',
        ((row["partner__name"], shown[row["agreements"]]) for row in rows[:LIST_LIMIT]),
    )
    others = rows[LIST_LIMIT:]
    if others:
        label = ngettext(
            "%(n)s other partner (the downloads list every partner)",
            "%(n)s other partners (the downloads list every partner)",
            len(others),
        ) % {"n": formatting.number(len(others))}
        total = formatting.number(sum(row["agreements"] for row in others))
        html += format_html('<tr class="muted"><td>{}</td><td class="num">{}</td></tr>', label, total)
    return html


def _published_or_badge(record, internal):
    return "" if record.is_published else f" {internal}"


def _domestic_rows(delegations):
    """The rows of the list of working visits (up to ``LIST_LIMIT``), written by
    the row writers (common/html_rows.py) rather than a template loop."""
    date, visit, head, host = gettext("Date"), gettext("Visit"), gettext("Head"), gettext("Host unit")
    internal = html_rows.badge(gettext("internal"), "internal")
    url = html_rows.detail_url("delegations:detail")
    rows = []
    for d in delegations:
        leader = escape(d.leader_name)
        if d.leader_title:
            leader += f'<br><span class="muted">{escape(d.leader_title)}</span>'
        rows.append(
            "<tr>"
            + html_rows.cell(date, escape(d.date_display), "period-date")
            + html_rows.cell(visit, html_rows.link(url(d.pk), d.title) + _published_or_badge(d, internal))
            + html_rows.cell(head, leader)
            + html_rows.cell(host, escape(d.host_unit or ""))
            + "</tr>"
        )
    return html_rows.rows(rows)


def _signed_rows(agreements):
    """The rows of the list of agreements signed in the period, as _domestic_rows."""
    signed, title, partners, signatory = (
        gettext("Signed on"),
        gettext("Agreement"),
        gettext("Partners"),
        gettext("Signed for our side by"),
    )
    internal = html_rows.badge(gettext("internal"), "internal")
    url, dossier = html_rows.detail_url("agreements:detail"), html_rows.detail_url("reports:dossier")
    rows = []
    for a in agreements:
        names = ", ".join(html_rows.link(dossier(p.pk), p.name) for p in a.partners.all())
        rows.append(
            "<tr>"
            + html_rows.cell(signed, escape(a.signed_display), "period-date")
            + html_rows.cell(title, html_rows.link(url(a.pk), a.title) + _published_or_badge(a, internal))
            + html_rows.cell(partners, names)
            + html_rows.cell(signatory, escape(a.local_signatory or ""))
            + "</tr>"
        )
    return html_rows.rows(rows)


def period_report(request):
    asked = any(request.GET.get(name) for name in PERIOD_FIELDS)
    form = PeriodForm(request.GET if asked else {})
    presets = [p for p in PRESETS if p[0] != "custom"]
    # The "in review" box for who may count the province's drafts: not an official reading another province.
    context = {"presets": presets, "selected_preset": "year", "reads_internal": shown_province(request.user)[1]}
    if not form.is_valid():
        # The preset list keeps a valid choice; custom dates stay in their own form.
        if request.GET.get("preset") in {value for value, _label in presets}:
            context["selected_preset"] = request.GET["preset"]
        context["form"] = form
        context["errors"] = [
            f"{form.fields[name].label}: {error}" if name in form.fields else error
            for name, errors in form.errors.items()
            for error in errors
        ]
        return render(request, "reports/period.html", context)

    period = form.cleaned_data
    start, end, preset = period["start"], period["end"], period["preset"]
    report = build_report(request.user, start, end, period["in_review"])
    _display_rows(report["figures"])
    _display_rows(report["undated_figures"])
    # The form shows the period just made, so it can be adjusted from there.
    shown = PeriodForm(
        initial={
            "preset": preset if preset != "custom" else "year",
            "year": start.year,
            "month": start.month,
            "quarter": (start.month - 1) // 3 + 1,
            "start": start,
            "end": end,
            "in_review": report["in_review"],
        }
    )
    context.update(
        form=shown,
        report=report,
        rows_by_partner=_rows_by_partner(report["agreements"]["by_partner"]),
        domestic_rows=_domestic_rows(report["domestic"]["list"]),
        signed_rows=_signed_rows(report["agreements"]["list"]),
        delegation_tables=[
            {
                "table": report["outbound"],
                "caption": _("Outbound delegations (đoàn ra) by country"),
                "persons_label": _("Person-trips"),
            },
            {
                "table": report["inbound"],
                "caption": _("Inbound delegations (đoàn vào) by country"),
                "persons_label": _("Persons"),
            },
            {
                "table": report["border"],
                "caption": _("Border talks by country"),
                "persons_label": _("Persons"),
            },
        ],
        start=start,
        end=end,
        preset=preset,
        period_label=period_label(preset, start),
        scope_note=scope_note(request.user, report["in_review"]),
        selected_preset=preset if preset != "custom" else "year",
    )
    if national_view(request.user):
        rows, total = figures_by_province(request.user, start, end, report["in_review"])
        context.update(by_province=rows, by_province_total=total, **national_dates(request, start, end))
    return render(request, "reports/period.html", context)
