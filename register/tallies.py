# ruff: noqa: S608 -- the SQL is spliced from the tally modules' constants, never from input.
"""The machinery of the trigger-kept tallies: tables of counts that database
triggers keep exact on every write, whatever wrote it (admin, import,
queryset.update(), raw SQL, COPY), so no code path can forget them.

Most tallies count records by day, month and year (``DayTally``): a write's
triggers recount the days it touched from the records, then those days' months
from the days, then their years from the months. A tally module writes its
recount once, as templates with ``{days}`` (a subquery yielding a column
``day``) and ``{month_<name>}``/``{year_<name>}`` (the vendor's truncation of a
date column it names), and says which writes touch which days; this module
fills them in for

- PostgreSQL: statement-level triggers over transition tables, each calling one
  refresh function that takes an advisory lock (one writer of a tally at a time);
- SQLite: row-level triggers running the statements themselves (SQLite has one
  writer at a time).

The partner tally (reports/partner_tally_sql.py) changes by differences rather
than by recounting, and uses only the trigger helpers below.

The Python side (``TallyReader``) reads a tally model as a visitor or an official
may see it, rebuilds it, and compares it with a full recount.
"""

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.db import connection, transaction

VENDOR_DATES = {
    "postgresql": {
        "month": "CAST(date_trunc('month', {}) AS date)",
        "year": "CAST(date_trunc('year', {}) AS date)",
    },
    "sqlite": {"month": "date({}, 'start of month')", "year": "date({}, 'start of year')"},
}


def date_fills(vendor, columns):
    """{"{month_<name>}": ..., "{year_<name>}": ...}: the vendor's truncation of each
    date column of ``columns`` (name -> SQL), and of ``x.day`` (name ``x``, the
    days a refresh is given)."""
    dates = VENDOR_DATES[vendor]
    fills = {}
    for name, column in {**columns, "x": "x.day"}.items():
        fills["{month_" + name + "}"] = dates["month"].format(column)
        fills["{year_" + name + "}"] = dates["year"].format(column)
    return fills


# A template's condition that a date is one of the days refreshed.
IN_DAYS = "IN (SELECT day FROM ({days}) AS x)"
# Statements in a trigger's or a function's body, one a line.
SEPARATOR = ";\n    "


def by_vendor(vendor, postgresql, sqlite):
    """The statements ``postgresql()`` or ``sqlite()`` gives, whichever ``vendor`` is."""
    return postgresql() if vendor == "postgresql" else sqlite()


# --- PostgreSQL ---------------------------------------------------------------------------------------------------

PG_REFERENCING = {
    "INSERT": "NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def pg_lock(table):
    """The statement that makes a transaction the one writer of ``table`` until it ends."""
    return f"PERFORM pg_advisory_xact_lock(hashtext('{table}'))"


def pg_changed(fields):
    """The condition that a row ``o`` of old_rows and its ``n`` of new_rows differ in ``fields``."""
    return f"({', '.join(f'o.{f}' for f in fields)}) IS DISTINCT FROM ({', '.join(f'n.{f}' for f in fields)})"


def pg_transition_rows(fields):
    """event -> the rows a statement wrote (an UPDATE's old and new versions of
    the rows whose ``fields`` changed, as ``r``)."""
    changed = pg_changed(fields)
    return {
        "INSERT": "new_rows",
        "DELETE": "old_rows",
        "UPDATE": f"""(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed}
        UNION ALL SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed}) AS r""",
    }


def pg_trigger(name, table, event, body):
    """A function ``name`` running the statements ``body``, and the statement-level
    trigger ``name`` calling it after each ``event`` on ``table``."""
    return [
        f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {SEPARATOR.join(body)};
    RETURN NULL;
END
$$;""",
        f"DROP TRIGGER IF EXISTS {name} ON {table};",
        f"""CREATE TRIGGER {name} AFTER {event} ON {table}
    REFERENCING {PG_REFERENCING[event]} FOR EACH STATEMENT EXECUTE FUNCTION {name}();""",
    ]


def pg_drop_triggers(triggers):
    """Drop each trigger (name, table) of ``triggers`` and its function."""
    statements = []
    for name, table in triggers:
        statements += [f"DROP TRIGGER IF EXISTS {name} ON {table};", f"DROP FUNCTION IF EXISTS {name}();"]
    return statements


# --- SQLite -------------------------------------------------------------------------------------------------------


def sqlite_trigger(name, when, body):
    """The row-level trigger ``name`` running the statements ``body``; ``when`` is
    the clause before BEGIN ("AFTER UPDATE OF x ON t WHEN ...")."""
    return [f"DROP TRIGGER IF EXISTS {name};", f"CREATE TRIGGER {name} {when} BEGIN\n    {SEPARATOR.join(body)};\nEND;"]


def sqlite_drop_triggers(names):
    return [f"DROP TRIGGER IF EXISTS {name};" for name in names]


# --- Tallies by day, month and year -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PgTrigger:
    """A statement-level trigger: after ``event`` on ``table``, refresh the days
    ``days`` yields (a query over new_rows/old_rows with one column) and, for a
    tally with undated rows, those too when the SQL condition ``undated`` holds."""

    name: str
    table: str
    event: str
    days: str
    undated: str | None = None


@dataclass(frozen=True)
class SqliteTrigger:
    """A row-level trigger: ``when`` is the clause before BEGIN, ``days`` a query
    of the days to refresh (reading NEW and OLD), ``undated`` as for PgTrigger."""

    name: str
    when: str
    days: str
    undated: str | None = None


def record_triggers(prefix, table, fields, *, pg_days, sqlite_days, pg_undated=None, sqlite_undated=None):
    """The PostgreSQL and the SQLite triggers of a tally counting the rows of one
    ``table`` (its insert, delete and update of ``fields``), each named ``prefix``
    and the event. ``pg_days`` is a query of the days ``{rows}`` (written rows)
    touch and ``pg_undated`` the condition that such a row is undated (for a
    tally with undated records); ``sqlite_days`` and ``sqlite_undated`` the same
    of one row ``{row}`` (NEW or OLD)."""
    pg_triggers = [
        PgTrigger(
            f"{prefix}_{event.lower()}",
            table,
            event,
            pg_days.format(rows=rows),
            None if pg_undated is None else f"EXISTS (SELECT 1 FROM {rows} WHERE {pg_undated})",
        )
        for event, rows in pg_transition_rows(fields).items()
    ]

    def touched(*names):
        days = " UNION ".join(sqlite_days.format(row=name) for name in names)
        if sqlite_undated is None:
            return f"SELECT day FROM ({days}) WHERE day IS NOT NULL", None
        undated = " OR ".join(sqlite_undated.format(row=name) for name in names)
        return f"SELECT day FROM ({days}) WHERE day IS NOT NULL", f"({undated})"

    sqlite_triggers = [
        SqliteTrigger(f"{prefix}_insert", f"AFTER INSERT ON {table}", *touched("NEW")),
        SqliteTrigger(f"{prefix}_delete", f"AFTER DELETE ON {table}", *touched("OLD")),
        SqliteTrigger(f"{prefix}_update", f"AFTER UPDATE OF {', '.join(fields)} ON {table}", *touched("OLD", "NEW")),
    ]
    return pg_triggers, sqlite_triggers


def link_triggers(prefix, link, record_table, record_column, day_column, alias):
    """The PostgreSQL and the SQLite triggers of a tally that counts records by
    their links (a partner named on a delegation): a write to the link table
    ``link`` touches the days (``day_column``) of the records its rows name in
    ``record_column``. A record not there (deleted before its links, or not yet
    written: PostgreSQL checks the foreign keys at commit) touches nothing; its
    own trigger counts it. Each trigger is named ``prefix`` and the event."""
    select = f"SELECT {alias}.{day_column} FROM {record_table} {alias}"
    pg_days = {
        "INSERT": f"{select} WHERE {alias}.id IN (SELECT {record_column} FROM new_rows)",
        "DELETE": f"{select} WHERE {alias}.id IN (SELECT {record_column} FROM old_rows)",
        "UPDATE": f"""{select}
        WHERE {alias}.id IN (SELECT {record_column} FROM new_rows UNION SELECT {record_column} FROM old_rows)""",
    }
    sqlite_days = f"SELECT {day_column} AS day FROM {record_table} WHERE id"
    return (
        [PgTrigger(f"{prefix}_{event.lower()}", link, event, days) for event, days in pg_days.items()],
        [
            SqliteTrigger(f"{prefix}_insert", f"AFTER INSERT ON {link}", f"{sqlite_days} = NEW.{record_column}"),
            SqliteTrigger(f"{prefix}_delete", f"AFTER DELETE ON {link}", f"{sqlite_days} = OLD.{record_column}"),
            SqliteTrigger(
                f"{prefix}_update",
                f"AFTER UPDATE ON {link}",
                f"{sqlite_days} IN (OLD.{record_column}, NEW.{record_column})",
            ),
        ],
    )


@dataclass(frozen=True)
class DayTally:
    """A tally of days, months and years kept by recounting the days a write touches.

    ``refresh`` recounts the days ``{days}`` yields, then their months, then their
    years (the day-level DELETEs first: a rebuild, which empties the table, skips
    them); ``dates`` names the date columns its ``{month_<name>}``/``{year_<name>}``
    truncate. ``refresh_undated`` recounts the records with no date when the
    condition ``{undated}`` holds: the PostgreSQL function then takes a flag for it.
    ``null_day``: the tally counts undated records under a NULL day, so the
    PostgreSQL triggers pass NULL days on. ``all_days`` yields every day there is."""

    table: str
    function: str
    refresh: Sequence[str]
    dates: Mapping[str, str]
    pg_triggers: Sequence[PgTrigger]
    sqlite_triggers: Sequence[SqliteTrigger]
    all_days: str
    refresh_undated: Sequence[str] = ()
    null_day: bool = False

    def refresh_statements(self, vendor, days, undated=None):
        """The statements that recount the tally for the dates ``days`` yields, and
        its undated records when the SQL condition ``undated`` holds."""
        fills = date_fills(vendor, self.dates)
        statements = []
        for template in self.refresh:
            for key, value in fills.items():
                template = template.replace(key, value)
            statements.append(template.replace("{days}", days))
        return statements + [template.replace("{undated}", undated) for template in self.refresh_undated]

    def install_statements(self, vendor):
        return by_vendor(vendor, self._pg_install, self._sqlite_install)

    def uninstall_statements(self, vendor):
        return by_vendor(vendor, self._pg_uninstall, self._sqlite_uninstall)

    def rebuild_statements(self, vendor):
        """Recount the whole tally: empty it, then refresh every day there is."""
        statements = self.refresh_statements(vendor, self.all_days, "1 = 1")
        return [f"DELETE FROM {self.table}", *itertools.dropwhile(lambda sql: sql.startswith("DELETE"), statements)]

    def _pg_parameters(self):
        """The refresh function's parameters, (name, type): the days, and the undated flag if any."""
        return (("days", "date[]"), ("undated", "boolean")) if self.refresh_undated else (("days", "date[]"),)

    def _pg_function(self):
        body = SEPARATOR.join(self.refresh_statements("postgresql", "SELECT unnest(days) AS day", "undated"))
        parameters = ", ".join(f"{name} {kind}" for name, kind in self._pg_parameters())
        nothing = "days IS NULL OR cardinality(days) = 0"
        if self.refresh_undated:
            nothing = f"({nothing}) AND NOT undated"
        return f"""
CREATE OR REPLACE FUNCTION {self.function}({parameters}) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF {nothing} THEN
        RETURN;
    END IF;
    -- One writer of the tally at a time: each statement below then sees every
    -- write committed before it, so two transactions touching one day cannot
    -- leave a stale or doubled row.
    {pg_lock(self.table)};
    {body};
END
$$;"""

    def _pg_install(self):
        statements = [self._pg_function()]
        dated = "" if self.null_day else " WHERE day IS NOT NULL"
        for trigger in self.pg_triggers:
            undated = "" if trigger.undated is None else f", {trigger.undated}"
            call = (
                f"PERFORM {self.function}(ARRAY(SELECT DISTINCT day FROM ({trigger.days}) AS t(day){dated}){undated})"
            )
            statements += pg_trigger(trigger.name, trigger.table, trigger.event, [call])
        return statements

    def _pg_uninstall(self):
        triggers = [(trigger.name, trigger.table) for trigger in self.pg_triggers]
        types = ", ".join(kind for _name, kind in self._pg_parameters())
        return pg_drop_triggers(triggers) + [f"DROP FUNCTION IF EXISTS {self.function}({types});"]

    def _sqlite_install(self):
        statements = []
        for trigger in self.sqlite_triggers:
            body = self.refresh_statements("sqlite", trigger.days, trigger.undated)
            statements += sqlite_trigger(trigger.name, trigger.when, body)
        return statements

    def _sqlite_uninstall(self):
        return sqlite_drop_triggers(trigger.name for trigger in self.sqlite_triggers)


# --- Reading ------------------------------------------------------------------------------------------------------


def shown(rows, user):
    """(the tally rows of the province a page shows ``user``, whether its internal rows
    count): every tally row is one province's (``province``), and the site says which
    province a page shows and to whom its internal rows are (offices/site_scope.py, as
    it does for the records). No query with one office in the database."""
    from offices.site_scope import (
        shown_province,  # read late, as register/publishable.py does: offices' models import lib
    )

    code, internal = shown_province(user)
    return (rows if code is None else rows.filter(province=code)), internal


def visible(rows, user):
    """The tally rows of what ``user`` may see: an official of the province shown
    everything, visitors the public rows (public implies approved, a constraint on
    each record table)."""
    rows, internal = shown(rows, user)
    return rows if internal else rows.filter(public=True)


def counted(rows, user, in_review=False):
    """The tally rows a report made by ``user`` counts, as
    ``register.publishable.counted_q`` says: visitors the public rows,
    officials of the province shown the approved ones (each tally keeps ``approved``
    beside ``public``), and every row when they ask for the records in review too."""
    rows, internal = shown(rows, user)
    if not internal:
        return rows.filter(public=True)
    return rows if in_review else rows.filter(approved=True)


def run(*statement_makers):
    """Run, in one transaction, the statements each of ``statement_makers`` (a
    function of the vendor) gives for this database."""
    with transaction.atomic(), connection.cursor() as cursor:
        for make in statement_makers:
            for sql in make(connection.vendor):
                cursor.execute(sql)


def set_aside_in_migration(schema_editor, *sql_modules):
    """In a migration, before SQLite rebuilds a table (a constraint or a non-null
    column changed): drop the triggers of each tally SQL module. A rebuild drops the
    triggers on the table itself without a word, and one on another table that names
    it stops the rebuild ("error in trigger …: no such table"). Any module with
    ``install_statements``, ``uninstall_statements`` and ``rebuild_statements``
    goes here too: delegations/members_sql.py for the delegation and member
    tables. The same migration
    ends with ``install_in_migration`` of the same modules. PostgreSQL alters
    tables in place: nothing to do."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for module in sql_modules:
            for sql in module.uninstall_statements(vendor):
                schema_editor.execute(sql, params=None)


def install_in_migration(schema_editor, *sql_modules):
    """In a migration: install (or replace) the triggers of each tally SQL
    module, then recount its tally from the rows already there."""
    vendor = schema_editor.connection.vendor
    for module in sql_modules:
        for sql in module.install_statements(vendor) + module.rebuild_statements(vendor):
            schema_editor.execute(sql, params=None)


def snapshot(rows, keys, measures):
    """{key: measures} of the tally rows ``rows`` (one query)."""
    return {tuple(row[: len(keys)]): tuple(row[len(keys) :]) for row in rows.values_list(*keys, *measures)}


def differences(read, rebuild):
    """The rows where a tally differs from a full recount, as (key, tally, recount);
    empty when it is exact. ``read`` snapshots it, ``rebuild`` recounts it; the
    recount runs in a transaction rolled back."""
    stored = read()
    with transaction.atomic():
        rebuild()
        recount = read()
        transaction.set_rollback(True)
    keys = sorted(set(stored) | set(recount), key=repr)
    return [(key, stored.get(key), recount.get(key)) for key in keys if stored.get(key) != recount.get(key)]


@dataclass(frozen=True)
class TallyReader:
    """A tally model read and checked: ``keys`` and ``measures`` are its fields
    (a snapshot maps one to the other), ``rebuild_statements`` its SQL module's."""

    model: type
    keys: Sequence[str]
    measures: Sequence[str]
    rebuild_statements: Callable

    def visible(self, user):
        """The tally rows of what ``user`` may see (see ``visible``)."""
        return visible(self.model.objects.all(), user)

    def counted(self, user, in_review=False):
        """The tally rows a report made by ``user`` counts (see ``counted``)."""
        return counted(self.model.objects.all(), user, in_review)

    def rebuild(self):
        """Recount the whole tally from its records (after a bulk load with the
        triggers disabled, a restore, or to repair)."""
        run(self.rebuild_statements)

    def snapshot(self):
        return snapshot(self.model.objects.all(), self.keys, self.measures)

    def differences(self):
        """The rows where the tally differs from a full recount (see ``differences``)."""
        return differences(self.snapshot, self.rebuild)
