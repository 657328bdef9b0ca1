# ruff: noqa: S608 -- every name spliced into this SQL is a constant of this module.
"""The SQL that keeps ``projects_transactiontally`` exact: recount the affected
days from the transactions (joined to their projects for the project's kind
and visibility), then their months from the days, then their years from the
months. Database triggers run it on every write to a transaction and on every
change of a project's kind or visibility, whatever wrote it (admin, import,
queryset.update(), raw SQL), so no code path can forget it.

What is this tally's own: the recount and which writes touch which days. The
machinery (filling in the templates, the PostgreSQL refresh function and
triggers, the SQLite triggers) is register/tallies.py's, shared with
the delegation tally (reports/tally_sql.py).

Every row is one province's (``province``, the project's code: docs/PROVINCES.md).
"""

from register.tallies import IN_DAYS, DayTally, PgTrigger, SqliteTrigger, pg_changed

TALLY = "projects_transactiontally"
TRANSACTION = "projects_transaction"
PROJECT = "projects_project"

COLUMNS = "grain, period, month, year, province, kind, project_kind, public, approved, transactions, amount_vnd"
KEYS = "province, kind, project_kind, public, approved"

REFRESH = [
    # Days: dropped and recounted from the transactions.
    f"DELETE FROM {TALLY} WHERE grain = 'd' AND period {IN_DAYS}",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'd', t.date, {{month_t}}, {{year_t}}, p.province, t.kind, p.kind, p.is_public,
        p.review_state = 'approved', COUNT(*), COALESCE(SUM(t.amount_vnd), 0)
    FROM {TRANSACTION} t JOIN {PROJECT} p ON p.id = t.project_id
    WHERE t.date {IN_DAYS} GROUP BY t.date, p.province, t.kind, p.kind, p.is_public, p.review_state""",
    # Months: the sum of their days.
    f"DELETE FROM {TALLY} WHERE grain = 'm' AND period IN (SELECT {{month_x}} FROM ({{days}}) AS x)",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'm', month, month, year, {KEYS}, SUM(transactions), SUM(amount_vnd)
    FROM {TALLY} WHERE grain = 'd' AND month IN (SELECT {{month_x}} FROM ({{days}}) AS x)
    GROUP BY month, year, {KEYS}""",
    # Years: the sum of their months.
    f"DELETE FROM {TALLY} WHERE grain = 'y' AND period IN (SELECT {{year_x}} FROM ({{days}}) AS x)",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'y', year, NULL, year, {KEYS}, SUM(transactions), SUM(amount_vnd)
    FROM {TALLY} WHERE grain = 'm' AND year IN (SELECT {{year_x}} FROM ({{days}}) AS x)
    GROUP BY year, {KEYS}""",
]

# Which rows of a transition table change the tally: a transaction whose date,
# kind, amount or project changed; a project whose kind, visibility or province changed.
CHANGED = pg_changed(("date", "kind", "amount_vnd", "project_id"))
PG_TRANSACTION_DAYS = {
    "INSERT": "SELECT date FROM new_rows",
    "DELETE": "SELECT date FROM old_rows",
    "UPDATE": f"""SELECT o.date FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {CHANGED}
        UNION SELECT n.date FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {CHANGED}""",
}
PG_PROJECT_DAYS = f"""SELECT t.date FROM {TRANSACTION} t WHERE t.project_id IN (
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.kind, n.is_public, n.review_state, n.province)
        IS DISTINCT FROM (o.kind, o.is_public, o.review_state, o.province))"""

SQLITE_TRIGGERS = [
    SqliteTrigger("projects_txtally_transaction_insert", f"AFTER INSERT ON {TRANSACTION}", "SELECT NEW.date AS day"),
    SqliteTrigger("projects_txtally_transaction_delete", f"AFTER DELETE ON {TRANSACTION}", "SELECT OLD.date AS day"),
    SqliteTrigger(
        "projects_txtally_transaction_update",
        f"AFTER UPDATE OF date, kind, amount_vnd, project_id ON {TRANSACTION}",
        "SELECT OLD.date AS day UNION SELECT NEW.date",
    ),
    SqliteTrigger(
        "projects_txtally_project_update",
        (
            f"AFTER UPDATE OF kind, is_public, review_state, province ON {PROJECT} WHEN OLD.kind <> NEW.kind "
            "OR OLD.is_public <> NEW.is_public OR OLD.review_state <> NEW.review_state OR OLD.province <> NEW.province"
        ),
        f"SELECT DISTINCT date AS day FROM {TRANSACTION} WHERE project_id = NEW.id",
    ),
]

SQL = DayTally(
    table=TALLY,
    function="projects_txtally_refresh",
    refresh=REFRESH,
    dates={"t": "t.date"},
    pg_triggers=[
        *[
            PgTrigger(f"projects_txtally_transaction_{event.lower()}", TRANSACTION, event, days)
            for event, days in PG_TRANSACTION_DAYS.items()
        ],
        PgTrigger("projects_txtally_project_update", PROJECT, "UPDATE", PG_PROJECT_DAYS),
    ],
    sqlite_triggers=SQLITE_TRIGGERS,
    all_days=f"SELECT DISTINCT date AS day FROM {TRANSACTION}",
)

refresh_statements = SQL.refresh_statements
install_statements = SQL.install_statements
uninstall_statements = SQL.uninstall_statements
rebuild_statements = SQL.rebuild_statements
