"""PostgreSQL only: the newest delegations of one province first, for the partner dossier's
and the search's lists of a province's users (ORDER BY start_date DESC NULLS LAST, id DESC
within their province). Without it a small province's dossier read the whole country's
delegations newest first until it found its own: 17.000 rows for 50 (0,1 s).

Built CONCURRENTLY, so the migration is not atomic."""

from django.db import migrations

from common.postgres_indexes import PostgresIndex


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("delegations", "0017_province_lists")]

    operations = [
        PostgresIndex(
            name="delegation_prov_dossier_idx",
            table="delegations_delegation",
            definition="(province, start_date DESC NULLS LAST, id DESC)",
            comment="Dossier and search of one province: its delegations, start_date DESC NULLS LAST, id DESC",
        ),
    ]
