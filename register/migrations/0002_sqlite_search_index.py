"""SQLite's search index: an FTS5 trigram table beside every table with a folded
``search_text`` column, kept by triggers and filled from the rows already there
(register/search_sql.py). Nothing happens on PostgreSQL, whose trigram indexes
(lang_son_affairs/migrations/0003) answer the same searches.

Here rather than in each record app: register owns ``search_text`` (the
``SearchableModel`` of register/publishable.py), the lookup that uses the index
and the list of tables, so one migration after the latest of each app that has
such a table creates them all. The list is written out below, as it stood
then, so that a table added later comes with a migration of its own."""

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
)


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in search_sql.install_statements(vendor, TABLES) + search_sql.rebuild_statements(vendor, TABLES):
        schema_editor.execute(sql, params=None)


def uninstall(apps, schema_editor):
    for sql in search_sql.uninstall_statements(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0001_initial"),
        ("agreements", "0021_audit_version"),
        ("delegations", "0020_audit_version"),
        ("partners", "0010_province"),
        ("projects", "0022_audit_version"),
        ("sources", "0010_source_source_prov_url_idx"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
