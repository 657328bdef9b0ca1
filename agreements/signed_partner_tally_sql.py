# ruff: noqa: S608 -- every name spliced into this SQL is a constant of this module.
"""The SQL that keeps ``agreements_signedpartnertally`` exact: for each day,
month and year, partner named on an agreement (NULL: none) and public or not,
the agreements signed then. The period report's table of agreements signed by
partner sums its rows (reports/selectors_period.py).

Database triggers recount the signing days a write touches, then their months
and years, whatever wrote it: a write to an agreement's signing date or
visibility (its old and new days), and a write to its partner links (its day).
An agreement deleted before its links (PostgreSQL checks the foreign keys at
commit) leaves through its own trigger; the links' trigger then finds no
agreement and does nothing. Links written before their agreement are counted by
the agreement's insert trigger the same way. A deleted partner's links go first
(the foreign key cascades through Django, or is checked at commit), and their
trigger removes its rows. The machinery is register/tallies.py's.
"""

from register.tallies import IN_DAYS, DayTally, link_triggers, record_triggers

TALLY = "agreements_signedpartnertally"
AGREEMENT = "agreements_agreement"
LINK = "agreements_agreement_partners"

COLUMNS = "grain, period, month, year, province, partner_id, public, approved, agreements"

REFRESH = [
    # Days: dropped and recounted from the agreements and their links (an
    # agreement with no link counts once under no partner).
    f"DELETE FROM {TALLY} WHERE grain = 'd' AND period {IN_DAYS}",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'd', a.signed_on, {{month_a}}, {{year_a}}, a.province, l.partner_id, a.is_public,
        a.review_state = 'approved', COUNT(*)
    FROM {AGREEMENT} a LEFT JOIN {LINK} l ON l.agreement_id = a.id
    WHERE a.signed_on {IN_DAYS} GROUP BY a.signed_on, a.province, l.partner_id, a.is_public, a.review_state""",
    # Months: the sum of their days.
    f"DELETE FROM {TALLY} WHERE grain = 'm' AND period IN (SELECT {{month_x}} FROM ({{days}}) AS x)",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'm', month, month, year, province, partner_id, public, approved, SUM(agreements)
    FROM {TALLY} WHERE grain = 'd' AND month IN (SELECT {{month_x}} FROM ({{days}}) AS x)
    GROUP BY month, year, province, partner_id, public, approved""",
    # Years: the sum of their months.
    f"DELETE FROM {TALLY} WHERE grain = 'y' AND period IN (SELECT {{year_x}} FROM ({{days}}) AS x)",
    f"""INSERT INTO {TALLY} ({COLUMNS})
    SELECT 'y', year, NULL, year, province, partner_id, public, approved, SUM(agreements)
    FROM {TALLY} WHERE grain = 'm' AND year IN (SELECT {{year_x}} FROM ({{days}}) AS x)
    GROUP BY year, province, partner_id, public, approved""",
]

# A write to an agreement's signing date or visibility touches its old and new
# days; a write to its partner links, its day.
PG_AGREEMENT_TRIGGERS, SQLITE_AGREEMENT_TRIGGERS = record_triggers(
    "agreements_sptally_agreement",
    AGREEMENT,
    ("signed_on", "is_public", "review_state", "province"),
    pg_days="SELECT signed_on FROM {rows}",
    sqlite_days="SELECT {row}.signed_on AS day",
)
PG_LINK_TRIGGERS, SQLITE_LINK_TRIGGERS = link_triggers(
    "agreements_sptally_link", LINK, AGREEMENT, "agreement_id", "signed_on", "a"
)

SQL = DayTally(
    table=TALLY,
    function="agreements_sptally_refresh",
    refresh=REFRESH,
    dates={"a": "a.signed_on"},
    pg_triggers=[*PG_AGREEMENT_TRIGGERS, *PG_LINK_TRIGGERS],
    sqlite_triggers=[*SQLITE_AGREEMENT_TRIGGERS, *SQLITE_LINK_TRIGGERS],
    all_days=f"SELECT DISTINCT signed_on AS day FROM {AGREEMENT} WHERE signed_on IS NOT NULL",
)

refresh_statements = SQL.refresh_statements
install_statements = SQL.install_statements
uninstall_statements = SQL.uninstall_statements
rebuild_statements = SQL.rebuild_statements
