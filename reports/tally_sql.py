# ruff: noqa: S608 -- every name spliced into this SQL is a constant of this module.
"""The SQL that keeps ``reports_delegationtally`` exact: recount the affected
days from the delegations, then their months from the days, then their years
from the months. Database triggers run it on every write to a delegation, a
delegation's partner links or a partner's country, whatever wrote it (admin,
import, queryset.update(), raw SQL, COPY), so no code path can forget it.

The statements are written once with ``{days}`` (a subquery yielding a column
``day``, NULL for undated delegations) and ``{month_<name>}``/``{year_<name>}``
(the vendor's truncation of a date), and register/tallies.py fills
them in for PostgreSQL (statement-level triggers over transition tables,
serialised by an advisory lock) and SQLite (row-level triggers; SQLite has one
writer at a time), as it does for the transaction, project and agreement tallies.

Every row is one province's (``province``, the delegations' code: docs/PROVINCES.md):
a recount of a day recounts every province's delegations of that day.
"""

from register.tallies import DayTally, PgTrigger, SqliteTrigger, link_triggers

TALLY = "reports_delegationtally"
DELEGATION = "delegations_delegation"
LINK = "delegations_delegation_partners"
PARTNER = "partners_partner"

COLUMNS = (
    "grain, period, month, year, province, direction, cancelled, public, approved, country, "
    "delegations, persons, no_size"
)
MEASURES = "COUNT(*), COALESCE(SUM(d.size), 0), COUNT(*) - COUNT(d.size)"
# Approved, public or internal: an official's report counts these (reports/selectors_period.py).
APPROVED = "d.review_state = 'approved'"
ROLLUP = "province, direction, cancelled, public, approved, country"
# The keys of a day row, after its date.
ROW_KEYS = f"d.province, d.direction, d.status = 'cancelled', d.is_public, {APPROVED}"
KEYS = "d.start_date, d.province, d.direction, d.status = 'cancelled', d.is_public, d.review_state = 'approved'"
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
    SELECT 'd', d.start_date, {{month_d}}, {{year_d}}, {ROW_KEYS}, '*', {MEASURES}
    FROM {DELEGATION} d WHERE {IN_DAYS} GROUP BY {KEYS}""",
    # A country code ('' too): the delegations with a partner there, once per country.
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'd', d.start_date, {{month_d}}, {{year_d}}, {ROW_KEYS}, p.country,
        {MEASURES}
    FROM {DELEGATION} d JOIN {LINK} l ON l.delegation_id = d.id JOIN {PARTNER} p ON p.id = l.partner_id
    WHERE {IN_DAYS} AND {FIRST_OF_COUNTRY} GROUP BY {KEYS}, p.country""",
    # '-': the delegations with no partner country at all.
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'd', d.start_date, {{month_d}}, {{year_d}}, {ROW_KEYS}, '-', {MEASURES}
    FROM {DELEGATION} d WHERE {IN_DAYS} AND {NO_COUNTRY} GROUP BY {KEYS}""",
    # Months: the sum of their days.
    f"DELETE FROM {TALLY} WHERE grain = 'm' AND month IN (SELECT {{month_x}} FROM ({{days}}) AS x)",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'm', month, month, year, {ROLLUP}, SUM(delegations), SUM(persons), SUM(no_size)
    FROM {TALLY} WHERE grain = 'd' AND month IN (SELECT {{month_x}} FROM ({{days}}) AS x)
    GROUP BY month, year, {ROLLUP}""",
    # Years: the sum of their months.
    f"DELETE FROM {TALLY} WHERE grain = 'y' AND year IN (SELECT {{year_x}} FROM ({{days}}) AS x)",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'y', year, NULL, year, {ROLLUP}, SUM(delegations), SUM(persons), SUM(no_size)
    FROM {TALLY} WHERE grain = 'm' AND year IN (SELECT {{year_x}} FROM ({{days}}) AS x)
    GROUP BY year, {ROLLUP}""",
]


def _dated_and_undated(template):
    """A day-level statement as its two versions (see IN_DAYS), or any other as itself."""
    if "{in_days}" not in template and "{in_periods}" not in template:
        return [template]
    return [
        template.replace("{in_days}", cond.format(column="d.start_date")).replace(
            "{in_periods}", cond.format(column="period")
        )
        for cond in (DATED, UNDATED)
    ]


# --- PostgreSQL ---------------------------------------------------------------------------------------------------

# Which rows of a transition table change the tally: a delegation whose date,
# province, direction, status, visibility or size changed; a partner whose country changed.
PG_DELEGATION_DAYS = {
    "INSERT": "SELECT start_date FROM new_rows",
    "DELETE": "SELECT start_date FROM old_rows",
    "UPDATE": """SELECT o.start_date FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.start_date, o.province, o.direction, o.status, o.is_public, o.review_state, o.size)
            IS DISTINCT FROM (n.start_date, n.province, n.direction, n.status, n.is_public, n.review_state, n.size)
        UNION SELECT n.start_date FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.start_date, o.province, o.direction, o.status, o.is_public, o.review_state, o.size)
            IS DISTINCT FROM (n.start_date, n.province, n.direction, n.status, n.is_public, n.review_state, n.size)""",
}
# A write to the partner links touches the days of their delegations.
PG_LINK_TRIGGERS, SQLITE_LINK_TRIGGERS = link_triggers(
    "reports_tally_link", LINK, DELEGATION, "delegation_id", "start_date", "d"
)
PG_PARTNER_DAYS = f"""SELECT d.start_date FROM {DELEGATION} d JOIN {LINK} l ON l.delegation_id = d.id
    WHERE l.partner_id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.country <> o.country)"""

PG_TRIGGERS = [
    *[
        PgTrigger(f"reports_tally_delegation_{event.lower()}", DELEGATION, event, days)
        for event, days in PG_DELEGATION_DAYS.items()
    ],
    *PG_LINK_TRIGGERS,
    PgTrigger("reports_tally_partner_update", PARTNER, "UPDATE", PG_PARTNER_DAYS),
]


# --- SQLite -------------------------------------------------------------------------------------------------------

DELEGATION_FIELDS = "start_date, province, direction, status, is_public, review_state, size"
SQLITE_TRIGGERS = [
    SqliteTrigger("reports_tally_delegation_insert", f"AFTER INSERT ON {DELEGATION}", "SELECT NEW.start_date AS day"),
    SqliteTrigger("reports_tally_delegation_delete", f"AFTER DELETE ON {DELEGATION}", "SELECT OLD.start_date AS day"),
    SqliteTrigger(
        "reports_tally_delegation_update",
        f"AFTER UPDATE OF {DELEGATION_FIELDS} ON {DELEGATION}",
        "SELECT OLD.start_date AS day UNION SELECT NEW.start_date",
    ),
    *SQLITE_LINK_TRIGGERS,
    SqliteTrigger(
        "reports_tally_partner_update",
        f"AFTER UPDATE OF country ON {PARTNER} WHEN OLD.country <> NEW.country",
        f"""SELECT DISTINCT d.start_date AS day FROM {DELEGATION} d JOIN {LINK} l ON l.delegation_id = d.id
            WHERE l.partner_id = NEW.id""",
    ),
]

SQL = DayTally(
    table=TALLY,
    function="reports_tally_refresh",
    refresh=[statement for template in REFRESH for statement in _dated_and_undated(template)],
    dates={"d": "d.start_date"},
    pg_triggers=PG_TRIGGERS,
    sqlite_triggers=SQLITE_TRIGGERS,
    # Every delegation date, and the undated bucket.
    all_days=f"SELECT DISTINCT start_date AS day FROM {DELEGATION} UNION SELECT NULL",
    null_day=True,
)

refresh_statements = SQL.refresh_statements
install_statements = SQL.install_statements
uninstall_statements = SQL.uninstall_statements
rebuild_statements = SQL.rebuild_statements
