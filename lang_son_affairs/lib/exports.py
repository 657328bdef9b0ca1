"""A list page as a spreadsheet: CSV or XLSX of exactly the rows its filters
select, in its order, with the columns of ``<app>/columns.py``.

Both formats stream and keep memory flat whatever the number of rows:

- rows are read by one SELECT through a database cursor, ``CHUNK_SIZE`` rows
  at a time, as plain tuples (no model instances); the names of related records
  in many-to-many tables cost one query per chunk; nothing runs per row;
- the CSV is a ``StreamingHttpResponse`` over a generator that yields one
  encoded block per chunk;
- the XLSX is written by XlsxWriter in ``constant_memory`` mode into an
  anonymous temporary file (its data rows a chunk at a time, lib/xlsx_rows.py),
  then streamed from it by ``FileResponse``.

The work is done a column at a time over a chunk (labels by dictionary lookup,
each distinct date formatted once, text checked for formulas and quotes once
per column): a row costs microseconds, see scripts/benchmark_exports.py.

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
import re
import tempfile
import threading
import zipfile

import xlsxwriter
import xlsxwriter.workbook
from django.db import connections
from django.db.models import BooleanField, Case, F, Q, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.sql.constants import MULTI
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.views import View

from lang_son_affairs.lib.cells import FORMULA_TRIGGERS, neutralise
from lang_son_affairs.lib.models import PublishableModel, ReviewState
from lang_son_affairs.lib.tabular import NAMES_SEPARATOR, NO, YES
from lang_son_affairs.lib.xlsx_rows import SEPARATOR, FastRows

CHUNK_SIZE = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system (past its 1900 leap-year bug)
TEXT_KINDS = {"text", "name", "names"}
NUMBER_KINDS = {"int", "decimal", "date"}
# A cell after the first that starts like a formula, in a column joined by SEPARATOR.
FORMULA_AFTER_SEPARATOR = re.compile(re.escape(SEPARATOR) + "[" + re.escape("".join(FORMULA_TRIGGERS)) + "]")


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


def ids_condition(model, field_name, ids):
    """``field IN (ids)`` as one raw condition: the ids are integers read from our
    own query, and a Django ``__in`` lookup would prepare each of them in Python."""
    connection = connections[model.objects.db]
    column = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(field_name)}"
    placeholders = ", ".join(["%s"] * len(ids))
    return RawSQL(f"{column} IN ({placeholders})", list(ids), output_field=BooleanField())  # noqa: S611 -- bound ids


class ManyToManyNames:
    """f(ids) -> {id: "name; name"}: the names of a many-to-many column, in name
    order as the list shows them. The related records' names are read once (one
    query, as many rows as there are partners or sectors, not records); each
    chunk then costs one query on the link table."""

    def __init__(self, column):
        field = column.model_field
        self.through = field.remote_field.through
        self.source = self.through._meta.get_field(field.m2m_field_name()).column
        self.source_key = f"{field.m2m_field_name()}_id"
        self.target_key = f"{field.m2m_reverse_field_name()}_id"
        self.related, self.names, self.rank = column.related_model, None, None

    def __call__(self, ids):
        if self.names is None:
            name = name_field(self.related)
            rows = list(self.related._default_manager.order_by(name, "pk").values_list("pk", name))
            self.names = dict(rows)
            self.rank = {pk: rank for rank, (pk, _name) in enumerate(rows)}
        found = {}
        links = self.through.objects.filter(ids_condition(self.through, self.source, ids)).order_by()
        for owner, target in links.values_list(self.source_key, self.target_key):
            if owner in found:
                found[owner].append(target)
            else:
                found[owner] = [target]
        names, rank = self.names, self.rank
        joined = {}
        for owner, targets in found.items():
            if len(targets) == 1:
                joined[owner] = names[targets[0]]
            else:
                targets.sort(key=rank.__getitem__)
                joined[owner] = NAMES_SEPARATOR.join(map(names.__getitem__, targets))
        return joined


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
                    self.m2m.append((column.key, ManyToManyNames(column)))
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
        # The list's prefetches would need model instances; the names they fetch
        # are read per chunk here instead.
        fields = self.fields
        if connections[queryset.db].vendor == "sqlite":
            # SQLite keeps dates as "yyyy-mm-dd" text and its driver would parse each
            # one in Python; the cell formats read the text as it is.
            dates = {column.model_field.attname for column in self.sheet.columns if column.kind == "date"}
            fields = [Cast(field, TextField()) if field in dates else field for field in fields]
        return queryset.prefetch_related(None).values_list(*fields)

    def chunks(self, queryset):
        """Yields (ids, column values) per chunk of rows, read through one cursor.

        The rows come as the database driver gives them: Django's per-value
        converters run only where a cell needs them (decimals on SQLite); dates
        (text on SQLite) and booleans (0/1 on SQLite) are read by the cell
        formats below, which take both forms."""
        rows = self.rows(queryset)
        # Django 5.2 selects values_list()'s fields and expressions in the order asked.
        compiler = rows.query.get_compiler(using=rows.db)
        results = compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=CHUNK_SIZE)
        kinds = dict(zip(self.positions, (column.kind for column in self.sheet.columns), strict=True))
        selected = [expression for expression, _sql, _alias in compiler.select[: len(self.fields)]]
        converters = [
            (position, functions, expression)
            for position, (functions, expression) in compiler.get_converters(selected).items()
            if kinds.get(position) not in {"date", "bool"}
        ]
        for chunk in results:
            raw = list(zip(*chunk, strict=True))
            for position, functions, expression in converters:
                column = raw[position]
                for convert in functions:
                    column = [convert(value, expression, compiler.connection) for value in column]
                raw[position] = column
            yield self.values(raw)

    def values(self, by_position):
        """(ids, [values of column 0, values of column 1, ...]) from the values of
        each asked-for field (``self.fields``), the record ids first."""
        ids = by_position[0] if by_position else ()
        names = {key: fetch(ids) for key, fetch in self.m2m} if ids else {}
        for lookup in self.sheet.lookups if ids else ():
            names.update(lookup(ids))
        values = []
        for column, position in zip(self.sheet.columns, self.positions, strict=True):
            if position is None:
                found = names.get(column.key, {})
                values.append([found.get(pk, "") for pk in ids])
            else:
                values.append(list(by_position[position]) if ids else [])
        return ids, values

    def child_values(self, child, ids):
        """A child sheet's column values for a parent chunk (this reader reads the
        child): one query, rows grouped by parent in the parent's order, the
        child queryset's own order within a parent."""
        position = {parent: index for index, parent in enumerate(ids)}
        rows = self.rows(child.queryset.filter(Q((f"{child.parent_field}__in", ids))))
        rows = sorted(rows, key=lambda row: position[row[1]])
        return self.values(list(zip(*rows, strict=True)) if rows else [])[1]


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


def cell_converter(column, file_format):
    """A function from a column's raw values to its cells, for the format:
    text for text, labels and (in CSV) dates; numbers for numbers and (in XLSX)
    dates as Excel serial numbers."""
    kind = column.kind
    if kind in TEXT_KINDS:
        return text_values
    if kind in {"choice", "bool"}:
        pairs = column.choices if kind == "choice" else [(True, YES), (False, NO)]
        labels = Labels({value: str(label) for value, label in pairs})
        labels[""] = ""
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
    """The CSV as UTF-8 blocks: the BOM (so that Excel reads Vietnamese) and the
    header, then one block per chunk of rows."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(header)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for _ids, values in reader.chunks(queryset):
        cells = [
            csv_quoted(convert(column)) if quote else convert(column)
            for convert, quote, column in zip(converters, quoted, values, strict=True)
        ]
        yield "".join(map(line_format.__mod__, zip(*cells, strict=True))).encode("utf-8")


def csv_response(queryset, sheet, user, filename):
    # Labels and headers become text now, under the request's language: the
    # generator runs after the view has returned.
    converters = [cell_converter(column, "csv") for column in sheet.columns]
    quoted = [column.kind not in NUMBER_KINDS for column in sheet.columns]
    blocks = csv_blocks(
        queryset, Reader(sheet, user), headers(sheet.columns), converters, quoted, csv_line_format(sheet.columns)
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
    """How lib/xlsx_rows.py writes the column's cells."""
    if column.kind in {"text", "names"}:
        return "text"
    if column.kind in {"choice", "bool", "name"}:
        return "repeated text"
    if column.kind == "date" or (column.kind == "int" and number_format(column) != "0"):
        return "repeated number"
    return "number"  # record numbers and amounts: mostly distinct


class SheetWriter:
    """One sheet: bold frozen header with autofilter, column widths, typed cells."""

    def __init__(self, workbook, sheet, header_format):
        title = "".join(c for c in str(sheet.title) if c not in "[]:*?/\\")[:31]
        worksheet = self.worksheet = workbook.add_worksheet(title)
        self.columns = sheet.columns
        self.converters = [cell_converter(column, "xlsx") for column in sheet.columns]
        styles = []
        for index, column in enumerate(sheet.columns):
            worksheet.set_column(index, index, column.width)
            if column.kind in NUMBER_KINDS:
                styles.append(workbook.add_format({"num_format": number_format(column)})._get_xf_index())
            else:
                styles.append(None)
        worksheet.freeze_panes(1, 0)
        for index, header in enumerate(headers(sheet.columns)):
            worksheet.write_string(0, index, header, header_format)
        self.rows = FastRows(worksheet, [xlsx_kind(column) for column in sheet.columns], styles)
        self.rows.start()

    def write(self, values):
        self.rows.write([convert(column) for convert, column in zip(self.converters, values, strict=True)])

    def close(self):
        self.worksheet.autofilter(0, 0, max(self.rows.next_row - 1, 1), len(self.columns) - 1)


class _FastZipFile(zipfile.ZipFile):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("compresslevel", 1)
        super().__init__(*args, **kwargs)


_store_lock = threading.Lock()


class ExportWorkbook(xlsxwriter.Workbook):
    """A workbook zipped at zlib's fastest level instead of its default (6):
    compressing the sheet was half the time of a large export, for files about
    a third smaller. XlsxWriter opens its ZipFile inside _store_workbook() with
    no option for the level, so the class it uses is swapped for that call; the
    lock keeps two exports from swapping it back under each other (another
    workbook stored meanwhile is merely compressed faster)."""

    def _store_workbook(self):
        with _store_lock:
            xlsxwriter.workbook.ZipFile = _FastZipFile
            try:
                super()._store_workbook()
            finally:
                xlsxwriter.workbook.ZipFile = zipfile.ZipFile


def write_xlsx(target, queryset, sheet, user):
    """Writes the workbook into the open binary file ``target``."""
    workbook = ExportWorkbook(target, {"constant_memory": True, "in_memory": False})
    header_format = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    main = SheetWriter(workbook, sheet, header_format)
    children = [
        (child, Reader(child, user, lead=[child.parent_field]), SheetWriter(workbook, child, header_format))
        for child in sheet.children
    ]
    for ids, values in Reader(sheet, user).chunks(queryset):
        main.write(values)
        for child, reader, writer in children:
            writer.write(reader.child_values(child, ids))
    for writer in [main, *(writer for _child, _reader, writer in children)]:
        writer.close()
    workbook.close()


def xlsx_response(queryset, sheet, user, filename):
    # An anonymous temporary file: gone once the response has streamed and closed it.
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
