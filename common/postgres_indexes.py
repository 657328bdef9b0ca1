"""A migration operation for indexes only PostgreSQL has or needs.

The register runs on SQLite for development and tests and on PostgreSQL in
production. Trigram indexes (pg_trgm) and ordered, covering or expression
indexes tuned for the national database exist only there, so they are not in
the models' ``Meta.indexes`` (which SQLite would also get): a migration
creates them with this operation, which does nothing on other databases.

Each index is built CONCURRENTLY (the migration must say ``atomic = False``),
so adding one to a live register of a million delegations does not block
writes, and carries ``COMMENT ON INDEX`` naming the query it serves, so
``\\di+`` in psql says why it is there."""

from django.db.migrations.operations.base import Operation


class PostgresIndex(Operation):
    """CREATE INDEX CONCURRENTLY IF NOT EXISTS ``name`` ON ``table`` ``definition``,
    then its comment; DROP INDEX CONCURRENTLY on the way back. PostgreSQL only."""

    reduces_to_sql = False
    reversible = True
    atomic = False

    def __init__(self, name, table, definition, comment):
        self.name = name
        self.table = table
        self.definition = definition
        self.comment = comment

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {"name": self.name, "table": self.table, "definition": self.definition, "comment": self.comment},
        )

    def state_forwards(self, app_label, state):
        # The models do not know about these indexes: nothing to record.
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {quote(self.name)} ON {quote(self.table)} {self.definition}"
        )
        schema_editor.execute(f"COMMENT ON INDEX {quote(self.name)} IS %s", [self.comment])

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"Create index {self.name} on {self.table} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return self.name.lower()
