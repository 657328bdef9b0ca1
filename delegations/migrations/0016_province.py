"""Every delegation belongs to a province (docs/PROVINCES.md, step 2): the column
is added, given the code of the database's office, and made required
(offices/migrating.py). SQLite rebuilds the table for the last step: the
triggers of the tallies and of the members' rule are set aside and put back."""

from django.db import migrations

from delegations import members_sql
from register.tallies import install_in_migration, set_aside_in_migration
from offices import migrating
from reports import partner_tally_sql, tally_sql

TRIGGERS = (tally_sql, partner_tally_sql, members_sql)


def set_aside(apps, schema_editor):
    set_aside_in_migration(schema_editor, *TRIGGERS)


def put_back(apps, schema_editor):
    """The members' rule put back; the tallies' triggers write the tallies' ``province``
    column, which reports 0004_tally_province adds: that migration puts them back."""
    if schema_editor.connection.vendor == "sqlite":
        install_in_migration(schema_editor, members_sql)


class Migration(migrations.Migration):
    dependencies = [
        ("delegations", "0015_members_within_size"),
        ("offices", "0002_one_office_per_province"),
        ("reports", "0003_tally_review_state"),
    ]

    operations = [
        *migrating.add_column("delegation"),
        migrating.fill("delegations", "Delegation"),
        migrations.RunPython(set_aside, migrations.RunPython.noop),
        *migrating.make_required("delegation"),
        migrations.RunPython(put_back, migrations.RunPython.noop),
    ]
