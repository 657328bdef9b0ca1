"""Every row of the delegation and partner tallies is one province's (docs/PROVINCES.md,
step 5): the column ``province`` is added to them, to their keys and to the covering
index, then the triggers are put back (today's, which group by the records' province)
and the tallies recounted from the rows."""

from django.db import migrations, models

from register.tallies import install_in_migration, set_aside_in_migration
from reports import partner_tally_sql, tally_sql

TRIGGERS = (tally_sql, partner_tally_sql)


def set_aside(apps, schema_editor):
    """SQLite rebuilds the tally tables for their new column: their triggers go first (register/tallies.py)."""
    set_aside_in_migration(schema_editor, *TRIGGERS)


def install(apps, schema_editor):
    install_in_migration(schema_editor, *TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_tally_review_state"),
        # The triggers read the records' ``province``, and the earlier migrations that
        # set these triggers aside leave them for this one to put back.
        ("delegations", "0016_province"),
        ("agreements", "0016_province"),
        ("projects", "0017_province"),
        ("partners", "0010_province"),
        ("offices", "0003_every_province"),
    ]

    operations = [
        migrations.RunPython(set_aside, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="delegationtally", name="tally_grain_period_idx"),
        migrations.RemoveConstraint(model_name="partnertally", name="partner_tally_key"),
        migrations.RemoveConstraint(model_name="agreementdaytally", name="agreement_day_tally_key"),
        migrations.AddField(
            model_name="delegationtally",
            name="province",
            field=models.CharField(default="", max_length=2),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="partnertally",
            name="province",
            field=models.CharField(default="", max_length=2),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="agreementdaytally",
            name="province",
            field=models.CharField(default="", max_length=2),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="delegationtally",
            index=models.Index(
                fields=["grain", "period"],
                include=[
                    "province",
                    "direction",
                    "cancelled",
                    "public",
                    "approved",
                    "country",
                    "delegations",
                    "persons",
                    "no_size",
                ],
                name="tally_grain_period_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="partnertally",
            constraint=models.UniqueConstraint(
                fields=["partner_id", "record", "public", "direction", "cancelled", "province"],
                name="partner_tally_key",
            ),
        ),
        migrations.AddConstraint(
            model_name="agreementdaytally",
            constraint=models.UniqueConstraint(
                fields=["partner_id", "event", "day", "public", "province"], name="agreement_day_tally_key"
            ),
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
