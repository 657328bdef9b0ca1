"""Every project belongs to a province (docs/PROVINCES.md, step 2): the column is
added, given the code of the database's office, and made required
(offices/migrating.py). SQLite rebuilds the table for the last step: the
triggers of the tallies and of the đồng values are set aside and put back."""

from django.conf import settings
from django.db import migrations

from register.tallies import set_aside_in_migration
from offices import migrating
from projects import conversion_sql, project_tally_sql, transaction_tally_sql
from reports import partner_tally_sql

TRIGGERS = (project_tally_sql, transaction_tally_sql, partner_tally_sql)


def set_aside(apps, schema_editor):
    set_aside_in_migration(schema_editor, *TRIGGERS, conversion_sql)


def put_back(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in conversion_sql.install_statements(vendor, settings.EXCHANGE_RATE_MAX_AGE_DAYS):
            schema_editor.execute(sql, params=None)
        # The tallies' triggers write the tallies' ``province`` column, which projects
        # 0018_tally_province and reports 0004_tally_province add: they put them back.


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0016_vnd_derived_by_the_database"),
        ("offices", "0002_one_office_per_province"),
        ("reports", "0003_tally_review_state"),
    ]

    operations = [
        *migrating.add_column("project"),
        migrating.fill("projects", "Project"),
        migrations.RunPython(set_aside, migrations.RunPython.noop),
        *migrating.make_required("project"),
        migrations.RunPython(put_back, migrations.RunPython.noop),
    ]
