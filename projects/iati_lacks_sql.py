# ruff: noqa: S608 -- every name spliced into this SQL is a constant of this module or of REQUIREMENTS.
"""The SQL that keeps ``projects_project.iati_lacks``: what an aid project lacks to
become an IATI activity whatever the day, one bit a requirement of
projects/iati_requirements.py (``Requirement.stored``, ``Requirement.bit``), so that
the project list's count of what the file leaves out reads only the projects that lack
something (``project_iati_lacks_idx``) rather than testing every project's title and
description and looking for its participants.

Database triggers keep it, whatever wrote the project or its participants (a form,
an import, a bulk update, raw SQL):

- PostgreSQL: a BEFORE row trigger on the project recomputes the mask on every insert
  and every update of a column it reads (Django's save writes the column back as it
  read it: the trigger puts it right); an AFTER row trigger on the participants
  flips the "no participating organisation" bit when a project gains its first
  participant or loses its last.
- SQLite (which cannot change NEW): AFTER triggers update the row when the stored mask
  differs from the recomputed one, and flip the participant bit likewise.

The generator's fast load (session_replication_role = replica) skips them; it calls
``rebuild()`` after, as a restore may.
"""

from django.db import connection

from common.lookups import WHITE_SPACE
from projects.iati_requirements import NO_PARTICIPANT, REQUIREMENTS

PROJECT = "projects_project"
PARTICIPANT = "projects_projectparticipant"
COLUMN = "iati_lacks"
# The columns the stored rules read, and the mask itself (a write of a stale mask is put right).
FIELDS = ("title", "description", "status", "planned_start", "actual_start", "sector_id", COLUMN)
BIT = NO_PARTICIPANT.bit


def blank(vendor):
    """The vendor's test that a text is blank as Python's ``str.strip()`` sees it
    (common/lookups.py's ``__blank``, the same characters)."""
    if vendor == "postgresql":
        return lambda sql: f"{sql} ~ '^[{WHITE_SPACE}]*$'"
    return lambda sql: f"trim({sql}, '{WHITE_SPACE}') = ''"


def mask_sql(vendor, row):
    """The mask of the project ``row`` (a table name or NEW), as a SQL expression."""
    test = blank(vendor)
    terms = [f"CASE WHEN {r.stored(row, test)} THEN {r.bit} ELSE 0 END" for r in REQUIREMENTS if r.stored]
    return "(" + " + ".join(terms) + ")"


# The participant bit: set when a project's last participant goes, cleared when its first comes.
GAINED = f"UPDATE {PROJECT} SET {COLUMN} = {COLUMN} - {BIT} WHERE id = NEW.project_id AND ({COLUMN} & {BIT}) <> 0"
LOST = (
    f"UPDATE {PROJECT} SET {COLUMN} = {COLUMN} + {BIT} WHERE id = OLD.project_id AND ({COLUMN} & {BIT}) = 0 "
    f"AND NOT EXISTS (SELECT 1 FROM {PARTICIPANT} pp WHERE pp.project_id = OLD.project_id)"
)

PG_PROJECT_FUNCTION, PG_PARTICIPANT_FUNCTION = "projects_iati_lacks_project", "projects_iati_lacks_participant"
PG_TRIGGERS = (("projects_iati_lacks", PROJECT), ("projects_iati_lacks_participant", PARTICIPANT))
SQLITE_TRIGGERS = (
    "projects_iati_lacks_insert",
    "projects_iati_lacks_update",
    "projects_iati_lacks_part_insert",
    "projects_iati_lacks_part_delete",
    "projects_iati_lacks_part_update",
)


def install_statements(vendor):
    if vendor == "postgresql":
        return [
            f"CREATE OR REPLACE FUNCTION {PG_PROJECT_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n    NEW.{COLUMN} := {mask_sql(vendor, 'NEW')};\n    RETURN NEW;\nEND\n$$",
            f"DROP TRIGGER IF EXISTS projects_iati_lacks ON {PROJECT}",
            f"CREATE TRIGGER projects_iati_lacks BEFORE INSERT OR UPDATE OF {', '.join(FIELDS)} ON {PROJECT} "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_PROJECT_FUNCTION}()",
            f"CREATE OR REPLACE FUNCTION {PG_PARTICIPANT_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n"
            f"    IF TG_OP <> 'DELETE' THEN\n        {GAINED};\n    END IF;\n"
            f"    IF TG_OP <> 'INSERT' THEN\n        {LOST};\n    END IF;\n"
            f"    RETURN NULL;\nEND\n$$",
            f"DROP TRIGGER IF EXISTS projects_iati_lacks_participant ON {PARTICIPANT}",
            f"CREATE TRIGGER projects_iati_lacks_participant AFTER INSERT OR DELETE OR UPDATE OF project_id "
            f"ON {PARTICIPANT} FOR EACH ROW EXECUTE FUNCTION {PG_PARTICIPANT_FUNCTION}()",
        ]
    mask = mask_sql(vendor, "NEW")
    put_right = f"UPDATE {PROJECT} SET {COLUMN} = {mask} WHERE id = NEW.id"
    triggers = [
        ("projects_iati_lacks_insert", f"AFTER INSERT ON {PROJECT} WHEN NEW.{COLUMN} IS NOT {mask}", [put_right]),
        (
            "projects_iati_lacks_update",
            f"AFTER UPDATE OF {', '.join(FIELDS)} ON {PROJECT} WHEN NEW.{COLUMN} IS NOT {mask}",
            [put_right],
        ),
        ("projects_iati_lacks_part_insert", f"AFTER INSERT ON {PARTICIPANT}", [GAINED]),
        ("projects_iati_lacks_part_delete", f"AFTER DELETE ON {PARTICIPANT}", [LOST]),
        ("projects_iati_lacks_part_update", f"AFTER UPDATE OF project_id ON {PARTICIPANT}", [GAINED, LOST]),
    ]
    statements = []
    for name, when, body in triggers:
        statements += [f"DROP TRIGGER IF EXISTS {name};", f"CREATE TRIGGER {name} {when} BEGIN {'; '.join(body)}; END;"]
    return statements


def uninstall_statements(vendor):
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in PG_TRIGGERS] + [
            f"DROP FUNCTION IF EXISTS {PG_PROJECT_FUNCTION}()",
            f"DROP FUNCTION IF EXISTS {PG_PARTICIPANT_FUNCTION}()",
        ]
    return [f"DROP TRIGGER IF EXISTS {name};" for name in SQLITE_TRIGGERS]


def rebuild_statements(vendor):
    """Recompute every project's mask from its row (after a load that skipped the triggers)."""
    mask = mask_sql(vendor, PROJECT)
    return [f"UPDATE {PROJECT} SET {COLUMN} = {mask} WHERE {COLUMN} <> {mask}"]


def rebuild():
    with connection.cursor() as cursor:
        for sql in rebuild_statements(connection.vendor):
            cursor.execute(sql)


def differences():
    """[(project id, stored mask, recomputed mask), ...] where they differ (none when exact)."""
    mask = mask_sql(connection.vendor, PROJECT)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {COLUMN}, {mask} FROM {PROJECT} WHERE {COLUMN} <> {mask} ORDER BY id")
        return cursor.fetchall()
