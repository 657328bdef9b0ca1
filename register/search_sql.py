# ruff: noqa: S608 -- every name spliced into this SQL is a constant of this module; search words are parameters.
"""SQLite's index for the search: an FTS5 table with the ``trigram`` tokenizer
beside each table that has a folded ``search_text`` column, the counterpart of
PostgreSQL's trigram GIN indexes (lang_son_affairs/migrations/0003).

Without it, every word of a search is ``search_text LIKE '%word%'``, which
SQLite answers by reading every row: at 100,000 delegations the search page
spent most of its time there. A trigram FTS5 table answers a quoted string of
three characters or more (``MATCH '"bang"'``) as the same substring test
(case-insensitive like LIKE, and the text is folded anyway) from its index.

- The FTS tables are *external content* (``content='<table>',
  content_rowid='id'``): they keep the index only, and read the text from the
  record's own row. They hold the same folded ``search_text`` that PostgreSQL's
  index is built on, so both databases find the same rows.
- Triggers keep them in step with every writer: the admin and the ORM,
  ``bulk_create`` and the imports (register/import_bulk.py), the synthetic
  generator's ``executemany`` (operations/synthetic/writers.py), ``loaddata``
  (the fixtures, and operations/backups.py's restore), raw SQL. An update
  re-indexes a row only when its ``search_text`` (or id) changed.
- ``SearchContains`` (the ``search_contains`` lookup) is how the code asks:
  on SQLite, for a table listed here and a string of three characters or more,
  ``id IN (SELECT rowid FROM <fts> WHERE <fts> MATCH %s)``; otherwise (shorter
  words, which a trigram index cannot answer, and PostgreSQL) exactly
  Django's ``contains``.

SQLite drops a table's triggers without a word when a migration rebuilds the
table (a changed constraint or column), so such a migration sets this module
aside and installs it again, like the tallies' modules:
``register/tallies.set_aside_in_migration(schema_editor, search_sql)`` and
``install_in_migration``. As a safety net, ``repair()`` runs after every
``migrate`` and reinstalls (and refills) the index of any table whose triggers
are missing. PostgreSQL has nothing to do here: every function returns no
statements there.
"""

from django.db.models import TextField
from django.db.models.lookups import Contains, Regex

from common.pagination import reads_along_the_order
from register.tallies import by_vendor, sqlite_drop_triggers, sqlite_trigger

# Every table with a folded search_text column. tests/test_search_fts.py checks
# that this is every model with the column.
TABLES = (
    "partners_partner",
    "partners_localunit",
    "partners_cooperationmechanism",
    "sources_source",
    "delegations_delegation",
    "agreements_agreement",
    "agreements_partnership",
    "projects_project",
    "conferences_conference",
)
COLUMN = "search_text"
# A trigram index answers strings of three characters or more; shorter ones match no row.
SHORTEST = 3


def fts_table(table):
    return f"{table}_fts"


def trigger_names(table):
    return [f"{table}_fts_insert", f"{table}_fts_update", f"{table}_fts_delete"]


def _sqlite_install(tables):
    statements = []
    for table in tables:
        fts = fts_table(table)
        insert, update, delete = trigger_names(table)
        add = f"INSERT INTO {fts}(rowid, {COLUMN}) VALUES (NEW.id, NEW.{COLUMN})"
        # An external-content table forgets a row by being told its old text.
        remove = f"INSERT INTO {fts}({fts}, rowid, {COLUMN}) VALUES ('delete', OLD.id, OLD.{COLUMN})"
        statements += [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
            f"{COLUMN}, content='{table}', content_rowid='id', tokenize='trigram', columnsize=0)",
            *sqlite_trigger(insert, f"AFTER INSERT ON {table}", [add]),
            *sqlite_trigger(
                update,
                f"AFTER UPDATE OF id, {COLUMN} ON {table} "
                f"WHEN NEW.{COLUMN} IS NOT OLD.{COLUMN} OR NEW.id IS NOT OLD.id",
                [remove, add],
            ),
            *sqlite_trigger(delete, f"AFTER DELETE ON {table}", [remove]),
        ]
    return statements


def _sqlite_uninstall(tables):
    statements = []
    for table in tables:
        statements += [*sqlite_drop_triggers(trigger_names(table)), f"DROP TABLE IF EXISTS {fts_table(table)};"]
    return statements


def install_statements(vendor, tables=TABLES):
    """The FTS tables and their triggers (SQLite); nothing on PostgreSQL."""
    return by_vendor(vendor, list, lambda: _sqlite_install(tables))


def uninstall_statements(vendor, tables=TABLES):
    return by_vendor(vendor, list, lambda: _sqlite_uninstall(tables))


def rebuild_statements(vendor, tables=TABLES):
    """Refill each FTS table from the rows already there."""
    return by_vendor(
        vendor, list, lambda: [f"INSERT INTO {fts}({fts}) VALUES ('rebuild')" for fts in map(fts_table, tables)]
    )


def repair(sender, using="default", **kwargs):
    """After every ``migrate`` on SQLite: a table whose FTS table exists but whose
    triggers are gone (a migration rebuilt it without setting this module aside)
    gets them back, and its index is refilled from the rows. Two queries when all
    is well."""
    from django.db import connections, transaction

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = set(cursor.fetchall())
    broken = [
        table
        for table in TABLES
        if ("table", fts_table(table)) in present
        and not all(("trigger", name) in present for name in trigger_names(table))
    ]
    if not broken:
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for sql in install_statements("sqlite", broken) + rebuild_statements("sqlite", broken):
            cursor.execute(sql)


def fts_string(text):
    """``text`` as an FTS5 string: in double quotes, a double quote doubled. Inside
    one, every character is literal (no operators, no column filters), and the
    trigram tokenizer matches it as a substring."""
    return '"' + text.replace('"', '""') + '"'


@TextField.register_lookup
class SearchContains(Contains):
    """``search_text__search_contains="word"`` (or a tuple of words, every one
    required): Django's ``contains`` (``LIKE '%word%'``, which PostgreSQL's
    trigram index answers), answered on SQLite by the table's FTS index for the
    words of three characters or more. The condition is then on the row's id
    (``id IN (SELECT rowid ...)``), so SQLite reads the FTS index first and the
    record rows by id. The words of one search are one ``MATCH '"hoi" AND
    "nghi"'``: FTS5 intersects its own lists (3 ms at 100,000 delegations), where
    one ``IN`` a word had SQLite build and probe a list per word (61 ms for the
    count of "hoi nghi")."""

    lookup_name = "search_contains"

    def words(self):
        return (self.rhs,) if isinstance(self.rhs, str) else tuple(self.rhs)

    def _contains(self, compiler, words):
        # Django's own contains, compiled as it would be (PostgreSQL's ``::text`` cast included).
        parts = [compiler.compile(Contains(self.lhs, word)) for word in words]
        if len(parts) == 1:
            return parts[0]
        return " AND ".join(f"({sql})" for sql, _params in parts), tuple(p for _sql, ps in parts for p in ps)

    def as_sql(self, compiler, connection):
        return self._contains(compiler, self.words())

    def as_sqlite(self, compiler, connection):
        lhs = self.lhs
        target = getattr(lhs, "target", None)
        model = getattr(target, "model", None)
        words = self.words()
        indexed = [word for word in words if isinstance(word, str) and len(word) >= SHORTEST]
        if (
            target is None
            or getattr(lhs, "alias", None) is None
            or target.column != COLUMN
            or model._meta.db_table not in TABLES
            or not indexed
        ):
            return self.as_sql(compiler, connection)
        quote, fts = compiler.quote_name_unless_alias, fts_table(model._meta.db_table)
        # A unary + keeps SQLite from reading the rows by id from the match: the
        # page then walks its order's index (common/pagination.py read_along_the_order).
        plus = "+" if reads_along_the_order(compiler.query) else ""
        row_id = f"{plus}{quote(lhs.alias)}.{quote(model._meta.pk.column)}"
        sql = f"{row_id} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"
        params = (" AND ".join(fts_string(word) for word in indexed),)
        short = [word for word in words if word not in indexed]
        if short:  # a trigram index cannot answer one or two letters: LIKE them on the rows the match lets through
            short_sql, short_params = self._contains(compiler, short)
            return f"{sql} AND ({short_sql})", params + tuple(short_params)
        return sql, params


# Letters and digits of a folded Latin word; anything else ends a syllable.
# Spelt out rather than as a range, which a database may read by its collation.
NOT_LATIN = "[^0123456789abcdefghijklmnopqrstuvwxyz]"


@TextField.register_lookup
class SearchSyllable(Regex):
    """``search_text__search_syllable="tuong"``: the word is a whole syllable of the
    folded text, ``(^|[^0-9a-z])tuong([^0-9a-z]|$)`` (``search_syllable_start``: a
    syllable starts with it, the last word of a query). PostgreSQL evaluates the
    regular expression natively. SQLite's REGEXP is a Python function called once
    per row, 2-3 µs each: on the 5,567 delegations naming "choang" at 100,000, 14 ms
    of a 21 ms count. So SQLite first asks ``instr()`` (C, no call into Python) for
    the word with a space before (and after) it, in the text with its newlines (the
    fields' separator, common/text.py search_blob) made spaces, which is the usual
    case and implies the expression; only the rows where it is not found, the word
    beside a bracket or a comma or not a syllable at all, reach the REGEXP. Same
    rows either way (tests/test_search_fts.py)."""

    lookup_name = "search_syllable"
    prefix = False

    def pattern(self):
        end = "" if self.prefix else f"({NOT_LATIN}|$)"
        return f"(^|{NOT_LATIN}){self.rhs}{end}"

    def as_sql(self, compiler, connection):
        return compiler.compile(Regex(self.lhs, self.pattern()))

    def as_sqlite(self, compiler, connection):
        text, text_params = compiler.compile(self.lhs)
        regex, regex_params = self.as_sql(compiler, connection)
        needle = " " + self.rhs + ("" if self.prefix else " ")
        spaced = f"(' ' || replace({text}, char(10), ' ') || ' ')"
        return f"(instr({spaced}, %s) > 0 OR {regex})", (*text_params, needle, *regex_params)


@TextField.register_lookup
class SearchSyllableStart(SearchSyllable):
    lookup_name = "search_syllable_start"
    prefix = True
