"""Downloads of the period report: /reports/period/export.xlsx and
/reports/period/export.docx, driven by the same query string as the page.

Both read ``period_report(request.user, start, end)``, the page's own
selector, so a visitor's file holds only published records. A period the page
would refuse sends the reader back to the page, which shows why."""

from io import BytesIO

from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common import docx_layout, formatting
from common.partial_dates import format_partial_date
from offices.site_scope import shown_profile
from reports.period import PERIOD_FIELDS, PeriodForm, period_label, quantity, scope_note
from reports.selectors_period import period_report
from reports.tables_period import in_review_note, record_tables, short_date
from reports.workbook_period import XLSX_CONTENT_TYPE, period_workbook
from sources.models import Qualifier


def _period(request):
    """(start, end, preset, in_review) as the page reads the query string, or None when the page would refuse it."""
    asked = any(request.GET.get(name) for name in PERIOD_FIELDS)
    form = PeriodForm(request.GET if asked else {})
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return data["start"], data["end"], data["preset"], data["in_review"]


def _back_to_the_page(request):
    query = request.GET.urlencode()
    return redirect(reverse("reports:period") + (f"?{query}" if query else ""))


def filename(start, end, extension):
    return f"bao-cao-{start.isoformat()}_{end.isoformat()}.{extension}"


def title_lines(start, end, preset):
    lines = [
        _("International cooperation from %(start)s to %(end)s") % {"start": short_date(start), "end": short_date(end)}
    ]
    label = period_label(preset, start)
    if label:
        lines.append(f"({label})")
    return lines


def period_xlsx(request):
    period = _period(request)
    if period is None:
        return _back_to_the_page(request)
    start, end, preset, in_review = period
    report = period_report(request.user, start, end, in_review)
    today = timezone.localdate()
    titles = [_("REPORT"), *title_lines(start, end, preset)]
    notes = [
        scope_note(request.user, report["in_review"]),
        _("Made on %(date)s from the register.") % {"date": short_date(today)},
    ]
    workbook = BytesIO(period_workbook(report, end, titles, notes))
    return FileResponse(
        workbook, as_attachment=True, filename=filename(start, end, "xlsx"), content_type=XLSX_CONTENT_TYPE
    )


# --- The Word report -----------------------------------------------------------------------------------------------


def _text(column, value):
    """A typed table value as the page prints it: 1.234, 134.525.000 ₫, 03/2024."""
    if value is None or value == "":
        return ""
    if column.kind == "date":
        return format_partial_date(*value)
    if column.kind == "vnd":
        return formatting.vnd(value)
    if column.kind == "usd":
        return f"{formatting.number(value)} USD"
    if column.kind in {"count", "number"}:
        return formatting.number(value)
    return str(value)


def _word_table(document, table):
    if table.in_review:
        docx_layout.paragraph(document, in_review_note(), italic=True, size=12)
    numeric = {i for i, column in enumerate(table.columns) if column.kind in {"count", "vnd", "usd", "number"}}
    rows = [[_text(c, v) for c, v in zip(table.columns, row, strict=True)] for row in table.rows]
    total = [_text(c, v) for c, v in zip(table.columns, table.total, strict=True)] if table.total else None
    if not rows and total is None:
        docx_layout.paragraph(document, _("None in the period."), italic=True)
        return
    docx_layout.data_table(
        document,
        [c.header for c in table.columns],
        rows,
        [c.docx_cm for c in table.columns],
        numeric=numeric,
        total=total,
    )


def reported(figure):
    """'62', 'gần 20', 'trên 1.000': the qualifier as the source says it."""
    words = {Qualifier.ABOUT: _("nearly"), Qualifier.OVER: _("over"), Qualifier.UNDER: _("under")}
    value = quantity(figure.value, figure.unit)
    return f"{words[figure.qualifier]} {value}" if figure.qualifier in words else value


def source_line(source):
    """'Title, Publisher, 03/04/2024'."""
    parts = [source.title, source.publisher, short_date(source.published_on) if source.published_on else ""]
    return ", ".join(part for part in parts if part)


def _figure_period(figure):
    precision = figure.period_precision
    start, end = (format_partial_date(d, precision) for d in (figure.period_start, figure.period_end))
    if start and end:
        return f"{start} – {end}"
    return _("as of %(date)s") % {"date": end} if end else _("since %(date)s") % {"date": start}


def _figures(document, rows, *, undated, end, in_review=False):
    if in_review:
        docx_layout.paragraph(document, in_review_note(), italic=True, size=12)
    register = _("Register to %(end)s") % {"end": short_date(end)} if undated else _("Register")
    headers = [_("No."), _("Indicator and source"), _("Period of the figure"), _("Reported"), register]
    widths = [1.0, 7.0, 2.4, 2.8, 2.8] if undated else [1.0, 4.4, 2.3, 2.7, 2.6, 3.0]
    if not undated:
        headers.append(_("Difference"))
    body = []
    for number, row in enumerate(rows, start=1):
        fig = row.figure
        about = [fig.scope.name]
        if fig.partner:
            about.append(_("with %(partner)s") % {"partner": fig.partner.name})
        notes = " · ".join(about) + "\n" + _("Source: %(source)s") % {"source": source_line(fig.source)}
        notes += f"\n“{fig.excerpt}”"
        register_text = quantity(row.register, fig.unit) if row.computed else _("not computed from records")
        cells = [str(number), (fig.get_indicator_display(), notes), _figure_period(fig), reported(fig), register_text]
        if not undated:
            difference = row.difference
            sign = "+" if difference is not None and difference > 0 else ""
            cells.append("—" if difference is None else sign + quantity(difference, fig.unit))
        body.append(cells)
    # One point smaller than the other tables: money with its qualifier must fit on one line.
    docx_layout.data_table(document, headers, body, widths, numeric={0, 3, 4, 5}, size=docx_layout.TABLE_PT - 1)


def _sources(document, rows):
    seen = {}
    for row in rows:
        seen.setdefault(row.figure.source_id, row.figure.source)
    if not seen:
        return
    docx_layout.heading(document, _("Sources"), level=3)
    for number, source in enumerate(seen.values(), start=1):
        para = docx_layout.paragraph(document, f"{number}. {source_line(source)}", size=12, space_after=2)
        if source.url:
            docx_layout.add_run(para, f" — {source.url}", italic=True, size=11)


def unknown_sizes_note(out, inbound):
    """The person counts add the recorded sizes only: say how many delegations they leave out."""
    return _(
        "Person counts add the delegations whose number of persons is recorded; %(out)s outbound and %(in)s "
        "inbound delegations have no recorded size."
    ) % {"out": formatting.number(out["no_size"]), "in": formatting.number(inbound["no_size"])}


def period_document(report, start, end, preset, user, today):
    document = docx_layout.new_document()
    office = shown_profile(user)
    docx_layout.administrative_heading(
        document, today, issuer=office.issuer_lines(), place=office.place, number_symbol=office.report_symbol
    )
    docx_layout.title(document, _("REPORT"), title_lines(start, end, preset))
    docx_layout.paragraph(document, scope_note(user, report["in_review"]), italic=True, indent=True)
    out, inbound, agreements = report["outbound"], report["inbound"], report["agreements"]
    summary = _(
        "In the period the province sent %(out)s delegations abroad (%(out_persons)s person-trips) and received "
        "%(in)s foreign delegations (%(in_persons)s persons); %(signed)s international agreements were signed and "
        "%(active)s projects were under way."
    ) % {
        "out": formatting.number(out["delegations"]),
        "out_persons": formatting.number(out["persons"]),
        "in": formatting.number(inbound["delegations"]),
        "in_persons": formatting.number(inbound["persons"]),
        "signed": formatting.number(agreements["signed"]),
        "active": formatting.number(report["projects"]["total"]["active"]),
    }
    docx_layout.paragraph(document, summary, indent=True)
    if out["no_size"] or inbound["no_size"]:
        docx_layout.paragraph(document, unknown_sizes_note(out, inbound), indent=True)

    tables = record_tables(report, end)
    kinds, outbound_table, inbound_table, border_table, domestic, *agreement_tables, projects, twinning, conferences = (
        tables
    )
    docx_layout.heading(document, _("1–2. Delegations abroad and received"))
    docx_layout.heading(document, kinds.caption, level=3)
    _word_table(document, kinds)
    for table in (outbound_table, inbound_table, border_table):
        docx_layout.heading(document, table.caption, level=3)
        _word_table(document, table)
    docx_layout.paragraph(
        document,
        _(
            "A delegation whose partners are in two countries counts once under each; the total row counts it "
            "once. Delegations are counted by their start date."
        ),
        italic=True,
        size=12,
    )
    docx_layout.heading(document, domestic.caption)
    for note in domestic.notes:
        docx_layout.paragraph(document, note, indent=True)
    if domestic.rows:
        _word_table(document, domestic)

    docx_layout.heading(document, _("4. International agreements"))
    for note in agreement_tables[0].notes:
        docx_layout.paragraph(document, note, indent=True)
    if agreements["signed"]:
        for table in agreement_tables:
            docx_layout.heading(document, table.caption, level=3)
            _word_table(document, table)

    for table in (projects, twinning):
        docx_layout.heading(document, table.caption)
        _word_table(document, table)
        for note in table.notes:  # what the đồng totals leave out, not converted
            docx_layout.paragraph(document, note, italic=True, size=12)

    docx_layout.heading(document, _("7. Reported figures and the register"))
    if report["figures"]:
        _figures(document, report["figures"], undated=False, end=end, in_review=report["in_review"])
    else:
        docx_layout.paragraph(document, _("No reported figure covers this period."), italic=True)
    if report["undated_figures"]:
        docx_layout.heading(document, _("Figures with no end date"), level=3)
        _figures(document, report["undated_figures"], undated=True, end=end, in_review=report["in_review"])
    _sources(document, [*report["figures"], *report["undated_figures"]])

    docx_layout.heading(document, conferences.caption)
    if conferences.rows:
        _word_table(document, conferences)
    else:
        docx_layout.paragraph(document, _("No international conference or seminar opened in the period."), italic=True)
    for note in conferences.notes:
        docx_layout.paragraph(document, note, italic=True, size=12)
    docx_layout.ending(document, office.signer_title)
    return document


def period_docx(request):
    period = _period(request)
    if period is None:
        return _back_to_the_page(request)
    start, end, preset, in_review = period
    report = period_report(request.user, start, end, in_review)
    document = period_document(report, start, end, preset, request.user, timezone.localdate())
    return docx_layout.docx_response(document, filename(start, end, "docx"))
