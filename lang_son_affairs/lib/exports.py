"""A list page as a spreadsheet: CSV or XLSX of exactly the rows its filters
select, in its order, with the columns of ``<app>/columns.py``.

Both formats stream and keep memory flat whatever the number of rows:

- rows are read as ``values_list`` tuples through ``.iterator()`` in chunks of
  ``CHUNK_SIZE`` (no model instances, no query per row); the names of related
  records held in many-to-many tables are read with one query per chunk;
- the CSV is a ``StreamingHttpResponse`` over a generator that yields one
  encoded block per chunk;
- the XLSX is written by XlsxWriter in ``constant_memory`` mode (one row in
  memory at a time) into an anonymous temporary file, then streamed from it by
  ``FileResponse``.

Cell formats are the contract with the admin imports: choices by their label,
booleans "Có"/"Không", related records by name, several names joined by
``NAMES_SEPARATOR``, dates dd/mm/yyyy in CSV and date cells in XLSX, numbers as
plain digits with a "." decimal point in CSV (134525000, 1234.50) and as real
numbers in XLSX. Text that a spreadsheet would run as a formula is neutralised
(lib/cells.py) in both.
"""

import csv
import datetime as dt
import io
import tempfile
from itertools import islice, repeat

import xlsxwriter
from django.db.models import Case, F, Q, Value, When
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.views import View

from lang_son_affairs.lib.cells import FORMULA_TRIGGERS, neutralise
from lang_son_affairs.lib.models import PublishableModel, ReviewState
from lang_son_affairs.lib.tabular import NAMES_SEPARATOR, NO, YES

CHUNK_SIZE = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system (past its 1900 leap-year bug)
TEXT_KINDS = {"text", "name", "names"}


def signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


def name_field(model):
    """The field a related record is known by in a spreadsheet: its name, else its title."""
    return "name" if any(f.name == "name" for f in model._meta.get_fields()) else "title"


class Sheet:
    """One sheet of an export: its title, its columns and how their cells are read.

    ``lookups`` are callables ``f(ids) -> {column key: {id: text}}`` for columns
    that are neither a field nor a many-to-many field (a project's participants
    by role); each is called once per chunk. ``children`` are sheets of records
    that belong to these rows (a project's transactions), written beside the
    parent rows chunk by chunk, in the parent's order.
    """

    def __init__(self, title, columns, *, lookups=(), children=()):
        self.title, self.columns, self.lookups, self.children = title, columns, tuple(lookups), tuple(children)


class ChildSheet(Sheet):
    """Rows of ``queryset`` whose ``parent_field`` is one of the parent chunk's ids."""

    def __init__(self, title, columns, *, queryset, parent_field, **kwargs):
        super().__init__(title, columns, **kwargs)
        self.queryset, self.parent_field = queryset, parent_field


class Reader:
    """Reads a sheet's cells, one chunk at a time, as one list of raw values per
    column. Built per request: whether related records' names show depends on
    the viewer."""

    def __init__(self, sheet, user, *, lead=()):
        self.sheet = sheet
        self.fields = ["pk", *lead]
        self.positions = []  # per column: its index in the values_list row, None when looked up per chunk
        self.m2m = []
        for column in sheet.columns:
            if column.kind == "names":
                self.positions.append(None)
                if column.model_field is not None:
                    self.m2m.append((column.key, many_to_many_names(column)))
            else:
                self.positions.append(len(self.fields))
                self.fields.append(self.source(column, user))

    @staticmethod
    def source(column, user):
        """What values_list reads for the column: a field, a path across a foreign
        key, or, for a publishable related record a visitor may not see, nothing."""
        if column.source:
            return column.source
        if column.kind != "name":
            return column.model_field.attname if column.model_field is not None else column.key
        path = f"{column.key}__{name_field(column.related_model)}"
        if issubclass(column.related_model, PublishableModel) and not signed_in(user):
            published = Q((f"{column.key}__is_public", True), (f"{column.key}__review_state", ReviewState.APPROVED))
            return Case(When(published, then=F(path)), default=Value(""))
        return path

    def rows(self, queryset):
        # The list's prefetches would run per chunk on model instances; the names
        # they fetch are read here with one query per chunk instead.
        return queryset.prefetch_related(None).values_list(*self.fields)

    def values(self, chunk):
        """(ids, [values of column 0, values of column 1, ...]) for a list of rows."""
        by_position = list(zip(*chunk, strict=True)) if chunk else [()] * len(self.fields)
        ids = by_position[0]
        names = {key: fetch(ids) for key, fetch in self.m2m}
        for lookup in self.sheet.lookups:
            names.update(lookup(ids))
        values = []
        for column, position in zip(self.sheet.columns, self.positions, strict=True):
            if position is None:
                found = names.get(column.key, {})
                values.append(list(map(found.get, ids, repeat(""))))
            else:
                values.append(by_position[position])
        return ids, values


def many_to_many_names(column):
    """f(ids) -> {id: "name; name"}: the related records' names of each row, in
    name order as the list shows them, with one query on the link table."""
    field = column.model_field
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    name = f"{target}__{name_field(column.related_model)}"

    def fetch(ids):
        found = {}
        links = through.objects.filter(Q((f"{source}_id__in", ids))).order_by(name, f"{target}_id")
        for owner, related in links.values_list(f"{source}_id", name):
            found.setdefault(owner, []).append(related)
        return {owner: NAMES_SEPARATOR.join(names) for owner, names in found.items()}

    return fetch


def chunks(queryset, reader):
    """Yields (ids, column values) for each chunk of the queryset's rows."""
    rows = reader.rows(queryset).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        yield reader.values(chunk)


def child_values(child, reader, ids):
    """The child sheet's column values for a parent chunk: one query, rows grouped
    by parent in the parent's order (the queryset's own order within a parent)."""
    position = {parent: index for index, parent in enumerate(ids)}
    rows = reader.rows(child.queryset.filter(Q((f"{child.parent_field}__in", ids))))
    return reader.values(sorted(rows, key=lambda row: position[row[1]]))[1]


# --- cells -------------------------------------------------------------------


class Labels(dict):
    """Value -> label; an unknown value (a code removed since) shows as itself."""

    def __missing__(self, value):
        return "" if value is None else str(value)


class DateText(dict):
    """date -> "dd/mm/yyyy", each distinct date formatted once."""

    def __missing__(self, value):
        text = self[value] = "" if value is None else f"{value.day:02d}/{value.month:02d}/{value.year}"
        return text


class ExcelDate(dict):
    """date -> Excel serial day number, each distinct date converted once."""

    def __missing__(self, value):
        number = self[value] = None if value is None else (value - EXCEL_EPOCH).days
        return number


def text_cells(values):
    # Most text is safe: neutralise() runs only on the rare cell that starts like a formula.
    return [(neutralise(v) if v.startswith(FORMULA_TRIGGERS) else v) if v else "" for v in values]


def cell_converter(column, file_format):
    """A function from a column's raw values to its cells, for the format."""
    kind = column.kind
    if kind in TEXT_KINDS:
        return text_cells
    if kind == "choice":
        labels = Labels({value: str(label) for value, label in column.choices})
        labels[""] = ""
        return lambda values: list(map(labels.__getitem__, values))
    if kind == "bool":
        labels = Labels({True: str(YES), False: str(NO)})
        return lambda values: list(map(labels.__getitem__, values))
    if kind == "date":
        dates = DateText() if file_format == "csv" else ExcelDate()
        return lambda values: list(map(dates.__getitem__, values))
    if kind == "decimal" and file_format == "csv":
        # Plain digits and a "." point: str() would write a stored 0.000000 as 0E-6.
        return lambda values: ["" if v is None else format(v, "f") for v in values]
    return list  # numbers as they are (csv writes None as "")


def headers(columns):
    return [str(column.header) for column in columns]


# --- CSV ---------------------------------------------------------------------


def csv_blocks(queryset, reader, header, converters):
    """The CSV as UTF-8 blocks: the BOM (so that Excel reads Vietnamese) and the
    header, then one block per chunk of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for _ids, values in chunks(queryset, reader):
        buffer.seek(0)
        buffer.truncate()
        cells = [convert(column) for convert, column in zip(converters, values, strict=True)]
        writer.writerows(zip(*cells, strict=True))
        yield buffer.getvalue().encode("utf-8")


def csv_response(queryset, sheet, user, filename):
    # Labels and headers are turned into text now, under the request's language:
    # the generator runs after the view has returned.
    converters = [cell_converter(column, "csv") for column in sheet.columns]
    blocks = csv_blocks(queryset, Reader(sheet, user), headers(sheet.columns), converters)
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


class SheetWriter:
    """Writes one sheet row by row: bold frozen header, column widths, typed cells."""

    def __init__(self, workbook, sheet, header_format):
        title = "".join(c for c in str(sheet.title) if c not in "[]:*?/\\")[:31]
        self.worksheet = workbook.add_worksheet(title)
        self.columns = sheet.columns
        self.next_row = 1
        self.converters = [cell_converter(column, "xlsx") for column in sheet.columns]
        # XlsxWriter's undecorated writers: the public ones only add A1-notation
        # parsing, which costs a call per cell. Text always goes through the string
        # writer, so it is never read as a formula or a number.
        ws = self.worksheet
        self.writers = []
        for index, column in enumerate(sheet.columns):
            ws.set_column(index, index, column.width)
            if column.kind in {"int", "decimal", "date"}:
                cell_format = workbook.add_format({"num_format": number_format(column)})
                self.writers.append((ws._write_number, cell_format))
            else:
                self.writers.append((ws._write_string, None))
        ws.freeze_panes(1, 0)
        for index, header in enumerate(headers(sheet.columns)):
            ws.write_string(0, index, header, header_format)

    def write(self, values):
        cells = [convert(column) for convert, column in zip(self.converters, values, strict=True)]
        writers = list(enumerate(self.writers))
        row_number = self.next_row
        for row in zip(*cells, strict=True):
            for index, (write, cell_format) in writers:
                value = row[index]
                if value is not None and value != "":
                    write(row_number, index, value, cell_format)
            row_number += 1
        self.next_row = row_number

    def close(self):
        self.worksheet.autofilter(0, 0, max(self.next_row - 1, 1), len(self.columns) - 1)


def write_xlsx(target, queryset, sheet, user):
    """Writes the workbook into the open binary file ``target``."""
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    header_format = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    main = SheetWriter(workbook, sheet, header_format)
    children = [
        (child, Reader(child, user, lead=[child.parent_field]), SheetWriter(workbook, child, header_format))
        for child in sheet.children
    ]
    for ids, values in chunks(queryset, Reader(sheet, user)):
        main.write(values)
        for child, reader, writer in children:
            writer.write(child_values(child, reader, ids))
    for writer in [main, *(writer for _child, _reader, writer in children)]:
        writer.close()
    workbook.close()


def xlsx_response(queryset, sheet, user, filename):
    # An anonymous temporary file: removed by the system when the response closes it.
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 -- FileResponse closes it
    try:
        write_xlsx(target, queryset, sheet, user)
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
    filename = ""  # ASCII stem: "doan-ra-vao" -> doan-ra-vao-2026-11-23.csv
    file_format = "csv"

    def get(self, request, *args, **kwargs):
        page = self.list_page()
        page.setup(request, *args, **kwargs)
        _filterset, queryset, _sort = page.filtered_rows()
        filename = f"{self.filename}-{timezone.localdate():%Y-%m-%d}.{self.file_format}"
        if self.file_format == "xlsx":
            return xlsx_response(queryset, self.sheet, request.user, filename)
        return csv_response(queryset, self.sheet, request.user, filename)
