"""SQLite's search index (register/search_sql.py): the FTS5 trigram tables find
exactly the rows ``LIKE '%word%'`` finds, stay in step with every writer, and
the search page's query reads them instead of every delegation.

The equivalence tests run on PostgreSQL too, where ``search_contains`` is
Django's ``contains`` itself: there they check that nothing changed."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Q

from common.text import Term
from delegations.models import Delegation, Direction
from operations.synthetic.writers import InsertWriter
from partners.models import Partner
from register import search_sql
from register.publishable import ReviewState, search_filter
from reports.search import COUNT_CAP, CappedCount, DelegationSearch
from sources.models import Source

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")

SEARCHABLE = [m for m in apps.get_models() if "search_text" in {f.name for f in m._meta.concrete_fields}]

# Accented and not, several words, the last one a prefix, one- and two-letter words,
# characters that LIKE, FTS5 or SQL would read as syntax, a script without spaces,
# and words that match nothing.
QUERIES = [
    "bang tuong",
    "Bằng Tường",
    "BANG TUONG",
    "Pingxiang",
    "凭祥",
    "quảng tây",
    "lạng sơn",
    "hợp tác quốc",
    "tu",
    "t",
    "y tế",
    "HIV/AIDS",
    "du an y",
    "cao l",
    "a",
    "đ",
    "50%",
    "x_y",
    '"bang tuong"',
    'quang "tay',
    "tay\"'; DROP TABLE x; --",
    "*",
    "tuong*",
    "bang OR tuong",
    "NEAR(bang tuong)",
    "search_text:bang",
    "zzzqqxw",
    "xylophone bang",
]

# What the admin's search and the autocompletes ask (register/record_admin.py): any
# folded text, spaces and punctuation included.
SUBSTRINGS = ["bang tuong", "ang", "an", "g", "%", "_", '"', 'a"b', "50%", "hiv/aids", "tuong\nbao", " - ", "zzzqq"]


def like_only(condition):
    """``condition`` with every ``search_contains`` made a plain ``contains`` and
    every ``search_syllable(_start)`` the plain regular expression it stands for:
    the search as it was before the FTS index and SQLite's instr() shortcut,
    LIKE '%word%' and REGEXP on every row."""
    return Q(*map(_plain, condition.children), _connector=condition.connector, _negated=condition.negated)


def _plain(child):
    if isinstance(child, Q):
        return like_only(child)
    lookup, value = child
    field, _sep, name = lookup.rpartition("__")
    if name == "search_terms":  # every word a substring, every Latin word a syllable (its start for a prefix)
        parts = [_plain((f"{field}__search_contains", tuple(word for word, _prefix in value)))]
        for word, prefix in value:
            if Term(word).bounded:
                parts.append(_plain((f"{field}__search_syllable{'_start' if prefix else ''}", word)))
        return Q(*parts)
    if name == "search_contains":  # one word, or every word of the search
        words = (value,) if isinstance(value, str) else value
        return Q(*[(f"{field}__contains", word) for word in words])
    if name in ("search_syllable", "search_syllable_start"):
        end = "" if name.endswith("_start") else f"({search_sql.NOT_LATIN}|$)"
        return f"{field}__regex", f"(^|{search_sql.NOT_LATIN}){value}{end}"
    return child


def pks(model, condition):
    return sorted(model.objects.filter(condition).values_list("pk", flat=True))


def test_the_index_covers_every_table_with_a_search_column():
    assert sorted(m._meta.db_table for m in SEARCHABLE) == sorted(search_sql.TABLES)


@pytest.mark.parametrize("query", QUERIES)
def test_a_search_finds_exactly_what_like_finds(seeded, query):
    condition = search_filter(query)
    assert "__search_terms" in str(condition) or not condition
    for model in SEARCHABLE:
        assert pks(model, condition) == pks(model, like_only(condition)), model._meta.label


def test_the_queries_find_something_on_the_seeded_register(seeded):
    """The comparison above means something: most queries find rows."""
    found = {q for q in QUERIES if any(m.objects.filter(search_filter(q)).exists() for m in SEARCHABLE)}
    assert {"bang tuong", "Bằng Tường", "凭祥", "y tế", "tu", "t", "a", "đ", "HIV/AIDS", "cao l"} <= found
    assert "zzzqqxw" not in found


@pytest.mark.parametrize("text", SUBSTRINGS)
def test_a_substring_is_found_as_like_finds_it(seeded, text):
    for model in SEARCHABLE:
        fts = pks(model, Q(search_text__search_contains=text))
        assert fts == pks(model, Q(search_text__contains=text)), model._meta.label


def test_the_search_through_a_join_reads_the_joined_tables_index(seeded):
    condition = Q(partners__search_text__search_contains="bang tuong")
    assert pks(Delegation, condition) == pks(Delegation, Q(partners__search_text__contains="bang tuong"))
    assert pks(Delegation, condition)


# SQLite only: the index and its triggers


def fts_ids(model, text):
    fts = search_sql.fts_table(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s ORDER BY rowid", [search_sql.fts_string(text)])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def assert_in_step(*models):
    """FTS5's own check of an external-content table: its index holds exactly the
    rows and texts of the table (an error otherwise)."""
    with connection.cursor() as cursor:
        for model in models:
            for fts in (search_sql.fts_table(model._meta.db_table), search_sql.words_table(model._meta.db_table)):
                cursor.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")  # noqa: S608


@sqlite_only
def test_the_loaded_fixtures_are_in_the_index(seeded):
    assert_in_step(*SEARCHABLE)
    assert fts_ids(Partner, "bang tuong")


@sqlite_only
@pytest.mark.django_db
def test_insert_update_and_delete_keep_the_index_in_step():
    delegation = Delegation.objects.create(title="Đoàn Xylophone sang Bằng Tường", direction=Direction.OUTBOUND)
    assert fts_ids(Delegation, "xylophone") == [delegation.pk]

    delegation.title = "Đoàn Marimba sang Bằng Tường"
    delegation.save()
    assert fts_ids(Delegation, "xylophone") == []
    assert fts_ids(Delegation, "marimba") == [delegation.pk]

    Delegation.objects.filter(pk=delegation.pk).update(search_text="vibraphone")
    assert fts_ids(Delegation, "marimba") == []
    assert fts_ids(Delegation, "vibraphone") == [delegation.pk]
    Delegation.objects.filter(pk=delegation.pk).update(size=3)  # not the text: the index is not touched
    assert_in_step(Delegation)

    delegation.delete()
    assert fts_ids(Delegation, "vibraphone") == []
    assert_in_step(Delegation)


@sqlite_only
def test_a_bulk_executemany_insert_is_indexed(seeded):
    """The synthetic generator's writer (executemany), as the rows of a million-record load arrive."""
    columns = [f.column for f in Source._meta.concrete_fields]
    template = list(Source.objects.values_list(*[f.attname for f in Source._meta.concrete_fields]).first())
    start = Source.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
    at, text = columns.index("id"), columns.index("search_text")
    rows = []
    for n in range(2500):  # more than one batch
        row = list(template)
        row[at], row[text] = start + n, f"ocarina {n:04d}\nbao lang son"
        row[columns.index("url")] = f"https://example.org/ocarina/{n}"
        rows.append(row)
    InsertWriter().write(Source, columns, rows)

    assert len(fts_ids(Source, "ocarina")) == 2500
    assert fts_ids(Source, "ocarina 1234") == [start + 1234]
    assert_in_step(Source)


@sqlite_only
@pytest.mark.django_db
def test_the_check_notices_an_index_out_of_step_and_repair_mends_it():
    delegation = Delegation.objects.create(title="Đoàn Theremin", direction=Direction.OUTBOUND)
    with connection.cursor() as cursor:
        # What SQLite does to a table's triggers when a migration rebuilds the table.
        cursor.execute("DROP TRIGGER delegations_delegation_fts_update")
    Delegation.objects.filter(pk=delegation.pk).update(search_text="doan celesta")
    with pytest.raises(Exception, match="malformed|corrupt"):
        assert_in_step(Delegation)

    search_sql.repair(sender=None)

    assert_in_step(Delegation)
    assert fts_ids(Delegation, "celesta") == [delegation.pk]
    assert fts_ids(Delegation, "theremin") == []


@sqlite_only
def test_the_search_pages_query_reads_the_index_not_every_delegation(seeded, official):
    """EXPLAIN QUERY PLAN of the search page's delegation query (reports/search.py):
    the words are looked up in the FTS table, and the delegations read by id."""
    kind = DelegationSearch()
    queryset = kind.queryset(official, "bang tuong").filter(search_filter("bang tuong"))
    queryset = queryset.annotate(total=CappedCount(queryset, COUNT_CAP)).defer("search_text")[:20]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]

    assert any("delegations_delegation_words VIRTUAL TABLE INDEX" in step for step in plan), plan
    # The table itself is read by id, or by the partial index of its few mixed rows, never scanned.
    scans = [step for step in plan if step.startswith("SCAN delegations_delegation ")]
    assert all("USING INDEX delegations_delegation_search_mixed" in step for step in scans), plan


@sqlite_only
def test_the_delegations_of_a_visitor_are_found_through_the_index(seeded, client):
    published = Delegation.objects.create(
        title="Đoàn Glockenspiel sang Bằng Tường",
        direction=Direction.OUTBOUND,
        is_public=True,
        review_state=ReviewState.APPROVED,
    )
    assert list(Delegation.objects.published().search("glockenspiel bang")) == [published]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["tuong", "tuon", "huong", "bao", "lang son", "son", "(ha", "ha noi"])
def test_a_syllable_is_found_where_it_starts_a_field_a_line_or_follows_a_bracket_and_not_inside_a_word(query):
    """SQLite's instr() shortcut (search_sql.SearchSyllable) finds the rows the regular
    expression finds (the last word is a prefix): a syllable at the start of the text, after the newline between two
    fields, after a bracket or a comma, at the end; and not one inside another word."""
    titles = ["Tường", "Đoàn (Hà Nội)", "Chương trình", "Lạng Sơn,Bảo", "tuongx", "Thăm Bằng Tường"]
    for title in titles:
        Delegation.objects.create(title=title, places="Bảo Lâm\nLạng Sơn", direction=Direction.OUTBOUND)
    condition = search_filter(query)
    found = pks(Delegation, condition)
    assert found == pks(Delegation, like_only(condition))
    expected = {"tuong": 3, "tuon": 3, "huong": 0, "bao": 6, "(ha": 1, "ha noi": 1}
    if query in expected:
        assert len(found) == expected[query], Delegation.objects.filter(pk__in=found)


@sqlite_only
def test_the_words_of_one_search_are_one_full_text_match(seeded):
    """FTS5 intersects the words' lists itself: one MATCH, not one IN a word (61 ms
    for the count of "hoi nghi" at 100,000 delegations, 23 ms as one). A word of one
    letter is a token like any other (it has no trigram: LIKE and Python's REGEXP
    tested it on every row the other words let through, 380 ms for "t hoi")."""
    sql, params = Delegation.objects.filter(search_filter("hội nghị t")).query.sql_with_params()
    assert sql.count(" MATCH ") == 1
    assert "delegations_delegation_words MATCH" in sql
    assert '"nghi" AND "hoi" AND "t"*' in params


@sqlite_only
def test_a_word_in_another_script_keeps_the_trigram_index(seeded):
    sql, params = Delegation.objects.filter(search_filter("凭祥 bang")).query.sql_with_params()
    assert "delegations_delegation_fts MATCH" in sql
    assert "_words" not in sql


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["t", "t hoi", "hoi t", "pingxiang", "ping", "km", "km 0", "a b", "tuong"])
def test_a_latin_letter_beside_another_script_is_still_a_syllable(query):
    """Where a Latin letter touches a character the words index takes for a letter
    (凭, ы), the token is not the syllable: those rows are tested the slow way, and
    the search finds exactly what the regular expression finds (on PostgreSQL, the
    regular expression itself)."""
    titles = [
        "Hội nghị t凭 tại Bằng Tường",  # "t" beside 凭: a syllable, no token "t"
        "Pingxiang凭祥 hội",
        "凭祥Pingxiang",
        "Đoàn tыhoi",  # a Cyrillic letter between two Latin syllables
        "Km0 và km 0",
        "Hội thảo – t – a b",  # a dash outside ASCII is no letter: tokens either way
        "Đoàn thăm Bằng Tường",
        "thoi hoix",
    ]
    for title in titles:
        Delegation.objects.create(title=title, direction=Direction.OUTBOUND)
    condition = search_filter(query)
    found = pks(Delegation, condition)
    assert found == pks(Delegation, like_only(condition))
    expected = {"t hoi": 3, "hoi t": 3, "pingxiang": 2, "ping": 2, "tuong": 2}
    if query in expected:
        assert len(found) == expected[query], list(Delegation.objects.filter(pk__in=found).values_list("title"))


@sqlite_only
@pytest.mark.django_db
def test_the_mixed_rows_are_the_few_with_a_latin_letter_beside_another_script():
    plain = Delegation.objects.create(title="Hội thảo – t – Bằng Tường (凭祥)", direction=Direction.OUTBOUND)
    mixed = Delegation.objects.create(title="Hội nghị t凭", direction=Direction.OUTBOUND)
    table = Delegation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE {search_sql.mixed('search_text')}")  # noqa: S608
        assert [row[0] for row in cursor.fetchall()] == [mixed.pk]
        cursor.execute(f"EXPLAIN QUERY PLAN SELECT id FROM {table} WHERE {search_sql.mixed('search_text')}")  # noqa: S608
        assert "INDEX delegations_delegation_search_mixed" in cursor.fetchall()[-1][-1]
    assert plain.pk in pks(Delegation, search_filter("t bang"))


@sqlite_only
@pytest.mark.django_db
def test_repair_brings_back_the_words_index_and_the_mixed_rows_index():
    delegation = Delegation.objects.create(title="Đoàn Theremin", direction=Direction.OUTBOUND)
    table = Delegation._meta.db_table
    with connection.cursor() as cursor:  # what a migration's table rebuild does to a raw index
        cursor.execute(f"DROP INDEX {search_sql.mixed_index(table)}")
        cursor.execute(f"DROP TABLE {search_sql.words_table(table)}")
    search_sql.repair(sender=None)

    assert_in_step(Delegation)
    assert pks(Delegation, search_filter("theremin")) == [delegation.pk]
    with connection.cursor() as cursor:
        name = search_sql.mixed_index(table)
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name = %s", [name])
        assert cursor.fetchall()
