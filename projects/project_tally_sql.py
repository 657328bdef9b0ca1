# ruff: noqa: S608 -- every name spliced into this SQL is a constant of this module.
"""The SQL that keeps ``projects_projecttally`` exact. A project's span is its
actual dates, else its planned ones: it starts on S = COALESCE(actual_start,
planned_start) and ends on E = COALESCE(actual_end, planned_end). The tally
counts (with the committed amounts)

- 'start' rows: the projects starting on a day (S), rolled up to months and years;
- 'end' rows: the projects with S that end on a day (E >= S), rolled up likewise;
- grain 'x': the few projects whose end comes before their start (E < S), by (S, E);
- grain 'u': the projects with no start at all.

Active in [s, e] = started by e, less ended before s, less the 'x' projects
started by e that ended before s (see projects/project_tally.py).

Database triggers recount the days a write touches (a project's old and new S
and E), then their months and years, whatever wrote it, so no code path can
forget it: PostgreSQL statement-level triggers over transition tables,
serialised by an advisory lock; SQLite row-level triggers. The same design as
the delegation tally (reports/tally_sql.py).
"""

TALLY = "projects_projecttally"
PROJECT = "projects_project"

VENDOR_DATES = {
    "postgresql": {
        "month": "CAST(date_trunc('month', {}) AS date)",
        "year": "CAST(date_trunc('year', {}) AS date)",
    },
    "sqlite": {"month": "date({}, 'start of month')", "year": "date({}, 'start of year')"},
}

S = "COALESCE(p.actual_start, p.planned_start)"
E = "COALESCE(p.actual_end, p.planned_end)"
COLUMNS = "grain, period, month, year, until, event, kind, public, usd, projects, committed_vnd, committed_amount"
KEYS = "p.kind, p.is_public, p.currency = 'USD'"
MEASURES = "COUNT(*), COALESCE(SUM(p.committed_vnd), 0), COALESCE(SUM(p.committed_amount), 0)"
ROLLUP = "event, kind, public, usd"
SUMS = "SUM(projects), SUM(committed_vnd), SUM(committed_amount)"
IN_DAYS = "IN (SELECT day FROM ({days}) AS x)"

REFRESH = [
    # Days: dropped and recounted from the projects.
    f"DELETE FROM {TALLY} WHERE grain IN ('d', 'x') AND period {IN_DAYS}",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'd', {S}, {{month_s}}, {{year_s}}, NULL, 'start', {KEYS}, {MEASURES}
    FROM {PROJECT} p WHERE {S} {IN_DAYS} GROUP BY {S}, {KEYS}""",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'd', {E}, {{month_e}}, {{year_e}}, NULL, 'end', {KEYS}, {MEASURES}
    FROM {PROJECT} p WHERE {E} {IN_DAYS} AND {S} <= {E} GROUP BY {E}, {KEYS}""",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'x', {S}, NULL, NULL, {E}, 'start', {KEYS}, {MEASURES}
    FROM {PROJECT} p WHERE {S} {IN_DAYS} AND {E} < {S} GROUP BY {S}, {E}, {KEYS}""",
    # Months: the sum of their days.
    f"DELETE FROM {TALLY} WHERE grain = 'm' AND period IN (SELECT {{month_x}} FROM ({{days}}) AS x)",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'm', month, month, year, NULL, {ROLLUP}, {SUMS}
    FROM {TALLY} WHERE grain = 'd' AND month IN (SELECT {{month_x}} FROM ({{days}}) AS x)
    GROUP BY month, year, {ROLLUP}""",
    # Years: the sum of their months.
    f"DELETE FROM {TALLY} WHERE grain = 'y' AND period IN (SELECT {{year_x}} FROM ({{days}}) AS x)",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'y', year, NULL, year, NULL, {ROLLUP}, {SUMS}
    FROM {TALLY} WHERE grain = 'm' AND year IN (SELECT {{year_x}} FROM ({{days}}) AS x)
    GROUP BY year, {ROLLUP}""",
]
# The projects with no start: recounted only when a write touches one ({undated} is its condition).
REFRESH_UNDATED = [
    f"DELETE FROM {TALLY} WHERE grain = 'u' AND {{undated}}",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'u', NULL, NULL, NULL, NULL, 'start', {KEYS}, {MEASURES}
    FROM {PROJECT} p WHERE {S} IS NULL AND {{undated}} GROUP BY {KEYS}""",
]


def refresh_statements(vendor, days, undated):
    """The statements that recount the tally for the dates ``days`` yields (a
    subquery with a column ``day``), and the undated projects when the SQL
    condition ``undated`` holds."""
    dates = VENDOR_DATES[vendor]
    fill = {
        "{month_s}": dates["month"].format(S),
        "{year_s}": dates["year"].format(S),
        "{month_e}": dates["month"].format(E),
        "{year_e}": dates["year"].format(E),
        "{month_x}": dates["month"].format("x.day"),
        "{year_x}": dates["year"].format("x.day"),
    }
    statements = []
    for template in REFRESH:
        for key, value in fill.items():
            template = template.replace(key, value)
        statements.append(template.replace("{days}", days))
    return statements + [template.replace("{undated}", undated) for template in REFRESH_UNDATED]


# --- PostgreSQL ---------------------------------------------------------------------------------------------------

FIELDS = (
    "kind, is_public, actual_start, planned_start, actual_end, planned_end, currency, committed_vnd, committed_amount"
)
OLD_FIELDS = ", ".join(f"o.{field}" for field in FIELDS.split(", "))
NEW_FIELDS = ", ".join(f"n.{field}" for field in FIELDS.split(", "))
CHANGED = f"({OLD_FIELDS}) IS DISTINCT FROM ({NEW_FIELDS})"
SPAN_DAYS = (
    "SELECT COALESCE(actual_start, planned_start) FROM {rows} "
    "UNION SELECT COALESCE(actual_end, planned_end) FROM {rows}"
)
PG_ROWS = {
    "INSERT": "new_rows",
    "DELETE": "old_rows",
    "UPDATE": f"""(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {CHANGED}
        UNION ALL SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {CHANGED}) AS r""",
}
PG_FUNCTION = "projects_ptally_refresh"


def _pg_function():
    body = ";\n    ".join(refresh_statements("postgresql", "SELECT unnest(days) AS day", "undated"))
    return f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}(days date[], undated boolean) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF (days IS NULL OR cardinality(days) = 0) AND NOT undated THEN
        RETURN;
    END IF;
    -- One writer of the tally at a time: each statement below then sees every
    -- write committed before it, so two transactions touching one day cannot
    -- leave a stale or doubled row.
    PERFORM pg_advisory_xact_lock(hashtext('{TALLY}'));
    {body};
END
$$;"""


def _pg_trigger(name, event):
    rows = PG_ROWS[event]
    referencing = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows"}.get(
        event, "OLD TABLE AS old_rows NEW TABLE AS new_rows"
    )
    days = SPAN_DAYS.format(rows=rows)
    undated = f"EXISTS (SELECT 1 FROM {rows} WHERE COALESCE(actual_start, planned_start) IS NULL)"
    return [
        f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM {PG_FUNCTION}(ARRAY(SELECT DISTINCT day FROM ({days}) AS t(day) WHERE day IS NOT NULL), {undated});
    RETURN NULL;
END
$$;""",
        f"DROP TRIGGER IF EXISTS {name} ON {PROJECT};",
        f"""CREATE TRIGGER {name} AFTER {event} ON {PROJECT}
    REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}();""",
    ]


PG_TRIGGERS = {f"projects_ptally_project_{event.lower()}": event for event in PG_ROWS}


def postgresql_install():
    statements = [_pg_function()]
    for name, event in PG_TRIGGERS.items():
        statements += _pg_trigger(name, event)
    return statements


def postgresql_uninstall():
    statements = []
    for name in PG_TRIGGERS:
        statements += [f"DROP TRIGGER IF EXISTS {name} ON {PROJECT};", f"DROP FUNCTION IF EXISTS {name}();"]
    return statements + [f"DROP FUNCTION IF EXISTS {PG_FUNCTION}(date[], boolean);"]


# --- SQLite -------------------------------------------------------------------------------------------------------


def _sqlite_rows(*names):
    days = " UNION ".join(
        f"SELECT COALESCE({n}.actual_start, {n}.planned_start) AS day "
        f"UNION SELECT COALESCE({n}.actual_end, {n}.planned_end)"
        for n in names
    )
    undated = " OR ".join(f"COALESCE({n}.actual_start, {n}.planned_start) IS NULL" for n in names)
    return f"SELECT day FROM ({days}) WHERE day IS NOT NULL", f"({undated})"


SQLITE_TRIGGERS = {
    "projects_ptally_project_insert": (f"AFTER INSERT ON {PROJECT}", _sqlite_rows("NEW")),
    "projects_ptally_project_delete": (f"AFTER DELETE ON {PROJECT}", _sqlite_rows("OLD")),
    "projects_ptally_project_update": (f"AFTER UPDATE OF {FIELDS} ON {PROJECT}", _sqlite_rows("OLD", "NEW")),
}


def sqlite_install():
    statements = []
    for name, (when, (days, undated)) in SQLITE_TRIGGERS.items():
        body = ";\n    ".join(refresh_statements("sqlite", days, undated))
        statements += [f"DROP TRIGGER IF EXISTS {name};", f"CREATE TRIGGER {name} {when} BEGIN\n    {body};\nEND;"]
    return statements


def sqlite_uninstall():
    return [f"DROP TRIGGER IF EXISTS {name};" for name in SQLITE_TRIGGERS]


def install_statements(vendor):
    return postgresql_install() if vendor == "postgresql" else sqlite_install()


def uninstall_statements(vendor):
    return postgresql_uninstall() if vendor == "postgresql" else sqlite_uninstall()


def rebuild_statements(vendor):
    """Recount the whole tally: every start and end date, and the undated projects."""
    days = f"SELECT {S} AS day FROM {PROJECT} p UNION SELECT {E} FROM {PROJECT} p"
    days = f"SELECT day FROM ({days}) AS d WHERE day IS NOT NULL"
    return [f"DELETE FROM {TALLY}"] + refresh_statements(vendor, days, "1 = 1")[1:]
