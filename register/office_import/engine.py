"""An office's own list, read into the register: the engine behind the admin's
"Nhập danh sách của cơ quan" pages and ``manage.py import_sheet``.

The steps, each repeatable as the clerk corrects what the one before proposed:

1. read the workbook (reading.py: .xlsx, .xls, .ods, .csv, within limits) and
   find the header row (skipping title rows, blank rows, totals, the signature
   block);
2. map each column to a target (mapping.py, of fields.py's targets): the clerk's
   mapping, else a saved mapping whose headings are the file's, else the one
   proposed from the headings (and, for a column of choices, from its values);
3. read each row's cells into the register's columns (rows.py, values.py), ask
   about the words of a choice column the register does not know ("Đang hiệu lực"
   → ?), and resolve the places and partners it names (places.py, matching.py),
   proposing the unknown ones as new partners;
4. hand the rows, now in the register's own export layout, to the register's
   import resource (resource_rows.py, register/imports.py): the same checks,
   duplicates and saving as an export edited and imported again. The preview
   runs it without saving, inside a transaction rolled back at the end (the new
   partners it proposes exist only there); the import runs it for real, with the
   new partners, and a Source that is the uploaded file, cited by every record it
   brings in with the sheet and row as the locator.

Every problem names the Excel cell (C7) it comes from. Nothing is saved while a
row is bad, unless the clerk asks for the good rows only: then the bad ones
come back as a workbook in the file's own layout with an error column (bad_rows.py).

This module is the way in: read() makes the Plan (plans.py) of a file, preview()
checks it saving nothing, ready() says what still needs a decision, save() imports
it with its Source and citations, as_json() is what ``manage.py import_sheet --json``
prints.
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from offices.scope import writing_province
from register.import_rows import ImportFileError
from register.office_import import fields as vocabulary
from register.office_import import reading
from register.office_import.mapping import apply_mapping
from register.office_import.places import create_partners
from register.office_import.plans import Choices, Column, Plan, Row, blank, cell, letter_of, text_of
from register.office_import.resource_rows import run
from register.office_import.rows import read_rows
from register.publishable import ReviewState

SAMPLES = 3
MAX_TITLE_ROWS = 30  # above the header, given back with the bad rows (find_header looks at the first 30 rows)


# --- 1. reading and the header ----------------------------------------------------------------------------------


def read(data, filename, kind_key, choices=None, mapping=None):
    """The Plan of a file before the preview: columns, mapping, rows read."""
    kind = vocabulary.KINDS[kind_key]
    choices = choices or Choices()
    workbook = reading.read_workbook(data, filename)
    sheet = workbook.sheet(choices.sheet)
    index = header_index(sheet, kind, choices.header_row)
    header = reading.header_rows(sheet, index, lambda parent, sub: vocabulary.belongs_under(kind, parent, sub))
    number, headings = sheet.rows[index][0], header.cells
    titles = sheet.rows[: header.first]
    above = [cell for _n, cells in titles for cell in cells if isinstance(cell, str) and cell.strip()]
    body, skipped = reading.body_rows(sheet, header)
    width = max([len(headings), *(len(cells) for _n, cells in body)])
    headings = [str(h).strip() if h is not None else "" for h in (list(headings) + [None] * width)[:width]]
    columns = [Column(letter_of(i), i, heading, vocabulary.IGNORE) for i, heading in enumerate(headings)]
    for column in columns:
        column.samples = [
            cells[column.index]
            for _n, cells in body
            if column.index < len(cells) and not reading.is_blank_row([cells[column.index]])
        ][:SAMPLES]
    plan = Plan(
        kind=kind,
        file_format=workbook.format,
        sheets=[s.title for s in workbook.sheets],
        sheet=sheet.title,
        header_row=number,
        title_text=" ".join(str(text).strip() for text in above),
        columns=columns,
        rows=[Row(n, list(cells) + [None] * (width - len(cells))) for n, cells in body],
        skipped=skipped,
        choices=choices,
        title_rows=titles[:MAX_TITLE_ROWS],
        header_rows=sheet.rows[header.first : header.last + 1],
    )
    plan.merged = merged_within(sheet, [n for n, _cells in plan.title_rows + plan.header_rows])
    apply_mapping(plan, choices.mapping or (mapping.columns_for(headings) if mapping else None))
    if mapping is not None and not choices.mapping:
        plan.mapping_name = mapping.name
        for target, words in (mapping.values or {}).items():
            choices.values.setdefault(target, {}).update(words)
        for target, code in (mapping.defaults or {}).items():
            choices.defaults.setdefault(target, code)
    read_rows(plan)
    for row in plan.rows:
        row.read_errors = len(row.errors)
    if all(column.target in (vocabulary.NOTES, vocabulary.IGNORE) for column in plan.columns):
        plan.problems.append(
            _(
                "No column of the list is read into a field of the register (only notes or ignored): check the "
                "kind of records and the header row, and choose what each column is above."
            )
        )
    return plan


def merged_within(sheet, numbers):
    """The sheet's merged cells lying on the rows ``numbers`` only."""
    from openpyxl.utils import range_boundaries

    kept = set(numbers)
    found = []
    for text in sheet.merged:
        _first_column, first_row, _last_column, last_row = range_boundaries(text)
        if last_row - first_row < len(kept) and all(number in kept for number in range(first_row, last_row + 1)):
            found.append(text)
    return found


def header_index(sheet, kind, header_row=None):
    if header_row:
        for index, (number, _cells) in enumerate(sheet.rows):
            if number == header_row:
                return index
        raise ImportFileError(_("Row %(row)s of the sheet is blank or does not exist.") % {"row": header_row})
    return reading.find_header(sheet, lambda text: vocabulary.target_for(kind, text) is not None)


# --- 4. the preview and the import ------------------------------------------------------------------------------


def preview(plan, user):
    """Checks every row as the import would, saving nothing (new partners included)."""
    with transaction.atomic():
        create_partners(plan, user)
        run(plan, user, dry_run=True)
        transaction.set_rollback(True)
    plan.created = {}
    plan.previewed = True
    return plan


def ready(plan):
    """Why the import cannot go ahead yet ([] when it can)."""
    reasons = list(plan.problems)
    open_words = sum(len(q.open) for q in plan.questions)
    if open_words:
        reasons.append(_("%(count)s words of choice columns still need a meaning.") % {"count": open_words})
    undecided = [p for p in plan.proposals if (plan.choices.partners.get(p.key) or {}).get("action") is None]
    if undecided:
        reasons.append(
            _("%(count)s names still need a decision (new partner or existing one).") % {"count": len(undecided)}
        )
    if plan.needs_choice():
        reasons.append(_("%(count)s possible duplicates still need a choice.") % {"count": len(plan.needs_choice())})
    return reasons


class NotReady(Exception):
    pass


def save(plan, user, *, data, file_name, good_rows_only=False, undecided="refuse"):
    """Imports the plan: new partners, the Source (the file itself), the
    records and their citations, in one transaction. Returns the Source, or
    None when nothing was saved (the rows then say why, as in the preview).

    The rows are checked as they are written: a plan need not be previewed
    first. With ``good_rows_only`` the rows the register refuses are marked and
    the rest written in a second pass. A possible duplicate nobody decided on
    stops the save (``undecided="refuse"``, the admin's page asks) or is skipped
    (``"skip"``, the command line)."""
    from sources.models import Source, SourceKind

    plan.file_name = file_name
    bad = [row for row in plan.rows if row.errors]
    if bad and not good_rows_only:
        raise NotReady(_("%(count)s rows have errors.") % {"count": len(bad)})
    for _attempt in range(2 if good_rows_only else 1):
        with transaction.atomic():
            create_partners(plan, user)
            result = run(plan, user, dry_run=False, good_rows_only=good_rows_only)
            if undecided == "skip":
                for row in plan.needs_choice():
                    plan.choices.duplicates[str(row.number)] = "skip"
                    row.action = "skip"
            refused = result.has_errors() or result.has_validation_errors() or plan.problems or plan.needs_choice()
            if not refused:
                written = [row for row in plan.rows if row.action in ("create", "update") and row.record]
                source = Source(
                    kind=SourceKind.OTHER,
                    title=_("Office list “%(file)s”, sheet “%(sheet)s”") % {"file": file_name, "sheet": plan.sheet},
                    published_on=timezone.localdate(),
                    notes=_("Imported on %(date)s by %(user)s: %(count)s records.")
                    % {
                        "date": timezone.localdate().strftime("%d/%m/%Y"),
                        "user": user.get_username() if user else "",
                        "count": len(written),
                    },
                    review_state=ReviewState.DRAFT,
                )
                code = writing_province(user) if user is not None else None
                if code is not None:  # the importer's province (docs/PROVINCES.md)
                    source.province_id = code
                source.file.save(safe_name(file_name), ContentFile(data), save=False)
                source.save()
                cite(plan, source, written)
                plan.previewed = True
                return source
            transaction.set_rollback(True)
        plan.created = {}
        for row in plan.rows:
            row.record = None  # rolled back
        if plan.problems or plan.needs_choice() or not result.has_validation_errors() and not result.has_errors():
            break
    plan.previewed = True
    return None


def safe_name(file_name):
    stem = re.sub(r"[^\w.-]+", "-", file_name or "danh-sach").strip("-") or "danh-sach"
    return stem[-120:]


def cite(plan, source, rows):
    from sources.models import Citation

    model = import_string(plan.kind.resource)._meta.model
    content_type = ContentType.objects.get_for_model(model)
    Citation.objects.bulk_create(
        Citation(
            content_type=content_type,
            object_id=row.record,
            source=source,
            excerpt=excerpt(plan, row),
            locator=(_("Sheet “%(sheet)s”, row %(row)s") % {"sheet": plan.sheet, "row": row.number})[:100],
        )
        for row in rows
    )


def excerpt(plan, row):
    parts = []
    for column in plan.columns:
        value = cell(row, column)
        if not blank(value):
            parts.append(f"{column.heading or column.letter}: {display(value)}")
    return " | ".join(parts) or str(row.number)


def display(value):
    import datetime as dt

    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return text_of(value)


# --- JSON (manage.py import_sheet --json) -----------------------------------------------------------------------


def as_json(plan):
    return {
        "kind": plan.kind.key,
        "sheet": plan.sheet,
        "header_row": plan.header_row,
        "mapping": {column.letter: column.target for column in plan.columns},
        "mapping_name": plan.mapping_name or None,
        "skipped_rows": [{"row": number, "reason": str(reason)} for number, reason in plan.skipped],
        "rows": [
            {
                "row": row.number,
                "action": row.action or "create",
                "fields": json_fields(row),
                "errors": [{"column": letter, "message": message} for letter, message in row.errors],
                "duplicate_of": row.duplicates[0][0] if row.duplicates else None,
            }
            for row in plan.rows
        ],
        "new_partners": [
            {"name": p.name, "parent": p.parent_name or None, "kind": str(p.kind), "rows": p.rows}
            for p in plan.proposals
            if (plan.choices.partners.get(p.key) or {}).get("action") != "existing"
        ],
        "transactions": plan.transaction_counts(),
        "questions": [
            {"target": q.target, "columns": q.letters, "unknown_values": [w["text"] for w in q.open]}
            for q in plan.questions
        ],
        "problems": plan.problems,
    }


def json_fields(row):
    import datetime as dt
    from decimal import Decimal

    found = {}
    iso = row.__dict__.get("iso", {})
    for key, value in row.data.items():
        if key in iso:
            found[key], found[f"{key}_precision"] = iso[key]
        elif isinstance(value, dt.datetime):
            found[key] = value.date().isoformat()
        elif isinstance(value, dt.date):
            found[key] = value.isoformat()
        elif isinstance(value, Decimal):
            found[key] = str(value)
        elif key in row.shown and isinstance(value, str) and value.startswith("#"):
            found[key] = row.shown[key]
        else:
            found[key] = value
    if row.transactions:
        found["transactions"] = [entry.as_json() for entry in row.transactions]
    return found
