"""PostgreSQL indexes for the partner dossier's totals at national scale: a
province whose localities are in a tenth of a million delegations. Nothing
happens on SQLite.

- The link tables by partner, then record: the records of a partner's subtree
  (``partner_id IN (...)``) read from the index alone, without visiting the
  link rows (Django's own index there has the partner only).
- The records' ids with the columns the totals count: the dossier's
  aggregates join the subtree's record ids to these without reading the wide
  record rows (a delegation row is about 600 bytes, the index entry 40).

Built CONCURRENTLY, so the migration is not atomic."""

from django.db import migrations

from common.postgres_indexes import PostgresIndex


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("lang_son_affairs", "0003_search_and_dossier_indexes")]

    operations = [
        # Dossier: delegations WHERE EXISTS (link WHERE delegation_id = id AND partner_id IN (subtree)).
        PostgresIndex(
            name="delegation_partner_link_idx",
            table="delegations_delegation_partners",
            definition="(partner_id, delegation_id)",
            comment="Partner dossier: the delegations of a partner subtree, partner_id IN (...) -> delegation_id",
        ),
        # Dossier: agreements WHERE EXISTS (link WHERE agreement_id = id AND partner_id IN (subtree)).
        PostgresIndex(
            name="agreement_partner_link_idx",
            table="agreements_agreement_partners",
            definition="(partner_id, agreement_id)",
            comment="Partner dossier: the agreements of a partner subtree, partner_id IN (...) -> agreement_id",
        ),
        # Dossier: projects WHERE EXISTS (participant WHERE project_id = id AND partner_id IN (subtree)).
        PostgresIndex(
            name="participant_partner_project_idx",
            table="projects_projectparticipant",
            definition="(partner_id, project_id)",
            comment="Partner dossier: the projects of a partner subtree, partner_id IN (...) -> project_id",
        ),
        # Dossier totals: COUNT/SUM FILTER over direction, status, size of the subtree's delegations.
        PostgresIndex(
            name="delegation_totals_cover_idx",
            table="delegations_delegation",
            definition="(id) INCLUDE (direction, status, size, is_public, review_state)",
            comment="Partner dossier totals: counts by direction and status and person-trips, index-only",
        ),
        # Dossier totals: agreements recorded and in force today (status and the three dates).
        PostgresIndex(
            name="agreement_totals_cover_idx",
            table="agreements_agreement",
            definition="(id) INCLUDE (status, signed_on, effective_on, expires_on, is_public, review_state)",
            comment="Partner dossier totals: agreements recorded and in force today, index-only",
        ),
        # Dossier totals: projects and their committed value.
        PostgresIndex(
            name="project_totals_cover_idx",
            table="projects_project",
            definition="(id) INCLUDE (committed_vnd, is_public, review_state)",
            comment="Partner dossier totals: projects and their committed value in dong, index-only",
        ),
    ]
