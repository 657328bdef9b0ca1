"""Every agreement and twinning pair belongs to a province (docs/PROVINCES.md,
step 2): the column is added, given the code of the database's office, and made
required (offices/migrating.py). SQLite rebuilds the tables for the last step:
the triggers of the tallies that name them are set aside and put back."""

from django.db import migrations

from agreements import agreement_tally_sql, signed_partner_tally_sql
from register.tallies import set_aside_in_migration
from offices import migrating
from reports import partner_tally_sql

TRIGGERS = (agreement_tally_sql, signed_partner_tally_sql, partner_tally_sql)


def set_aside(apps, schema_editor):
    set_aside_in_migration(schema_editor, *TRIGGERS)


def put_back(apps, schema_editor):
    """Nothing now: the tallies' triggers write the tallies' ``province`` column, which
    agreements 0017_tally_province and reports 0004_tally_province add; they put them back."""


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0015_tally_review_state"),
        ("offices", "0002_one_office_per_province"),
        ("reports", "0003_tally_review_state"),
    ]

    operations = [
        *migrating.add_column("agreement"),
        *migrating.add_column("partnership"),
        migrating.fill("agreements", "Agreement", "Partnership"),
        migrations.RunPython(set_aside, migrations.RunPython.noop),
        *migrating.make_required("agreement"),
        *migrating.make_required("partnership"),
        migrations.RunPython(put_back, migrations.RunPython.noop),
    ]
