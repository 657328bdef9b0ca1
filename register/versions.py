"""A record's version kept on the record itself, for the exports' "Version" column.

A record's version is the id of its newest historical row (register/history.py
``version()``): an exported file carries it, and an import refuses to overwrite a
record changed since. Reading it from the history for every exported row was a
lookup per row: 100,000 delegations with one historical row each took 3,0 s to
export on PostgreSQL against 1,2 s with no history (docs/PERFORMANCE.md). So the
exported models keep it in ``audit_version``, set by a trigger on their history
table whenever a historical row is written (a save, an import's bulk write, a
restore, a raw SQL migration alike), and the exports read the column.

Django writes the column back as it read it when it saves the record, but every
save writes a historical row after it, whose trigger sets the column again; a
record with no historical row holds NULL, read as version 0 as before.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

COLUMN = "audit_version"


class VersionedModel(models.Model):
    """A record whose newest historical row's id is kept in ``audit_version``
    (install the trigger with ``install_trigger`` in the migration adding it)."""

    audit_version = models.BigIntegerField(_("version"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True


def _names(table, history_table):
    return f"{table}_version_set", f"{history_table}_sets_version"


def trigger_statements(vendor, table, history_table):
    """The statements installing the trigger that keeps ``table``'s version."""
    function, trigger = _names(table, history_table)
    # Table names from the models, no input.
    kept = f'"{COLUMN}" IS NULL OR "{COLUMN}" < NEW.history_id'
    update = f'UPDATE "{table}" SET "{COLUMN}" = NEW.history_id WHERE id = NEW.id AND ({kept})'  # noqa: S608
    if vendor == "postgresql":
        return [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n    {update};\n    RETURN NULL;\nEND\n$$",
            f'DROP TRIGGER IF EXISTS {trigger} ON "{history_table}"',
            f'CREATE TRIGGER {trigger} AFTER INSERT ON "{history_table}" FOR EACH ROW EXECUTE FUNCTION {function}()',
        ]
    return [
        f"DROP TRIGGER IF EXISTS {trigger}",
        f'CREATE TRIGGER {trigger} AFTER INSERT ON "{history_table}" FOR EACH ROW BEGIN {update}; END',
    ]


def drop_statements(vendor, table, history_table):
    function, trigger = _names(table, history_table)
    if vendor == "postgresql":
        return [f'DROP TRIGGER IF EXISTS {trigger} ON "{history_table}"', f"DROP FUNCTION IF EXISTS {function}()"]
    return [f"DROP TRIGGER IF EXISTS {trigger}"]


def backfill_statement(table, history_table):
    """Sets every row's version from its history (the migration adding the column)."""
    newest = f'SELECT MAX(h.history_id) FROM "{history_table}" h WHERE h.id = "{table}".id'  # noqa: S608
    return f'UPDATE "{table}" SET "{COLUMN}" = ({newest})'  # noqa: S608


def _tables(apps, label):
    model = apps.get_model(label)
    history = apps.get_model(label.split(".")[0], f"Historical{model.__name__}")
    return model._meta.db_table, history._meta.db_table


def install(*labels):
    """A RunPython pair for a migration: the triggers of the models ``labels``
    ("app.Model") installed and their versions filled in, or dropped."""

    def forwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for label in labels:
            table, history_table = _tables(apps, label)
            for sql in trigger_statements(vendor, table, history_table):
                schema_editor.execute(sql, params=None)
            schema_editor.execute(backfill_statement(table, history_table), params=None)

    def backwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for label in labels:
            for sql in drop_statements(vendor, *_tables(apps, label)):
                schema_editor.execute(sql, params=None)

    return forwards, backwards
