# ruff: noqa: S608 -- every name spliced into this SQL is a constant of this module.
"""The database's half of "no more members than the size": when a delegation's
size (the number of persons the source states) is known, the people listed as
its members (those known by name) are no more than it. The admin's member
formset and the import (delegations/admin.py, delegations/resources.py) check it
first and say so in Vietnamese; these triggers refuse whatever bypasses them
(bulk_create, queryset.update(), raw SQL), so the rule holds whatever wrote.

- PostgreSQL: one row-level CONSTRAINT TRIGGER per table, DEFERRABLE INITIALLY
  DEFERRED: checked at commit, on the rows as they stand then. The admin's
  single save that lowers the size and removes members (the delegation is saved
  before the member formset deletes) passes, as does a loaddata that writes the
  members before their delegation.
- SQLite cannot defer a trigger: each write is checked at once (an insert or a
  move of a member into a delegation, a delegation's size written), and the
  admin deletes the members the form removes before it saves the delegation
  (DelegationAdmin.save_related).

The triggers on the member table name the delegation table and the reverse, so
on SQLite a migration that rebuilds either table sets this module aside first
and installs it again after, like the tallies' modules:
``register/tallies.set_aside_in_migration(schema_editor, members_sql, ...)`` and
``install_in_migration``; hence ``install_statements``, ``uninstall_statements``
and ``rebuild_statements`` (nothing to recount: empty) below.
"""

from register.tallies import by_vendor, pg_drop_triggers, sqlite_drop_triggers, sqlite_trigger

DELEGATION = "delegations_delegation"
MEMBER = "delegations_delegationmember"
# The name in the error, for whoever reads a log: the rule and where it is kept.
RULE = "delegation_members_within_size"
MESSAGE = f"{RULE}: a delegation has more members listed than its number of persons"

FUNCTION = "delegations_members_within_size"
PG_TRIGGERS = [(f"{RULE}_member", MEMBER), (f"{RULE}_size", DELEGATION)]


def named(delegation_id):
    """The number of members of the delegation ``delegation_id`` (an SQL expression)."""
    return f"(SELECT COUNT(*) FROM {MEMBER} WHERE delegation_id = {delegation_id})"


# --- PostgreSQL ---------------------------------------------------------------------------------------------------


def _pg_install():
    # Deferred row triggers queue one event per row written; each reads the
    # delegation's size and counts its members (an index on delegation_id) as they
    # stand at commit. A delegation deleted since has no size: nothing to check.
    function = f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target bigint;
    stated bigint;
    listed bigint;
BEGIN
    IF TG_TABLE_NAME = '{MEMBER}' THEN
        target := NEW.delegation_id;
    ELSE
        target := NEW.id;
    END IF;
    SELECT size INTO stated FROM {DELEGATION} WHERE id = target;
    IF stated IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT COUNT(*) INTO listed FROM {MEMBER} WHERE delegation_id = target;
    IF listed > stated THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = '{RULE}',
            MESSAGE = format('{MESSAGE} (delegation %s: %s listed, size %s)', target, listed, stated);
    END IF;
    RETURN NULL;
END
$$;"""
    member, size = PG_TRIGGERS
    return [
        function,
        *pg_drop_triggers(PG_TRIGGERS)[0::2],
        f"""CREATE CONSTRAINT TRIGGER {member[0]} AFTER INSERT OR UPDATE OF delegation_id ON {MEMBER}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();""",
        f"""CREATE CONSTRAINT TRIGGER {size[0]} AFTER INSERT OR UPDATE OF size ON {DELEGATION}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.size IS NOT NULL) EXECUTE FUNCTION {FUNCTION}();""",
    ]


def _pg_uninstall():
    return [*pg_drop_triggers(PG_TRIGGERS)[0::2], f"DROP FUNCTION IF EXISTS {FUNCTION}();"]


# --- SQLite -------------------------------------------------------------------------------------------------------

REFUSE = f"SELECT RAISE(ABORT, '{MESSAGE}')"
MEMBER_OVER = f"(SELECT size FROM {DELEGATION} WHERE id = NEW.delegation_id) < {named('NEW.delegation_id')}"
SIZE_OVER = f"NEW.size IS NOT NULL AND NEW.size < {named('NEW.id')}"
SQLITE_NAMES = [f"{RULE}_member_insert", f"{RULE}_member_update", f"{RULE}_size_insert", f"{RULE}_size_update"]


def _sqlite_install():
    # AFTER: the member counted is already in the table; RAISE(ABORT) undoes the
    # whole statement (every row of a bulk insert). A NULL size compares as NULL: no refusal.
    member_insert, member_update, size_insert, size_update = SQLITE_NAMES
    return [
        *sqlite_trigger(member_insert, f"AFTER INSERT ON {MEMBER} WHEN {MEMBER_OVER}", [REFUSE]),
        *sqlite_trigger(
            member_update,
            f"AFTER UPDATE OF delegation_id ON {MEMBER} WHEN NEW.delegation_id IS NOT OLD.delegation_id "
            f"AND {MEMBER_OVER}",
            [REFUSE],
        ),
        *sqlite_trigger(size_insert, f"AFTER INSERT ON {DELEGATION} WHEN {SIZE_OVER}", [REFUSE]),
        *sqlite_trigger(size_update, f"AFTER UPDATE OF size ON {DELEGATION} WHEN {SIZE_OVER}", [REFUSE]),
    ]


def install_statements(vendor):
    return by_vendor(vendor, _pg_install, _sqlite_install)


def uninstall_statements(vendor):
    return by_vendor(vendor, _pg_uninstall, lambda: sqlite_drop_triggers(SQLITE_NAMES))


def rebuild_statements(vendor):
    """Nothing to recount (register/tallies.install_in_migration asks)."""
    return []
