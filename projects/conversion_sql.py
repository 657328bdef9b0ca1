# ruff: noqa: S608 -- every name spliced into this SQL is a constant of this module or an integer setting.
"""The SQL that derives the đồng value of a transaction and of a project's
committed amount, in the database, whatever wrote the row (admin, import,
queryset.update(), bulk_create, loaddata, raw SQL): a stored value that only
save() filled was kept when the amount or the currency changed, and never
filled when a missing rate was added later.

For each row, from its amount, currency and value date (a transaction's value
date, else its date; a project's actual start, else its planned start):

- ``rate_date`` and ``vnd_rate``: the latest exchange rate of the currency on
  or before the value date (none for đồng);
- the đồng value: the amount itself in đồng; amount × rate when that rate is at
  most ``EXCHANGE_RATE_MAX_AGE_DAYS`` older than the value date; otherwise
  blank (unconverted), with the too-old rate kept in ``rate_date`` and
  ``vnd_rate`` so that the record says which rate it refused and why. A 2020
  rate is never silently used for a 2024 transaction: a total shows the
  amount as unconverted, in its own currency, rather than a figure the
  official cannot vouch for.

Triggers: on the record tables, every write of an amount, a currency, a date
or a derived column re-derives the row (PostgreSQL: a BEFORE row trigger
setting NEW; SQLite: an AFTER row trigger updating the row, which SQLite does
not fire again on itself). On the rates, every insert, change or delete
touches the rows it may govern, whose own trigger then re-derives them. The
tallies (transaction_tally_sql.py, project_tally_sql.py, the partner tally)
follow through their own triggers on the đồng columns.

The maximum age is spliced into the triggers when they are installed: the
migration and every later ``migrate`` (projects/apps.py) install them with the
setting of the day and re-derive the rows it changes.
"""

from dataclasses import dataclass

RATES = "projects_exchangerate"


@dataclass(frozen=True)
class Converted:
    """A table with an amount to convert: its columns and its value date."""

    name: str  # the triggers' prefix
    table: str
    amount: str
    vnd: str
    value_date: str  # a SQL template of the value date, {r} the row's alias
    inputs: tuple  # the columns the derivation reads

    def derived(self):
        return ("rate_date", "vnd_rate", self.vnd)

    def on(self, row):
        return self.value_date.format(r=row)


TRANSACTION = Converted(
    name="projects_transaction_vnd",
    table="projects_transaction",
    amount="amount",
    vnd="amount_vnd",
    value_date="COALESCE({r}.value_date, {r}.date)",
    inputs=("amount", "currency", "value_date", "date"),
)
PROJECT = Converted(
    name="projects_project_vnd",
    table="projects_project",
    amount="committed_amount",
    vnd="committed_vnd",
    value_date="COALESCE({r}.actual_start, {r}.planned_start)",
    inputs=("committed_amount", "currency", "actual_start", "planned_start"),
)
TABLES = (TRANSACTION, PROJECT)


def _rate(column, row, spec):
    """The subquery of ``column`` of the latest rate of ``row``'s currency on or before its value date."""
    return (
        f"(SELECT x.{column} FROM {RATES} x WHERE x.currency = {row}.currency AND x.date <= {spec.on(row)} "
        "ORDER BY x.date DESC LIMIT 1)"
    )


def _vnd(vendor, row, spec, max_age):
    """The đồng value of ``row`` from its own rate_date and vnd_rate (already derived)."""
    oldest = (
        f"{spec.on(row)} - {int(max_age)}"
        if vendor == "postgresql"
        else f"date({spec.on(row)}, '-{int(max_age)} days')"
    )
    amount = f"{row}.{spec.amount}"
    # SQLite computes in floating point: ROUND, then an integer column value.
    rounded = "ROUND({})" if vendor == "postgresql" else "CAST(ROUND({}) AS INTEGER)"
    return (
        f"CASE WHEN {amount} IS NULL THEN NULL "
        f"WHEN {row}.currency = 'VND' THEN {rounded.format(amount)} "
        f"WHEN {row}.rate_date >= {oldest} THEN {rounded.format(f'{amount} * {row}.vnd_rate')} "
        "ELSE NULL END"
    )


# --- PostgreSQL ---------------------------------------------------------------------------------------------------


def _pg_install(max_age):
    statements = []
    for spec in TABLES:
        watched = ", ".join((*spec.inputs, *spec.derived()))
        statements += [
            f"""CREATE OR REPLACE FUNCTION {spec.name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.currency = 'VND' OR NEW.{spec.amount} IS NULL THEN
        NEW.rate_date := NULL;
        NEW.vnd_rate := NULL;
    ELSE
        NEW.rate_date := {_rate("date", "NEW", spec)};
        NEW.vnd_rate := {_rate("vnd_per_unit", "NEW", spec)};
    END IF;
    NEW.{spec.vnd} := {_vnd("postgresql", "NEW", spec, max_age)};
    RETURN NEW;
END
$$;""",
            f"DROP TRIGGER IF EXISTS {spec.name} ON {spec.table};",
            f"""CREATE TRIGGER {spec.name} BEFORE INSERT OR UPDATE OF {watched} ON {spec.table}
    FOR EACH ROW EXECUTE FUNCTION {spec.name}();""",
        ]
    touch = "; ".join(_touch(spec, "r") for spec in TABLES)
    statements += [
        f"""CREATE OR REPLACE FUNCTION projects_rate_rederive() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
    FOR r IN SELECT currency, MIN(date) AS first, MAX(date) AS last FROM (
        SELECT currency, date FROM old_rows UNION ALL SELECT currency, date FROM new_rows
    ) AS changed GROUP BY currency LOOP
        {touch};
    END LOOP;
    RETURN NULL;
END
$$;""",
    ]
    # A statement trigger per event (transition tables need one event each); an
    # event without old or new rows reads an empty table of the same shape.
    for event, referencing, missing in (
        ("INSERT", "NEW TABLE AS new_rows", "old_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", None),
        ("DELETE", "OLD TABLE AS old_rows", "new_rows"),
    ):
        name = f"projects_rate_rederive_{event.lower()}"
        function = "projects_rate_rederive"
        if missing:
            function = f"{name}_fn"
            body = _pg_rate_body(touch, missing)
            statements.append(
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n{body}\n$$;"
            )
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {RATES};",
            f"""CREATE TRIGGER {name} AFTER {event} ON {RATES}
    REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}();""",
        ]
    return statements


def _pg_rate_body(touch, missing):
    present = "new_rows" if missing == "old_rows" else "old_rows"
    return f"""DECLARE r record;
BEGIN
    FOR r IN SELECT currency, MIN(date) AS first, MAX(date) AS last FROM {present} GROUP BY currency LOOP
        {touch};
    END LOOP;
    RETURN NULL;
END"""


def _touch(spec, rate):
    """Touch (re-derive through its trigger) the rows of ``spec`` that a rate of
    ``rate``.currency dated between ``rate``.first and ``rate``.last may govern:
    valued on or after the first date, whose rate (if any) is not later than the last."""
    return (
        f"UPDATE {spec.table} SET {spec.vnd} = {spec.vnd} WHERE currency = {rate}.currency "
        f"AND {spec.value_date.format(r=spec.table)} >= {rate}.first "
        f"AND (rate_date IS NULL OR rate_date <= {rate}.last)"
    )


def _pg_uninstall():
    statements = []
    for spec in TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {spec.name} ON {spec.table};",
            f"DROP FUNCTION IF EXISTS {spec.name}();",
        ]
    for event in ("insert", "update", "delete"):
        statements += [
            f"DROP TRIGGER IF EXISTS projects_rate_rederive_{event} ON {RATES};",
            f"DROP FUNCTION IF EXISTS projects_rate_rederive_{event}_fn();",
        ]
    return [*statements, "DROP FUNCTION IF EXISTS projects_rate_rederive();"]


# --- SQLite -------------------------------------------------------------------------------------------------------


def _sqlite_derive(spec, max_age, where):
    """The two statements that re-derive the rows ``where`` selects: their rate, then their đồng value."""
    t = spec.table
    rate = f"CASE WHEN {t}.currency = 'VND' OR {t}.{spec.amount} IS NULL THEN NULL ELSE {{}} END"
    return [
        f"UPDATE {t} SET rate_date = {rate.format(_rate('date', t, spec))}, "
        f"vnd_rate = {rate.format(_rate('vnd_per_unit', t, spec))} WHERE {where}",
        f"UPDATE {t} SET {spec.vnd} = {_vnd('sqlite', t, spec, max_age)} WHERE {where}",
    ]


def _sqlite_install(max_age):
    statements = []
    for spec in TABLES:
        body = _sqlite_derive(spec, max_age, "id = NEW.id")
        watched = ", ".join((*spec.inputs, *spec.derived()))
        for event, when in (("insert", "AFTER INSERT"), ("update", f"AFTER UPDATE OF {watched}")):
            name = f"{spec.name}_{event}"
            statements += [
                f"DROP TRIGGER IF EXISTS {name};",
                f"CREATE TRIGGER {name} {when} ON {spec.table} BEGIN\n    " + ";\n    ".join(body) + ";\nEND;",
            ]
    for event, rows in (
        ("insert", ("NEW", "NEW")),
        ("update", ("MIN(OLD.date, NEW.date)", "MAX(OLD.date, NEW.date)")),
        ("delete", ("OLD", "OLD")),
    ):
        first, last = (f"{r}.date" if r in ("NEW", "OLD") else r for r in rows)
        currencies = "(OLD.currency, NEW.currency)" if event == "update" else f"({rows[0]}.currency)"
        body = [
            f"UPDATE {spec.table} SET {spec.vnd} = {spec.vnd} WHERE currency IN {currencies} "
            f"AND {spec.value_date.format(r=spec.table)} >= {first} AND (rate_date IS NULL OR rate_date <= {last})"
            for spec in TABLES
        ]
        name = f"projects_rate_rederive_{event}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name};",
            f"CREATE TRIGGER {name} AFTER {event.upper()} ON {RATES} BEGIN\n    " + ";\n    ".join(body) + ";\nEND;",
        ]
    return statements


def _sqlite_uninstall():
    names = [f"{spec.name}_{event}" for spec in TABLES for event in ("insert", "update")]
    names += [f"projects_rate_rederive_{event}" for event in ("insert", "update", "delete")]
    return [f"DROP TRIGGER IF EXISTS {name};" for name in names]


# --- Both ---------------------------------------------------------------------------------------------------------


def install_statements(vendor, max_age):
    return _pg_install(max_age) if vendor == "postgresql" else _sqlite_install(max_age)


def uninstall_statements(vendor):
    return _pg_uninstall() if vendor == "postgresql" else _sqlite_uninstall()


def rederive_statements(vendor, max_age):
    """Re-derive every row whose stored derivation differs from today's rates and
    setting (after a bulk load with the triggers off, or a changed maximum age)."""
    statements = []
    for spec in TABLES:
        t = spec.table
        rate = f"CASE WHEN {t}.currency = 'VND' OR {t}.{spec.amount} IS NULL THEN NULL ELSE {{}} END"
        rate_date, vnd_rate = rate.format(_rate("date", t, spec)), rate.format(_rate("vnd_per_unit", t, spec))
        vnd = _vnd(vendor, t, spec, max_age).replace(f"{t}.rate_date", rate_date).replace(f"{t}.vnd_rate", vnd_rate)
        differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
        stale = " OR ".join(
            f"{t}.{column} {differs} {value}" for column, value in (("rate_date", rate_date), ("vnd_rate", vnd_rate))
        )
        stale += f" OR {t}.{spec.vnd} {differs} {vnd}"
        # Touching the đồng column makes the row's own trigger re-derive all three.
        statements.append(f"UPDATE {t} SET {spec.vnd} = {spec.vnd} WHERE {stale}")
    return statements
