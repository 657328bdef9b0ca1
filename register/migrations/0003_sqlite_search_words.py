"""SQLite's words index (issue 20): beside each FTS5 trigram table, an FTS5 table
whose tokens are the folded text's runs of letters and digits, so that a search's
whole syllables are token matches (register/search_sql.py SearchTerms), and a
partial index of the few rows where a Latin letter touches a character outside
ASCII, which the search tests the slow way. The triggers now keep both tables.
Nothing happens on PostgreSQL.

The tables as they stood then, the list of 0002 and the conferences' table."""

from django.db import migrations

from register import search_sql

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


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = search_sql.install_statements(vendor, TABLES)
    statements += search_sql.rebuild_statements(vendor, TABLES, kinds=(search_sql.words_table,))
    for sql in statements:
        schema_editor.execute(sql, params=None)


def uninstall(apps, schema_editor):
    for sql in search_sql.uninstall_words_statements(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0002_sqlite_search_index"),
        ("conferences", "0002_search_and_version"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
