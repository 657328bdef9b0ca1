"""The title's Vietnamese sort key (common/collation.py), filled for the rows already
there, and the index the list's title order reads."""

from django.db import migrations, models

from common.title_sort import fill_title_sort


def fill(apps, schema_editor):
    fill_title_sort(apps.get_model("agreements", "agreement"), schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0011_signed_partner_tally"),
    ]

    operations = [
        # One ALTER TABLE on both databases: Django's AddField would rebuild the table
        # on SQLite, which the tallies' triggers on it forbid (register/tallies.py). The
        # column keeps its DEFAULT '' in the database, harmless to every writer.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="agreement",
                    name="title_sort",
                    field=models.TextField(blank=True, default="", editable=False, verbose_name="title sort key"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE agreements_agreement ADD COLUMN title_sort text NOT NULL DEFAULT ''",
                    "ALTER TABLE agreements_agreement DROP COLUMN title_sort",
                ),
            ],
        ),
        migrations.AddField(
            model_name="historicalagreement",
            name="title_sort",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="title sort key"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="agreement",
            index=models.Index(fields=["title_sort", "id"], name="agreement_list_title_idx"),
        ),
    ]
