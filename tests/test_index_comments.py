"""Every index says in PostgreSQL which query it serves (register/index_comments.py)."""

import pytest
from django.db import connection
from django.utils import translation

from register.index_comments import INDEX_COMMENTS, apply, catalog_rows, named_indexes, wanted_comments

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="index comments are PostgreSQL's")

INDEXES = """
SELECT i.relname, obj_description(i.oid, 'pg_class')
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_namespace s ON s.oid = i.relnamespace
WHERE s.nspname = 'public' AND NOT x.indisprimary
"""


def index_comments_in_database():
    with connection.cursor() as cursor:
        cursor.execute(INDEXES)
        return dict(cursor.fetchall())


def test_every_index_the_models_name_has_a_comment_in_the_registry():
    missing = sorted(set(named_indexes()) - set(INDEX_COMMENTS))
    assert missing == [], "add a line to INDEX_COMMENTS saying which query each of these serves"


def test_the_registry_names_no_index_the_models_do_not_declare():
    assert sorted(set(INDEX_COMMENTS) - set(named_indexes())) == []
    assert all(comment.strip() for comment in INDEX_COMMENTS.values())


def test_a_foreign_key_index_is_described_in_english_from_its_field():
    row = ("some_index", "delegations_delegation", False, ["host_unit_id"], False, None)
    with translation.override("vi"):
        comment = wanted_comments([row])["some_index"]
    assert comment == (
        "Foreign key delegations_delegation.host_unit_id: the rows of one local unit and the joins to it; "
        "checks that none refers to one being deleted (PROTECT)"
    )


def test_an_index_no_model_explains_gets_no_invented_comment():
    row = ("some_index", "delegations_delegation", False, [None], False, None)
    assert wanted_comments([row]) == {}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="checks the other databases")
def test_apply_does_nothing_on_sqlite(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert apply(connection) == []


@on_postgresql
@pytest.mark.django_db
def test_after_migrate_every_index_but_the_primary_keys_has_a_comment():
    comments = index_comments_in_database()
    assert comments
    assert sorted(name for name, comment in comments.items() if not (comment or "").strip()) == []


@on_postgresql
@pytest.mark.django_db
def test_every_registry_entry_names_an_index_that_carries_its_words():
    comments = index_comments_in_database()
    assert sorted(set(INDEX_COMMENTS) - set(comments)) == []
    assert {name: comments[name] for name in INDEX_COMMENTS} == INDEX_COMMENTS


@on_postgresql
@pytest.mark.django_db
def test_apply_restores_a_lost_comment_and_then_has_nothing_to_do(django_assert_num_queries):
    with connection.cursor() as cursor:
        cursor.execute("COMMENT ON INDEX delegation_list_newest_idx IS NULL")
        cursor.execute("COMMENT ON INDEX tally_grain_period_idx IS 'stale words'")
    # The catalog query, then one COMMENT per index to fix.
    with django_assert_num_queries(3):
        assert apply(connection) == ["delegation_list_newest_idx", "tally_grain_period_idx"]
    comments = index_comments_in_database()
    assert comments["delegation_list_newest_idx"] == INDEX_COMMENTS["delegation_list_newest_idx"]
    assert comments["tally_grain_period_idx"] == INDEX_COMMENTS["tally_grain_period_idx"]
    with django_assert_num_queries(1):
        assert apply(connection) == []


@on_postgresql
@pytest.mark.django_db
def test_the_automatic_foreign_key_index_is_commented_from_the_model():
    with connection.cursor() as cursor:
        rows = catalog_rows(cursor)
    [comment] = [row[5] for row in rows if row[1] == "delegations_delegation" and list(row[3]) == ["host_unit_id"]]
    assert comment.startswith("Foreign key delegations_delegation.host_unit_id: the rows of one local unit")
