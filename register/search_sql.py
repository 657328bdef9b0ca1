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
- A second FTS5 table beside each, the *words index* (``<table>_words``, the
  ``unicode61`` tokenizer), whose tokens are the text's runs of letters and
  digits: the search's whole syllables (``SearchTerms``, the ``search_terms``
  lookup that register/publishable.py search_filter() asks) are token matches
  there, one-letter words included, and no row is read to test them. A partial
  index per table (``<table>_search_mixed``) holds the few rows where the two
  readings of a syllable can differ (see ``SearchTerms``).

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
from django.db.models.lookups import Contains, Lookup, Regex
from django.db.models.sql.where import AND, WhereNode

from common.pagination import reads_along_the_order
from common.text import Term
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
# The words index: a token is a run of letters and digits, kept as written (the text is
# folded already); prefix indexes answer a last word of up to six letters still being typed.
WORDS_TOKENIZER = "unicode61 remove_diacritics 0"
WORDS_PREFIXES = "1 2 3 4 5 6"
# In a GLOB pattern: a character that is neither the fields' newline nor printable ASCII.
OUTSIDE_ASCII = "[^\n -~]"


def fts_table(table):
    return f"{table}_fts"


def words_table(table):
    return f"{table}_words"


def mixed_index(table):
    return f"{table}_search_mixed"


def mixed(column):
    """The rows where the words index and the syllable test may disagree: a Latin
    letter or digit beside a character outside ASCII (see ``SearchTerms``). A
    control character other than the fields' newline counts as outside; it only
    adds a row to test the slow way."""
    return f"({column} GLOB '*[0-9a-z]{OUTSIDE_ASCII}*' OR {column} GLOB '*{OUTSIDE_ASCII}[0-9a-z]*')"


def trigger_names(table):
    return [f"{table}_fts_insert", f"{table}_fts_update", f"{table}_fts_delete"]


def _sqlite_install(tables, words=True):
    statements = []
    for table in tables:
        fts = fts_table(table)
        insert, update, delete = trigger_names(table)
        add, remove = [], []
        for index in (fts, words_table(table)) if words else (fts,):
            add.append(f"INSERT INTO {index}(rowid, {COLUMN}) VALUES (NEW.id, NEW.{COLUMN})")
            # An external-content table forgets a row by being told its old text.
            remove.append(f"INSERT INTO {index}({index}, rowid, {COLUMN}) VALUES ('delete', OLD.id, OLD.{COLUMN})")
        statements += [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
            f"{COLUMN}, content='{table}', content_rowid='id', tokenize='trigram', columnsize=0)",
            *(_sqlite_words(table) if words else []),
            *sqlite_trigger(insert, f"AFTER INSERT ON {table}", add),
            *sqlite_trigger(
                update,
                f"AFTER UPDATE OF id, {COLUMN} ON {table} "
                f"WHEN NEW.{COLUMN} IS NOT OLD.{COLUMN} OR NEW.id IS NOT OLD.id",
                [*remove, *add],
            ),
            *sqlite_trigger(delete, f"AFTER DELETE ON {table}", remove),
        ]
    return statements


def _sqlite_words(table):
    """The words index of ``table`` and the partial index of its mixed rows (see ``SearchTerms``)."""
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {words_table(table)} USING fts5("
        f"{COLUMN}, content='{table}', content_rowid='id', tokenize='{WORDS_TOKENIZER}', "
        f"prefix='{WORDS_PREFIXES}', detail=none, columnsize=0)",
        f"CREATE INDEX IF NOT EXISTS {mixed_index(table)} ON {table}(id) WHERE {mixed(COLUMN)}",
    ]


def _sqlite_uninstall(tables):
    statements = []
    for table in tables:
        statements += [
            *sqlite_drop_triggers(trigger_names(table)),
            f"DROP TABLE IF EXISTS {fts_table(table)};",
            f"DROP TABLE IF EXISTS {words_table(table)};",
            f"DROP INDEX IF EXISTS {mixed_index(table)};",
        ]
    return statements


def install_statements(vendor, tables=TABLES, words=True):
    """The FTS tables and their triggers (SQLite); nothing on PostgreSQL. Without
    ``words``, the trigram tables alone, as before the words index (issue 20)."""
    return by_vendor(vendor, list, lambda: _sqlite_install(tables, words))


def uninstall_words_statements(vendor, tables=TABLES):
    """The words indexes dropped and the triggers keeping the trigram tables alone."""
    drop = [f"DROP TABLE IF EXISTS {words_table(t)};" for t in tables]
    drop += [f"DROP INDEX IF EXISTS {mixed_index(t)};" for t in tables]
    return by_vendor(vendor, list, lambda: drop + _sqlite_install(tables, words=False))


def uninstall_statements(vendor, tables=TABLES):
    return by_vendor(vendor, list, lambda: _sqlite_uninstall(tables))


def rebuild_statements(vendor, tables=TABLES, kinds=(fts_table, words_table)):
    """Refill each FTS table (of ``kinds``: the trigram and the words tables) from the rows already there."""
    indexes = [kind(table) for table in tables for kind in kinds]
    return by_vendor(vendor, list, lambda: [f"INSERT INTO {fts}({fts}) VALUES ('rebuild')" for fts in indexes])


def repair(sender, using="default", **kwargs):
    """After every ``migrate`` on SQLite: a table whose FTS table exists but whose
    triggers or mixed-rows index are gone (a migration rebuilt it without setting
    this module aside), or whose words table is missing, gets them back, and its
    indexes are refilled from the rows. Two queries when all is well."""
    from django.db import connections, transaction

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger', 'index')")
        present = set(cursor.fetchall())

    def whole(table):
        parts = [("trigger", name) for name in trigger_names(table)]
        return all(part in present for part in [*parts, ("table", words_table(table)), ("index", mixed_index(table))])

    broken = [table for table in TABLES if ("table", fts_table(table)) in present and not whole(table)]
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


@TextField.register_lookup
class SearchTerms(Lookup):
    """``search_text__search_terms=(("hoi", False), ("t", True))``: the text has
    every term of a search (common/text.py search_terms(), as (word, prefix) pairs),
    each as a substring and, for a Latin word, as a whole syllable (the start of
    one for a prefix), which is what ``search_contains`` and ``search_syllable``
    ask together. On PostgreSQL (and on SQLite for a table without the index, or
    a query with a word in another script) it is exactly those lookups.

    On SQLite, for a query of Latin words, the table's words index answers it in
    one full-text match: its tokens are the text's runs of letters and digits, so a
    syllable is a token (``"t"``) and the start of one a token prefix (``"hoi"*``),
    and no row is read to test it. Without it, a word of one or two letters (which
    has no trigram) or a common one was tested on every row the trigram index let
    through, by LIKE and by Python's REGEXP: 380 ms for ``t hoi`` at 100,000
    delegations, 33,000 rows read.

    The index and the regular expression can disagree only where the tokenizer
    takes a character outside ASCII for a letter (凭, or a letter of an alphabet
    SQLite's tables do not know) right beside a Latin one: ``t凭`` holds the
    syllable "t" but no token "t". A token found is always a syllable (what
    bounds a token is neither a Latin letter nor a digit). So the rows with such a
    neighbour (the ``mixed`` partial index, a handful: a few sources, no synthetic
    delegation) are tested the slow way as well, and the rows found are exactly
    the regular expression's (tests/test_search_fts.py)."""

    lookup_name = "search_terms"
    prepare_rhs = False

    def conditions(self, contains=SearchContains):
        """The lookups this one stands for: every word a substring (``contains``), every Latin one a syllable."""
        words = tuple(word for word, _prefix in self.rhs)
        if contains is SearchContains:
            conditions = [contains(self.lhs, words)]
        else:
            conditions = [contains(self.lhs, word) for word in words]
        for word, prefix in self.rhs:
            if Term(word).bounded:
                conditions.append((SearchSyllableStart if prefix else SearchSyllable)(self.lhs, word))
        return conditions

    def _all(self, compiler, conditions):
        return compiler.compile(WhereNode(conditions, connector=AND))

    def as_sql(self, compiler, connection):
        return self._all(compiler, self.conditions())

    def as_sqlite(self, compiler, connection):
        lhs = self.lhs
        target = getattr(lhs, "target", None)
        model = getattr(target, "model", None)
        if (
            not self.rhs
            or target is None
            or getattr(lhs, "alias", None) is None
            or target.column != COLUMN
            or model._meta.db_table not in TABLES
            or not all(Term(word).bounded for word, _prefix in self.rhs)
        ):
            # A word in another script is no token of its own: the trigram index answers it.
            return self.as_sql(compiler, connection)
        quote, table = compiler.quote_name_unless_alias, model._meta.db_table
        words = words_table(table)
        # A unary + keeps SQLite from reading the rows by id from the match when the
        # page walks its order's index (common/pagination.py read_along_the_order).
        plus = "+" if reads_along_the_order(compiler.query) else ""
        row_id = f"{plus}{quote(lhs.alias)}.{quote(model._meta.pk.column)}"
        match = " AND ".join(fts_string(word) + ("*" if prefix else "") for word, prefix in self.rhs)
        # The mixed rows, tested as before but by LIKE, not the trigram index: they are few.
        slow_sql, slow_params = self._all(compiler, self.conditions(contains=Contains))
        pk = quote(model._meta.pk.column)
        sql = (
            f"({row_id} IN (SELECT rowid FROM {words} WHERE {words} MATCH %s)"
            f" OR ({row_id} IN (SELECT {pk} FROM {quote(table)} WHERE {mixed(quote(COLUMN))}) AND {slow_sql}))"
        )
        return sql, (match, *slow_params)
