"""What the conference table needs beside its columns:

- the version trigger on its history table (register/versions.py), for the exports' version column;
- SQLite's search index, an FTS5 trigram table kept by triggers (register/search_sql.py);
- PostgreSQL's trigram index on ``search_text`` and the search page's newest-first index
  (as lang_son_affairs/migrations/0003 gives the other records).

The PostgreSQL indexes are built CONCURRENTLY, so the migration is not atomic."""

from django.db import migrations

from common.postgres_indexes import PostgresIndex
from register import search_sql, versions

TABLES = ("conferences_conference",)

forwards, backwards = versions.install("conferences.Conference")


def install_search(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in search_sql.install_statements(vendor, TABLES) + search_sql.rebuild_statements(vendor, TABLES):
        schema_editor.execute(sql, params=None)


def uninstall_search(apps, schema_editor):
    for sql in search_sql.uninstall_statements(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("conferences", "0001_initial"),
        ("lang_son_affairs", "0003_search_and_dossier_indexes"),
        ("register", "0002_sqlite_search_index"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.RunPython(install_search, uninstall_search, elidable=False),
        PostgresIndex(
            name="conference_search_trgm_idx",
            table="conferences_conference",
            definition="USING gin (search_text gin_trgm_ops)",
            comment="Search page and ?q= filters: search_text LIKE '%word%' for each word of the query",
        ),
        # Search page and dossier timeline: ORDER BY start_date DESC NULLS LAST, id DESC.
        PostgresIndex(
            name="conference_newest_idx",
            table="conferences_conference",
            definition="(start_date DESC NULLS LAST, id DESC)",
            comment="Search page and partner dossier: conferences ORDER BY start_date DESC NULLS LAST, id DESC LIMIT n",
        ),
    ]
