"""PostgreSQL indexes for the search page and the partner dossier at national
scale (a million delegations). Nothing happens on SQLite.

- Trigram (pg_trgm) GIN indexes on every ``search_text`` column: the search
  page and the lists' ?q= filter run ``search_text LIKE '%word%'`` once per
  word, which without them reads every row.
- Newest-first indexes in the order the search page and the dossier timeline
  sort (``date DESC NULLS LAST, id DESC``): the first twenty rows of a common
  word, or the three hundred most recent records of a large partner, are read
  from the top of the index instead of sorting every match. The plain
  ``start_date`` index cannot serve DESC NULLS LAST.

Built CONCURRENTLY, so the migration is not atomic."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from common.postgres_indexes import PostgresIndex

# (table, index name): the search page's and the ?q= filters' `search_text LIKE '%word%'`.
TRIGRAM_INDEXES = [
    ("delegations_delegation", "delegation_search_trgm_idx"),
    ("agreements_agreement", "agreement_search_trgm_idx"),
    ("projects_project", "project_search_trgm_idx"),
    ("partners_partner", "partner_search_trgm_idx"),
    ("partners_localunit", "localunit_search_trgm_idx"),
    ("partners_cooperationmechanism", "mechanism_search_trgm_idx"),
    ("sources_source", "source_search_trgm_idx"),
]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("lang_son_affairs", "0002_roles"),
        ("agreements", "0005_audit_history"),
        ("delegations", "0005_audit_history"),
        ("partners", "0004_audit_history"),
        ("projects", "0005_audit_history"),
        ("sources", "0005_audit_history"),
    ]

    operations = [
        TrigramExtension(),
        *(
            PostgresIndex(
                name=name,
                table=table,
                definition="USING gin (search_text gin_trgm_ops)",
                comment="Search page and ?q= filters: search_text LIKE '%word%' for each word of the query",
            )
            for table, name in TRIGRAM_INDEXES
        ),
        # Search page (delegations, newest first) and dossier timeline: ORDER BY start_date DESC NULLS LAST, id DESC.
        PostgresIndex(
            name="delegation_newest_idx",
            table="delegations_delegation",
            definition="(start_date DESC NULLS LAST, id DESC)",
            comment="Search page and partner dossier: delegations ORDER BY start_date DESC NULLS LAST, id DESC LIMIT n",
        ),
        # Search page (agreements, newest first) and dossier timeline: ORDER BY signed_on DESC NULLS LAST, id DESC.
        PostgresIndex(
            name="agreement_newest_idx",
            table="agreements_agreement",
            definition="(signed_on DESC NULLS LAST, id DESC)",
            comment="Search page and partner dossier: agreements ORDER BY signed_on DESC NULLS LAST, id DESC LIMIT n",
        ),
        # Search page (projects, newest first): ORDER BY actual_start DESC NULLS LAST, id DESC.
        PostgresIndex(
            name="project_newest_idx",
            table="projects_project",
            definition="(actual_start DESC NULLS LAST, id DESC)",
            comment="Search page: projects ORDER BY actual_start DESC NULLS LAST, id DESC LIMIT n",
        ),
        # Dossier timeline: projects ORDER BY COALESCE(actual_start, planned_start) DESC NULLS LAST, id DESC.
        PostgresIndex(
            name="project_start_on_newest_idx",
            table="projects_project",
            definition="((COALESCE(actual_start, planned_start)) DESC NULLS LAST, id DESC)",
            comment="Partner dossier: projects ORDER BY COALESCE(actual_start, planned_start) DESC NULLS LAST, id DESC",
        ),
    ]
