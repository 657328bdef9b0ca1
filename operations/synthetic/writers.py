"""Two ways to put generated rows into the database, neither saving row by row.

PostgreSQL: COPY ... FROM STDIN in text format, one COPY per table per block,
each block committed on its own (the deferred foreign-key checks of a block
stay small). Other databases (SQLite in tests): executemany() INSERTs in
batches, values prepared by each field as the ORM would."""

import io
import re
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connection, transaction

from agreements import agreement_tally_sql, signed_partner_tally_sql
from projects import iati_lacks_sql, project_tally_sql, transaction_tally_sql
from register import search_sql, versions
from reports import partner_tally_sql, tally_sql


def copy_text(rows):
    """Rows as COPY text format: tab-separated, \\N for NULL, t/f for booleans."""
    out = []
    append = out.append
    for row in rows:
        fields = []
        for v in row:
            if v is None:
                fields.append("\\N")
            elif v is True:
                fields.append("t")
            elif v is False:
                fields.append("f")
            elif v.__class__ is str:
                if "\n" in v or "\\" in v or "\t" in v or "\r" in v:
                    v = v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
                fields.append(v)
            else:
                fields.append(str(v))
        append("\t".join(fields))
    out.append("")
    return "\n".join(out)


def check_columns(model, columns):
    """The generated columns are the model's, the id alone may be left to the
    database: a model change that the generator does not know fails loudly. The
    version kept from the audit trail (register/versions.py) is left NULL too: the
    generator writes no historical rows, so each record is at version 0. What a project
    lacks for the IATI file is left to its triggers, or to the recount after a fast load
    (projects/iati_lacks_sql.py)."""
    concrete = {f.column for f in model._meta.concrete_fields}
    missing = concrete - set(columns) - {model._meta.pk.column, versions.COLUMN, iati_lacks_sql.COLUMN}
    unknown = set(columns) - concrete
    if missing or unknown:
        raise RuntimeError(f"{model._meta.db_table}: columns missing {sorted(missing)}, unknown {sorted(unknown)}")


class CopyWriter:
    """COPY text into PostgreSQL; ``send`` takes text already made by copy_text()."""

    def send(self, model, columns, text):
        if not text:
            return
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        table = connection.ops.quote_name(model._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {table} ({quoted}) FROM STDIN", io.StringIO(text))

    def write(self, model, columns, rows):
        self.send(model, columns, copy_text(rows))


class InsertWriter:
    """Batched INSERTs through the ORM's own value preparation."""

    BATCH = 2000

    def write(self, model, columns, rows):
        fields = {f.column: f for f in model._meta.concrete_fields}
        prep = [fields[c].get_db_prep_save for c in columns]
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        table = connection.ops.quote_name(model._meta.db_table)
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608 - names from the models, quoted
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, len(rows), self.BATCH):
                batch = [
                    [p(v, connection) for p, v in zip(prep, row, strict=True)]
                    for row in rows[start : start + self.BATCH]
                ]
                cursor.executemany(sql, batch)


def fast_load(enable):
    """PostgreSQL: skip the foreign-key triggers in this session while loading
    (session_replication_role = replica; CHECK and UNIQUE constraints still
    hold). The generator makes every reference point at a row it wrote or
    found, and check_references() proves it afterwards. Needs a superuser;
    without one the load simply runs with the triggers. Returns whether it is on."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SET session_replication_role = {'replica' if enable else 'DEFAULT'}")
        return True
    except Exception:  # noqa: BLE001 - not a superuser: keep the triggers, only slower
        return False


# The SQL modules of the trigger-kept tallies the generator's tables feed, each with
# ``uninstall_statements`` (register/tallies.py), and what each project lacks for the IATI file
# (projects/iati_lacks_sql.py, recomputed with them). Only these triggers are set aside:
# the others (the đồng derivation, the members-within-size rule, search indexes)
# keep running on every row.
TALLY_SQL = (tally_sql, partner_tally_sql, transaction_tally_sql, project_tally_sql, agreement_tally_sql,
             signed_partner_tally_sql, iati_lacks_sql)  # fmt: skip
_DROP = re.compile(r"DROP TRIGGER IF EXISTS (\w+);")


def set_aside_trigger_names():
    """The names of the SQLite tally triggers, and of the search index's (register/search_sql.py,
    refilled in one pass at the end), read from their modules' uninstall statements."""
    statements = [sql for module in (*TALLY_SQL, search_sql) for sql in module.uninstall_statements("sqlite")]
    return [m.group(1) for sql in statements if (m := _DROP.fullmatch(sql))]


@contextmanager
def tallies_set_aside(recount):
    """SQLite: run the block inside one transaction with the tally triggers dropped,
    then ``recount()`` the tallies from the rows and re-create the triggers as they
    were (their stored SQL, read from sqlite_master). PostgreSQL's bulk path does the
    same (fast_load skips the triggers, the tallies are rebuilt after).

    Why: SQLite's tally triggers are row-level, and each row written recounts its
    day, then its month's rows from the days and its year's from the months
    (register/tallies.py): a delegation and each of its partner links delete and
    re-insert every tally row of their year, hundreds once the tally fills (0.6 ms a
    delegation on an empty register, 19 ms at 20,000). Generation slowed block after
    block; a recount at the end is a few set-based statements.

    One transaction (a savepoint inside a caller's): SQLite's DDL is transactional, so
    should the load fail or the process die, the triggers come back with the rollback
    and no tally is left stale. Triggers other than the tallies' are left alone.

    The search index's triggers (FTS5, register/search_sql.py) are set aside too, and
    the index rebuilt from the rows in one pass at the end: kept row by row, its
    segments and merges outgrew the page cache (sqlite_bulk_session) with the lists'
    indexes, and each block took longer than the last (2 s, then 5, 7, 10, 14 s)."""
    names = set_aside_trigger_names()
    with transaction.atomic():
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(names))
            cursor.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks}) ORDER BY name",  # noqa: S608 - placeholders only
                names,
            )
            saved = cursor.fetchall()
            for name, _sql in saved:
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
        yield
        # The planner's statistics (common/sqlite_backend) were taken of the tables
        # before the load, a few rows each: the recount's joins would be planned for
        # those and run for the hundred thousand loaded (minutes, not seconds).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        recount()
        with connection.cursor() as cursor:
            for statement in search_sql.rebuild_statements("sqlite"):
                cursor.execute(statement)
            for _name, sql in saved:
                cursor.execute(sql)


# The page cache a bulk load on SQLite may use, in KiB (negative: a size, not a
# page count): SQLite's default is 2 MiB, and the delegation table alone has a dozen
# indexes on keys that arrive in random order (titles, dates), whose pages then go to
# and from the operating system on nearly every row once the tables outgrow it. The
# cache only grows as pages are read; it is this connection's and restored after.
BULK_CACHE_KIB = 256 * 1024


@contextmanager
def sqlite_bulk_session():
    """SQLite: a larger page cache for this connection during the load, the previous
    size restored after. Nothing here changes what is written or how durably: the
    journal and synchronous modes are left as they are. (temp_store = MEMORY was
    tried too and made it far worse: the savepoints of the one long transaction keep
    their journal in temporary storage, and in memory the blocks grew from 1 s to
    90 s by the 55,000th delegation.)"""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache_size,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


def check_references(models):
    """Each foreign key of the loaded tables points at an existing row: one
    anti-join per key. Returns ["table.column: n dangling", ...], empty when sound."""
    problems = []
    with connection.cursor() as cursor:
        for model in models:
            for field in model._meta.concrete_fields:
                if not field.is_relation:
                    continue
                table, column = model._meta.db_table, field.column
                target = field.related_model._meta
                q = connection.ops.quote_name
                key = q(field.target_field.column)  # the province's code (to_field), else the primary key
                cursor.execute(
                    f"SELECT COUNT(*) FROM {q(table)} t LEFT JOIN {q(target.db_table)} r "  # noqa: S608 - model names
                    f"ON r.{key} = t.{q(column)} WHERE t.{q(column)} IS NOT NULL AND r.{key} IS NULL"
                )
                (dangling,) = cursor.fetchone()
                if dangling:
                    problems.append(f"{table}.{column}: {dangling} dangling")
    return problems


def reset_sequences(models):
    """Move each table's id sequence past the ids the generator gave."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
