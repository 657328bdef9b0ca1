# ruff: noqa: S608 -- every name spliced into this SQL is a constant of this module.
"""The SQL that keeps ``projects_transactiontally`` exact: recount the affected
days from the transactions (joined to their projects for the project's kind
and visibility), then their months from the days, then their years from the
months. Database triggers run it on every write to a transaction and on every
change of a project's kind or visibility, whatever wrote it (admin, import,
queryset.update(), raw SQL), so no code path can forget it.

The statements are written once with ``{days}`` (a subquery yielding a column
``day``) and ``{month}``/``{year}`` (the vendor's truncation of a date), and
filled in for PostgreSQL (statement-level triggers over transition tables,
serialised by an advisory lock) and SQLite (row-level triggers; SQLite has one
writer at a time). The same design as the delegation tally (reports/tally_sql.py).
"""

TALLY = "projects_transactiontally"
TRANSACTION = "projects_transaction"
PROJECT = "projects_project"

VENDOR_DATES = {
    "postgresql": {
        "month": "CAST(date_trunc('month', {}) AS date)",
        "year": "CAST(date_trunc('year', {}) AS date)",
    },
    "sqlite": {"month": "date({}, 'start of month')", "year": "date({}, 'start of year')"},
}

COLUMNS = "grain, period, month, year, kind, project_kind, public, transactions, amount_vnd"
KEYS = "kind, project_kind, public"
IN_DAYS = "IN (SELECT day FROM ({days}) AS x)"

REFRESH = [
    # Days: dropped and recounted from the transactions.
    f"DELETE FROM {TALLY} WHERE grain = 'd' AND period {IN_DAYS}",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'd', t.date, {{month_t}}, {{year_t}}, t.kind, p.kind, p.is_public, COUNT(*), COALESCE(SUM(t.amount_vnd), 0)
    FROM {TRANSACTION} t JOIN {PROJECT} p ON p.id = t.project_id
    WHERE t.date {IN_DAYS} GROUP BY t.date, t.kind, p.kind, p.is_public""",
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


def refresh_statements(vendor, days):
    """The statements that recount the tally for the dates ``days`` yields."""
    dates = VENDOR_DATES[vendor]
    fill = {
        "{month_t}": dates["month"].format("t.date"),
        "{year_t}": dates["year"].format("t.date"),
        "{month_x}": dates["month"].format("x.day"),
        "{year_x}": dates["year"].format("x.day"),
    }
    statements = []
    for template in REFRESH:
        for key, value in fill.items():
            template = template.replace(key, value)
        statements.append(template.replace("{days}", days))
    return statements


# --- PostgreSQL ---------------------------------------------------------------------------------------------------

# Which rows of a transition table change the tally: a transaction whose date,
# kind, amount or project changed; a project whose kind or visibility changed.
CHANGED = "(o.date, o.kind, o.amount_vnd, o.project_id) IS DISTINCT FROM (n.date, n.kind, n.amount_vnd, n.project_id)"
PG_TRANSACTION_DAYS = {
    "INSERT": "SELECT date FROM new_rows",
    "DELETE": "SELECT date FROM old_rows",
    "UPDATE": f"""SELECT o.date FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {CHANGED}
        UNION SELECT n.date FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {CHANGED}""",
}
PG_PROJECT_DAYS = f"""SELECT t.date FROM {TRANSACTION} t WHERE t.project_id IN (
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.kind, n.is_public) IS DISTINCT FROM (o.kind, o.is_public))"""

PG_FUNCTION = "projects_txtally_refresh"


def _pg_function():
    body = ";\n    ".join(refresh_statements("postgresql", "SELECT unnest(days) AS day"))
    return f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}(days date[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF days IS NULL OR cardinality(days) = 0 THEN
        RETURN;
    END IF;
    -- One writer of the tally at a time: each statement below then sees every
    -- write committed before it, so two transactions touching one day cannot
    -- leave a stale or doubled row.
    PERFORM pg_advisory_xact_lock(hashtext('{TALLY}'));
    {body};
END
$$;"""


def _pg_trigger(name, table, event, days_sql):
    referencing = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows"}.get(
        event, "OLD TABLE AS old_rows NEW TABLE AS new_rows"
    )
    return [
        f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM {PG_FUNCTION}(ARRAY(SELECT DISTINCT day FROM ({days_sql}) AS t(day) WHERE day IS NOT NULL));
    RETURN NULL;
END
$$;""",
        f"DROP TRIGGER IF EXISTS {name} ON {table};",
        f"""CREATE TRIGGER {name} AFTER {event} ON {table}
    REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}();""",
    ]


PG_TRIGGERS = [
    *[(f"projects_txtally_transaction_{event.lower()}", TRANSACTION, event) for event in PG_TRANSACTION_DAYS],
    ("projects_txtally_project_update", PROJECT, "UPDATE"),
]


def postgresql_install():
    statements = [_pg_function()]
    for event, days in PG_TRANSACTION_DAYS.items():
        statements += _pg_trigger(f"projects_txtally_transaction_{event.lower()}", TRANSACTION, event, days)
    statements += _pg_trigger("projects_txtally_project_update", PROJECT, "UPDATE", PG_PROJECT_DAYS)
    return statements


def postgresql_uninstall():
    statements = []
    for name, table, _event in PG_TRIGGERS:
        statements += [f"DROP TRIGGER IF EXISTS {name} ON {table};", f"DROP FUNCTION IF EXISTS {name}();"]
    return statements + [f"DROP FUNCTION IF EXISTS {PG_FUNCTION}(date[]);"]


# --- SQLite -------------------------------------------------------------------------------------------------------

SQLITE_TRIGGERS = {
    "projects_txtally_transaction_insert": (f"AFTER INSERT ON {TRANSACTION}", "SELECT NEW.date AS day"),
    "projects_txtally_transaction_delete": (f"AFTER DELETE ON {TRANSACTION}", "SELECT OLD.date AS day"),
    "projects_txtally_transaction_update": (
        f"AFTER UPDATE OF date, kind, amount_vnd, project_id ON {TRANSACTION}",
        "SELECT OLD.date AS day UNION SELECT NEW.date",
    ),
    "projects_txtally_project_update": (
        f"AFTER UPDATE OF kind, is_public ON {PROJECT} WHEN OLD.kind <> NEW.kind OR OLD.is_public <> NEW.is_public",
        f"SELECT DISTINCT date AS day FROM {TRANSACTION} WHERE project_id = NEW.id",
    ),
}


def sqlite_install():
    statements = []
    for name, (when, days) in SQLITE_TRIGGERS.items():
        body = ";\n    ".join(refresh_statements("sqlite", days))
        statements += [f"DROP TRIGGER IF EXISTS {name};", f"CREATE TRIGGER {name} {when} BEGIN\n    {body};\nEND;"]
    return statements


def sqlite_uninstall():
    return [f"DROP TRIGGER IF EXISTS {name};" for name in SQLITE_TRIGGERS]


def install_statements(vendor):
    return postgresql_install() if vendor == "postgresql" else sqlite_install()


def uninstall_statements(vendor):
    return postgresql_uninstall() if vendor == "postgresql" else sqlite_uninstall()


def rebuild_statements(vendor):
    """Recount the whole tally: every transaction date."""
    days = f"SELECT DISTINCT date AS day FROM {TRANSACTION}"
    return [f"DELETE FROM {TALLY}"] + refresh_statements(vendor, days)[1:]
