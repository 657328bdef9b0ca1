"""Every row of the agreement tallies is one province's (docs/PROVINCES.md, step 5):
the column ``province`` is added to them and to their covering indexes, then the
triggers are put back (today's, which group by the agreements' province) and the
tallies recounted from the rows."""

from django.db import migrations, models

from agreements import agreement_tally_sql, signed_partner_tally_sql
from register.tallies import install_in_migration, set_aside_in_migration

TRIGGERS = (agreement_tally_sql, signed_partner_tally_sql)


def set_aside(apps, schema_editor):
    """SQLite rebuilds the tally tables for their new column: their triggers go first (register/tallies.py)."""
    set_aside_in_migration(schema_editor, *TRIGGERS)


def install(apps, schema_editor):
    install_in_migration(schema_editor, *TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0016_province"),
        ("partners", "0010_province"),
        ("offices", "0003_every_province"),
    ]

    operations = [
        migrations.RunPython(set_aside, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="agreementtally", name="atally_grain_period_idx"),
        migrations.RemoveIndex(model_name="signedpartnertally", name="sptally_grain_period_idx"),
        migrations.AddField(
            model_name="agreementtally",
            name="province",
            field=models.CharField(default="", max_length=2, verbose_name="province"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="signedpartnertally",
            name="province",
            field=models.CharField(default="", max_length=2, verbose_name="province"),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="agreementtally",
            index=models.Index(
                fields=["grain", "period"],
                include=["province", "event", "level", "public", "approved", "agreements"],
                name="atally_grain_period_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="signedpartnertally",
            index=models.Index(
                fields=["grain", "period"],
                include=["province", "partner_id", "public", "approved", "agreements"],
                name="sptally_grain_period_idx",
            ),
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
