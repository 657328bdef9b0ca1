# ruff: noqa: S608 -- every name spliced into this SQL is a constant of this module.
"""The SQL that keeps ``agreements_agreementtally`` exact. For each day, month
and year, public or not, it counts

- 'signed': the agreements signed then, by signing level;
- 'start': the agreements signed or in force that take effect then (their
  effective date, else their signing date);
- 'end': those of them that expire then;
- 'uend': the agreements signed or in force with neither date that expire then;

and grain 'u' counts the agreements signed or in force with neither date.
In force on D = started by D, less ended before D: an agreement cannot expire
before it takes effect or is signed (two CHECK constraints), so one that ended
before D had started by then. The undated ones not expired on D = grain 'u'
less 'uend' before D. See reports/selectors_period.py.

Database triggers recount the days a write touches (an agreement's old and new
dates), then their months and years, whatever wrote it: PostgreSQL
statement-level triggers over transition tables, serialised by an advisory
lock; SQLite row-level triggers. The same design as the delegation tally
(reports/tally_sql.py).
"""

TALLY = "agreements_agreementtally"
AGREEMENT = "agreements_agreement"

VENDOR_DATES = {
    "postgresql": {
        "month": "CAST(date_trunc('month', {}) AS date)",
        "year": "CAST(date_trunc('year', {}) AS date)",
    },
    "sqlite": {"month": "date({}, 'start of month')", "year": "date({}, 'start of year')"},
}

BINDING = "a.status IN ('signed', 'in_force')"
START = "COALESCE(a.effective_on, a.signed_on)"
COLUMNS = "grain, period, month, year, event, level, public, agreements"
IN_DAYS = "IN (SELECT day FROM ({days}) AS x)"


def _day_rows(event, day, level, condition):
    month, year = "{month_" + day + "}", "{year_" + day + "}"
    column = {"signed": "a.signed_on", "start": START, "expires": "a.expires_on"}[day]
    group = f"{level}, " if level.startswith("a.") else ""  # a constant is no grouping key
    return f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'd', {column}, {month}, {year}, '{event}', {level}, a.is_public, COUNT(*)
    FROM {AGREEMENT} a WHERE {column} {IN_DAYS}{condition} GROUP BY {column}, {group}a.is_public"""


REFRESH = [
    # Days: dropped and recounted from the agreements.
    f"DELETE FROM {TALLY} WHERE grain = 'd' AND period {IN_DAYS}",
    _day_rows("signed", "signed", "a.signing_level", ""),
    _day_rows("start", "start", "''", f" AND {BINDING}"),
    _day_rows("end", "expires", "''", f" AND {BINDING} AND {START} IS NOT NULL"),
    _day_rows("uend", "expires", "''", f" AND {BINDING} AND {START} IS NULL"),
    # Months: the sum of their days.
    f"DELETE FROM {TALLY} WHERE grain = 'm' AND period IN (SELECT {{month_x}} FROM ({{days}}) AS x)",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'm', month, month, year, event, level, public, SUM(agreements)
    FROM {TALLY} WHERE grain = 'd' AND month IN (SELECT {{month_x}} FROM ({{days}}) AS x)
    GROUP BY month, year, event, level, public""",
    # Years: the sum of their months.
    f"DELETE FROM {TALLY} WHERE grain = 'y' AND period IN (SELECT {{year_x}} FROM ({{days}}) AS x)",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'y', year, NULL, year, event, level, public, SUM(agreements)
    FROM {TALLY} WHERE grain = 'm' AND year IN (SELECT {{year_x}} FROM ({{days}}) AS x)
    GROUP BY year, event, level, public""",
]
# The agreements with neither date: recounted only when a write touches one ({undated} is its condition).
REFRESH_UNDATED = [
    f"DELETE FROM {TALLY} WHERE grain = 'u' AND {{undated}}",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'u', NULL, NULL, NULL, 'start', '', a.is_public, COUNT(*)
    FROM {AGREEMENT} a WHERE {BINDING} AND {START} IS NULL AND {{undated}} GROUP BY a.is_public""",
]


def refresh_statements(vendor, days, undated):
    """The statements that recount the tally for the dates ``days`` yields (a
    subquery with a column ``day``), and the undated agreements when the SQL
    condition ``undated`` holds."""
    dates = VENDOR_DATES[vendor]
    fill = {}
    for name, column in (("signed", "a.signed_on"), ("start", START), ("expires", "a.expires_on"), ("x", "x.day")):
        fill["{month_" + name + "}"] = dates["month"].format(column)
        fill["{year_" + name + "}"] = dates["year"].format(column)
    statements = []
    for template in REFRESH:
        for key, value in fill.items():
            template = template.replace(key, value)
        statements.append(template.replace("{days}", days))
    return statements + [template.replace("{undated}", undated) for template in REFRESH_UNDATED]


# --- PostgreSQL ---------------------------------------------------------------------------------------------------

FIELDS = "signed_on, effective_on, expires_on, status, signing_level, is_public"
OLD_FIELDS = ", ".join(f"o.{field}" for field in FIELDS.split(", "))
NEW_FIELDS = ", ".join(f"n.{field}" for field in FIELDS.split(", "))
CHANGED = f"({OLD_FIELDS}) IS DISTINCT FROM ({NEW_FIELDS})"
DAYS = "SELECT signed_on FROM {rows} UNION SELECT effective_on FROM {rows} UNION SELECT expires_on FROM {rows}"
PG_ROWS = {
    "INSERT": "new_rows",
    "DELETE": "old_rows",
    "UPDATE": f"""(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {CHANGED}
        UNION ALL SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {CHANGED}) AS r""",
}
PG_FUNCTION = "agreements_tally_refresh"


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
    days = DAYS.format(rows=rows)
    undated = f"EXISTS (SELECT 1 FROM {rows} WHERE signed_on IS NULL AND effective_on IS NULL)"
    return [
        f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM {PG_FUNCTION}(ARRAY(SELECT DISTINCT day FROM ({days}) AS t(day) WHERE day IS NOT NULL), {undated});
    RETURN NULL;
END
$$;""",
        f"DROP TRIGGER IF EXISTS {name} ON {AGREEMENT};",
        f"""CREATE TRIGGER {name} AFTER {event} ON {AGREEMENT}
    REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}();""",
    ]


PG_TRIGGERS = {f"agreements_tally_agreement_{event.lower()}": event for event in PG_ROWS}


def postgresql_install():
    statements = [_pg_function()]
    for name, event in PG_TRIGGERS.items():
        statements += _pg_trigger(name, event)
    return statements


def postgresql_uninstall():
    statements = []
    for name in PG_TRIGGERS:
        statements += [f"DROP TRIGGER IF EXISTS {name} ON {AGREEMENT};", f"DROP FUNCTION IF EXISTS {name}();"]
    return statements + [f"DROP FUNCTION IF EXISTS {PG_FUNCTION}(date[], boolean);"]


# --- SQLite -------------------------------------------------------------------------------------------------------


def _sqlite_rows(*names):
    days = " UNION ".join(
        f"SELECT {n}.signed_on AS day UNION SELECT {n}.effective_on UNION SELECT {n}.expires_on" for n in names
    )
    undated = " OR ".join(f"({n}.signed_on IS NULL AND {n}.effective_on IS NULL)" for n in names)
    return f"SELECT day FROM ({days}) WHERE day IS NOT NULL", f"({undated})"


SQLITE_TRIGGERS = {
    "agreements_tally_agreement_insert": (f"AFTER INSERT ON {AGREEMENT}", _sqlite_rows("NEW")),
    "agreements_tally_agreement_delete": (f"AFTER DELETE ON {AGREEMENT}", _sqlite_rows("OLD")),
    "agreements_tally_agreement_update": (f"AFTER UPDATE OF {FIELDS} ON {AGREEMENT}", _sqlite_rows("OLD", "NEW")),
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
    """Recount the whole tally: every date of every agreement, and the undated ones."""
    dates = [f"SELECT {column} AS day FROM {AGREEMENT}" for column in ("signed_on", "effective_on", "expires_on")]
    days = f"SELECT day FROM ({' UNION '.join(dates)}) AS d WHERE day IS NOT NULL"
    return [f"DELETE FROM {TALLY}"] + refresh_statements(vendor, days, "1 = 1")[1:]
