"""The page's main query run raw, outside Django: the floor under the page's time.

On PostgreSQL the query runs under EXPLAIN (ANALYZE, FORMAT JSON) and its
planning plus execution time is kept (the server's own clock, no transfer to
Python); the time to execute and fetch every row through a plain cursor is
kept beside it. On SQLite, which has no EXPLAIN ANALYZE, only the latter."""

import re
import statistics
import time

from django.db import connections

RUNS = 5


def main_query(captured, table):
    """The slowest SELECT reading ``table`` among one request's captured queries
    ({"sql", "time", "alias"} dicts), or None."""
    reads_table = re.compile(rf'\bFROM\s+"?{re.escape(table)}"?(\s|$)', re.IGNORECASE)
    selects = [q for q in captured if q["sql"].lstrip().upper().startswith("SELECT") and reads_table.search(q["sql"])]
    return max(selects, key=lambda q: float(q["time"] or 0), default=None)


def fetch_ms(cursor, sql):
    started = time.perf_counter()
    cursor.execute(sql)
    cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def explain_ms(cursor, sql):
    cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
    plan = cursor.fetchone()[0]
    if isinstance(plan, str):  # a driver that does not parse json
        import json

        plan = json.loads(plan)
    return plan[0]["Planning Time"] + plan[0]["Execution Time"]


def time_raw(query, runs=RUNS):
    """{"sql", "raw_ms", "fetch_ms", "method"}: medians over ``runs`` runs after one
    warm-up. raw_ms is EXPLAIN ANALYZE's planning + execution time on PostgreSQL,
    the plain execute-and-fetch time elsewhere."""
    connection = connections[query.get("alias", "default")]
    sql = query["sql"]
    with connection.cursor() as cursor:
        fetch_ms(cursor, sql)
        fetched = statistics.median(fetch_ms(cursor, sql) for _ in range(runs))
        if connection.vendor == "postgresql":
            explain_ms(cursor, sql)
            raw, method = statistics.median(explain_ms(cursor, sql) for _ in range(runs)), "EXPLAIN ANALYZE"
        else:
            raw, method = fetched, "execute + fetchall"
    return {"sql": sql, "raw_ms": round(raw, 3), "fetch_ms": round(fetched, 3), "method": method, "runs": runs}
