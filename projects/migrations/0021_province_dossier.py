"""PostgreSQL only: the newest projects of one province first, for the partner dossier's
and the search's lists of a province's users (ORDER BY actual_start DESC NULLS LAST, id DESC
within their province). Without it a small province's dossier read the whole country's
projects newest first until it found its own: 17.000 rows for 50 (0,1 s).

Built CONCURRENTLY, so the migration is not atomic."""

from django.db import migrations

from common.postgres_indexes import PostgresIndex


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("projects", "0020_tally_province_indexes")]

    operations = [
        PostgresIndex(
            name="project_prov_dossier_idx",
            table="projects_project",
            definition="(province, actual_start DESC NULLS LAST, id DESC)",
            comment="Dossier and search of one province: its projects, actual_start DESC NULLS LAST, id DESC",
        ),
    ]
