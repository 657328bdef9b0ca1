# ruff: noqa: S608 -- every name spliced into this SQL is a constant of this module.
"""The SQL that keeps ``reports_delegationtally`` exact: recount the affected
days from the delegations, then their months from the days, then their years
from the months. Database triggers run it on every write to a delegation, a
delegation's partner links or a partner's country, whatever wrote it (admin,
import, queryset.update(), raw SQL, COPY), so no code path can forget it.

The statements are written once with ``{days}`` (a subquery yielding a column
``day``, NULL for undated delegations) and ``{month}``/``{year}`` (the vendor's
truncation of a date), and filled in for PostgreSQL (statement-level triggers
over transition tables, serialised by an advisory lock) and SQLite (row-level
triggers; SQLite has one writer at a time).
"""

TALLY = "reports_delegationtally"
DELEGATION = "delegations_delegation"
LINK = "delegations_delegation_partners"
PARTNER = "partners_partner"

VENDOR_DATES = {
    "postgresql": {
        "month": "CAST(date_trunc('month', {}) AS date)",
        "year": "CAST(date_trunc('year', {}) AS date)",
    },
    "sqlite": {"month": "date({}, 'start of month')", "year": "date({}, 'start of year')"},
}

COLUMNS = "grain, period, month, year, direction, cancelled, public, country, delegations, persons, no_size"
MEASURES = "COUNT(*), COALESCE(SUM(d.size), 0), COUNT(*) - COUNT(d.size)"
KEYS = "d.start_date, d.direction, d.status = 'cancelled', d.is_public"
# Each day-level statement runs twice: for the dated days (an IN list the
# indexes serve) and for the undated bucket (an IS NULL the index serves,
# guarded by a test run once). One condition OR-ing both would scan every row.
IN_DAYS = "{in_days}"
DATED = "{column} IN (SELECT day FROM ({{days}}) AS x WHERE x.day IS NOT NULL)"
UNDATED = "{column} IS NULL AND EXISTS (SELECT 1 FROM ({{days}}) AS x WHERE x.day IS NULL)"

# A partner link counts once per (delegation, country): the link with the lowest id.
FIRST_OF_COUNTRY = f"""NOT EXISTS (
    SELECT 1 FROM {LINK} l2 JOIN {PARTNER} p2 ON p2.id = l2.partner_id
    WHERE l2.delegation_id = l.delegation_id AND p2.country = p.country AND l2.id < l.id)"""
NO_COUNTRY = f"""NOT EXISTS (
    SELECT 1 FROM {LINK} l JOIN {PARTNER} p ON p.id = l.partner_id
    WHERE l.delegation_id = d.id AND p.country <> '')"""

REFRESH = [
    # Days (and the undated bucket, period NULL): dropped and recounted from the delegations.
    f"DELETE FROM {TALLY} WHERE grain = 'd' AND {{in_periods}}",
    # '*': every delegation of the day.
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'd', d.start_date, {{month_d}}, {{year_d}}, d.direction, d.status = 'cancelled', d.is_public, '*', {MEASURES}
    FROM {DELEGATION} d WHERE {IN_DAYS} GROUP BY {KEYS}""",
    # A country code ('' too): the delegations with a partner there, once per country.
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'd', d.start_date, {{month_d}}, {{year_d}}, d.direction, d.status = 'cancelled', d.is_public, p.country,
        {MEASURES}
    FROM {DELEGATION} d JOIN {LINK} l ON l.delegation_id = d.id JOIN {PARTNER} p ON p.id = l.partner_id
    WHERE {IN_DAYS} AND {FIRST_OF_COUNTRY} GROUP BY {KEYS}, p.country""",
    # '-': the delegations with no partner country at all.
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'd', d.start_date, {{month_d}}, {{year_d}}, d.direction, d.status = 'cancelled', d.is_public, '-', {MEASURES}
    FROM {DELEGATION} d WHERE {IN_DAYS} AND {NO_COUNTRY} GROUP BY {KEYS}""",
    # Months: the sum of their days.
    f"DELETE FROM {TALLY} WHERE grain = 'm' AND month IN (SELECT {{month_x}} FROM ({{days}}) AS x)",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'm', month, month, year, direction, cancelled, public, country, SUM(delegations), SUM(persons), SUM(no_size)
    FROM {TALLY} WHERE grain = 'd' AND month IN (SELECT {{month_x}} FROM ({{days}}) AS x)
    GROUP BY month, year, direction, cancelled, public, country""",
    # Years: the sum of their months.
    f"DELETE FROM {TALLY} WHERE grain = 'y' AND year IN (SELECT {{year_x}} FROM ({{days}}) AS x)",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'y', year, NULL, year, direction, cancelled, public, country, SUM(delegations), SUM(persons), SUM(no_size)
    FROM {TALLY} WHERE grain = 'm' AND year IN (SELECT {{year_x}} FROM ({{days}}) AS x)
    GROUP BY year, direction, cancelled, public, country""",
]


def refresh_statements(vendor, days):
    """The statements that recount the tally for the dates ``days`` yields."""
    dates = VENDOR_DATES[vendor]
    fill = {
        "month_d": dates["month"].format("d.start_date"),
        "year_d": dates["year"].format("d.start_date"),
        "month_x": dates["month"].format("x.day"),
        "year_x": dates["year"].format("x.day"),
    }
    statements = []
    for template in REFRESH:
        for key, value in fill.items():
            template = template.replace("{" + key + "}", value)
        if "{in_days}" in template or "{in_periods}" in template:
            versions = [
                template.replace("{in_days}", cond.format(column="d.start_date")).replace(
                    "{in_periods}", cond.format(column="period")
                )
                for cond in (DATED, UNDATED)
            ]
        else:
            versions = [template]
        statements += [sql.replace("{{days}}", days).replace("{days}", days) for sql in versions]
    return statements


# --- PostgreSQL ---------------------------------------------------------------------------------------------------

# Which rows of a transition table change the tally: a delegation whose date,
# direction, status, visibility or size changed; a partner whose country changed.
PG_DELEGATION_DAYS = {
    "INSERT": "SELECT start_date FROM new_rows",
    "DELETE": "SELECT start_date FROM old_rows",
    "UPDATE": """SELECT o.start_date FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.start_date, o.direction, o.status, o.is_public, o.size)
            IS DISTINCT FROM (n.start_date, n.direction, n.status, n.is_public, n.size)
        UNION SELECT n.start_date FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.start_date, o.direction, o.status, o.is_public, o.size)
            IS DISTINCT FROM (n.start_date, n.direction, n.status, n.is_public, n.size)""",
}
PG_LINK_DAYS = {
    "INSERT": f"SELECT d.start_date FROM {DELEGATION} d WHERE d.id IN (SELECT delegation_id FROM new_rows)",
    "DELETE": f"SELECT d.start_date FROM {DELEGATION} d WHERE d.id IN (SELECT delegation_id FROM old_rows)",
    "UPDATE": f"""SELECT d.start_date FROM {DELEGATION} d
        WHERE d.id IN (SELECT delegation_id FROM new_rows UNION SELECT delegation_id FROM old_rows)""",
}
PG_PARTNER_DAYS = f"""SELECT d.start_date FROM {DELEGATION} d JOIN {LINK} l ON l.delegation_id = d.id
    WHERE l.partner_id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.country <> o.country)"""


def _pg_function():
    body = ";\n    ".join(refresh_statements("postgresql", "SELECT unnest(days) AS day"))
    return f"""
CREATE OR REPLACE FUNCTION reports_tally_refresh(days date[]) RETURNS void LANGUAGE plpgsql AS $$
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
    PERFORM reports_tally_refresh(ARRAY(SELECT DISTINCT day FROM ({days_sql}) AS t(day)));
    RETURN NULL;
END
$$;""",
        f"DROP TRIGGER IF EXISTS {name} ON {table};",
        f"""CREATE TRIGGER {name} AFTER {event} ON {table}
    REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}();""",
    ]


def postgresql_install():
    statements = [_pg_function()]
    for event, days in PG_DELEGATION_DAYS.items():
        statements += _pg_trigger(f"reports_tally_delegation_{event.lower()}", DELEGATION, event, days)
    for event, days in PG_LINK_DAYS.items():
        statements += _pg_trigger(f"reports_tally_link_{event.lower()}", LINK, event, days)
    statements += _pg_trigger("reports_tally_partner_update", PARTNER, "UPDATE", PG_PARTNER_DAYS)
    return statements


def postgresql_uninstall():
    statements = []
    for table, prefix in ((DELEGATION, "delegation"), (LINK, "link")):
        for event in ("insert", "delete", "update"):
            name = f"reports_tally_{prefix}_{event}"
            statements += [f"DROP TRIGGER IF EXISTS {name} ON {table};", f"DROP FUNCTION IF EXISTS {name}();"]
    statements += [
        f"DROP TRIGGER IF EXISTS reports_tally_partner_update ON {PARTNER};",
        "DROP FUNCTION IF EXISTS reports_tally_partner_update();",
        "DROP FUNCTION IF EXISTS reports_tally_refresh(date[]);",
    ]
    return statements


# --- SQLite -------------------------------------------------------------------------------------------------------

DELEGATION_FIELDS = "start_date, direction, status, is_public, size"
SQLITE_TRIGGERS = {
    "reports_tally_delegation_insert": (f"AFTER INSERT ON {DELEGATION}", "SELECT NEW.start_date AS day"),
    "reports_tally_delegation_delete": (f"AFTER DELETE ON {DELEGATION}", "SELECT OLD.start_date AS day"),
    "reports_tally_delegation_update": (
        f"AFTER UPDATE OF {DELEGATION_FIELDS} ON {DELEGATION}",
        "SELECT OLD.start_date AS day UNION SELECT NEW.start_date",
    ),
    "reports_tally_link_insert": (
        f"AFTER INSERT ON {LINK}",
        f"SELECT start_date AS day FROM {DELEGATION} WHERE id = NEW.delegation_id",
    ),
    "reports_tally_link_delete": (
        f"AFTER DELETE ON {LINK}",
        f"SELECT start_date AS day FROM {DELEGATION} WHERE id = OLD.delegation_id",
    ),
    "reports_tally_link_update": (
        f"AFTER UPDATE ON {LINK}",
        f"SELECT start_date AS day FROM {DELEGATION} WHERE id IN (OLD.delegation_id, NEW.delegation_id)",
    ),
    "reports_tally_partner_update": (
        f"AFTER UPDATE OF country ON {PARTNER} WHEN OLD.country <> NEW.country",
        f"""SELECT DISTINCT d.start_date AS day FROM {DELEGATION} d JOIN {LINK} l ON l.delegation_id = d.id
            WHERE l.partner_id = NEW.id""",
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
    """Recount the whole tally: every delegation date (and the undated bucket)."""
    days = f"SELECT DISTINCT start_date AS day FROM {DELEGATION} UNION SELECT NULL"
    return [f"DELETE FROM {TALLY}"] + refresh_statements(vendor, days)[2:]
