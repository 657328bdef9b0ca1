"""The CSV export on PostgreSQL, written by PostgreSQL itself: ``COPY (SELECT
...) TO STDOUT WITH (FORMAT csv)`` over the list page's own queryset, its
cells already turned into the export's text by SQL expressions, streamed to
the response in blocks.

Why: reading 100,000 rows into Python (tuples, then text) cost more than the
whole target time of an export; PostgreSQL writes CSV several times faster
than Python reads rows. The bytes are exactly those of the Python path
(register/exports.py, which SQLite keeps), cell by cell:

- choices and booleans by their label (a CASE over the labels, passed as
  query parameters), unknown codes as themselves;
- dates dd/mm/yyyy (``to_char``), numbers as PostgreSQL writes numeric and
  integer values (plain digits, "." point: what ``format(Decimal, "f")`` gives);
- related records by name, a visitor's unpublished ones blank (register/sheets.py's
  ``Reader.source``);
- many-to-many names in name order joined by ``NAMES_SEPARATOR``: the COPY
  joins the link table, so that a row with several links comes once per link,
  each copy's field holding one linked id behind a marker; Python keeps one line
  a row and puts in the names of its links (``Copy.lines``: one regular
  expression a block, a dictionary lookup a row, a few list operations per row
  with several links). A correlated ``string_agg`` joining the names cost
  PostgreSQL more than the rest of the row together, and a correlated subquery
  of the ids kept its main process busy where a join runs in the parallel
  workers;
- text that starts like a formula prefixed by an apostrophe (common/cells.py);
- text-like cells always quoted (``FORCE_QUOTE``, blanks as ``""``), numbers and
  dates bare, blank numbers empty.

COPY ends lines with "\\n" where the Python path (and Excel) use "\\r\\n". A
last column holding a lone carriage return marks each line's end: in the
output it reads ``,"\\r"\\n``, which nothing else can (a quote inside a cell is
doubled, and only a field made of "\\r" alone opens with a quote followed by
"\\r"; text cells never are one, neutralising prefixes it), and is replaced by
"\\r\\n" a block at a time. A many-to-many field (never the first) opens with the
same ``,"\\r`` (``LinkField``), which no other cell does either.

psycopg2's ``copy_expert`` blocks until the COPY is done and hands each line to
a ``write()``: it runs in a thread that fills a small queue of blocks, which the
response's generator empties (putting the names in and the line ends right as it
goes). Memory holds a few blocks whatever the rows.
"""

import queue
import re
import threading
import time
from itertools import compress

from django.db import connections
from django.db.models import Case, CharField, F, Func, Q, TextField, Value, When
from django.db.models.expressions import Col
from django.db.models.functions import Cast, Coalesce
from django.db.models.sql.constants import LOUTER
from django.db.models.sql.datastructures import Join

from common.cells import FORMULA_TRIGGERS
from common.tabular import NAMES_SEPARATOR, NO, YES
from register.sheets import CACHE_LIMIT, ManyToManyNames, Reader

BLOCK_SIZE = 256 * 1024  # bytes per block handed to the response
QUEUED_BLOCKS = 8  # blocks the COPY may run ahead of the client
LINE_END = b',"\r"\n'  # the marker column and COPY's line end
# A many-to-many field (LinkField) with the comma before it, its row id and its
# linked id: a search for its first two bytes, where a look-behind for "a line
# start or a comma" took ten times longer.
LINK_FIELD = re.compile(rb'(,"\r([0-9]+):([0-9]*)")')
NAMES_SEPARATOR_BYTES = NAMES_SEPARATOR.encode()
TRIGGER_BYTES = tuple(trigger.encode() for trigger in FORMULA_TRIGGERS)
NUMBER_KINDS = {"int", "decimal", "date"}


class Neutralised(Func):
    """Text as common/cells.py's neutralise() leaves it: an apostrophe before a
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
        return F(source) if isinstance(source, str) else source  # an expression: a record's version
    return text(F(source) if isinstance(source, str) else source)


class NamesCells(dict):
    """A row's linked ids as COPY writes them (b"17", b"3 17", b"" for none) ->
    the quoted CSV cell of their names with the comma before it, as the Python
    path writes it (register/sheets.py's ManyToManyNames: name order, neutralised,
    quotes doubled). Each distinct combination is named once (this dict is its
    cache), from each related record's name quoted and encoded once."""

    def __init__(self, column, user=None):
        super().__init__()
        self.column = ManyToManyNames(column, user)
        self.records = Unknown()  # id as COPY writes it -> (rank in name order, quoted name)

    def load(self):
        """Reads the related records' names (one query), before the COPY holds the connection."""
        names = self.column
        names.load()
        self.records = Unknown()
        for pk, name in names.names.items():
            self.records[str(pk).encode()] = (names.rank[pk], name.replace('"', '""').encode())

    def __missing__(self, linked):
        if len(self) >= CACHE_LIMIT:
            self.clear()
        # Two link tables joined repeat each other's ids: each id counts once.
        named = sorted(map(self.records.__getitem__, set(linked.split())))
        text = NAMES_SEPARATOR_BYTES.join([name for _rank, name in named if name])
        cell = self[linked] = b',"' + (b"'" if text.startswith(TRIGGER_BYTES) else b"") + text + b'"'
        return cell


class Unknown(dict):
    """A record that is gone since (the Python path's blank name, first in order)."""

    def __missing__(self, pk):
        return (-1, b"")


class LinkField(Func):
    """The many-to-many field of one (row, link) pair: ``"\\r<row id>:<linked id>"``,
    the linked id blank for a row without links."""

    arg_joiner = " || ':' || "
    template = "(E'\\r' || %(expressions)s)"
    output_field = CharField()

    def __init__(self, row, linked):
        super().__init__(row, Coalesce(Cast(linked, TextField()), Value("")))


def joined_links(queryset, columns):
    """``queryset`` with the link table of each many-to-many column in
    ``columns`` joined (a LEFT JOIN of its own, never one a filter made), ordered
    so that the copies of a row are next to each other; and the LinkField of
    each column.

    Raises LookupError where the order could part them (a random order)."""
    query = queryset.query
    ordering = list(query.order_by or (queryset.model._meta.ordering if query.default_ordering else ()))
    if "?" in ordering or query.extra_order_by:
        raise LookupError("order")
    queryset = queryset.order_by(*ordering, "pk")
    query, fields = queryset.query, []
    for column in columns:
        field = column.model_field
        path = field.path_infos[0]  # the record -> its link rows
        link = Join(path.to_opts.db_table, query.get_initial_alias(), None, LOUTER, path.join_field, nullable=True)
        alias = query.join(link, reuse=set())
        target = field.remote_field.through._meta.get_field(field.m2m_reverse_field_name())
        fields.append(LinkField(F("pk"), Col(alias, target)))
    return queryset, fields


class Copy:
    """One export's COPY: the statement, its database and the many-to-many
    columns whose names are put in by Python (``NamesCells``).

    The many-to-many columns' link tables are joined (``joined_links``): a row
    comes out once per combination of its links, the copies next to each other
    and alike but for their fields ``"\\r<row id>:<linked id>"``. Python keeps
    the first copy of each row and puts the names of all its links in its
    fields, a block at a time (``lines``). Why: a correlated subquery reading
    each row's ids is not run by PostgreSQL's parallel workers, and it cost its
    main process a third of the COPY; a join is run by the workers. A
    string_agg of the names cost more than the rest of the row together, and
    cutting each line into its fields in Python more than the whole COPY."""

    def __init__(self, queryset, sheet, user):
        cells, m2m = {}, {}
        for index, column in enumerate(sheet.columns):
            if column.kind == "names" and column.model_field is not None:
                if index == 0:
                    raise LookupError(column.key)  # its field would have no comma before it
                m2m[index] = column
                cells[f"c{index}"] = None  # its place in the SELECT, filled below
                continue
            expression = cell_expression(column, user)
            if expression is None:
                raise LookupError(column.key)
            cells[f"c{index}"] = expression
        if m2m:
            queryset, fields = joined_links(queryset, m2m.values())
            cells.update((f"c{index}", field) for index, field in zip(m2m, fields, strict=True))
        self.names = [NamesCells(column, user) for column in m2m.values()]
        cells["line_end"] = Value("\r", output_field=CharField())
        rows = queryset.prefetch_related(None).values(**cells)
        sql, params = rows.query.sql_with_params()
        quoted = [f'"c{i}"' for i, column in enumerate(sheet.columns) if column.kind not in NUMBER_KINDS]
        options = "FORMAT csv, FORCE_QUOTE (" + ", ".join([*quoted, '"line_end"']) + ")"
        self.alias = rows.db
        connection = connections[self.alias]
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            select = cursor.mogrify(sql, params).decode()
        self.statement = f"COPY ({select}) TO STDOUT WITH ({options})"

    def run_key(self, line):
        """The row id of a COPY line, where rows can come once per link, else None."""
        if not self.names:
            return None
        return LINK_FIELD.search(line).group(2)

    def lines(self, block):
        """A block of COPY lines (whole rows: ``_Blocks`` keeps a row's copies
        together) as the export's lines: one line a row with the names of its
        links, "\\r\\n" ends."""
        block = block.replace(LINE_END, b"\r\n")
        if not self.names:
            return block
        width = len(self.names)  # fields a line
        # [text, field, row id, linked id, text, field, row id, linked id, ..., text]
        pieces = LINK_FIELD.split(block)
        rows, linked = pieces[2 :: 4 * width], pieces[3::4]
        del pieces[2::4]  # the row ids
        del pieces[2::3]  # the linked ids: [text, field, text, field, ..., text]
        copies = list(compress(range(1, len(rows)), map(bytes.__eq__, rows[1:], rows)))
        if copies:
            linked = self.merged(pieces, linked, copies, width)
        # Each field swapped for its cell without a Python call a row.
        if width == 1:
            pieces[1::2] = map(self.names[0].__getitem__, linked)
        else:
            cells = [b""] * len(linked)
            for number, names in enumerate(self.names):
                cells[number::width] = map(names.__getitem__, linked[number::width])
            pieces[1::2] = cells
        return b"".join(pieces)

    @staticmethod
    def merged(pieces, linked, copies, width):
        """Drops the copies of rows with several links (``copies``: their line
        numbers in the block) and gathers their linked ids in the first copy's
        fields. Of two alike lines, ``width`` fields each, the text from the
        first line's last field to the second line's last field (the rest of
        the first line, the start of the second and its fields) is dropped: the
        rest of the second line then follows the first line's last field."""
        linked = list(linked)
        for line in reversed(copies):
            first = line * width  # the copy's first field
            for number in range(first, first + width):
                linked[number - width] += b" " + linked[number]
                linked[number] = None
            pieces[2 * first : 2 * (first + width)] = [None] * (2 * width)
        pieces[:] = [piece for piece in pieces if piece is not None]
        return [ids for ids in linked if ids is not None]


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
    (``Copy.lines``), so that meanwhile this thread reads on from the socket.
    A block ends between two rows, never between two copies of one row
    (``Copy.run_key``): COPY hands over one line a call."""

    def __init__(self, run_key=lambda line: None):
        self.queue = queue.Queue(QUEUED_BLOCKS)
        self.lines, self.size, self.cancelled = [], 0, threading.Event()
        self.run_key = run_key

    def write(self, line):
        if self.cancelled.is_set():
            return  # the client has gone: lines drain until the cancel takes effect
        if self.size >= BLOCK_SIZE and not self.same_row(line):
            self.flush()
        self.lines.append(line)
        self.size += len(line)

    def same_row(self, line):
        key = self.run_key(line)
        return key is not None and key == self.run_key(self.lines[-1])

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
    for names in copy.names:
        names.load()
    statement = copy.statement
    raw = connection.connection
    blocks = _Blocks(copy.run_key)

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
