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
lock; SQLite row-level triggers. The machinery is register/tallies.py's,
shared with the delegation tally (reports/tally_sql.py); this module says what
is counted and which writes touch which days.

Every row is one province's (``province``, the agreements' code: docs/PROVINCES.md).
"""

from register.tallies import IN_DAYS, DayTally, record_triggers

TALLY = "agreements_agreementtally"
AGREEMENT = "agreements_agreement"

BINDING = "a.status IN ('signed', 'in_force')"
START = "COALESCE(a.effective_on, a.signed_on)"
COLUMNS = "grain, period, month, year, province, event, level, public, approved, agreements"
# Approved, public or internal: an official's report counts these (reports/selectors_period.py).
APPROVED = "a.review_state = 'approved'"
# The dates a day row counts by, each with its {month_<name>} and {year_<name>}.
DATES = {"signed": "a.signed_on", "start": START, "expires": "a.expires_on"}


def _day_rows(event, day, level, condition):
    month, year = "{month_" + day + "}", "{year_" + day + "}"
    column = DATES[day]
    group = f"{level}, " if level.startswith("a.") else ""  # a constant is no grouping key
    return f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'd', {column}, {month}, {year}, a.province, '{event}', {level}, a.is_public, {APPROVED}, COUNT(*)
    FROM {AGREEMENT} a WHERE {column} {IN_DAYS}{condition}
    GROUP BY {column}, a.province, {group}a.is_public, a.review_state"""


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
    SELECT 'm', month, month, year, province, event, level, public, approved, SUM(agreements)
    FROM {TALLY} WHERE grain = 'd' AND month IN (SELECT {{month_x}} FROM ({{days}}) AS x)
    GROUP BY month, year, province, event, level, public, approved""",
    # Years: the sum of their months.
    f"DELETE FROM {TALLY} WHERE grain = 'y' AND period IN (SELECT {{year_x}} FROM ({{days}}) AS x)",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'y', year, NULL, year, province, event, level, public, approved, SUM(agreements)
    FROM {TALLY} WHERE grain = 'm' AND year IN (SELECT {{year_x}} FROM ({{days}}) AS x)
    GROUP BY year, province, event, level, public, approved""",
]
# The agreements with neither date: recounted only when a write touches one ({undated} is its condition).
REFRESH_UNDATED = [
    f"DELETE FROM {TALLY} WHERE grain = 'u' AND {{undated}}",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'u', NULL, NULL, NULL, a.province, 'start', '', a.is_public, {APPROVED}, COUNT(*)
    FROM {AGREEMENT} a WHERE {BINDING} AND {START} IS NULL AND {{undated}}
    GROUP BY a.province, a.is_public, a.review_state""",
]


# A write touches the days its agreements (before and after) are signed, take effect and expire on.
FIELDS = (
    "signed_on",
    "effective_on",
    "expires_on",
    "status",
    "signing_level",
    "is_public",
    "review_state",
    "province",
)
PG_TRIGGERS, SQLITE_TRIGGERS = record_triggers(
    "agreements_tally_agreement",
    AGREEMENT,
    FIELDS,
    pg_days="SELECT signed_on FROM {rows} UNION SELECT effective_on FROM {rows} UNION SELECT expires_on FROM {rows}",
    pg_undated="signed_on IS NULL AND effective_on IS NULL",
    sqlite_days="SELECT {row}.signed_on AS day UNION SELECT {row}.effective_on UNION SELECT {row}.expires_on",
    sqlite_undated="({row}.signed_on IS NULL AND {row}.effective_on IS NULL)",
)

# Every date of every agreement there is.
ALL_DAYS = " UNION ".join(
    f"SELECT {column} AS day FROM {AGREEMENT}" for column in ("signed_on", "effective_on", "expires_on")
)

SQL = DayTally(
    table=TALLY,
    function="agreements_tally_refresh",
    refresh=REFRESH,
    dates=DATES,
    pg_triggers=PG_TRIGGERS,
    sqlite_triggers=SQLITE_TRIGGERS,
    all_days=f"SELECT day FROM ({ALL_DAYS}) AS d WHERE day IS NOT NULL",
    refresh_undated=REFRESH_UNDATED,
)

refresh_statements = SQL.refresh_statements
install_statements = SQL.install_statements
uninstall_statements = SQL.uninstall_statements
rebuild_statements = SQL.rebuild_statements
