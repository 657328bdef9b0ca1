"""The period report as an XLSX workbook: a summary sheet, then one sheet per
table of the page. Numbers and money are real numbers (``#,##0``), dates real
dates shown as dd/mm/yyyy (mm/yyyy or yyyy when only the month or year is
known), every sheet has a bold header row frozen in place and a total row
where the page has one. Text goes through ``neutralise`` so that a title
starting with ``=`` is shown, never run.

The report is small (its lists stop at LIST_LIMIT rows), so the workbook is
built in memory rather than streamed."""

import datetime as dt
import math
import re
from decimal import Decimal
from io import BytesIO

import xlsxwriter
from django.utils.translation import gettext as _

from common.cells import neutralise
from reports.tables_period import Column, Table, figure_table, in_review_note, mark_in_review, record_tables, short_date

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NUMBER_FORMATS = {
    "count": "#,##0",
    "vnd": "#,##0",
    "usd": "#,##0",
    "number": "#,##0",
    "percent": "0.0%",
}
DATE_FORMATS = {"day": "dd/mm/yyyy", "month": "mm/yyyy", "year": "yyyy"}
MAX_WIDTH = 45
LINE_HEIGHT = 15  # points per line of 11 pt text
SHEET_NAME_LENGTH = 31


def sheet_name(text, taken):
    """A valid, unique sheet name: no []:*?/\\ , at most 31 characters."""
    name = re.sub(r"[\[\]:*?/\\]", " ", str(text)).strip()[:SHEET_NAME_LENGTH].strip() or "Sheet"
    candidate, n = name, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate, n = name[: SHEET_NAME_LENGTH - len(suffix)] + suffix, n + 1
    taken.add(candidate.casefold())
    return candidate


class Formats:
    """XlsxWriter formats, made once per (kind, bold, precision) and reused."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.cache = {}
        self.header = workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E7EEF7", "border": 1}
        )
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.note = workbook.add_format({"italic": True})

    def get(self, kind, *, bold=False, num_format=None):
        key = (kind, bold, num_format)
        if key not in self.cache:
            spec = {"valign": "top", "bold": bold}
            if bold:
                spec["top"] = 1
            if kind == "text":
                spec["text_wrap"] = True
            if num_format or kind in NUMBER_FORMATS:
                spec["num_format"] = num_format or NUMBER_FORMATS[kind]
            self.cache[key] = self.workbook.add_format(spec)
        return self.cache[key]


def _display_length(column, value):
    """About how many characters the cell shows: for column widths and row heights."""
    if value is None or value == "":
        return 0
    if column.kind == "date":
        return 10
    if column.kind in NUMBER_FORMATS and isinstance(value, int | float | Decimal):
        return len(f"{float(value):,.0f}") + 2
    return max((len(line) for line in str(value).split("\n")), default=0)


def _lines(text, width):
    """Lines a wrapped text takes in a column ``width`` characters wide."""
    return sum(max(1, math.ceil(len(line) / max(width - 1, 1))) for line in str(text).split("\n"))


def _write_cell(sheet, formats, row, col, column, value, *, bold=False):
    if value is None or value == "":
        sheet.write_blank(row, col, None, formats.get(column.kind, bold=bold))
    elif column.kind == "date":
        day, precision = value
        fmt = formats.get("date", bold=bold, num_format=DATE_FORMATS.get(precision, DATE_FORMATS["day"]))
        sheet.write_datetime(row, col, dt.datetime.combine(day, dt.time()), fmt)
    elif column.kind in NUMBER_FORMATS and isinstance(value, int | float | Decimal):
        number = float(value) / 100 if column.kind == "percent" else float(value)
        num_format = None
        if column.kind == "number" and Decimal(value) != Decimal(value).to_integral_value():
            num_format = "#,##0.00"
        sheet.write_number(row, col, number, formats.get(column.kind, bold=bold, num_format=num_format))
    else:
        sheet.write_string(row, col, neutralise(str(value)), formats.get("text", bold=bold))


def _widths(table):
    """Characters per column: the longest value, at least the header's longest word, at most MAX_WIDTH."""
    widths = []
    for col, column in enumerate(table.columns):
        values = [row[col] for row in [*table.rows, *([table.total] if table.total else [])]]
        longest_word = max((len(word) for word in column.header.split()), default=0)
        needed = max([_display_length(column, v) for v in values] + [longest_word, min(len(column.header), 16), 8])
        widths.append(min(needed + 2, MAX_WIDTH))
    return widths


def write_table(workbook, formats, table: Table, taken):
    """One sheet: intro lines, the header row (frozen with what is above it),
    the rows, the total row, then the notes. XlsxWriter does not fit row
    heights to wrapped text, so each row gets the height of its longest cell."""
    sheet = workbook.add_worksheet(sheet_name(table.sheet, taken))
    # Printed (or converted to PDF): A4 landscape, one page wide, the header row on every page.
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    for line_index, (line, is_title) in enumerate(table.intro):
        sheet.write_string(line_index, 0, neutralise(str(line)), formats.title if is_title else formats.note)
    top = len(table.intro) + 1 if table.intro else 0
    widths = _widths(table)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    for col, column in enumerate(table.columns):
        sheet.write_string(top, col, column.header, formats.header)
    sheet.set_row(top, LINE_HEIGHT * max(_lines(c.header, w) for c, w in zip(table.columns, widths, strict=True)))
    body = [(values, False) for values in table.rows] + ([(table.total, True)] if table.total else [])
    row_index = top
    for row_index, (values, bold) in enumerate(body, start=top + 1):
        lines = 1
        for col, (column, value) in enumerate(zip(table.columns, values, strict=True)):
            _write_cell(sheet, formats, row_index, col, column, value, bold=bold)
            if column.kind == "text" and value:
                lines = max(lines, _lines(value, widths[col]))
        if lines > 1:
            sheet.set_row(row_index, LINE_HEIGHT * lines)
    notes = [in_review_note(), *table.notes] if table.in_review else table.notes
    for offset, note in enumerate(notes, start=2):
        sheet.write_string(row_index + offset, 0, neutralise(str(note)), formats.note)
    sheet.freeze_panes(top + 1, 0)
    sheet.repeat_rows(top)
    if table.rows and not table.intro:
        sheet.autofilter(top, 0, top + len(table.rows), len(table.columns) - 1)
    return sheet


def _summary(report, end, intro, tables):
    """The first sheet: what the workbook is, and the key figures."""
    rows = [
        [_("Outbound delegations"), report["outbound"]["delegations"]],
        [_("Outbound person-trips"), report["outbound"]["persons"]],
        [_("Outbound delegations with no recorded size"), report["outbound"]["no_size"]],
        [_("Inbound delegations"), report["inbound"]["delegations"]],
        [_("Inbound persons"), report["inbound"]["persons"]],
        [_("Inbound delegations with no recorded size"), report["inbound"]["no_size"]],
        [_("Border talks"), report["border"]["delegations"]],
        [_("Working visits of central and provincial leaders"), report["domestic"]["count"]],
        [_("Unclassified (no direction recorded)"), report["by_kind"]["rows"][-1]["delegations"]],
        [_("Total: every delegation of the period"), report["by_kind"]["total"]["delegations"]],
        [_("Agreements signed"), report["agreements"]["signed"]],
        [
            _("Agreements in force at the end of the period (%(end)s)") % {"end": short_date(end)},
            report["agreements"]["in_force"],
        ],
        [_("Projects under way"), report["projects"]["total"]["active"]],
        [_("Disbursed in the period (VND)"), report["projects"]["total"]["disbursed"]],
        [_("Twinning pairs"), report["twinning"]["total"]["established"]],
    ]
    table = Table(
        sheet=_("Key figures"),
        caption=_("Key figures"),
        columns=[Column(_("Indicator")), Column(_("Value"), "count")],
        rows=rows,
        notes=[_("Sheets:"), *(f"{table.sheet}: {table.caption}" for table in tables)],
        intro=intro,
    )
    return mark_in_review([table], report)[0]


def period_workbook(report, end, titles, notes):
    """The workbook's bytes. ``titles``: the report's title lines; ``notes``: what was counted, when."""
    tables = [
        *record_tables(report, end),
        figure_table(report["figures"], undated=False, end=end, report=report),
        figure_table(report["undated_figures"], undated=True, end=end, report=report),
    ]
    buffer = BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    formats = Formats(workbook)
    taken = set()
    intro = [(line, True) for line in titles] + [(line, False) for line in notes]
    for table in [_summary(report, end, intro, tables), *tables]:
        write_table(workbook, formats, table, taken)
    workbook.close()
    return buffer.getvalue()
