"""Django's SQLite backend, keeping the query planner's statistics up to date.

Without statistics (``sqlite_stat1``), SQLite's planner takes any equality on an
indexed column for a selective one: a list filtered on its direction (two values,
half the table each) reads every row of that direction through the direction's
index and sorts them in a temporary B-tree, instead of walking the list's own
index in order and stopping after one page. With statistics it knows better
(issue 20). So, as SQLite's documentation asks of an application:

- ``ANALYZE`` once on a database that has never been analysed (after ``migrate``,
  register/apps.py; after ``generate_synthetic``'s bulk load);
- ``PRAGMA optimize`` before each connection closes, which re-analyses only the
  tables this connection queried whose size changed 25-fold since: nothing, most
  of the time. A connection lives ``CONN_MAX_AGE`` seconds (60), so this runs about
  once a minute per worker, not once per request."""

import contextlib

from django.db import DatabaseError, connections
from django.db.backends.sqlite3 import base

# SQLite's page cache per connection, in KiB (a negative cache_size): 2 MB by default, which
# a list's indexes at 100,000 delegations, or a bulk load's, outgrow at once; then
# every read goes back to the file and every write spills to the journal mid-transaction.
CACHE_KIB = 64 * 1024


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        return connection

    def _close(self):
        if self.connection is not None and not self.is_in_memory_db() and not self.in_atomic_block:
            # Statistics are an aid: a locked or read-only file closes all the same.
            with contextlib.suppress(DatabaseError, base.Database.Error):
                self.connection.execute("PRAGMA optimize")
        super()._close()


def analyze_if_never(connection):
    """``ANALYZE`` a SQLite database that has no statistics yet (``sqlite_stat1``
    absent); afterwards ``PRAGMA optimize`` keeps them (above). Other databases:
    nothing (PostgreSQL's autovacuum analyses)."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            return False
        cursor.execute("ANALYZE")
    return True


def analyze_after_migrate(sender, using="default", **kwargs):
    """``post_migrate``: statistics for a database that has none."""
    analyze_if_never(connections[using])
