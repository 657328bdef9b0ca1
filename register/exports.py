"""A list page as a spreadsheet: CSV or XLSX of exactly the rows its filters
select, in its order, with the columns of ``<app>/columns.py``.

Both formats stream and keep memory flat whatever the number of rows:

- rows are read by one SELECT through a database cursor, ``CHUNK_SIZE`` rows
  at a time, as plain tuples (no model instances); the names of related records
  in many-to-many tables cost one query per chunk; nothing runs per row
  (register/sheets.py);
- the CSV is a ``StreamingHttpResponse`` over a generator that yields one
  encoded block per chunk; on PostgreSQL the database writes it instead, by
  ``COPY`` of the very same queryset, to the same bytes (register/copy_csv.py),
  unless a column is filled by a Python lookup (the projects' participants);
- the XLSX is written by XlsxWriter in ``constant_memory`` mode into an
  anonymous temporary file (its data rows a chunk at a time, common/xlsx_rows.py),
  then streamed from it by ``FileResponse``.

The work is done a column at a time over a chunk (labels by dictionary lookup,
each distinct date formatted once, text checked for formulas and quotes once
per column): a row costs microseconds, see scripts/benchmark_exports.py.

Cell formats are the contract with the admin imports: choices by their label,
booleans "Có"/"Không", related records by name, several names joined by
``NAMES_SEPARATOR``, dates dd/mm/yyyy in CSV and date cells in XLSX, numbers as
plain digits with a "." decimal point in CSV (134525000, 1234.50) and as real
numbers in XLSX. Text that a spreadsheet would run as a formula is neutralised
(common/cells.py) in both.
"""

import csv
import datetime as dt
import io
import itertools
import os
import re
import shutil
import tempfile
import threading
import zipfile

import xlsxwriter
import xlsxwriter.workbook
import xlsxwriter.worksheet
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.views import View

from common.cells import FORMULA_TRIGGERS, neutralise
from common.tabular import NO, YES
from common.xlsx_rows import SEPARATOR, FastRows
from register.copy_csv import copy_blocks, copy_statement
from register.export_titles import print_setup, title_lines, title_rows
from register.sheets import Reader, Sheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COPY_BUFFER = 1024 * 1024  # bytes per read when the sheet's rows are copied into its XML
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system (past its 1900 leap-year bug)
TEXT_KINDS = {"text", "name", "names"}
NUMBER_KINDS = {"int", "decimal", "date"}
# A cell after the first that starts like a formula, in a column joined by SEPARATOR.
FORMULA_AFTER_SEPARATOR = re.compile(re.escape(SEPARATOR) + "[" + re.escape("".join(FORMULA_TRIGGERS)) + "]")


# --- cells -------------------------------------------------------------------


class Labels(dict):
    """Value -> label; an unknown value (a code removed since) shows as itself."""

    def __missing__(self, value):
        return "" if value is None else str(value)


class DateText(dict):
    """date (or SQLite's "yyyy-mm-dd") -> "dd/mm/yyyy", each distinct date formatted once."""

    def __missing__(self, value):
        if value is None:
            text = ""
        elif isinstance(value, str):
            text = f"{value[8:10]}/{value[5:7]}/{value[:4]}"
        else:
            text = f"{value.day:02d}/{value.month:02d}/{value.year}"
        self[value] = text
        return text


class ExcelDate(dict):
    """date (or SQLite's "yyyy-mm-dd") -> Excel serial day number, each distinct date converted once."""

    def __missing__(self, value):
        if value is None:
            number = None
        else:
            day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
            number = (day - EXCEL_EPOCH).days
        self[value] = number
        return number


def text_values(values):
    """A column's text, None as "", neutralised where it starts like a formula.
    Checked for the whole column at once: most columns need nothing."""
    if None in values:
        values = ["" if v is None else v for v in values]
    joined = SEPARATOR.join(values)
    if (
        joined.count(SEPARATOR) != len(values) - 1
        or joined.startswith(FORMULA_TRIGGERS)
        or FORMULA_AFTER_SEPARATOR.search(joined)
    ):
        values = [(neutralise(v) if v.startswith(FORMULA_TRIGGERS) else v) for v in values]
    return list(values)


def column_labels(column):
    """A choice or boolean column's Labels (value -> label text), else None."""
    if column.kind not in {"choice", "bool"}:
        return None
    pairs = column.choices if column.kind == "choice" else [(True, YES), (False, NO)]
    labels = Labels({value: str(label) for value, label in pairs})
    labels[""] = ""
    return labels


def cell_converter(column, file_format):
    """A function from a column's raw values to its cells, for the format:
    text for text, labels and (in CSV) dates; numbers for numbers and (in XLSX)
    dates as Excel serial numbers."""
    kind = column.kind
    if kind in TEXT_KINDS:
        return text_values
    if kind in {"choice", "bool"}:
        labels = column_labels(column)
        return lambda values: list(map(labels.__getitem__, values))
    if kind == "date":
        dates = DateText() if file_format == "csv" else ExcelDate()
        return lambda values: list(map(dates.__getitem__, values))
    if kind == "decimal":
        # Plain digits and a "." point: str() could write a Decimal as 1E+3.
        return lambda values: ["" if v is None else format(v, "f") for v in values]
    if file_format == "csv":
        return lambda values: ["" if v is None else v for v in values] if None in values else values
    return list


def headers(columns):
    return [str(column.header) for column in columns]


# --- CSV ---------------------------------------------------------------------


def csv_line_format(columns):
    """A %-template for one CSV line: text-like cells always quoted (their quotes
    doubled beforehand), numbers and dates bare, as Excel and csv.reader read them."""
    return ",".join("%s" if column.kind in NUMBER_KINDS else '"%s"' for column in columns) + "\r\n"


def csv_quoted(values):
    """Doubles the quotes of a column's text, the whole column at once."""
    joined = SEPARATOR.join(values)
    if '"' not in joined:
        return values
    if joined.count(SEPARATOR) != len(values) - 1:
        return [v.replace('"', '""') for v in values]
    return joined.replace('"', '""').split(SEPARATOR)


def csv_blocks(queryset, reader, header, converters, quoted, line_format):
    """The CSV as UTF-8 blocks: the header block, then one block per chunk of rows."""
    yield header
    for _ids, values in reader.chunks(queryset):
        cells = [
            csv_quoted(convert(column)) if quote else convert(column)
            for convert, quote, column in zip(converters, quoted, values, strict=True)
        ]
        yield "".join(map(line_format.__mod__, zip(*cells, strict=True))).encode("utf-8")


def header_block(columns):
    """The BOM (so that Excel reads Vietnamese) and the header line."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(headers(columns))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def copied_blocks(queryset, sheet, user):
    """PostgreSQL's own CSV of the rows (register/copy_csv.py), or None where that
    path does not apply (SQLite, a column filled in Python)."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    header = header_block(sheet.columns)
    try:
        statement = copy_statement(queryset, sheet, user)
    except EmptyResultSet:
        return iter([header])
    if statement is None:
        return None
    return itertools.chain([header], copy_blocks(statement))


def csv_response(queryset, sheet, user, filename):
    # Labels and headers become text now, under the request's language: the
    # generator runs after the view has returned.
    blocks = copied_blocks(queryset, sheet, user)
    if blocks is None:
        converters = [cell_converter(column, "csv") for column in sheet.columns]
        quoted = [column.kind not in NUMBER_KINDS for column in sheet.columns]
        blocks = csv_blocks(
            queryset,
            Reader(sheet, user),
            header_block(sheet.columns),
            converters,
            quoted,
            csv_line_format(sheet.columns),
        )
    response = StreamingHttpResponse(blocks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- XLSX --------------------------------------------------------------------


def number_format(column):
    if column.kind == "date":
        return "dd/mm/yyyy"
    if column.key == "id" or column.key.endswith("_id"):
        return "0"  # record numbers read 1234, not 1.234
    places = getattr(column.model_field, "decimal_places", 0) or 0
    return "#,##0." + "0" * places if places else "#,##0"


def xlsx_kind(column):
    """How common/xlsx_rows.py writes the column's cells."""
    if column.kind in {"text", "names"}:
        return "text"
    if column.kind in {"choice", "bool", "name"}:
        return "repeated text"
    if column.kind == "date" or (column.kind == "int" and number_format(column) != "0"):
        return "repeated number"
    return "number"  # record numbers and amounts: mostly distinct


class SheetWriter:
    """One sheet: title rows (``preamble``: (text, format) pairs), a bold frozen
    header with autofilter, column widths, typed cells, a print setup."""

    def __init__(self, workbook, sheet, header_format, preamble=()):
        title = "".join(c for c in str(sheet.title) if c not in "[]:*?/\\")[:31]
        worksheet = self.worksheet = workbook.add_worksheet(title)
        self.columns = sheet.columns
        # Choices and booleans go to the sheet as codes: their cells are made once per code.
        labels = [column_labels(column) for column in sheet.columns]
        self.converters = [
            list if named is not None else cell_converter(column, "xlsx")
            for column, named in zip(sheet.columns, labels, strict=True)
        ]
        styles = []
        for index, column in enumerate(sheet.columns):
            worksheet.set_column(index, index, column.width)
            if column.kind in NUMBER_KINDS:
                styles.append(workbook.add_format({"num_format": number_format(column)})._get_xf_index())
            else:
                styles.append(None)
        # The title rows, one cell each (register/import_reading.py skips them), then the header.
        for row, (line, style) in enumerate(preamble):
            worksheet.write_string(row, 0, line, style)
        self.header_row = len(preamble)
        print_setup(worksheet, self.header_row)
        for index, header in enumerate(headers(sheet.columns)):
            worksheet.write_string(self.header_row, index, header, header_format)
        self.rows = FastRows(worksheet, [xlsx_kind(column) for column in sheet.columns], styles, labels)
        self.rows.start(self.header_row + 1)

    def write(self, values):
        self.rows.write([convert(column) for convert, column in zip(self.converters, values, strict=True)])

    def close(self):
        last = max(self.rows.next_row - 1, self.header_row + 1)
        self.worksheet.autofilter(self.header_row, 0, last, len(self.columns) - 1)


# Where a sheet's XML holds its rows: the row file's path between these, put in
# by ExportWorksheet, replaced by the file's content as the sheet is zipped.
ROWS_MARKER_START, ROWS_MARKER_END = b"\x00rows:", b"\x00"


class _FastZipFile(zipfile.ZipFile):
    """XlsxWriter's ZipFile for an export: zlib's fastest level, and each
    sheet's rows read from their own file straight into the sheet's entry."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("compresslevel", 1)
        super().__init__(*args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs):
        if os.path.getsize(filename) > COPY_BUFFER:  # a part with its rows in it
            return super().write(filename, arcname, *args, **kwargs)
        with open(filename, "rb") as part:
            content = part.read()
        start = content.find(ROWS_MARKER_START)
        if start < 0:
            return super().write(filename, arcname, *args, **kwargs)
        end = content.index(ROWS_MARKER_END, start + len(ROWS_MARKER_START))
        rows_filename = os.fsdecode(content[start + len(ROWS_MARKER_START) : end])
        entry = zipfile.ZipInfo.from_file(filename, arcname)
        entry.compress_type, entry._compresslevel = self.compression, self.compresslevel
        size = len(content) - (end + 1 - start) + os.path.getsize(rows_filename)
        with self.open(entry, "w", force_zip64=size > zipfile.ZIP64_LIMIT) as sheet, open(rows_filename, "rb") as rows:
            sheet.write(content[:start])
            shutil.copyfileobj(rows, sheet, COPY_BUFFER)
            sheet.write(content[end + 1 :])
        os.unlink(rows_filename)
        return None


_store_lock = threading.Lock()


class ExportWorksheet(xlsxwriter.worksheet.Worksheet):
    """A constant_memory sheet whose row file goes into the zip as it is.
    XlsxWriter reads it back as text and writes it again into the sheet's XML
    file, decoding and encoding every byte, which is then read again to be
    zipped (a third of a second for 100,000 rows): here the sheet's XML holds
    the row file's path (``ROWS_MARKER_START``), and _FastZipFile reads the
    rows from their file into the zip entry."""

    def _write_optimized_sheet_data(self):
        if self.dim_rowmin is None or not hasattr(self.fh, "buffer"):
            super()._write_optimized_sheet_data()
            return
        self._xml_start_tag("sheetData")
        self.row_data_fh.close()
        self.fh.flush()  # the text written so far, before the bytes go in under it
        self.fh.buffer.write(ROWS_MARKER_START + os.fsencode(self.row_data_filename) + ROWS_MARKER_END)
        self.fh.buffer.flush()
        self._xml_end_tag("sheetData")


class ExportWorkbook(xlsxwriter.Workbook):
    """A workbook zipped at zlib's fastest level instead of its default (6):
    compressing the sheet was half the time of a large export, for files about
    a third smaller. XlsxWriter opens its ZipFile inside _store_workbook() with
    no option for the level, so the class it uses is swapped for that call; the
    lock keeps two exports from swapping it back under each other (another
    workbook stored meanwhile is merely compressed faster)."""

    worksheet_class = ExportWorksheet

    def _store_workbook(self):
        with _store_lock:
            xlsxwriter.workbook.ZipFile = _FastZipFile
            try:
                super()._store_workbook()
            finally:
                xlsxwriter.workbook.ZipFile = zipfile.ZipFile
                for worksheet in self.worksheets():  # row files left by a failure
                    if worksheet.row_data_filename and os.path.exists(worksheet.row_data_filename):
                        os.unlink(worksheet.row_data_filename)


def write_xlsx(target, queryset, sheet, user, lines=()):
    """Writes the workbook into the open binary file ``target``; ``lines``
    (the list's title, then lines about the file) go above each sheet's header."""
    workbook = ExportWorkbook(target, {"constant_memory": True, "in_memory": False})
    header_format = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    preamble = title_rows(workbook, lines)
    main = SheetWriter(workbook, sheet, header_format, preamble)
    children = [
        (child, Reader(child, user, lead=[child.parent_field]), SheetWriter(workbook, child, header_format, preamble))
        for child in sheet.children
    ]
    for ids, values in Reader(sheet, user).chunks(queryset):
        main.write(values)
        for child, reader, writer in children:
            writer.write(reader.child_values(child, ids))
    for writer in [main, *(writer for _child, _reader, writer in children)]:
        writer.close()
    workbook.close()


def xlsx_response(queryset, sheet, user, filename, lines=()):
    # An anonymous temporary file: gone once the response has streamed and closed it.
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 -- FileResponse closes it
    try:
        write_xlsx(target, queryset, sheet, user, lines)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    response = FileResponse(target, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    response.block_size = 256 * 1024
    return response


# --- the view ----------------------------------------------------------------


class ExportView(View):
    """The rows of ``list_page`` (a FilteredListView) for this request's query
    string, as ``file_format`` ("csv" or "xlsx"): the same filters, ignored
    filter values and order as the page, without its pagination."""

    list_page = None
    sheet: Sheet = None
    title = ""  # the XLSX's title row: "Danh sách đoàn ra, đoàn vào"
    filename = ""  # ASCII stem: "doan-ra-vao" -> doan-ra-vao-2026-11-23.csv
    file_format = "csv"

    def get(self, request, *args, **kwargs):
        page = self.list_page()
        page.setup(request, *args, **kwargs)
        filterset, queryset, _sort = page.filtered_rows()
        filename = f"{self.filename}-{timezone.localdate():%Y-%m-%d}.{self.file_format}"
        sheet = self.get_sheet(request)
        if self.file_format == "xlsx":
            lines = title_lines(self.title or self.sheet.title, filterset, request.user)
            return xlsx_response(queryset, sheet, request.user, filename, lines)
        # A CSV is data: no title rows.
        return csv_response(queryset, sheet, request.user, filename)

    def get_sheet(self, request):
        """The sheet this request's file has (a subclass may add columns for its reader)."""
        return self.sheet
