"""What an export reads: the sheets of a workbook (Sheet, ChildSheet) and the
Reader that fetches their cells a chunk of rows at a time, with one SELECT
through a database cursor and one query per chunk for each many-to-many
column, never a query per row. lib/exports.py turns the cells into files."""

from django.db import connections
from django.db.models import BooleanField, Case, F, Q, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.sql.constants import MULTI

from lang_son_affairs.lib.models import PublishableModel, ReviewState
from lang_son_affairs.lib.tabular import NAMES_SEPARATOR

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


def ids_condition(model, field_name, ids):
    """``field IN (ids)`` as one raw condition: the ids are integers read from our
    own query, and a Django ``__in`` lookup would prepare each of them in Python.
    PostgreSQL takes them as one array, which it parses and plans faster."""
    connection = connections[model.objects.db]
    column = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(field_name)}"
    if connection.vendor == "postgresql":
        return RawSQL(f"{column} = ANY(%s)", [list(ids)], output_field=BooleanField())  # noqa: S611 -- bound ids
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
