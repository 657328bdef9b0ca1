"""Every index in PostgreSQL says which query it serves (``COMMENT ON INDEX``).

The PostgreSQL-only indexes of ``common/postgres_indexes.py`` get their comment
from the migration that builds them. The others come from the models, which
cannot carry a comment, so it is kept here:

- ``INDEX_COMMENTS``: one line for each index a model declares by name
  (``Meta.indexes`` and the unique index behind each ``UniqueConstraint``),
  the same words as the code comment above it in the model. A test fails when
  a named index has no entry here, or an entry names no index.
- Django's automatic indexes (foreign keys, ``unique=True``, ``db_index=True``,
  ``unique_together``, many-to-many link tables) are described from the model
  field they belong to, see ``automatic_comment()``.

``apply()`` runs after every ``migrate`` (the ``post_migrate`` handler in
``apps.py``), so a new index gets its comment with the migration that adds it
and ``\\di+`` in psql says why each one is there."""

from django.apps import apps as global_apps
from django.db import connections, models
from django.utils import translation

_MONTH = "recount of a month from its days, WHERE grain = 'd' AND month IN (the months a write touches)"
_YEAR = "recount of a year from its months, WHERE grain = 'm' AND year IN (the years a write touches)"
_REVIEW = "Admin index's review queue: WHERE review_state = 'submitted' (approvers) or 'draft' (staff), LIMIT 10001"
_SUMS = "tally rows of one grain within a date range, read from the index alone"

INDEX_COMMENTS = {
    # passports
    "passport_prov_expiry_idx": "The due list's passports expiring within the warning months: "
    "WHERE province = ? AND expires_on <= ?",
    "passport_number_unique": "One passport per number in a province's register; the form's check of a number "
    "already entered",
    "passport_loan_out_idx": "The due list's passports still out: WHERE province = ? AND returned_on IS NULL",
    "passport_loan_one_open": "A passport is out once at a time: its open hand-out, found by the admin's "
    '"on loan" column',
    "passport_view_prov_idx": "The log's admin list of one province, newest first: "
    "WHERE province = ? ORDER BY viewed_at DESC",
    # register
    "reviewtransition_record_idx": "Review history of one record, newest first: "
    "WHERE content_type_id = ? AND object_id = ? ORDER BY at DESC",
    "importjob_queue_idx": "The import worker's claim of the oldest waiting job (run_jobs): "
    "WHERE status = 'queued' ORDER BY created_at",
    # reports (issued reports, reports/issued/models.py)
    "periodicreport_prov_list_idx": "The issued reports' list of one province, newest period first: "
    "WHERE province = ? AND state = 'issued' ORDER BY start DESC",
    "periodicreport_number_unique": "No two issued reports of a province with one symbol and number in a year "
    "(WHERE state = 'issued'); the issue page's check of a number already used",
    # planning (the annual plan and the rules on delegations, planning/models.py)
    "annualplan_one_per_province_year": "One plan of outbound delegations per province and year; "
    "also a province's plan of a year: WHERE province = ? AND year = ?",
    "delegationrules_one_per_province": "One row of rules on delegations per province; "
    "the rules read for a delegation's warnings: WHERE province = ?",
    "sizelimit_one_per_level": "One size limit per level in a province's rules; the limits read with the rules",
    # reading
    "reading_prov_newest_idx": "The admin's list of one office's article readings, newest first: "
    "WHERE province = ? ORDER BY created_at DESC",
    "source_prov_url_idx": "Accepting an article reading: the office's source with the same address "
    "(WHERE province = ? AND url = ?)",
    "delegationmember_name_idx": "The article reader's review screen: the delegations a person named "
    "in an article was a member of (WHERE name IN (...))",
    # partners
    "partner_list_name_idx": "Partner list sorted by name (Vietnamese order, common/collation.py) and its "
    "cursor pages: ORDER BY name_sort, id",
    "partner_list_kind_idx": "Partner list sorted by kind, then name, and its cursor pages: "
    "ORDER BY kind, name_sort, id",
    "partner_published_kind_idx": "A visitor's partner list sorted by kind and its cursor pages: the published "
    "partners, ORDER BY kind, name_sort, id WHERE is_public AND review_state = 'approved'",
    "delegation_list_oldest_idx": "Delegation list: oldest first (undated last) and its cursor pages, "
    "ORDER BY COALESCE(start_date, '9999-12-31'), id",
    "delegation_prov_oldest_idx": "Delegation list of one province: oldest first, cursor pages",
    "delegation_list_largest_idx": "Delegation list: largest first (size unknown last) and its cursor pages, "
    "ORDER BY COALESCE(size, -2^62) DESC, id DESC",
    "delegation_prov_largest_idx": "Delegation list of one province: largest first, cursor pages",
    "delegation_list_smallest_idx": "Delegation list: smallest first (size unknown last) and its cursor pages, "
    "ORDER BY COALESCE(size, 2^62), id",
    "delegation_prov_smallest_idx": "Delegation list of one province: smallest first, cursor pages",
    "agreement_list_oldest_idx": "Agreement list: oldest first (undated last) and its cursor pages, "
    "ORDER BY COALESCE(signed_on, '9999-12-31'), id",
    "agreement_prov_oldest_idx": "Agreement list of one province: oldest first, cursor pages",
    "agreement_list_exp_soon_idx": "Agreement list: expiring soonest (indefinite last) and its cursor pages, "
    "ORDER BY COALESCE(expires_on, '9999-12-31'), id",
    "agreement_prov_exp_soon_idx": "Agreement list of one province: expiring soonest, cursor pages",
    "agreement_list_exp_late_idx": "Agreement list: expiring latest (indefinite last) and its cursor pages, "
    "ORDER BY COALESCE(expires_on, '0001-01-01') DESC, id DESC",
    "agreement_prov_exp_late_idx": "Agreement list of one province: expiring latest, cursor pages",
    "project_list_value_idx": "Project list: committed value in đồng, largest first (unknown last), cursor pages, "
    "ORDER BY COALESCE(committed_vnd, -1e20) DESC, id DESC",
    "project_prov_oldest_idx": "Project list of one province: started (or planned) oldest first, "
    "ORDER BY COALESCE(actual_start, planned_start), id WHERE province = ?",
    "project_prov_value_idx": "Project list of one province: committed value, largest first, cursor pages",
    "partner_country_kind_idx": "List filters' country choices: each country's own partner row "
    "(country_choices(), WHERE country = ? AND kind = 'country')",
    "partner_published_name_idx": "A visitor's partner list and its cursor pages: the published partners, "
    "ORDER BY name_sort, id WHERE is_public AND review_state = 'approved'",
    "partner_in_review_idx": _REVIEW,
    "source_in_review_idx": _REVIEW,
    "localunit_code_unique": "Local unit codes are unique when given (code <> ''); also looks a unit up by its code",
    # sources
    "citation_record_idx": "Citations of one record, on every detail page: WHERE content_type_id = ? AND object_id = ?",
    "figure_period_idx": "Period report: the reported figures whose period overlaps the one asked "
    "(period_end >= start AND period_start <= end)",
    # delegations
    "delegation_direction_date_idx": "Period report and lists: delegations of one direction by date "
    "(WHERE direction = ? AND start_date BETWEEN ...)",
    "delegation_start_idx": "Date filters: WHERE start_date >= / <= / BETWEEN",
    "delegation_list_newest_idx": "Delegation list: newest first and its cursor pages, "
    "ORDER BY COALESCE(start_date, '0001-01-01') DESC, id DESC",
    "delegation_latest_idx": "Dashboard's latest delegations: ORDER BY created_at DESC, id DESC LIMIT n",
    "delegation_list_direction_idx": "Delegation list by direction (and a year or dates), its pages and count: "
    "WHERE direction = ? ORDER BY COALESCE(start_date, '0001-01-01') DESC, id DESC",
    "delegationmember_one_leader": "At most one head per delegation: unique delegation_id WHERE is_leader",
    # agreements
    "agreement_signed_idx": "Agreements signed in the period and the date-ordered list: WHERE / ORDER BY signed_on",
    "agreement_list_newest_idx": "Agreement list: newest first and its cursor pages, "
    "ORDER BY COALESCE(signed_on, '0001-01-01') DESC, id DESC",
    "agreement_latest_idx": "Dashboard's latest agreements: ORDER BY created_at DESC, id DESC LIMIT n",
    "agreement_expires_idx": "Dashboard's agreements expiring within 90 days: "
    "WHERE expires_on BETWEEN today AND today + 90",
    "agreement_level_cover_idx": "Period report's agreements by signing level (signed, in force, undated): "
    "one pass over the index alone, not the table's wide rows",
    "agreement_start_idx": "Agreement tally triggers (agreement_tally_sql.py): the agreements taking effect "
    "on the days a write touches, WHERE COALESCE(effective_on, signed_on) IN (...)",
    "agreement_code_unique": "Agreement numbers are unique when given (code <> ''); also looks an agreement up by it",
    "partnership_pair_unique": "One twinning pair per (local unit, partner, kind); also the unit's pairs by partner",
    "sheetmapping_name_unique": "One saved office-import mapping per (kind, name); also its lookup by name",
    "atally_grain_period_idx": f"Report's agreement sums: {_SUMS}",
    "atally_prov_period_idx": f"Report's agreement sums of one province (its users, /p/<code>/): {_SUMS}",
    "atally_grain_month_idx": f"Agreement tally triggers: {_MONTH}",
    "atally_grain_year_idx": f"Agreement tally triggers: {_YEAR}",
    "delegation_list_title_idx": "Delegation list sorted by title (Vietnamese order, common/collation.py) and its "
    "cursor pages: ORDER BY title_sort, id",
    "agreement_list_title_idx": "Agreement list sorted by title (Vietnamese order, common/collation.py) and its "
    "cursor pages: ORDER BY title_sort, id",
    "project_list_title_idx": "Project list sorted by title (Vietnamese order, common/collation.py) and its "
    "cursor pages: ORDER BY title_sort, id",
    "delegation_in_review_idx": _REVIEW,
    "project_prov_kind_idx": "Project list of one province filtered by kind (the ODA list): its capped count, "
    "WHERE province = ? AND kind = ?",
    "agreement_in_review_idx": _REVIEW,
    "project_in_review_idx": _REVIEW,
    # conferences
    "conference_in_review_idx": _REVIEW,
    "conference_prov_start_idx": "Period report's conferences of one province opened in the period, and the "
    "calendars: WHERE province = ? AND start_date BETWEEN ...",
    "conference_list_newest_idx": "Conference list: newest first and its cursor pages, "
    "ORDER BY COALESCE(start_date, '0001-01-01') DESC, id DESC",
    "conference_prov_newest_idx": "Conference list of one province (its users, /p/<code>/): newest first, cursor pages",
    "conference_list_oldest_idx": "Conference list: oldest first and its cursor pages, "
    "ORDER BY COALESCE(start_date, '9999-12-31'), id",
    "conference_prov_oldest_idx": "Conference list of one province: oldest first, cursor pages",
    "conference_list_title_idx": "Conference list sorted by title (Vietnamese order, common/collation.py) and its "
    "cursor pages: ORDER BY title_sort, id",
    "conference_prov_title_idx": "Conference list of one province sorted by title (Vietnamese order), cursor pages",
    "conference_unapplied_idx": "Due list: a province's conferences with no application sent, by opening date, "
    "WHERE application_date IS NULL",
    "consultation_open_idx": "Due list: consultations unanswered, WHERE answered_on IS NULL AND asked_on <= ?",
    "sptally_grain_period_idx": f"Report's agreements signed by partner: {_SUMS}",
    "sptally_prov_period_idx": f"Agreements signed by partner, one province: {_SUMS}",
    "sptally_grain_month_idx": f"Signed-by-partner tally triggers: {_MONTH}",
    "sptally_grain_year_idx": f"Signed-by-partner tally triggers: {_YEAR}",
    # projects
    "exchangerate_one_per_day": "One exchange rate per currency and day; the rate of a currency on a date",
    "project_iati_lacks_idx": "IATI file's left-out count: the projects lacking something whatever the day "
    "(WHERE iati_lacks > 0), by province and kind, read from the index alone",
    "project_actual_latest_idx": "IATI file's left-out count: the projects whose later actual date passes today "
    "(GREATEST(COALESCE(actual_start, actual_end), COALESCE(actual_end, actual_start)) > ?)",
    "project_kind_status_idx": "Project lists and the report's projects by kind: WHERE kind = ? [AND status = ?]",
    "project_latest_idx": "Dashboard's latest projects: ORDER BY created_at DESC, id DESC LIMIT n",
    "delegation_prov_newest_idx": "Delegation list of one province (its users, /p/<code>/): newest first, cursor pages",
    "delegation_prov_dir_idx": "Delegation list of one province by direction: newest first, cursor pages and count",
    "delegation_prov_title_idx": "Delegation list of one province sorted by title (Vietnamese order), cursor pages",
    "delegation_awaited_idx": "Due list and calendars: a province's trips back home awaiting their report, by return",
    "agreement_prov_newest_idx": "Agreement list of one province (its users, /p/<code>/): newest first, cursor pages",
    "agreement_prov_title_idx": "Agreement list of one province sorted by title (Vietnamese order), cursor pages",
    "project_prov_newest_idx": "Project list of one province (its users, /p/<code>/): started newest first, pages",
    "project_prov_title_idx": "Project list of one province sorted by title (Vietnamese order), cursor pages",
    "project_list_newest_idx": "Project list: started (or planned to start) newest first, "
    "ORDER BY COALESCE(actual_start, planned_start, '0001-01-01') DESC, id DESC",
    "project_span_start_idx": "Project tally triggers (project_tally_sql.py): the projects starting on the days "
    "a write touches, WHERE COALESCE(actual_start, planned_start) IN (...); and the project list oldest first, "
    "ORDER BY COALESCE(actual_start, planned_start), id",
    "project_span_end_idx": "Project tally triggers (project_tally_sql.py): the projects ending on the days "
    "a write touches, WHERE COALESCE(actual_end, planned_end) IN (...)",
    "project_code_unique": "Project codes are unique when given (code <> ''); also looks a project up by its code",
    "participant_partner_role_unique": "A partner has each role in a project once: "
    "unique (project_id, partner_id, role) WHERE partner_id IS NOT NULL",
    "participant_unit_role_unique": "A local unit has each role in a project once: "
    "unique (project_id, local_unit_id, role) WHERE local_unit_id IS NOT NULL",
    "project_unconverted_idx": "Totals' projects not converted to đồng: WHERE committed_vnd IS NULL "
    "AND committed_amount IS NOT NULL",
    "transaction_unconverted_idx": "Totals' transactions not converted to đồng: WHERE amount_vnd IS NULL "
    "AND date BETWEEN ...",
    "transaction_currency_value_idx": "Exchange-rate triggers: the transactions of a currency valued from a date on",
    "transaction_date_kind_idx": "Report's disbursed in the period: WHERE date BETWEEN ... AND kind = ?, "
    "amounts and projects read from the index",
    "txtally_grain_period_idx": f"Report's disbursement sums: {_SUMS}",
    "txtally_prov_period_idx": f"Report's disbursement sums of one province (its users, /p/<code>/): {_SUMS}",
    "txtally_grain_month_idx": f"Transaction tally triggers: {_MONTH}",
    "txtally_grain_year_idx": f"Transaction tally triggers: {_YEAR}",
    "ptally_grain_period_idx": f"Report's project sums: {_SUMS}",
    "ptally_prov_period_idx": f"Report's project sums of one province (its users, /p/<code>/): {_SUMS}",
    "ptally_grain_month_idx": f"Project tally triggers: {_MONTH}",
    "ptally_grain_year_idx": f"Project tally triggers: {_YEAR}",
    # reports
    "tally_grain_period_idx": f"Report and dashboard delegation sums: {_SUMS}",
    "tally_prov_period_idx": f"Report and dashboard delegation sums of one province (its users, /p/<code>/): {_SUMS}",
    "tally_every_country_idx": "Sums of every delegation (country '*' rows only): the national table by province, "
    "reported figures' totals",
    "tally_grain_month_idx": f"Delegation tally triggers: {_MONTH}",
    "tally_grain_year_idx": f"Delegation tally triggers: {_YEAR}",
    "partner_tally_key": "Partner tally triggers' ON CONFLICT key (partner_id, record, public, direction, "
    "cancelled, province); dossier lookups",
    # duties
    "remindersent_once_per_stage": "A due item is mailed once per user and stage; send_reminders' look-up of "
    "what a user was mailed: WHERE user_id = ? AND key IN (...)",
    "calendartoken_one_active_per_user": "One calendar feed address in use per user (WHERE revoked_at IS NULL); "
    "the feed page's look-up of the user's address",
    "agreement_day_tally_key": "Agreement day tally triggers' ON CONFLICT key, and the dossier's in-force sums: "
    "WHERE partner_id = ? AND event = ? AND day <= D",
}

_ON_DELETE = {
    "CASCADE": "finds the rows to delete with it (CASCADE)",
    "PROTECT": "checks that none refers to one being deleted (PROTECT)",
    "RESTRICT": "checks that none refers to one being deleted (RESTRICT)",
    "SET_NULL": "finds the rows to clear when it is deleted (SET_NULL)",
    "SET_DEFAULT": "finds the rows to reset when it is deleted (SET_DEFAULT)",
}

# Everything apply() needs in one round trip: each non-primary index of the
# schema, its table, its key columns (NULL for an expression), whether it uses
# a *_pattern_ops operator class (Django's companion index for LIKE 'x%') and
# its current comment.
_CATALOG_QUERY = """
SELECT i.relname,
       t.relname,
       x.indisunique,
       ARRAY(
           SELECT a.attname
           FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
           LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
           WHERE k.n <= x.indnkeyatts
           ORDER BY k.n
       ),
       EXISTS (
           SELECT 1 FROM unnest(x.indclass::oid[]) AS c(oid)
           JOIN pg_opclass o ON o.oid = c.oid
           WHERE o.opcname LIKE %s
       ),
       obj_description(i.oid, 'pg_class')
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace s ON s.oid = i.relnamespace
WHERE s.nspname = current_schema() AND NOT x.indisprimary
"""


def _label(model):
    return str(model._meta.verbose_name)


def _field_comment(model, field, *, unique, like):
    """The comment for Django's automatic index on one column ``field``."""
    opts = model._meta
    where = f"{opts.db_table}.{field.column}"
    if like:
        return f"LIKE 'prefix%' on {where} (startswith): Django's pattern_ops companion of the column's index"
    if field.is_relation and field.remote_field:
        target = _label(field.related_model)
        if opts.auto_created:
            # A many-to-many link table: its rows are (source, target) pairs.
            owner = opts.auto_created._meta
            many = owner.get_field(_m2m_name(model))
            return (
                f"Many-to-many {owner.db_table}.{many.name}: the links of one {target} "
                f"({field.column} = ?), and their deletion with it"
            )
        rule = _ON_DELETE.get(field.remote_field.on_delete.__name__)
        uses = f"the rows of one {target} and the joins to it"
        if unique:
            one = f"One-to-one {where}: at most one row per {target}, and the join to it"
            return f"{one}; {rule}" if rule else one
        if rule is None:
            # DO_NOTHING: the history tables keep the id of a row that may be gone.
            return f"Foreign key {where}: {uses} (no delete rule: the id is kept as it was)"
        return f"Foreign key {where}: {uses}; {rule}"
    name = str(field.verbose_name)
    recorded = getattr(model, "instance_type", None)  # django-simple-history's historical models
    if recorded is not None and field.column in ("id", "history_date"):
        what = "the versions of one record, WHERE id = ?" if field.column == "id" else "its changes by date"
        return f"History of the {_label(recorded)} ({opts.db_table}): {what}"
    if unique:
        return f"Unique {where}: no two rows with the same {name}; looks a row up by it"
    return f"Lookups and ordering by {name} on {opts.db_table} ({field.column}, db_index=True)"


def _m2m_name(through):
    """The name of the ManyToManyField whose automatic link table is ``through``."""
    owner = through._meta.auto_created
    for field in owner._meta.many_to_many:
        if field.remote_field.through is through:
            return field.name
    raise LookupError(through)


def automatic_comment(model, columns, *, unique, like):
    """The comment for one of Django's automatic indexes on ``model``'s table,
    or None when ``columns`` are not fields of it (an index no model explains)."""
    by_column = {f.column: f for f in model._meta.local_fields}
    if not columns or any(column not in by_column for column in columns):
        return None
    fields = [by_column[column] for column in columns]
    if len(fields) == 1:
        return _field_comment(model, fields[0], unique=unique, like=like)
    table = model._meta.db_table
    names = ", ".join(columns)
    if model._meta.auto_created and unique:
        owner = model._meta.auto_created._meta
        return f"Many-to-many {owner.db_table}.{_m2m_name(model)}: each pair ({names}) linked once"
    together = [list(group) for group in model._meta.unique_together]
    if unique and [f.name for f in fields] in together:
        return f"Unique together on {table} ({names}): one row per combination; looks a row up by it"
    return None


def wanted_comments(rows, apps=global_apps):
    """{index name: comment} for the catalog ``rows`` (see _CATALOG_QUERY):
    the registry's words for a named index, generated ones for Django's
    automatic indexes, nothing for an index neither explains."""
    models_by_table = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    wanted = {}
    # The comments are English whatever language is active (verbose names).
    with translation.override(None):
        for name, table, unique, columns, like, _current in rows:
            comment = INDEX_COMMENTS.get(name)
            if comment is None and table in models_by_table:
                comment = automatic_comment(models_by_table[table], list(columns), unique=unique, like=like)
            if comment:
                wanted[name] = comment
    return wanted


def catalog_rows(cursor):
    """The rows of _CATALOG_QUERY: (index, table, unique, key columns, pattern_ops, comment)."""
    cursor.execute(_CATALOG_QUERY, ["%pattern_ops"])
    return cursor.fetchall()


def apply(connection, apps=global_apps):
    """Comment every index whose comment is missing, or differs from the
    registry's. One catalog query, then one COMMENT statement per change; returns the
    names commented. Does nothing on other databases than PostgreSQL."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        rows = catalog_rows(cursor)
        wanted = wanted_comments(rows, apps)
        current = {row[0]: row[5] for row in rows}
        # A generated comment only fills a gap: an index built with its own words
        # (PostgresIndex: the trigram GIN index on a search_text column, say) keeps them.
        changed = sorted(
            name
            for name, comment in wanted.items()
            if current[name] != comment and (name in INDEX_COMMENTS or not current[name])
        )
        for name in changed:
            cursor.execute(f"COMMENT ON INDEX {connection.ops.quote_name(name)} IS %s", [wanted[name]])
    return changed


def comment_indexes(sender, using="default", **kwargs):
    """post_migrate handler: the comments follow every migrate, test databases included."""
    apply(connections[using])


def named_indexes(apps=global_apps):
    """{name: model} for every index the project's models declare by name:
    Meta.indexes and the unique index behind each UniqueConstraint."""
    named = {}
    for model in apps.get_models(include_auto_created=True):
        for index in model._meta.indexes:
            named[index.name] = model
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint):
                named[constraint.name] = model
    return named
