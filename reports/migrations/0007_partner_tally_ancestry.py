"""The SQLite triggers of the partner tally find a partner's ancestors by the ids on
its stored path (reports/partner_tally_sql.py, ``ANCESTRY``) instead of comparing its
path with every partner's: the same pairs, a primary-key lookup each instead of a scan
of the partners per link row written. Put back with the new body and recounted.
PostgreSQL's triggers are unchanged: nothing to do there."""

from django.db import migrations

from register.tallies import install_in_migration
from reports import partner_tally_sql


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        install_in_migration(schema_editor, partner_tally_sql)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_tally_every_country_index"),
    ]

    # Backwards: the new body counts the same pairs as the old one, so it may stay.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
