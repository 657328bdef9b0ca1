"""What each project lacks to become an IATI activity whatever the day, kept by
triggers (projects/iati_lacks_sql.py) and filled for the projects already there,
and the two indexes the project list's left-out count reads."""

import django.db.models.functions.comparison
from django.db import migrations, models

from projects import iati_lacks_sql


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in iati_lacks_sql.install_statements(vendor) + iati_lacks_sql.rebuild_statements(vendor):
        schema_editor.execute(sql, params=None)


def uninstall(apps, schema_editor):
    for sql in iati_lacks_sql.uninstall_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0024_province_kind_index"),
    ]

    operations = [
        # One ALTER TABLE on both databases: Django's AddField would rebuild the table on
        # SQLite, which the tallies' triggers on it forbid (register/tallies.py).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="project",
                    name="iati_lacks",
                    field=models.SmallIntegerField(default=0, editable=False, verbose_name="what the IATI file lacks"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE projects_project ADD COLUMN iati_lacks smallint NOT NULL DEFAULT 0",
                    "ALTER TABLE projects_project DROP COLUMN iati_lacks",
                ),
            ],
        ),
        migrations.RunPython(install, uninstall),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                condition=models.Q(("iati_lacks__gt", 0)),
                fields=["province", "kind", "iati_lacks"],
                include=("actual_start", "actual_end", "sector"),
                name="project_iati_lacks_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                django.db.models.functions.comparison.Greatest(
                    django.db.models.functions.comparison.Coalesce("actual_start", "actual_end"),
                    django.db.models.functions.comparison.Coalesce("actual_end", "actual_start"),
                ),
                name="project_actual_latest_idx",
            ),
        ),
    ]
