"""Every row of the project and transaction tallies is one province's
(docs/PROVINCES.md, step 5): the column ``province`` is added to them and to their
covering indexes, then the triggers are put back (today's, which group by the
projects' province) and the tallies recounted from the rows."""

from django.db import migrations, models

from register.tallies import install_in_migration, set_aside_in_migration
from projects import project_tally_sql, transaction_tally_sql

TRIGGERS = (project_tally_sql, transaction_tally_sql)


def set_aside(apps, schema_editor):
    """SQLite rebuilds the tally tables for their new column: their triggers go first (register/tallies.py)."""
    set_aside_in_migration(schema_editor, *TRIGGERS)


def install(apps, schema_editor):
    install_in_migration(schema_editor, *TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0017_province"),
        ("offices", "0003_every_province"),
    ]

    operations = [
        migrations.RunPython(set_aside, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="projecttally", name="ptally_grain_period_idx"),
        migrations.RemoveIndex(model_name="transactiontally", name="txtally_grain_period_idx"),
        migrations.AddField(
            model_name="projecttally",
            name="province",
            field=models.CharField(default="", max_length=2, verbose_name="province"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="transactiontally",
            name="province",
            field=models.CharField(default="", max_length=2, verbose_name="province"),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="projecttally",
            index=models.Index(
                fields=["grain", "period"],
                include=[
                    "until",
                    "province",
                    "event",
                    "kind",
                    "public",
                    "approved",
                    "usd",
                    "projects",
                    "committed_vnd",
                    "committed_amount",
                ],
                name="ptally_grain_period_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="transactiontally",
            index=models.Index(
                fields=["grain", "period"],
                include=["province", "kind", "project_kind", "public", "approved", "amount_vnd"],
                name="txtally_grain_period_idx",
            ),
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
