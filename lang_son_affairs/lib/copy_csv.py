"""The CSV export on PostgreSQL, written by PostgreSQL itself: ``COPY (SELECT
...) TO STDOUT WITH (FORMAT csv)`` over the list page's own queryset, its
cells already turned into the export's text by SQL expressions, streamed to
the response in blocks.

Why: reading 100,000 rows into Python (tuples, then text) cost more than the
whole target time of an export; PostgreSQL writes CSV several times faster
than Python reads rows. The bytes are exactly those of the Python path
(lib/exports.py, which SQLite keeps), cell by cell:

- choices and booleans by their label (a CASE over the labels, passed as
  query parameters), unknown codes as themselves;
- dates dd/mm/yyyy (``to_char``), numbers as PostgreSQL writes numeric and
  integer values (plain digits, "." point: what ``format(Decimal, "f")`` gives);
- related records by name, a visitor's unpublished ones blank (lib/sheets.py's
  ``Reader.source``);
- many-to-many names in name order joined by ``NAMES_SEPARATOR``: the COPY
  writes each row's linked ids behind a marker, Python puts in their names
  (``Copy.lines``: one regular expression a block, a dictionary lookup a row):
  a correlated ``string_agg`` joining the names cost PostgreSQL more than the
  rest of the row together; the linked ids are added by an outer SELECT around
  the list's own (``Copy.around``), so that PostgreSQL's parallel workers still
  compute the other cells;
- text that starts like a formula prefixed by an apostrophe (lib/cells.py);
- text-like cells always quoted (``FORCE_QUOTE``, blanks as ``""``), numbers and
  dates bare, blank numbers empty.

COPY ends lines with "\\n" where the Python path (and Excel) use "\\r\\n". A
last column holding a lone carriage return marks each line's end: in the
output it reads ``,"\\r"\\n``, which nothing else can (a quote inside a cell is
doubled, and only a field made of "\\r" alone opens with a quote followed by
"\\r"; text cells never are one, neutralising prefixes it), and is replaced by
"\\r\\n" a block at a time. A many-to-many cell (never the first) opens with the
same ``,"\\r`` (``NamesCells``), which no other cell does either.

psycopg2's ``copy_expert`` blocks until the COPY is done and hands each line to
a ``write()``: it runs in a thread that fills a small queue of blocks, which the
response's generator empties (putting the names in and the line ends right as it
goes). Memory holds a few blocks whatever the rows.
"""

import queue
import re
import threading
import time

from django.db import connections
from django.db.models import Case, CharField, F, Func, OrderBy, Q, Value, When
from django.db.models.functions import Cast, Coalesce

from lang_son_affairs.lib.cells import FORMULA_TRIGGERS
from lang_son_affairs.lib.sheets import CACHE_LIMIT, ManyToManyNames, Reader
from lang_son_affairs.lib.tabular import NAMES_SEPARATOR, NO, YES

ROW_PK = "row_pk"  # the inner SELECT's record id, for the many-to-many fields
BLOCK_SIZE = 256 * 1024  # bytes per block handed to the response
QUEUED_BLOCKS = 8  # blocks the COPY may run ahead of the client
LINE_END = b',"\r"\n'  # the marker column and COPY's line end
# A many-to-many field (NamesCells) with the comma before it: a search for its
# first two bytes, where a look-behind for "a line start or a comma" took ten times longer.
NAMES_FIELD = re.compile(rb'(,"\r[0-9]+:[0-9 ]*")')
NAMES_SEPARATOR_BYTES = NAMES_SEPARATOR.encode()
TRIGGER_BYTES = tuple(trigger.encode() for trigger in FORMULA_TRIGGERS)
NUMBER_KINDS = {"int", "decimal", "date"}


class Neutralised(Func):
    """Text as lib/cells.py's neutralise() leaves it: an apostrophe before a
    leading formula trigger. ascii() reads the first character's code, an
    integer test: a regular expression cost a third of the whole COPY."""

    output_field = CharField()
    CODES = ", ".join(str(ord(trigger)) for trigger in FORMULA_TRIGGERS)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        template = "(CASE WHEN ascii({0}) IN ({1}) THEN '''' || {0} ELSE {0} END)"
        return template.format(sql, self.CODES), (*params, *params, *params)


class DayMonthYear(Func):
    """A date as dd/mm/yyyy, the year unpadded as Python's f"{year}" writes it."""

    function = "to_char"
    output_field = CharField()

    def __init__(self, expression):
        super().__init__(expression, Value("DD/MM/FMYYYY"))


def text(expression):
    return Neutralised(Coalesce(expression, Value(""), output_field=CharField()))


def labelled(attname, pairs):
    """A choice or boolean column's label; a code without a label as itself, blank as ""."""
    labels = {value: str(label) for value, label in pairs}
    whens = [When(Q((attname, value)), then=Value(label)) for value, label in labels.items()]
    return Coalesce(Case(*whens, default=Cast(F(attname), CharField())), Value(""), output_field=CharField())


def cell_expression(column, user):
    """The SQL expression of one column's CSV cell, None when SQL cannot say it
    (a column filled by a Python lookup, a many-to-many column)."""
    kind = column.kind
    if kind == "names":
        return None
    source = Reader.source(column, user)
    if kind == "choice":
        return labelled(source, column.choices)
    if kind == "bool":
        return labelled(source, [(True, YES), (False, NO)])
    if kind == "date":
        return DayMonthYear(F(source))
    if kind in NUMBER_KINDS:
        return F(source)
    return text(F(source) if isinstance(source, str) else source)


class NamesCells(dict):
    """A many-to-many field as COPY writes it -> the quoted CSV cell of its names,
    as the Python path writes it (lib/sheets.py's ManyToManyNames, neutralised,
    quotes doubled).

    COPY writes the field ``"\\r<k>:<ids>"``: a carriage return, the number of
    the many-to-many column among the sheet's (``k``), then the linked ids in id
    order ("3 17", or nothing). Each distinct field is named once (this dict is
    its cache), from each related record's name quoted and encoded once."""

    def __init__(self, columns):
        super().__init__()
        self.columns = [ManyToManyNames(column) for column in columns]
        self.records = []  # per column: id as COPY writes it -> (rank in name order, quoted name)

    @staticmethod
    def field(number, column, row_pk, connection):
        """The SQL of the field for the sheet's ``number``th many-to-many column, for
        the row whose id is the SQL ``row_pk``: a correlated subquery on the link
        table (an index-only scan of its (row, related record) unique index)."""
        field = column.model_field
        through = field.remote_field.through._meta
        quote = connection.ops.quote_name
        source = quote(through.get_field(field.m2m_field_name()).column)
        target = quote(through.get_field(field.m2m_reverse_field_name()).column)
        marker = f"E'\\r{number}:'"
        # Quoted model names and a number: nothing from the request.
        ids = f"ARRAY(SELECT links.{target} FROM {quote(through.db_table)} links WHERE links.{source} = {row_pk})"  # noqa: S608
        return f"{marker} || array_to_string({ids}, ' ')"

    def load(self):
        """Reads the related records' names (one query a column), before the COPY holds the connection."""
        self.records = []
        for names in self.columns:
            names.load()
            records = Unknown()
            for pk, name in names.names.items():
                records[str(pk).encode()] = (names.rank[pk], name.replace('"', '""').encode())
            self.records.append(records)

    def __missing__(self, field):
        """``field`` comes with the comma before it (``NAMES_FIELD``), and so does its cell."""
        if len(self) >= CACHE_LIMIT:
            self.clear()
        number, _colon, linked = field[3:-1].partition(b":")
        named = sorted(map(self.records[int(number)].__getitem__, linked.split()))
        text = NAMES_SEPARATOR_BYTES.join([name for _rank, name in named])
        cell = self[field] = b',"' + (b"'" if text.startswith(TRIGGER_BYTES) else b"") + text + b'"'
        return cell


class Unknown(dict):
    """A record that is gone since (the Python path's blank name, first in order)."""

    def __missing__(self, pk):
        return (-1, b"")


class Copy:
    """One export's COPY: the statement, its database and the many-to-many
    columns whose names are put in by Python (``NamesCells``).

    A many-to-many column's cell is written by COPY as its linked ids behind a
    marker (``NamesCells.field``) and replaced by its names a block at a time,
    one regular expression over the block. Why: a correlated subquery joining
    the names (string_agg, in name order) cost PostgreSQL more than the rest
    of the row together, and cutting each line into its fields in Python cost
    more than the whole COPY."""

    def __init__(self, queryset, sheet, user):
        cells, m2m = {}, {}
        for index, column in enumerate(sheet.columns):
            if column.kind == "names" and column.model_field is not None:
                if index == 0:
                    raise LookupError(column.key)  # its field would have no comma before it
                m2m[index] = column
                continue
            expression = cell_expression(column, user)
            if expression is None:
                raise LookupError(column.key)
            cells[f"c{index}"] = expression
        self.names = NamesCells(m2m.values()) if m2m else None
        cells["line_end"] = Value("\r", output_field=CharField())
        order = sort_keys(queryset) if m2m else {}
        rows = queryset.prefetch_related(None).values(**cells, **({ROW_PK: F("pk")} if m2m else {}), **order)
        sql, params = rows.query.sql_with_params()
        quoted = [f'"c{i}"' for i, column in enumerate(sheet.columns) if column.kind not in NUMBER_KINDS]
        options = "FORMAT csv, FORCE_QUOTE (" + ", ".join([*quoted, '"line_end"']) + ")"
        self.alias = rows.db
        connection = connections[self.alias]
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            select = cursor.mogrify(sql, params).decode()
        if m2m:
            select = self.around(select, sheet, m2m, order, connection)
        self.statement = f"COPY ({select}) TO STDOUT WITH ({options})"

    @staticmethod
    def around(select, sheet, m2m, order, connection):
        """The rows' SELECT inside one that adds the many-to-many fields, in the same order.

        Why: a correlated subquery keeps PostgreSQL from computing a row's cells in
        its parallel workers, so the leader computed them all, a fifth of the
        COPY's time. In a subquery of its own (its ORDER BY keeps it from being
        merged into the outer query) the rows are computed and sorted by the
        workers; the outer query adds the linked ids and orders by the inner's
        sort keys, which PostgreSQL sees are already in order: no second sort."""
        row_pk = f'rows."{ROW_PK}"'
        numbers = {index: number for number, index in enumerate(m2m)}
        fields = [
            f'{NamesCells.field(numbers[index], m2m[index], row_pk, connection)} AS "c{index}"'
            if index in m2m
            else f'rows."c{index}"'
            for index in range(len(sheet.columns))
        ]
        fields.append('rows."line_end"')
        ordering = ", ".join(f'rows."{alias}"{direction}' for alias, direction in order.directions)
        # The inner SELECT was made by the ORM (its values quoted by mogrify), the rest is names.
        return f"SELECT {', '.join(fields)} FROM ({select}) rows ORDER BY {ordering}"  # noqa: S608

    def lines(self, block):
        """A block of COPY lines as the export's lines: names put in, "\\r\\n" ends."""
        block = block.replace(LINE_END, b"\r\n")
        if self.names is None:
            return block
        # Text and fields alternate; the fields are swapped for their cells without a Python call a row.
        pieces = NAMES_FIELD.split(block)
        pieces[1::2] = map(self.names.__getitem__, pieces[1::2])
        return b"".join(pieces)


class SortKeys(dict):
    """The queryset's ORDER BY as selected values (alias -> expression), with
    each key's direction for an outer ORDER BY (``directions``)."""

    def __init__(self):
        super().__init__()
        self.directions = []


def sort_keys(queryset):
    """The queryset's sort keys (SortKeys); LookupError where there is none or a
    key is not a plain expression (a random order, a name of a related model's field)."""
    keys = SortKeys()
    query = queryset.query
    ordering = query.order_by or (queryset.model._meta.ordering if query.default_ordering else ())
    for position, item in enumerate(ordering):
        alias = f"o{position}"
        if isinstance(item, str):
            if item == "?" or "__" in item or "." in item:
                raise LookupError(item)
            item = OrderBy(F(item.removeprefix("-")), descending=item.startswith("-"))
        elif not isinstance(item, OrderBy):
            item = OrderBy(item)
        direction = " DESC" if item.descending else " ASC"
        if item.nulls_first:
            direction += " NULLS FIRST"
        elif item.nulls_last:
            direction += " NULLS LAST"
        keys[alias] = item.expression
        keys.directions.append((alias, direction))
    if not keys or query.extra_order_by:
        raise LookupError("order")
    return keys


def copy_statement(queryset, sheet, user):
    """The export's Copy, or None when it cannot be one (a column filled by a
    Python lookup, a DISTINCT query). Raises EmptyResultSet when the filters
    select nothing."""
    if sheet.lookups or queryset.query.distinct:
        return None
    try:
        return Copy(queryset, sheet, user)
    except LookupError:
        return None


class _Blocks:
    """copy_expert's file: gathers lines into blocks and queues them as COPY
    wrote them; the response's generator makes them the export's lines
    (``Copy.lines``), so that meanwhile this thread reads on from the socket."""

    def __init__(self):
        self.queue = queue.Queue(QUEUED_BLOCKS)
        self.lines, self.size, self.cancelled = [], 0, threading.Event()

    def write(self, line):
        if self.cancelled.is_set():
            return  # the client has gone: lines drain until the cancel takes effect
        self.lines.append(line)
        self.size += len(line)
        if self.size >= BLOCK_SIZE:
            self.flush()

    def flush(self):
        if self.lines:
            self.put(("block", b"".join(self.lines)))
            self.lines, self.size = [], 0

    def put(self, item):
        while not self.cancelled.is_set():
            try:
                self.queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue


def copy_blocks(copy):
    """Yields the COPY's output as the export's CSV blocks."""
    connection = connections[copy.alias]
    if copy.names is not None:
        copy.names.load()
    statement = copy.statement
    raw = connection.connection
    blocks = _Blocks()

    def run():
        try:
            with raw.cursor() as cursor:
                cursor.copy_expert(statement, blocks)
            blocks.flush()
            blocks.put(("done", None))
        except BaseException as error:  # handed to the consumer, raised there
            blocks.put(("error", error))

    started = time.monotonic()
    with connection.wrap_database_errors:
        worker = threading.Thread(target=run, name="csv-copy", daemon=True)
        worker.start()
        finished = False
        try:
            while not finished:
                what, value = blocks.queue.get()
                finished = what != "block"
                if what == "block":
                    yield copy.lines(value)
                elif what == "error":
                    raise value
        finally:
            if not finished:  # the client went away: stop PostgreSQL, let the thread end
                blocks.cancelled.set()
                raw.cancel()
            worker.join()
            if connection.queries_logged:
                # Recorded as Django's cursor wrapper records queries (debug, tests' query counts).
                connection.queries_log.append({"sql": statement, "time": f"{time.monotonic() - started:.3f}"})
