"""Step 4 of the engine (engine.py): the rows handed to the register's import resource.

The rows, in the register's own export layout (a projects list's money cells as a second
sheet of transactions), go through the resource of register/imports.py: the same checks,
duplicates and saving as an export edited and imported again, the duplicates the clerk
chose to update given the record's number and version. Each row is then marked with what
the resource found: its errors at the Excel cell they come from, its possible duplicates,
what it became.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.module_loading import import_string
from import_export.results import RowResult

from register import history
from register.import_rows import ROW_NUMBER
from register.office_import import fields as vocabulary
from register.office_import import transactions
from register.office_import.mapping import target_of
from register.office_import.places import with_created


def resource_for(plan, user):
    if plan.kind.key == "projects":
        return transactions.ProjectResource()  # and the list's money cells as transactions
    resource = import_string(plan.kind.resource)()
    return resource


def dataset_of(plan, rows, resource):
    """The rows in the register's export layout, headed in the current language
    (the partners the clerk accepted as new named by their record numbers)."""
    import tablib

    columns = [c for c in vocabulary.register_columns(plan.kind) if not c.readonly or c.key == "version"]
    keys = [c.key for c in columns if any(c.key in row.data for row in rows)]
    headers = {c.key: str(c.header) for c in columns}
    dataset = tablib.Dataset(headers=[ROW_NUMBER, *[headers[key] for key in keys]])
    created = getattr(plan, "created", {})
    for row in rows:
        dataset.append([row.number, *[with_created(row.data.get(key), created) for key in keys]])
    dataset.title = plan.sheet
    return transactions.attach(plan, rows, dataset)


def apply_duplicate_choices(plan):
    """Rows the clerk chose to update an existing record: its number and version."""
    model = import_string(plan.kind.resource)._meta.model
    wanted = {}
    for row in plan.rows:
        choice = plan.duplicate_choice(row) or ""
        if choice.startswith("update:") and choice[7:].isdigit():
            wanted[row.number] = int(choice[7:])
    if not wanted:
        return
    versions = dict(
        model._default_manager.filter(pk__in=set(wanted.values()))
        .annotate(v=history.version_expression(model))
        .values_list("pk", "v")
    )
    for row in plan.rows:
        if row.number in wanted:
            row.data["id"] = wanted[row.number]
            row.data["version"] = versions.get(wanted[row.number], 0)


def run(plan, user, *, dry_run, good_rows_only=False):
    """The register's resource over the plan's rows; the rows marked with
    what it found. On a dry run nothing stays in the database."""
    rows = [row for row in plan.rows if not (good_rows_only and row.errors)]
    if any(row.errors for row in rows):
        rows = [row for row in rows if not row.errors]  # still checked by the resource, for the preview
        checked_only = True
    else:
        checked_only = False
    apply_duplicate_choices(plan)
    anyway = {row.number for row in rows if (plan.duplicate_choice(row) or "").startswith(("anyway", "update"))}
    resource = resource_for(plan, user)
    dataset = dataset_of(plan, rows, resource)
    result = resource.import_data(
        dataset,
        dry_run=dry_run or checked_only,
        use_transactions=True,
        user=user,
        import_duplicates=anyway,
        file_name=getattr(plan, "file_name", ""),
    )
    mark(plan, result, resource, rows)
    return result


def mark(plan, result, resource, rows):
    """Each row as the resource found it: its errors, its possible duplicates, what it became."""
    by_number = {row.number: row for row in plan.rows}
    for row in rows:  # what an earlier run of these rows found goes
        row.errors = row.errors[: row.read_errors]
        row.action, row.record = "", None
    letters = letters_by_key(plan)
    for problem_row in result.invalid_rows:
        row = by_number.get(problem_row.number)
        if row is None:
            continue
        for key, messages in problem_row.error_dict.items():
            letter = "" if key == NON_FIELD_ERRORS else letters.get(key, "")
            label = "" if letter or key == NON_FIELD_ERRORS else resource.header_of(key) or key
            for message in messages:
                row.error(letter, f"{label}: {message}" if label else message)
    for error_row in result.error_rows:
        row = by_number.get(error_row.number)
        if row is not None:
            for error in error_row.errors:
                row.error("", str(error.error))
    for base in result.base_errors:
        if str(base.error) not in plan.problems:
            plan.problems.append(str(base.error))
    for row_result in result.rows:
        row = by_number.get(getattr(row_result, "number", None))
        if row is None:
            continue
        row.duplicates = list(getattr(row_result, "duplicates", []) or []) or row.duplicates
        row.record = row_result.object_id
        row.action = {
            RowResult.IMPORT_TYPE_NEW: "create",
            RowResult.IMPORT_TYPE_UPDATE: "update",
            RowResult.IMPORT_TYPE_SKIP: "skip",
        }.get(row_result.import_type, "")
        if getattr(row_result, "duplicate_skipped", False):
            row.action = "skip"
    transactions.mark(plan, result)
    for row in plan.rows:
        if row.errors:
            row.action = "error"
        elif row.duplicates and plan.duplicate_choice(row) is None:
            row.action = "duplicate"
        elif plan.duplicate_choice(row) == "skip":
            row.action = "skip"


def letters_by_key(plan):
    """{register column key: the letter of the column it came from}."""
    found = {}
    for column in plan.columns:
        target = target_of(plan.kind, column.target)
        if target is None:
            continue
        for key in (target.key, *target.writes, target.column):
            if key:
                found.setdefault(key, column.letter)
    found.setdefault("id", found.get("title", ""))
    return found
