"""Migration operations the register needs beyond Django's own."""

from django.db import migrations


class AddCheckInPlace(migrations.AddConstraint):
    """``AddConstraint`` of a check, without SQLite's table rebuild: the tallies'
    triggers on other tables that name the table forbid the rebuild
    (register/tallies.py). On SQLite the check is two triggers (insert, update)
    that abort a row breaking it, as the CHECK would; PostgreSQL adds the real
    CHECK with ALTER TABLE. A later rebuild of the table on SQLite writes the
    CHECK into the new table (it is in the migration state) and drops the triggers."""

    def _triggers(self, model, schema_editor):
        check = self.constraint._get_check_sql(model, schema_editor)
        for field in model._meta.concrete_fields:
            column = schema_editor.quote_name(field.column)
            check = check.replace(column, f"NEW.{column}")
        table = schema_editor.quote_name(model._meta.db_table)
        message = f"CHECK constraint failed: {self.constraint.name}"
        for event in ("insert", "update"):
            name = schema_editor.quote_name(f"{self.constraint.name}_{event}")
            yield (
                name,
                (
                    f"CREATE TRIGGER {name} BEFORE {event.upper()} ON {table} FOR EACH ROW WHEN NOT ({check}) "
                    f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
                ),
            )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            # Rows the same migration moved leave deferred trigger events (foreign
            # keys, tallies) that PostgreSQL will not ALTER a table over: fire them now.
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE", params=None)
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            for _name, sql in self._triggers(model, schema_editor):
                schema_editor.execute(sql, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            for name, _sql in self._triggers(model, schema_editor):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)


class AddFieldInPlace(migrations.AddField):
    """``AddField`` without SQLite's table rebuild, for the same reason as ``AddCheckInPlace``
    (the triggers of the tallies, the search, the members' rule and the audit version name
    the table): SQLite adds a column with a constant default by ALTER TABLE ADD COLUMN, and
    the default stays in its schema (harmless: Django always writes the column). PostgreSQL
    adds the column as Django does."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        field = model._meta.get_field(self.name)
        definition, params = schema_editor.column_sql(model, field, include_default=True)
        table = schema_editor.quote_name(model._meta.db_table)
        column = schema_editor.quote_name(field.column)
        schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}", params or None)
