# ruff: noqa: S608 -- every name spliced into this SQL is a constant of this module.
"""The SQL that keeps ``reports_partnertally`` exact: for each partner, the
delegations, agreements and projects that involve it or any partner under it,
each record counted once however many of the subtree's partners it names.

A record R counts under partner P when P is an ancestor-or-self of one of R's
linked partners (read from the stored paths, "/24/26/31/"). Writes change the
tally by differences, never by recounting a subtree (a country has hundreds of
thousands of records):

- a record's counted fields change (visibility, direction, status, size,
  committed amount), or the record is inserted or deleted: its old values leave
  each partner of its current subtree set, its new values join it;
- a record's links change: the partners of its set before the statement lose
  it, those of its set after gain it (the set before is the current links minus
  the inserted ones plus the deleted ones);
- a partner moves in the hierarchy or is deleted while still linked: the
  partners above its old and new places are recounted (rare; the only
  recount on a write path).

A record deleted before its links (PostgreSQL checks the foreign keys at
commit) leaves through its own trigger, using the links still there; the links'
trigger then finds no record and does nothing. Links written before their record
are counted by the record's insert trigger the same way.

PostgreSQL runs statement-level triggers over the transition tables, one writer
at a time (an advisory lock: each statement after it sees every write committed
before, so two transactions linking one record to two towns of a province count
it once). SQLite runs row-level triggers with the same statements, a row's
NEW/OLD values standing in for the transition tables. Rows that fall to zero
are kept (at most one per partner and counted value); readers sum them. The
triggers are written by register/tallies.py, as the other tallies'.

Every row is one province's (``province``, the record's code: docs/PROVINCES.md): a
partner is shared by every province, its counts are kept apart by the records'.
"""

from register import tallies

TALLY = "reports_partnertally"
DAY_TALLY = "reports_agreementdaytally"
PARTNER = "partners_partner"

# The three counted kinds of record and what each adds to ``reports_partnertally``.
COUNTED = {
    "columns": "province, record, public, direction, cancelled",
    "measures": ("records", "total", "missing"),
}
# Agreements that can be in force (signed or in force, with a signing or an
# effective date): a 'start' on the day they take effect and an 'end' on the day
# they expire, so that "in force on D" is the starts up to D less the ends before D
# (an agreement never expires before it takes effect: a constraint).
DAYS = {"columns": "province, public, event, day", "measures": ("records",)}
AGREEMENT_START = "COALESCE(r.effective_on, r.signed_on)"
EVENT_DAY = f"CASE WHEN e.event = 'start' THEN {AGREEMENT_START} ELSE r.expires_on END"

# What is counted of each kind of record: the tally it goes to, its table, its
# link table and the link's record column, the columns the tally reads, the key
# written, the part of the key that varies (GROUP BY takes no constants), the
# measures, and for the agreement days the events each row makes.
KINDS = {
    "delegation": {
        **COUNTED,
        "tally": TALLY,
        "table": "delegations_delegation",
        "link": "delegations_delegation_partners",
        "record_column": "delegation_id",
        "fields": ("province", "is_public", "direction", "status", "size"),
        "key": "r.province, 'delegation', r.is_public, r.direction, r.status = 'cancelled'",
        "group": "r.province, r.is_public, r.direction, r.status = 'cancelled'",
        "total": "r.size",
    },
    "agreement": {
        **COUNTED,
        "tally": TALLY,
        "table": "agreements_agreement",
        "link": "agreements_agreement_partners",
        "record_column": "agreement_id",
        "fields": ("province", "is_public"),
        "key": "r.province, 'agreement', r.is_public, '', FALSE",
        "group": "r.province, r.is_public",
        "total": "0",
    },
    "project": {
        **COUNTED,
        "tally": TALLY,
        "table": "projects_project",
        "link": "projects_projectparticipant",
        "record_column": "project_id",
        "fields": ("province", "is_public", "committed_vnd"),
        "key": "r.province, 'project', r.is_public, '', FALSE",
        "group": "r.province, r.is_public",
        "total": "r.committed_vnd",
    },
    "agreement_day": {
        **DAYS,
        "tally": DAY_TALLY,
        "table": "agreements_agreement",
        "link": "agreements_agreement_partners",
        "record_column": "agreement_id",
        "fields": ("province", "is_public", "status", "signed_on", "effective_on", "expires_on"),
        "events": "CROSS JOIN (SELECT 'start' AS event UNION ALL SELECT 'end') AS e",
        "where": f"""r.status IN ('signed', 'in_force') AND {AGREEMENT_START} IS NOT NULL
        AND (e.event = 'start' OR r.expires_on IS NOT NULL)""",
        "key": f"r.province, r.is_public, e.event, {EVENT_DAY}",
        "group": f"r.province, r.is_public, e.event, {EVENT_DAY}",
    },
}
TALLIES = (TALLY, DAY_TALLY)

# The ids on a partner p's stored path as a JSON array: "/24/26/31/" -> "[24,26,31]",
# "" -> "[]"; a path that is not ids and slashes gives "[]" rather than an error.
_PATH_IDS = "'[' || replace(trim(p.path, '/'), '/', ',') || ']'"
# (partner_id, ancestor_id) for every partner and each partner on its path, itself included.
# SQLite: the partners whose own path is a prefix of p's, as the triggers have always
# read it (mid-move, row by row, a partner not yet moved is not above one moved). They
# are found by the ids on p's path (json_each, a primary-key lookup each) rather than
# by comparing p's path with every partner's: that comparison made a full recount of
# 20,000 delegations' links take 59 s (each link scanned the ~2,800 partners), now 0.25 s.
ANCESTRY = {
    "postgresql": f"""SELECT p.id AS partner_id, CAST(x.a AS integer) AS ancestor_id
        FROM {PARTNER} p CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from p.path), '/')) AS x(a)""",
    "sqlite": f"""SELECT p.id AS partner_id, a.id AS ancestor_id FROM {PARTNER} p
        JOIN json_each(CASE WHEN json_valid({_PATH_IDS}) THEN {_PATH_IDS} ELSE '[]' END) AS x
        JOIN {PARTNER} a ON a.id = x.value AND a.path <> '' AND substr(p.path, 1, length(a.path)) = a.path""",
}


def _measures(spec, sign="1"):
    if spec["measures"] == ("records",):
        return f"SUM({sign})"
    total = spec["total"]
    return f"SUM({sign}), COALESCE(SUM({sign} * {total}), 0), SUM(CASE WHEN {total} IS NULL THEN {sign} ELSE 0 END)"


def _select(spec, sign, source):
    """SELECT partner, key, measures FROM ``source`` (which names the record row r
    and the (record, ancestor) pair s) GROUP BY partner and key."""
    return f"""SELECT s.ancestor_id, {spec["key"]}, {_measures(spec, sign)}
    FROM {source} {spec.get("events", "")}
    WHERE {spec.get("where", "1 = 1")} GROUP BY s.ancestor_id, {spec["group"]}"""


def _pairs(vendor, kind, links):
    """(record_id, ancestor_id), once each, for the link rows ``links`` (a subquery
    with columns record_id and partner_id)."""
    return f"""SELECT DISTINCT k.record_id, a.ancestor_id FROM ({links}) AS k
        JOIN ({ANCESTRY[vendor]}) AS a ON a.partner_id = k.partner_id"""


def _upsert(spec, select):
    measures = spec["measures"]
    updates = ",\n    ".join(f"{m} = {spec['tally']}.{m} + excluded.{m}" for m in measures)
    return f"""INSERT INTO {spec["tally"]} (partner_id, {spec["columns"]}, {", ".join(measures)})
{select}
ON CONFLICT (partner_id, {spec["columns"]}) DO UPDATE SET
    {updates}"""


def link_change(vendor, kind, inserted, deleted):
    """The statement for a change of link rows: ``inserted`` and ``deleted`` are
    subqueries of the new and old rows (id, record column, partner_id), or None."""
    spec = KINDS[kind]
    link, column = spec["link"], spec["record_column"]
    changed = " UNION ".join(f"SELECT {column} FROM ({rows}) AS c" for rows in (inserted, deleted) if rows is not None)
    now = f"SELECT l.{column} AS record_id, l.partner_id FROM {link} l WHERE l.{column} IN ({changed})"
    before = now
    if inserted is not None:
        before += f" AND l.id NOT IN (SELECT id FROM ({inserted}) AS i)"
    if deleted is not None:
        before += f" UNION ALL SELECT {column}, partner_id FROM ({deleted}) AS d"
    pairs = f"""SELECT record_id, ancestor_id, 1 AS sign FROM ({_pairs(vendor, kind, now)}) AS n
        UNION ALL SELECT record_id, ancestor_id, -1 FROM ({_pairs(vendor, kind, before)}) AS o"""
    return _upsert(spec, _select(spec, "s.sign", f"({pairs}) AS s JOIN {spec['table']} r ON r.id = s.record_id"))


def record_change(vendor, kind, new_rows, old_rows):
    """The statement for records inserted (old_rows None), deleted (new_rows None)
    or updated: subqueries of their rows with id and the tally's fields."""
    spec = KINDS[kind]
    fields = ", ".join(("id", *spec["fields"]))
    rows = " UNION ALL ".join(
        f"SELECT {fields}, {sign} AS sign FROM ({sub}) AS x"
        for sub, sign in ((new_rows, "1"), (old_rows, "-1"))
        if sub is not None
    )
    link, column = spec["link"], spec["record_column"]
    links = f"""SELECT l.{column} AS record_id, l.partner_id FROM {link} l
        WHERE l.{column} IN (SELECT id FROM ({rows}) AS ids)"""
    return _upsert(
        spec, _select(spec, "r.sign", f"({rows}) AS r JOIN ({_pairs(vendor, kind, links)}) AS s ON s.record_id = r.id")
    )


def recount_statements(vendor, partners=None):
    """Drop and recount the rows of ``partners`` (a subquery of ids), or of every partner."""
    where = "" if partners is None else f" WHERE partner_id IN ({partners})"
    statements = [f"DELETE FROM {tally}{where}" for tally in TALLIES]
    for kind, spec in KINDS.items():
        links = f"SELECT l.{spec['record_column']} AS record_id, l.partner_id FROM {spec['link']} l"
        pairs = _pairs(vendor, kind, links)
        if partners is not None:
            pairs = f"SELECT * FROM ({pairs}) AS p WHERE p.ancestor_id IN ({partners})"
        select = _select(spec, "1", f"({pairs}) AS s JOIN {spec['table']} r ON r.id = s.record_id")
        statements.append(
            f"INSERT INTO {spec['tally']} (partner_id, {spec['columns']}, {', '.join(spec['measures'])})\n{select}"
        )
    return statements


def rebuild_statements(vendor):
    return recount_statements(vendor)


# A partner's place changes the counts above it only when records name it.
def _linked(partner):
    links = sorted({spec["link"] for spec in KINDS.values()})
    return " OR ".join(f"EXISTS (SELECT 1 FROM {link} l WHERE l.partner_id = {partner})" for link in links)


def _writes(new, old, updated_new=None, updated_old=None):
    """event -> (the new rows, the old rows) a write of that kind changes the tally
    by: an insert only new ones, a delete only old ones, an update both (or only
    ``updated_new``/``updated_old``, the rows whose counted fields changed)."""
    return {"INSERT": (new, None), "DELETE": (None, old), "UPDATE": (updated_new or new, updated_old or old)}


# --- PostgreSQL ---------------------------------------------------------------------------------------------------


def _pg_triggers():
    """name -> (table, event, body statements)."""
    triggers = {}
    for kind, spec in KINDS.items():
        fields = ", ".join(("id", *spec["fields"]))
        changed = tallies.pg_changed(spec["fields"])
        updated_new = f"SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {changed}"
        updated_old = f"SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed}"
        records = _writes(f"SELECT {fields} FROM new_rows", f"SELECT {fields} FROM old_rows", updated_new, updated_old)
        for event, (new, old) in records.items():
            body = [record_change("postgresql", kind, new, old)]
            triggers[f"reports_ptally_{kind}_{event.lower()}"] = (spec["table"], event, body)
        link_columns = f"id, {spec['record_column']}, partner_id"
        links = _writes(f"SELECT {link_columns} FROM new_rows", f"SELECT {link_columns} FROM old_rows")
        for event, (new, old) in links.items():
            body = [link_change("postgresql", kind, new, old)]
            triggers[f"reports_ptally_{kind}_link_{event.lower()}"] = (spec["link"], event, body)
    moved = f"""SELECT ids.id FROM old_rows o JOIN new_rows n ON n.id = o.id
        CROSS JOIN LATERAL (SELECT CAST(x AS integer) FROM unnest(
            string_to_array(trim(both '/' from o.path), '/') || string_to_array(trim(both '/' from n.path), '/')
        ) AS x) AS ids(id)
        WHERE o.path IS DISTINCT FROM n.path AND ({_linked("n.id")})"""
    triggers["reports_ptally_partner_update"] = (PARTNER, "UPDATE", recount_statements("postgresql", moved))
    removed = f"""SELECT CAST(x AS integer) FROM old_rows o
        CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from o.path), '/')) AS x
        WHERE {_linked("o.id")}"""
    triggers["reports_ptally_partner_delete"] = (
        PARTNER,
        "DELETE",
        [f"DELETE FROM {tally} WHERE partner_id IN (SELECT id FROM old_rows)" for tally in TALLIES]
        + recount_statements("postgresql", removed),
    )
    return triggers


def postgresql_install():
    statements = []
    for name, (table, event, body) in _pg_triggers().items():
        statements += tallies.pg_trigger(name, table, event, [tallies.pg_lock(TALLY), *body])
    return statements


def postgresql_uninstall():
    return tallies.pg_drop_triggers((name, table) for name, (table, _event, _body) in _pg_triggers().items())


# --- SQLite -------------------------------------------------------------------------------------------------------


def _sqlite_row(prefix, columns):
    return "SELECT " + ", ".join(f"{prefix}.{c} AS {c}" for c in columns)


def _sqlite_triggers():
    """name -> (the CREATE TRIGGER clause before BEGIN, body statements)."""
    triggers = {}
    for kind, spec in KINDS.items():
        columns = ("id", *spec["fields"])
        table = spec["table"]
        changed = " OR ".join(f"OLD.{f} IS NOT NEW.{f}" for f in spec["fields"])
        when = {
            "INSERT": f"AFTER INSERT ON {table}",
            "DELETE": f"AFTER DELETE ON {table}",
            "UPDATE": f"AFTER UPDATE OF {', '.join(spec['fields'])} ON {table} WHEN {changed}",
        }
        for event, (new, old) in _writes(_sqlite_row("NEW", columns), _sqlite_row("OLD", columns)).items():
            body = [record_change("sqlite", kind, new, old)]
            triggers[f"reports_ptally_{kind}_{event.lower()}"] = (when[event], body)
        link_columns = ("id", spec["record_column"], "partner_id")
        links = _writes(_sqlite_row("NEW", link_columns), _sqlite_row("OLD", link_columns))
        for event, (new, old) in links.items():
            body = [link_change("sqlite", kind, new, old)]
            triggers[f"reports_ptally_{kind}_link_{event.lower()}"] = (f"AFTER {event} ON {spec['link']}", body)
    # The partners whose path is a prefix of the old or the new path (row by row,
    # the last row of a move recounts each partner with the whole move done).
    above = f"""SELECT a.id FROM {PARTNER} a WHERE a.path <> ''
        AND (substr(OLD.path, 1, length(a.path)) = a.path OR substr(NEW.path, 1, length(a.path)) = a.path)"""
    triggers["reports_ptally_partner_update"] = (
        f"AFTER UPDATE OF path ON {PARTNER} WHEN OLD.path IS NOT NEW.path AND ({_linked('NEW.id')})",
        recount_statements("sqlite", above),
    )
    above_old = f"""SELECT a.id FROM {PARTNER} a WHERE a.path <> '' AND substr(OLD.path, 1, length(a.path)) = a.path"""
    triggers["reports_ptally_partner_delete"] = (
        f"AFTER DELETE ON {PARTNER}",
        [f"DELETE FROM {tally} WHERE partner_id = OLD.id" for tally in TALLIES],
    )
    # Deleted while records still name it (their links go at commit): recount above it.
    triggers["reports_ptally_partner_delete_linked"] = (
        f"AFTER DELETE ON {PARTNER} WHEN {_linked('OLD.id')}",
        recount_statements("sqlite", above_old),
    )
    return triggers


def sqlite_install():
    statements = []
    for name, (when, body) in _sqlite_triggers().items():
        statements += tallies.sqlite_trigger(name, when, body)
    return statements


def sqlite_uninstall():
    return tallies.sqlite_drop_triggers(_sqlite_triggers())


def install_statements(vendor):
    return tallies.by_vendor(vendor, postgresql_install, sqlite_install)


def uninstall_statements(vendor):
    return tallies.by_vendor(vendor, postgresql_uninstall, sqlite_uninstall)
