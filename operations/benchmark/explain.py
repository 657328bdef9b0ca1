"""The page's main query run raw, outside Django: the floor under the page's time.

The statement timed is the one the page executed, as the page handed it to the
database cursor: its SQL with its placeholders and its parameters, recorded by
an execute wrapper on the connection (``Executed``), never a text rebuilt with
the parameters filled in. The difference matters: SQLite uses an expression
index only when the query's expression is the index's own, so
``COALESCE(start_date, ?)`` with '0001-01-01' bound scans the table where
``COALESCE(start_date, '0001-01-01')`` written out reads the index; timing the
written-out text (as Django's ``last_executed_query`` shows it) reported 0.15 ms
and hid the page's full scan.

On PostgreSQL the statement runs under EXPLAIN (ANALYZE, FORMAT JSON) with the
same parameters and its planning plus execution time is kept (the server's own
clock, no transfer to Python); psycopg2 binds parameters on the client, as it
did for the page. The time to execute and fetch every row through a plain
cursor is kept beside it. On SQLite, which has no EXPLAIN ANALYZE, only the
latter, and the plan comes from EXPLAIN QUERY PLAN of the statement with its
parameters bound."""

import datetime as dt
import decimal
import json
import re
import statistics
import time
import uuid

from django.db import connections

RUNS = 5


class Executed:
    """An execute wrapper (``connection.execute_wrapper``) recording each
    statement of one connection as the cursor received it: {"sql" (as Django
    shows it, parameters written in), "statement" (with its placeholders),
    "params", "many", "time" (seconds, a string as in connection.queries),
    "alias"}."""

    def __init__(self, alias):
        self.alias = alias
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        result = execute(sql, params, many, context)
        elapsed = time.perf_counter() - started
        connection = context["connection"]
        shown = sql if many else connection.ops.last_executed_query(context["cursor"], sql, params)
        self.queries.append(
            {
                "sql": shown,
                "statement": sql,
                "params": params,
                "many": many,
                "time": f"{elapsed:.6f}",
                "alias": self.alias,
            }
        )
        return result


def main_query(captured, table):
    """The slowest single SELECT reading ``table`` among one request's captured
    queries (Executed's dicts; "sql" alone will do), or None."""
    reads_table = re.compile(rf'\bFROM\s+"?{re.escape(table)}"?(\s|$)', re.IGNORECASE)
    selects = [
        q
        for q in captured
        if not q.get("many")
        and q["sql"].lstrip().upper().startswith("SELECT")
        and reads_table.search(q.get("statement", q["sql"]))
    ]
    return max(selects, key=lambda q: float(q["time"] or 0), default=None)


def fetch_ms(cursor, sql, params):
    started = time.perf_counter()
    cursor.execute(sql, params)
    cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def explain_ms(cursor, sql, params):
    """EXPLAIN ANALYZE's planning + execution time in ms, and the plan's nodes in short."""
    cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
    plan = cursor.fetchone()[0]
    if isinstance(plan, str):  # a driver that does not parse json
        plan = json.loads(plan)
    return plan[0]["Planning Time"] + plan[0]["Execution Time"], postgresql_nodes(plan[0]["Plan"])


def postgresql_nodes(node, depth=0):
    """PostgreSQL's plan as lines, one per node: "Limit", "  Index Scan using x on t"."""
    name = node["Node Type"]
    if node.get("Index Name"):
        name += f" using {node['Index Name']}"
    if node.get("Relation Name"):
        name += f" on {node['Relation Name']}"
    lines = ["  " * depth + name]
    for child in node.get("Plans", []):
        lines += postgresql_nodes(child, depth + 1)
    return lines


def sqlite_plan(cursor, sql, params):
    """EXPLAIN QUERY PLAN of the statement with its parameters bound (not
    written in: the plan can differ), as lines indented by depth."""
    cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
    depth, lines = {0: -1}, []
    for node, parent, _unused, detail in cursor.fetchall():
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def plain(value):
    """A parameter as JSON can hold it: dates and the like as their text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.time | decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return repr(value)


def time_raw(query, runs=RUNS):
    """{"sql", "params", "raw_ms", "fetch_ms", "method", "plan"}: medians over
    ``runs`` runs after one warm-up of the executed statement with its own
    parameters. raw_ms is EXPLAIN ANALYZE's planning + execution time on
    PostgreSQL, the plain execute-and-fetch time elsewhere."""
    connection = connections[query.get("alias", "default")]
    sql = query.get("statement", query["sql"])
    params = query.get("params")
    with connection.cursor() as cursor:
        fetch_ms(cursor, sql, params)
        fetched = statistics.median(fetch_ms(cursor, sql, params) for _ in range(runs))
        if connection.vendor == "postgresql":
            explain_ms(cursor, sql, params)
            timed = [explain_ms(cursor, sql, params) for _ in range(runs)]
            raw, method = statistics.median(ms for ms, _plan in timed), "EXPLAIN ANALYZE"
            plan = timed[-1][1]
        else:
            raw, method = fetched, "execute + fetchall"
            plan = sqlite_plan(cursor, sql, params) if connection.vendor == "sqlite" else []
    return {
        "sql": sql,
        "params": plain(params),
        "raw_ms": round(raw, 3),
        "fetch_ms": round(fetched, 3),
        "method": method,
        "runs": runs,
        "plan": plan,
    }
