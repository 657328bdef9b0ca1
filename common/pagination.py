"""Pages of a list that stay fast at a million rows.

Two costs grow with the table under Django's ``Paginator``: the ``COUNT(*)`` of
every matching row on every page view, and ``OFFSET`` on deep pages, which reads
and throws away every row before the page. Here:

- the count stops at ``COUNT_CAP`` (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``):
  below the cap the page shows the exact number and numbered pages, above it
  "more than 10.000";
- past the cap, "next" and "previous" carry a cursor (``?after=`` / ``?before=``):
  the sort key of the page's last or first row. The next page is then "the first
  25 rows whose key comes after this one", a range read on the sort's index
  (keyset pagination), as fast at row 900.000 as at row 25.

The sort key is made total and NULL-free: nullable columns are wrapped in
``COALESCE`` with a sentinel that sorts where NULLS LAST would put them, and the
primary key breaks ties. The row comparison ``(k1, k2) < (v1, v2)`` is what
PostgreSQL and SQLite both compare with a single index range, which plain
``k1 < v1 OR (k1 = v1 AND k2 < v2)`` does not get on PostgreSQL. The list's
indexes are on the same expressions (see each app's models)."""

import base64
import binascii
import datetime
import decimal
import json
import math

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections, models
from django.db.models import F, Func, Value
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual
from django.utils.translation import gettext as _

COUNT_CAP = 10_000

# From this many matches on, a page is read along its sort's index, the filter
# checked row by row, rather than from a filter's own index (the search's):
# see read_along_the_order().
MANY_MATCHES = 1_000
ALONG_THE_ORDER = "read_along_the_order"


def read_along_the_order(queryset):
    """``queryset`` marked so that a filter that could drive the query from its
    own index (the SQLite search's FTS table, register/search_sql.py) leaves
    the order's index to drive it instead.

    SQLite cannot tell how many rows a full-text match returns: it always reads
    the matches first and sorts them. For a word in 5,567 of 100,000 delegations
    that is 20 ms for a page of 25 rows; read along the date index instead, the
    page stops at its 26th match, about 500 rows in (3 ms). With few matches the
    matches-first plan is the right one, so paginate() marks the page's query
    only once its count says there are many (``MANY_MATCHES``): along the order,
    a page then reads at most about table rows × 26 / matches rows."""
    queryset = queryset.all()
    setattr(queryset.query, ALONG_THE_ORDER, True)
    return queryset


def reads_along_the_order(query):
    return getattr(query, ALONG_THE_ORDER, False)


# Where NULLS LAST puts a missing value, for each kind of column and direction.
_LOW = {
    models.DateField: datetime.date(1, 1, 1),
    models.IntegerField: -(2**62),
    models.DecimalField: decimal.Decimal("-1e20"),
}
_HIGH = {
    models.DateField: datetime.date(9999, 12, 31),
    models.IntegerField: 2**62,
    models.DecimalField: decimal.Decimal("1e20"),
}


class Row(Func):
    """``(a, b, c)``: a row value, compared column by column."""

    template = "(%(expressions)s)"
    arg_joiner = ", "
    output_field = models.TextField()  # Never selected; only compared.


class Literal(Value):
    """A constant written into the statement, not bound as a parameter.

    SQLite uses an index on an expression only when the query's expression is the
    index's own, constant for constant; an index built from ``Value`` holds the
    constant written in (Django writes a DDL statement's parameters into it), and
    ``COALESCE(start_date, ?)`` is not ``COALESCE(start_date, '0001-01-01')``: the
    list would scan the table and sort it in a temporary B-tree (issue 20). The
    constant is quoted by the schema editor that wrote the index, so the two texts
    are the same by construction. PostgreSQL's driver writes parameters in on the
    client, so it sees the constant either way and the SQL is left as Django makes it.
    Only for the program's own constants (sentinels), never for what a user typed."""

    def as_sql(self, compiler, connection):
        sql, params = super().as_sql(compiler, connection)
        if connection.vendor != "sqlite" or not params:
            return sql, params
        quote = connection.SchemaEditorClass(connection).quote_value
        return sql % tuple(quote(param) for param in params), []


def written_in(expression):
    """``expression`` (an ORDER BY term, an index's expression) with each ``Value``
    in it a ``Literal``: the order a list asks for in the very form of its index."""
    if type(expression) is Value:
        return Literal(expression.value, output_field=expression._output_field_or_none)
    if not hasattr(expression, "get_source_expressions"):
        return expression
    copy = expression.copy()
    copy.set_source_expressions([written_in(source) for source in expression.get_source_expressions()])
    return copy


def _sentinel(field, descending):
    for kind, value in (_LOW if descending else _HIGH).items():
        if isinstance(field, kind):
            return value
    raise ValueError(f"no NULLS LAST sentinel for {field!r}")


def _null_free(column, field, descending, constant):
    """``COALESCE(column, sentinel)``, in the same form for a list's ORDER BY (the
    sentinel a ``Literal``) and its index (a ``Value``, which the DDL writes in). A
    decimal key is declared a float: on SQLite Django CASTs a decimal expression once
    in a query and twice in an index, so the two would not be the same expression. The
    key is only compared, never read back, so its Python type does not matter."""
    extra = {"output_field": models.FloatField()} if isinstance(field, models.DecimalField) else {}
    return Coalesce(F(column), constant(_sentinel(field, descending), output_field=field), **extra)


def sort_key(model, ordering):
    """[(expression, field, descending)] for an ``order_by`` tuple such as
    ``(F("start_date").desc(nulls_last=True), "-pk")``, or None when the order
    cannot be a keyset (mixed directions, or an expression that is not a column)."""
    key = []
    for item in ordering:
        if isinstance(item, str):
            descending, name = item.startswith("-"), item.lstrip("-")
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            descending, name = item.descending, item.expression.name
        else:
            return None
        try:
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        except FieldDoesNotExist:  # An annotation: the list keeps numbered pages.
            return None
        expression = _null_free(name, field, descending, Literal) if field.null else F(name)
        key.append((expression, field, descending))
    if len({descending for _e, _f, descending in key}) != 1 or key[-1][1] != model._meta.pk:
        return None
    return key


def _encode(values):
    text = json.dumps([None if v is None else str(v) for v in values], ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor, key):
    """The typed values of a cursor, or None if it is not one of ours."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
        if not isinstance(raw, list) or len(raw) != len(key):
            return None
        values = []
        for text, (_expression, field, _descending) in zip(raw, key, strict=True):
            # A NUL byte is no key of ours, and PostgreSQL refuses it in a query.
            if not isinstance(text, str) or "\x00" in text:
                return None
            value = field.to_python(text)
            if value is None:
                return None
            values.append(value)
        return values
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error, ValidationError, decimal.InvalidOperation):
        return None


class ListPage:
    """What the list templates show: the rows, the count (exact or "more than"),
    and the links to the neighbouring pages as query-string changes."""

    def __init__(self, rows, *, count, capped, number, num_pages, previous, following):
        self.object_list = rows
        # Past the cap, ``count`` is the cap itself and the page says "more than".
        self.count = count - 1 if capped else count
        self.count_capped = capped
        self.number = number
        self.num_pages = num_pages
        self.previous = previous
        self.following = following

    def has_previous(self):
        return self.previous is not None

    def has_next(self):
        return self.following is not None

    def has_other_pages(self):
        return self.has_previous() or self.has_next()


def paginate(queryset, params, per_page, ordering, notices, cap=None):
    """The page of ``queryset`` (already ordered by ``ordering``) that the query
    string ``params`` asks for: ``page=N``, ``after=CURSOR`` or ``before=CURSOR``."""
    cap = COUNT_CAP if cap is None else cap
    key = sort_key(queryset.model, ordering) if ordering else None
    # Only the keys: the rows' annotations (a partner's record counts) need not run.
    count = queryset.order_by().values("pk")[: cap + 1].count()
    capped = count > cap
    if key is not None and count >= MANY_MATCHES:
        queryset = read_along_the_order(queryset)
    cursor_name = next((name for name in ("after", "before") if params.get(name)), None)
    if key is not None and cursor_name:
        values = _decode(params[cursor_name], key)
        page = None if values is None else _keyset_page(queryset, key, values, cursor_name, per_page, count, capped)
        if page is not None:
            return page
        if values is None:
            notices.append(_("The link to this page was damaged; the first page is shown."))
        params = {}  # Back past the first page, or a damaged cursor: the first page.
    number = _page_number(params.get("page"))
    num_pages = None if capped else max(1, -(-count // per_page))
    if num_pages is not None:
        number = min(number, num_pages)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    more, rows = len(rows) > per_page, rows[:per_page]
    following = previous = None
    if more:
        following = {"page": number + 1, "after": None, "before": None}
        if capped and key is not None:
            following = {"page": None, "after": _encode(_key_values(rows[-1], key)), "before": None}
    if number > 1:
        previous = {"page": number - 1, "after": None, "before": None}
    return ListPage(
        rows, count=count, capped=capped, number=number, num_pages=num_pages, previous=previous, following=following
    )


def _page_number(text):
    try:
        return max(1, int(text))
    except (TypeError, ValueError):
        return 1


def _key_values(row, key):
    values = []
    for _expression, field, descending in key:
        value = getattr(row, field.attname)
        if value is None:
            value = _sentinel(field, descending)
        values.append(value)
    return values


def _lead_bound(queryset, value, field, upper):
    """The cursor's leading value as the bound SQLite reads as an index range.
    A decimal key's ``CAST(? AS NUMERIC)`` is an expression SQLite does not use
    for a range (it walks the index from its start): there the bound is a float,
    rounded outward so that it never leaves out the cursor's own key. PostgreSQL
    keeps the numeric (a float would make it cast the indexed expression)."""
    if isinstance(field, models.DecimalField) and connections[queryset.db].vendor == "sqlite":
        return Value(math.nextafter(float(value), math.inf if upper else -math.inf), output_field=models.FloatField())
    return Value(value, output_field=field)


def _keyset_page(queryset, key, values, direction, per_page, count, capped):
    """The rows after (or before) the cursor's row in the list's order; None when
    going back reaches the start of the list, which is then simply the first page."""
    expressions = [expression for expression, _f, _d in key]
    descending = key[0][2]
    row = Row(*expressions)
    bound = Row(*[Value(v, output_field=field) for v, (_e, field, _d) in zip(values, key, strict=True)])
    forward = direction == "after"
    # Forward along a descending key means smaller keys; backward means larger ones.
    comparison = LessThan if forward == descending else GreaterThan
    # The same bound on the leading key alone, redundant for the rows: SQLite
    # reads a row-value comparison on an expression index by walking the index
    # from its start (24 ms at row 25,000 of 100,000), and this bound alone by a
    # range starting at the cursor (0.02 ms). PostgreSQL reads both in its Index Cond.
    upper = comparison is LessThan
    lead = LessThanOrEqual if upper else GreaterThanOrEqual
    ordered = queryset.filter(
        lead(expressions[0], _lead_bound(queryset, values[0], key[0][1], upper)), comparison(row, bound)
    )
    if not forward:
        ordered = ordered.order_by(*[e.asc() if descending else e.desc() for e in expressions])
    rows = list(ordered[: per_page + 1])
    more, rows = len(rows) > per_page, rows[:per_page]
    if not forward:
        if not more:
            return None
        rows.reverse()
    following = previous = None
    if rows:
        first, last = _encode(_key_values(rows[0], key)), _encode(_key_values(rows[-1], key))
        previous = {"page": None, "after": None, "before": first}
        if more or not forward:
            following = {"page": None, "after": last, "before": None}
    return ListPage(
        rows, count=count, capped=capped, number=None, num_pages=None, previous=previous, following=following
    )


def keyset_index(column, field, *, name, descending=True, leading=()):
    """The index that serves a list ordered by ``column`` (NULLS LAST) then the
    primary key, on the very expression the list orders and its cursors compare;
    ``leading`` columns first for a list filtered on them (``direction=out``)."""
    key = _null_free(column, field, descending, Value)
    if descending:
        return models.Index(*map(F, leading), key.desc(), F("id").desc(), name=name)
    return models.Index(*map(F, leading), key.asc(), F("id").asc(), name=name)


def keyset_indexes(column, field, *, names, descending=True):
    """``keyset_index`` twice: the list's order everywhere, and the same within one
    province (its users, its /p/<code>/ pages), named ``names`` = (everywhere, province)."""
    everywhere, province = names
    return [
        keyset_index(column, field, name=everywhere, descending=descending),
        keyset_index(column, field, name=province, descending=descending, leading=["province"]),
    ]
