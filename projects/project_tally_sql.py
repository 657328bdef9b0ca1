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
serialised by an advisory lock; SQLite row-level triggers. The machinery is
register/tallies.py's, shared with the delegation tally
(reports/tally_sql.py); this module says what is counted and which writes touch
which days.

Every row is one province's (``province``, the projects' code: docs/PROVINCES.md).
"""

from register.tallies import IN_DAYS, DayTally, record_triggers

TALLY = "projects_projecttally"
PROJECT = "projects_project"

S = "COALESCE(p.actual_start, p.planned_start)"
E = "COALESCE(p.actual_end, p.planned_end)"
COLUMNS = (
    "grain, period, month, year, until, province, event, kind, public, approved, usd, projects, committed_vnd, "
    "committed_amount"
)
KEYS = "p.kind, p.is_public, p.review_state = 'approved', p.currency = 'USD'"
MEASURES = "COUNT(*), COALESCE(SUM(p.committed_vnd), 0), COALESCE(SUM(p.committed_amount), 0)"
ROLLUP = "province, event, kind, public, approved, usd"
SUMS = "SUM(projects), SUM(committed_vnd), SUM(committed_amount)"

REFRESH = [
    # Days: dropped and recounted from the projects.
    f"DELETE FROM {TALLY} WHERE grain IN ('d', 'x') AND period {IN_DAYS}",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'd', {S}, {{month_s}}, {{year_s}}, NULL, p.province, 'start', {KEYS}, {MEASURES}
    FROM {PROJECT} p WHERE {S} {IN_DAYS} GROUP BY {S}, p.province, {KEYS}""",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'd', {E}, {{month_e}}, {{year_e}}, NULL, p.province, 'end', {KEYS}, {MEASURES}
    FROM {PROJECT} p WHERE {E} {IN_DAYS} AND {S} <= {E} GROUP BY {E}, p.province, {KEYS}""",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'x', {S}, NULL, NULL, {E}, p.province, 'start', {KEYS}, {MEASURES}
    FROM {PROJECT} p WHERE {S} {IN_DAYS} AND {E} < {S} GROUP BY {S}, {E}, p.province, {KEYS}""",
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
    SELECT 'u', NULL, NULL, NULL, NULL, p.province, 'start', {KEYS}, {MEASURES}
    FROM {PROJECT} p WHERE {S} IS NULL AND {{undated}} GROUP BY p.province, {KEYS}""",
]


# A write touches the days its projects (before and after) start and end on.
FIELDS = (
    "kind",
    "is_public",
    "review_state",
    "actual_start",
    "planned_start",
    "actual_end",
    "planned_end",
    "currency",
    "committed_vnd",
    "committed_amount",
    "province",
)
PG_TRIGGERS, SQLITE_TRIGGERS = record_triggers(
    "projects_ptally_project",
    PROJECT,
    FIELDS,
    pg_days=(
        "SELECT COALESCE(actual_start, planned_start) FROM {rows} "
        "UNION SELECT COALESCE(actual_end, planned_end) FROM {rows}"
    ),
    pg_undated="COALESCE(actual_start, planned_start) IS NULL",
    sqlite_days=(
        "SELECT COALESCE({row}.actual_start, {row}.planned_start) AS day "
        "UNION SELECT COALESCE({row}.actual_end, {row}.planned_end)"
    ),
    sqlite_undated="COALESCE({row}.actual_start, {row}.planned_start) IS NULL",
)

# Every start and end date there is.
ALL_DAYS = f"SELECT {S} AS day FROM {PROJECT} p UNION SELECT {E} FROM {PROJECT} p"

SQL = DayTally(
    table=TALLY,
    function="projects_ptally_refresh",
    refresh=REFRESH,
    dates={"s": S, "e": E},
    pg_triggers=PG_TRIGGERS,
    sqlite_triggers=SQLITE_TRIGGERS,
    all_days=f"SELECT day FROM ({ALL_DAYS}) AS d WHERE day IS NOT NULL",
    refresh_undated=REFRESH_UNDATED,
)

refresh_statements = SQL.refresh_statements
install_statements = SQL.install_statements
uninstall_statements = SQL.uninstall_statements
rebuild_statements = SQL.rebuild_statements
