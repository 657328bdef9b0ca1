"""The title's Vietnamese sort key (common/collation.py), filled for the rows already
there, and the index the list's title order reads."""

from django.db import migrations, models

from common.title_sort import fill_title_sort


def fill(apps, schema_editor):
    fill_title_sort(apps.get_model("delegations", "delegation"), schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("delegations", "0008_delegation_delegation_latest_idx"),
    ]

    operations = [
        # One ALTER TABLE on both databases: Django's AddField would rebuild the table
        # on SQLite, which the tallies' triggers on it forbid (register/tallies.py). The
        # column keeps its DEFAULT '' in the database, harmless to every writer.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="delegation",
                    name="title_sort",
                    field=models.TextField(blank=True, default="", editable=False, verbose_name="title sort key"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE delegations_delegation ADD COLUMN title_sort text NOT NULL DEFAULT ''",
                    "ALTER TABLE delegations_delegation DROP COLUMN title_sort",
                ),
            ],
        ),
        migrations.AddField(
            model_name="historicaldelegation",
            name="title_sort",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="title sort key"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="delegation",
            index=models.Index(fields=["title_sort", "id"], name="delegation_list_title_idx"),
        ),
    ]
