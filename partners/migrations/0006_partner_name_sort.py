"""The name's Vietnamese sort key (common/sort_keys.py), filled for the partners
already there, the order partners come in by default, and the index the partner
list's name order reads."""

from django.db import migrations, models

from common.sort_keys import fill_sort_key


def fill(apps, schema_editor):
    fill_sort_key(apps.get_model("partners", "partner"), schema_editor.connection.alias, "name_sort", "name")


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0005_partner_partner_country_kind_idx"),
    ]

    operations = [
        # One ALTER TABLE on both databases: Django's AddField would rebuild the table
        # on SQLite, which the tallies' triggers on it forbid (register/tallies.py). The
        # column keeps its DEFAULT '' in the database, harmless to every writer.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="partner",
                    name="name_sort",
                    field=models.TextField(blank=True, default="", editable=False, verbose_name="name sort key"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE partners_partner ADD COLUMN name_sort text NOT NULL DEFAULT ''",
                    "ALTER TABLE partners_partner DROP COLUMN name_sort",
                ),
            ],
        ),
        migrations.AddField(
            model_name="historicalpartner",
            name="name_sort",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="name sort key"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterModelOptions(
            name="partner",
            options={"ordering": ["name_sort", "id"], "verbose_name": "partner", "verbose_name_plural": "partners"},
        ),
        migrations.AddIndex(
            model_name="partner",
            index=models.Index(fields=["name_sort", "id"], name="partner_list_name_idx"),
        ),
    ]
