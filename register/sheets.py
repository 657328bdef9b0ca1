"""What an export reads: the sheets of a workbook (Sheet, ChildSheet) and the
Reader that fetches their cells a chunk of rows at a time, with one SELECT
through a database cursor (many-to-many links included), never a query per
row. register/exports.py turns the cells into files."""

import queue
import threading

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import Aggregate, Case, CharField, F, Func, OuterRef, Q, Subquery, TextField, Value, When
from django.db.models.functions import Cast
from django.db.models.sql.constants import MULTI

from common.tabular import NAMES_SEPARATOR
from register.publishable import ReviewedModel, published_q

CHUNK_SIZE = 2000


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


class GroupConcat(Aggregate):
    """SQLite's GROUP_CONCAT: the linked ids of one row as "3,17"."""

    function = "GROUP_CONCAT"
    output_field = CharField()


CACHE_LIMIT = 20000  # distinct combinations kept: memory stays bounded whatever the rows


class ManyToManyNames(dict):
    """The names in a many-to-many column, in name order as the list shows them.

    The main SELECT reads each row's linked ids with a correlated subquery on the
    link table (``linked_ids()``: an index lookup per row inside the database,
    no query per row or per chunk); the related records' names are read once,
    in one query of as many rows as there are partners or sectors. Each distinct
    combination of ids is named once (this dict is its cache). A visitor's
    names are those of the published records only (partners, units, mechanisms
    go through review): an unpublished one is left out of the cell."""

    def __init__(self, column, user=None):
        super().__init__()
        self.user = user
        field = column.model_field
        self.through = field.remote_field.through
        self.source_key = field.m2m_field_name()
        self.target_key = f"{field.m2m_reverse_field_name()}_id"
        self.related, self.names, self.rank, self.ranked = column.related_model, None, None, None

    def linked_ids(self, vendor):
        links = self.through.objects.filter(Q((self.source_key, OuterRef("pk")))).order_by()
        if vendor == "postgresql":
            # As text ("3,17", "" for none): one string a row for the driver to
            # read, where an array cost a list and a number per id, then a tuple.
            ids = ArraySubquery(links.values(self.target_key))
            return Func(ids, Value(","), function="array_to_string", output_field=CharField())
        grouped = links.values(self.source_key).annotate(ids=GroupConcat(self.target_key)).values("ids")
        return Subquery(grouped, output_field=CharField())

    def load(self):
        """Reads the related records' names and their order (one query), once."""
        if self.names is None:
            name = name_field(self.related)
            related = self.related._default_manager.all()
            if issubclass(self.related, ReviewedModel):
                related = related.visible_to(self.user)
            rows = list(related.order_by(name, "pk").values_list("pk", name))
            self.names = dict(rows)
            self.rank = {pk: rank for rank, (pk, _name) in enumerate(rows)}
            self.ranked = Ranked({pk: (rank, name) for rank, (pk, name) in enumerate(rows)})

    def __call__(self, values):
        """Each row's names from its linked ids ("3,17", None or "" for none)."""
        self.load()
        return list(map(self.__getitem__, values))

    def text(self, ids):
        """The names of the records ``ids`` (after load()), in name order, joined."""
        if len(ids) == 1:
            return self.names.get(ids[0], "")
        return NAMES_SEPARATOR.join([name for _rank, name in sorted(map(self.ranked.__getitem__, ids)) if name])

    def __missing__(self, linked):
        if len(self) >= CACHE_LIMIT:
            self.clear()
        ids = [int(pk) for pk in linked.split(",") if pk] if linked else []
        text = self[linked] = self.text(ids)
        return text


class Ranked(dict):
    """id -> (rank in name order, name); a record gone since has a blank name, first."""

    def __missing__(self, pk):
        return (-1, "")


def whole_result_cursor(compiler):
    """The rows' server-side cursor, planned for reading every row.

    PostgreSQL plans a cursor for its first tenth of rows (cursor_tuple_fraction
    0.1): on the national register a year's 46,000 delegations were read by
    walking the list order's index through all million rows, eight times slower
    (16 s against 2 s) than finding them and sorting. An export reads them all."""
    with compiler.connection.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1")
    try:
        return compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=CHUNK_SIZE)
    finally:
        with compiler.connection.cursor() as cursor:
            cursor.execute("RESET cursor_tuple_fraction")


def read_ahead(chunks, depth=1):
    """Yields the items of ``chunks`` while a thread already fetches the next ones.

    Why: a chunk of a server-side cursor is computed by PostgreSQL only when
    fetched, so the database and the export took turns; on two cores they now
    work at once. psycopg2 lets the thread wait for the database without holding
    the interpreter, and serialises the connection's use should the export run
    another query meanwhile. (SQLite connections stay in their own thread.)"""
    ahead = queue.Queue(depth)
    stop = threading.Event()

    def put(item):
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def fetch():
        try:
            for chunk in chunks:
                put(("chunk", chunk))
                if stop.is_set():
                    break
            put(("done", None))
        except BaseException as error:  # raised again in the reading thread
            put(("error", error))
        finally:
            getattr(chunks, "close", lambda: None)()

    worker = threading.Thread(target=fetch, name="export-read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            what, item = ahead.get()
            if what == "error":
                raise item
            if what == "done":
                return
            yield item
    finally:
        stop.set()
        worker.join()


class Reader:
    """Reads a sheet's cells, one chunk at a time, as one list of raw values per
    column. Built per request: whether related records' names show depends on
    the viewer."""

    def __init__(self, sheet, user, *, lead=()):
        self.sheet = sheet
        self.user = user
        self.fields = ["pk", *lead]
        self.positions = []  # per column: its index in the values_list row, None when looked up per chunk
        self.m2m = {}  # values_list position -> ManyToManyNames
        for column in sheet.columns:
            if column.kind == "names" and column.model_field is None:
                self.positions.append(None)
                continue
            self.positions.append(len(self.fields))
            if column.kind == "names":
                self.m2m[len(self.fields)] = ManyToManyNames(column, user)
            self.fields.append(self.source(column, user))

    @staticmethod
    def source(column, user):
        """What values_list reads for the column: a field, a path across a foreign
        key, or, for a publishable related record a visitor may not see, nothing.
        (A many-to-many column's linked ids are chosen per database in rows().)"""
        if column.kind == "names":
            return column.key
        if column.source:
            return column.source
        if column.kind != "name":
            return column.model_field.attname if column.model_field is not None else column.key
        path = f"{column.key}__{name_field(column.related_model)}"
        if issubclass(column.related_model, ReviewedModel) and not signed_in(user):
            return Case(When(published_q(column.key), then=F(path)), default=Value(""))
        return path

    def rows(self, queryset):
        # The list's prefetches would need model instances; the names they fetch
        # are read per chunk here instead.
        vendor = connections[queryset.db].vendor
        fields = [self.m2m[i].linked_ids(vendor) if i in self.m2m else f for i, f in enumerate(self.fields)]
        if vendor == "sqlite":
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
        if compiler.connection.vendor == "postgresql":
            results = whole_result_cursor(compiler)
        else:
            results = compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=CHUNK_SIZE)
        if compiler.connection.vendor == "postgresql":
            for named in self.m2m.values():
                named([])  # the names' one query, before the cursor is read from another thread
            results = read_ahead(results)
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
        names = {}
        for lookup in self.sheet.lookups if ids else ():
            names.update(lookup(ids, self.user))
        by_position = list(by_position)
        for position, named in self.m2m.items() if ids else ():
            by_position[position] = named(by_position[position])
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
