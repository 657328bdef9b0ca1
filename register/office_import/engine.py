"""An office's own list, read into the register: the engine behind the admin's
"Nhập danh sách của cơ quan" pages and ``manage.py import_sheet``.

The steps, each repeatable as the clerk corrects what the one before proposed:

1. read the workbook (reading.py: .xlsx, .xls, .ods, .csv, within limits) and
   find the header row (skipping title rows, blank rows, totals, the signature
   block);
2. map each column to a target (fields.py): the clerk's mapping, else a saved
   mapping whose headings are the file's, else the one proposed from the
   headings (and, for a column of choices, from its values);
3. read each row's cells into the register's columns (values.py), ask about
   the words of a choice column the register does not know ("Đang hiệu lực"
   → ?), and resolve the places and partners it names (matching.py), proposing
   the unknown ones as new partners;
4. hand the rows, now in the register's own export layout, to the register's
   import resource (register/imports.py): the same checks, duplicates and saving as
   an export edited and imported again. The preview runs it without saving,
   inside a transaction rolled back at the end (the new partners it proposes
   exist only there); the import runs it for real, with the new partners, and
   a Source that is the uploaded file, cited by every record it brings in with
   the sheet and row as the locator.

Every problem names the Excel cell (C7) it comes from. Nothing is saved while a
row is bad, unless the clerk asks for the good rows only: then the bad ones
come back as a workbook in the file's own layout with an error column.
"""

import functools
import io
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.results import RowResult

from common.partial_dates import DatePrecision, format_partial_input
from common.text import fold
from offices.scope import writing_province
from register import history
from register.import_rows import ROW_NUMBER, ImportFileError
from register.office_import import amounts, money, reading, transactions, values
from register.office_import import fields as vocabulary
from register.office_import.matching import PartnerMatcher, Proposal, guess_kind, proposal_key
from register.publishable import ReviewState

ACTION_LABELS = {
    "create": gettext_lazy("new"),
    "update": gettext_lazy("update"),
    "skip": gettext_lazy("unchanged or skipped"),
    "error": gettext_lazy("error"),
    "duplicate": gettext_lazy("possible duplicate"),
}
MAX_DISTINCT_CHOICES = 60  # a column with more distinct words is text, not a choice
PRECISION_ORDER = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}
SAMPLES = 3
MAX_TITLE_ROWS = 30  # above the header, given back with the bad rows (find_header looks at the first 30 rows)
MAX_BLANK_ROWS = 3  # between them, given back as blank rows


@dataclass
class Choices:
    """What the clerk decided on the preview page (kept as JSON between steps)."""

    sheet: str | None = None
    header_row: int | None = None  # as Excel numbers it
    mapping: dict = field(default_factory=dict)  # column letter → target key
    values: dict = field(default_factory=dict)  # target key → {folded word: choice code, "" for blank}
    defaults: dict = field(default_factory=dict)  # target key → choice code for rows that leave it blank
    partners: dict = field(default_factory=dict)  # proposal key → {"action": "new"|"existing", "pk", "kind", "parent"}
    duplicates: dict = field(default_factory=dict)  # row number (str) → "skip" | "update:<record number>" | "anyway"

    @classmethod
    def from_json(cls, data):
        data = data or {}
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in data.items() if key in known})

    def as_json(self):
        return {key: getattr(self, key) for key in self.__dataclass_fields__}


@dataclass
class Column:
    letter: str
    index: int
    heading: str
    target: str
    samples: list = field(default_factory=list)
    note: str = ""  # what a money column's cells become, or why they are no transactions
    note_heading: str = ""  # what its notes are written under (read_rows: once a column, not once a cell)


@dataclass
class Question:
    """The words of a choice column, each with what it becomes."""

    target: str
    label: str
    letters: list
    options: list  # [(code, label)]
    words: list = field(default_factory=list)  # [{"key", "text", "rows", "code", "known"}]
    default: str = ""

    @property
    def open(self):
        return [word for word in self.words if word["code"] is None]


@dataclass
class Row:
    number: int
    cells: list
    data: dict = field(default_factory=dict)  # register column key → cell value for the resource
    shown: dict = field(default_factory=dict)  # target/field key → what the preview shows
    errors: list = field(default_factory=list)  # [(column letter or "", message)]
    chains: list = field(default_factory=list)  # [(target key, letter, [chains])]
    duplicates: list = field(default_factory=list)  # [(record number, admin url)]
    transactions: list = field(default_factory=list)  # [transactions.Money] of a projects list's money cells
    action: str = ""  # create, update, skip, error, duplicate
    record: int | None = None
    read_errors: int = 0  # the first errors are the reading's; those after, a run of the register's resource

    def error(self, letter, message):
        self.errors.append((letter, str(message)))

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action or "create", self.action)


@dataclass
class Plan:
    kind: vocabulary.Kind
    file_format: str
    sheets: list
    sheet: str
    header_row: int
    title_text: str
    columns: list
    rows: list
    skipped: list
    questions: list = field(default_factory=list)
    proposals: list = field(default_factory=list)
    mapping_name: str = ""
    choices: Choices = field(default_factory=Choices)
    problems: list = field(default_factory=list)  # whole-file problems
    previewed: bool = False
    title_rows: list = field(default_factory=list)  # [(number, cells)] above the header, as written
    header_rows: list = field(default_factory=list)  # [(number, cells)]: the header's row, or its two rows
    merged: list = field(default_factory=list)  # the merged cells ("A1:G1") of those rows, where the reader gives them

    @property
    def letters(self):
        return {column.letter: column for column in self.columns}

    def bad_rows(self):
        return [row for row in self.rows if row.errors]

    def needs_choice(self):
        return [row for row in self.rows if row.duplicates and not row.errors and self.duplicate_choice(row) is None]

    def duplicate_choice(self, row):
        return self.choices.duplicates.get(str(row.number))

    def counts(self):
        found = {"create": 0, "update": 0, "skip": 0, "error": 0, "duplicate": 0}
        for row in self.rows:
            found[row.action or "create"] = found.get(row.action or "create", 0) + 1
        return found

    def transaction_counts(self):
        """The transactions of a projects list's money cells: read, new (written, or to be written on a
        preview), already in the register (not added again), and not imported (on a bad or skipped row)."""
        found = {"read": 0, "create": 0, "existing": 0, "left": 0}
        for row in self.rows:
            for entry in row.transactions:
                found["read"] += 1
                written = not row.errors and entry.action in ("create", "existing")
                found[entry.action if written else "left"] += 1
        return found

    def signature(self):
        return signature([column.heading for column in self.columns])


def signature(headings):
    """The headings of a file, as a saved mapping recognises them (the error
    column of the bad rows given back aside: the corrected file is the same list)."""
    return "|".join(vocabulary.heading_key(heading) for heading in headings if not is_error_heading(heading))


def is_error_heading(heading):
    """Whether ``heading`` is the last column of the bad rows given back ("Lỗi cần sửa")."""
    key = vocabulary.heading_key(heading)
    return bool(key) and key in error_headings()


@functools.cache
def error_headings():
    found = set()
    for language in ("vi", "en"):
        with translation.override(language):
            found.add(vocabulary.heading_key(_("Errors to correct")))
    return frozenset(found)


def letter_of(index):
    return reading.column_letter(index)


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


# --- 2. the mapping ---------------------------------------------------------------------------------------------


def apply_mapping(plan, mapping):
    """Each column's target: the given mapping, else the proposal."""
    used = set()
    for column in plan.columns:
        proposed = mapping.get(column.letter) if mapping else None
        if proposed is None or plan.kind.target(proposed) is None and proposed not in extra_targets(plan.kind):
            proposed = propose(plan, column)
        target = target_of(plan.kind, proposed)
        if target is not None and not target.repeatable and proposed in used:
            proposed = vocabulary.NOTES if column.heading else vocabulary.IGNORE
        used.add(proposed)
        column.target = proposed


def target_of(kind, key):
    return kind.target(key) or extra_targets(kind).get(key)


def extra_targets(kind):
    """The register's columns no target covers (the export's own columns): read as written."""
    covered = {t.column for t in kind.targets if t.column} | {t.key for t in kind.targets}
    extras = {}
    for column in vocabulary.register_columns(kind):
        if column.readonly or column.key in covered:
            continue
        extras[column.key] = vocabulary.Target(column.key, column.header, "raw", (), (column.key,), column.key)
    return extras


def all_targets(kind):
    return [*kind.targets, *extra_targets(kind).values()]


def propose(plan, column):
    if is_error_heading(column.heading):
        return vocabulary.IGNORE  # the bad rows given back: what was wrong is no note of the record
    if not column.heading:
        has_data = any(column.index < len(row.cells) and row.cells[column.index] not in (None, "") for row in plan.rows)
        return vocabulary.NOTES if has_data else vocabulary.IGNORE
    key = vocabulary.target_for(plan.kind, column.heading)
    if key is None:
        for language in ("vi", "en"):
            with translation.override(language):
                for column_def in vocabulary.register_columns(plan.kind):
                    if vocabulary.heading_key(column_def.header) == vocabulary.heading_key(column.heading):
                        if column_def.readonly:
                            return vocabulary.IGNORE  # publication, review state: never set from a file
                        if column_def.key in extra_targets(plan.kind):
                            return column_def.key
        return vocabulary.NOTES
    if key == vocabulary.NOTES and (named := register_names_column(plan, column)):
        return named  # the register's own "Lĩnh vực" of its export, not an office's notes
    target = target_of(plan.kind, key)
    if target.reader == "choice" and not looks_like_choices(plan, column, target):
        return vocabulary.NOTES  # "Mục đích" holding sentences, not a kind of visit
    return key


def register_names_column(plan, column):
    """The register's column of names of records (a project's sector, its locations) whose
    export heading this is, when every name of the column is a record the register has:
    the export coming back. An office's column under the same heading ("Lĩnh vực": "Y tế,
    giáo dục") stays in the notes. One query per such column."""
    from register.import_cells import NameIndex, split_names

    extras = extra_targets(plan.kind)
    for column_def in vocabulary.register_columns(plan.kind):
        if column_def.key not in extras or column_def.kind not in ("name", "names") or not column_def.related_model:
            continue
        if not is_register_heading(plan.kind, column_def.key, column.heading):
            continue
        names = {name for row in plan.rows for name in split_names(text_of(cell(row, column))) if name}
        index = NameIndex(column_def.related_model)
        if names and all(len(index.find(name)) == 1 for name in names):
            return column_def.key
    return None


def looks_like_choices(plan, column, target):
    words = {
        fold(str(row.cells[column.index]))
        for row in plan.rows
        if column.index < len(row.cells) and row.cells[column.index] not in (None, "")
    }
    if not words:
        return True
    if len(words) > MAX_DISTINCT_CHOICES:
        return False
    known = choice_words(plan.kind, target)
    matched = sum(1 for word in words if values.choice_for(word, known) is not None)
    return matched * 2 >= len(words) or len(words) <= 5


def choice_words(kind, target):
    """{code: words} a choice target accepts: the model's labels and codes, and the office's usual words."""
    model = import_string(kind.resource)._meta.model
    return values.choice_words(f"{model._meta.app_label}.{model._meta.model_name}.{target.column or target.key}")


def choice_options(kind, target):
    return _choice_options(kind.key, target.column or target.key, translation.get_language())


@functools.cache
def _choice_options(kind_key, name, language):
    model = import_string(vocabulary.KINDS[kind_key].resource)._meta.model
    return [(code, str(label)) for code, label in model._meta.get_field(name).choices]


# --- 3. the rows ------------------------------------------------------------------------------------------------


def read_rows(plan):
    kind = plan.kind
    by_target = {}
    for column in plan.columns:
        by_target.setdefault(column.target, []).append(column)
    plan.questions = build_questions(plan, by_target)
    answers = {q.target: q for q in plan.questions}
    for column in plan.columns:
        column.note_heading = note_heading(plan.kind, column)
    transactions.explain(plan)
    for row in plan.rows:
        read_row(plan, row, by_target, answers)
        transactions.read(plan, row, by_target)
    resolve_places(plan)
    default_direction(plan, by_target)
    default_project_kind(plan, by_target)
    for row in plan.rows:
        if not row.data.get("title") and "title" in {c.key for c in vocabulary.register_columns(kind)}:
            title = generated_title(plan, row)
            if title:
                row.data["title"] = title
                row.shown["title"] = title


def cell(row, column):
    return row.cells[column.index] if column.index < len(row.cells) else None


def blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


def read_row(plan, row, by_target, answers):
    notes = []
    signed = None
    term = None
    for key, columns in by_target.items():
        target = target_of(plan.kind, key)
        if target is None or target.reader in (vocabulary.IGNORE, vocabulary.TRANSACTION):
            continue  # a money column per period: transactions.read()
        for column in columns:
            value = cell(row, column)
            if blank(value):
                continue
            try:
                if target.reader == vocabulary.NOTES:
                    notes.append(f"{column.note_heading}: {text_of(value)}" if column.note_heading else text_of(value))
                elif target.reader == "person":
                    name, title = values.split_person(text_of(value))
                    set_value(row, "leader_name", name)
                    if title and not row.data.get("leader_title"):
                        set_value(row, "leader_title", title)
                elif target.reader == "text" and key == "leader_name":
                    name, title = values.split_person(text_of(value))
                    if not (name and title):  # a name alone ("Nguyễn Công Trưởng"): as written
                        name, title = text_of(value), ""
                    set_value(row, "leader_name", name)
                    if title and "leader_title" not in by_target:
                        set_value(row, "leader_title", title)
                elif target.reader == "dates":
                    found = values.parse_date_range(value)
                    if found is not None:
                        start, end, precision = target.writes
                        set_date(row, start, found.start, found.precision)
                        set_date(row, end, found.end, found.precision)
                        row.data[precision] = found.precision
                elif target.reader == "date":
                    found = values.parse_date(value)
                    if found is not None:
                        set_date(row, key, found.date, found.precision)
                        if key == "signed_on":
                            signed = found
                elif target.reader == "term":
                    term = (values.parse_term(value), column, text_of(value))
                elif target.reader == "count":
                    set_value(row, target.writes[0], values.parse_count(value))
                elif target.reader == "amount":
                    unit = amounts.unit_in(column.heading)[1] or money.sheet_unit(plan.title_text)
                    found = values.parse_amount(value, unit)
                    if found is not None:
                        amount, currency = found
                        set_value(row, target.writes[0], amount)
                        if currency and len(target.writes) > 1:
                            set_value(row, target.writes[1], currency)
                        row.shown[target.writes[0]] = transactions.shown_amount(amount, currency)
                elif target.reader == "choice":
                    code = answer(answers.get(key), value)
                    if code is None:
                        row.error(
                            column.letter,
                            _("Choose what “%(value)s” means in the list of values of column %(letter)s above.")
                            % {"value": text_of(value), "letter": column.letter},
                        )
                    elif code:
                        set_value(row, target.column or key, code)
                        row.shown[target.column or key] = dict(answers[key].options).get(code, code)
                elif target.reader == "places":
                    row.chains.append((key, column.letter, values.split_places(text_of(value))))
                else:  # text, name, raw: as written; the resource reads and checks it
                    if key in row.data and isinstance(row.data[key], str) and target.repeatable:
                        row.data[key] += "\n" + text_of(value)
                    else:
                        row.data[key] = value if target.reader == "raw" else text_of(value)
                    row.shown[key] = text_of(value)
            except values.CellError as error:
                row.error(column.letter, str(error))
    if plan.kind.key == "agreements" and not row.data.get("kind"):
        row.data["kind"] = (
            kind_from_title(plan, row.data.get("title", "")) or plan.choices.defaults.get("kind") or "other"
        )
        row.shown["kind"] = dict(choice_options(plan.kind, plan.kind.target("kind"))).get(row.data["kind"], "")
    for key, code in plan.choices.defaults.items():
        target = target_of(plan.kind, key)
        if target is not None and code and not row.data.get(target.column or key):
            set_value(row, target.column or key, code)
            row.shown[target.column or key] = dict(choice_options(plan.kind, target)).get(code, code)
    if term is not None:
        parsed, column, text = term
        try:
            found = values.expiry(parsed, signed) if parsed is not None else None
        except values.CellError as error:
            signing = {c.letter for c in by_target.get("signed_on", [])}
            if not any(letter in signing for letter, _message in row.errors):  # a wrong signing date is said once
                row.error(column.letter, str(error))
        else:
            model = import_string(plan.kind.resource)._meta.model
            if found is not None and (found.precision == DatePrecision.DAY or "expires_on" in model.PARTIAL_DATES):
                set_date(row, "expires_on", found.date, found.precision)
                row.shown["term"] = text
            elif found is not None:  # the expiry is known to the month or year only: kept in words
                notes.append(
                    _("%(heading)s: %(term)s (expires in %(when)s)")
                    % {
                        "heading": column.heading,
                        "term": text,
                        "when": format_partial_input(found.date, found.precision),
                    }
                )
    if notes:
        notes_key = plan.kind.notes_column
        existing = row.data.get(notes_key)
        row.data[notes_key] = "\n".join([*([existing] if existing else []), *notes])
        row.shown[notes_key] = row.data[notes_key]


def note_heading(kind, column):
    """What a note read from ``column`` is written under: its heading, except for
    the register's own notes column, whose cells are the notes as they are."""
    own = (
        column.heading
        and vocabulary.target_for(kind, column.heading) == vocabulary.NOTES
        and is_register_heading(kind, kind.notes_column, column.heading)
    )
    return "" if own else column.heading


def kind_from_title(plan, title):
    """An agreement's kind from the first words of its title ("Biên bản ghi nhớ ..." → MoU)."""
    folded = fold(title)
    best = ("", None)
    for code, words in choice_words(plan.kind, plan.kind.target("kind")).items():
        for word in words:
            word = fold(word)
            if len(word) > 6 and folded.startswith(word) and len(word) > len(best[0]):
                best = (word, code)
    return best[1]


def is_register_heading(kind, key, heading):
    """Whether ``heading`` is the register's own header of column ``key`` (in Vietnamese or English)."""
    return vocabulary.heading_key(heading) in register_headings(kind.key, key)


@functools.cache
def register_headings(kind_key, key):
    found = set()
    for language in ("vi", "en"):
        with translation.override(language):
            for column in vocabulary.register_columns(vocabulary.KINDS[kind_key]):
                if column.key == key:
                    found.add(vocabulary.heading_key(column.header))
    return frozenset(found)


def set_value(row, key, value):
    if value in (None, ""):
        return
    row.data[key] = value
    row.shown[key] = text_of(value)


def set_date(row, key, date, precision):
    if date is None:
        return
    row.data[key] = date if precision == DatePrecision.DAY else format_partial_input(date, precision)
    row.shown[key] = format_partial_input(date, precision)
    row.shown[f"{key}_precision"] = precision
    row.__dict__.setdefault("iso", {})[key] = (date.isoformat(), precision)


def answer(question, value):
    """The code a choice cell becomes: "" for blank, None while unanswered."""
    if question is None:
        return None
    key = fold(text_of(value))
    for word in question.words:
        if word["key"] == key:
            return word["code"]
    return None


def build_questions(plan, by_target):
    questions = []
    for key, columns in by_target.items():
        target = target_of(plan.kind, key)
        if target is None or target.reader != "choice":
            continue
        known = choice_words(plan.kind, target)
        chosen = plan.choices.values.get(key, {})
        counts, texts = {}, {}
        for row in plan.rows:
            for column in columns:
                value = cell(row, column)
                if blank(value):
                    continue
                word = fold(text_of(value))
                counts[word] = counts.get(word, 0) + 1
                texts.setdefault(word, text_of(value))
        question = Question(
            key,
            str(target.label),
            [c.letter for c in columns],
            choice_options(plan.kind, target),
            default=plan.choices.defaults.get(key, ""),
        )
        for word, count in sorted(counts.items(), key=lambda item: -item[1]):
            automatic = values.choice_for(texts[word], known)
            code = chosen.get(word, automatic)
            question.words.append(
                {"key": word, "text": texts[word], "rows": count, "code": code, "known": automatic is not None}
            )
        questions.append(question)
    return questions


# --- places and partners ----------------------------------------------------------------------------------------


def resolve_places(plan, matcher=None):
    """Each row's chains of places: the partners they name, or new partners to propose."""
    matcher = matcher or PartnerMatcher()
    plan.matcher = matcher
    proposals = {}
    for row in plan.rows:
        for key, letter, chains in row.chains:
            tokens, names = [], []
            for chain in chains:
                for name, partner in resolve_one(plan, matcher, chain, proposals, row):
                    if partner is None:
                        row.error(letter, _("Decide what “%(name)s” is in the new partners above.") % {"name": name})
                        continue
                    token = f"#{partner}" if isinstance(partner, int) else partner
                    if token not in tokens:
                        tokens.append(token)
                        names.append(name)
            if tokens:
                row.data[key] = "; ".join(tokens)
                row.shown[key] = "; ".join(names)
                row.__dict__.setdefault("place_names", {})[key] = [", ".join(chain) for chain in chains]
    plan.proposals = list(proposals.values())


def resolve_one(plan, matcher, chain, proposals, row):
    """[(name shown, partner number or proposal token or None)] of one chain."""
    if len(chain) > 1:
        separate = [matcher.find(name) for name in chain]
        if all(len(found) == 1 for found in separate) and not related(separate):
            return [(name, found[0].pk) for name, found in zip(chain, separate, strict=True)]
    resolved = matcher.resolve_chain(chain)
    parent_token = None
    result = None
    for name, partner, below, parent_name, found in reversed(resolved):
        key = proposal_key(name, parent_name)
        decision = plan.choices.partners.get(key) or {}
        shown = name
        if partner is not None:
            token = partner.pk
        else:
            # Proposed, and listed for the clerk whatever they decided, so that a decision can be changed.
            proposal = proposals.get(key)
            if proposal is None:
                proposal = Proposal(
                    name=name,
                    parent_name=parent_name,
                    parent_pk=below.pk if below is not None else None,
                    kind=guess_kind(below),
                    suggestions=[(p.pk, matcher.label(p)) for p in found[:3]] or matcher.near_spellings(name),
                )
                proposal.parent_token = parent_token
                proposals[key] = proposal
            proposal.rows.append(row.number)
            token = None
            if decision.get("action") == "existing" and str(decision.get("pk") or "").isdigit():
                token = int(decision["pk"])
                if token in matcher.records:  # the preview shows the partner the clerk chose
                    label = matcher.label(matcher.records[token])
                    shown = f"{name} → {label}"
                    if token not in dict(proposal.suggestions):  # and its drop-down offers it
                        proposal.suggestions = [*proposal.suggestions, (token, label)]
            elif decision.get("action") == "new":
                token = f"new:{key}"
        parent_token = token
        result = (shown, token)
    return [result] if result else []


def related(found):
    partners = [f[0] for f in found]
    for a in partners:
        for b in partners:
            if a is not b and a.path.startswith(b.path):
                return True
    return False


def default_direction(plan, by_target):
    """A list titled "DANH SÁCH ĐOÀN RA" is a list of outbound delegations."""
    if plan.kind.key != "delegations" or "direction" in plan.choices.defaults:
        return
    title = fold(plan.title_text)
    outbound, inbound = "doan ra" in title, "doan vao" in title
    if outbound != inbound:
        code = plan.choices.defaults["direction"] = "out" if outbound else "in"
        label = dict(choice_options(plan.kind, target_of(plan.kind, "direction"))).get(code, code)
        for row in plan.rows:  # shown as on the pages that follow, where the default comes from the form
            if "direction" not in row.data:
                row.data["direction"], row.shown["direction"] = code, label


def default_project_kind(plan, by_target):
    """A list with no column of kinds titled "DANH SÁCH CÁC DỰ ÁN ODA" is a list of ODA
    projects; when the title names no kind (or two), the clerk is asked the kind of
    every row (the register needs one)."""
    if plan.kind.key != "projects" or "kind" in by_target:
        return
    target = plan.kind.target("kind")
    if not plan.choices.defaults.get("kind"):
        title = f" {money.compact(plan.title_text)} "
        found = {
            code
            for code, words in choice_words(plan.kind, target).items()
            for word in words
            if money.compact(word) and f" {money.compact(word)} " in title
        }
        if len(found) != 1:
            plan.questions.append(Question("kind", str(target.label), [], choice_options(plan.kind, target)))
            plan.problems.append(_("Choose the kind of the projects above: the list has no column of kinds."))
            return
        plan.choices.defaults["kind"] = found.pop()
    code = plan.choices.defaults["kind"]
    plan.questions.append(Question("kind", str(target.label), [], choice_options(plan.kind, target), default=code))
    for row in plan.rows:
        if not row.data.get("kind"):
            row.data["kind"] = code
            row.shown["kind"] = dict(choice_options(plan.kind, target)).get(code, code)


def generated_title(plan, row):
    """A title in the office's style when the list has none."""
    data = row.data
    leader = " ".join(part for part in (data.get("leader_title", ""), data.get("leader_name", "")) if part)
    places = " và ".join(row.__dict__.get("place_names", {}).get("partners", []))
    if plan.kind.key == "delegations":
        direction = data.get("direction", "")
        if direction == "out":
            return " ".join(part for part in ("Đoàn", leader, f"đi {places}" if places else "") if part)
        if direction == "in":
            if places and leader:
                return f"Đoàn {places} do {leader} dẫn đầu"
            return f"Đoàn {places or leader} đến làm việc" if (places or leader) else ""
        if direction == "border":
            return f"Hội đàm với {places}" if places else ""
        return " ".join(part for part in ("Đoàn", leader, places) if part) if (leader or places) else ""
    if plan.kind.key == "agreements":
        kind = {"mou": "Bản ghi nhớ", "minutes": "Biên bản", "agreement": "Thỏa thuận"}.get(data.get("kind"), "Văn bản")
        return f"{kind} hợp tác với {places}" if places else ""
    return ""


# --- 4. the preview and the import ------------------------------------------------------------------------------


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


def with_created(value, created):
    """A cell naming proposals ("new:<key>") with the numbers of the partners made of them."""
    if not (isinstance(value, str) and "new:" in value):
        return value
    return "; ".join(
        f"#{created[token.removeprefix('new:')]}" if token.startswith("new:") else token for token in value.split("; ")
    )


def create_partners(plan, user, source=None):
    """The proposals the clerk accepted, created (drafts) in the order parents first."""
    from partners.models import Partner

    created = {}
    for proposal in plan.proposals:
        decision = plan.choices.partners.get(proposal.key) or {}
        if decision.get("action") != "new":
            continue
        parent_pk = decision.get("parent") or proposal.parent_pk
        parent_token = getattr(proposal, "parent_token", None)
        if not parent_pk and isinstance(parent_token, int):  # under a name the clerk said is an existing partner
            parent_pk = parent_token
        elif not parent_pk and parent_token:
            parent_pk = created.get(str(parent_token).removeprefix("new:"))
        partner = Partner(
            name=decision.get("name") or proposal.name,
            kind=decision.get("kind") or proposal.kind,
            parent_id=int(parent_pk) if parent_pk else None,
            review_state=ReviewState.DRAFT,
            notes=_("Added by the import of “%(file)s”.") % {"file": getattr(plan, "file_name", "")},
            created_in_id=writing_province(user) if user is not None else None,
        )
        partner._change_reason = _("Imported from an office list")
        partner.save()
        created[proposal.key] = partner.pk
    plan.created = created  # read by dataset_of(); the rows keep their "new:" tokens for another run
    return created


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


# --- the bad rows back ------------------------------------------------------------------------------------------


def bad_rows_workbook(plan, data, file_name):
    """The bad rows in the file's own layout: its title rows, each where the file has it
    (blank rows between them kept, three at most), its header row (or two rows), then the
    bad rows as written, with a last column ("Lỗi cần sửa") saying what is wrong and where."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import range_boundaries

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = plan.sheet[:31] or "Sheet1"
    width = len(plan.columns)
    where, position, previous = {}, 0, 0
    for number, cells in [*plan.title_rows, *plan.header_rows]:
        position += 1 + min(max(number - previous - 1, 0), MAX_BLANK_ROWS)
        where[number], previous = position, number
        for index, value in enumerate(cells):
            put(sheet, position, index + 1, value)
    for text in plan.merged:
        first_column, first_row, last_column, last_row = range_boundaries(text)
        sheet.merge_cells(
            start_row=where[first_row], start_column=first_column, end_row=where[last_row], end_column=last_column
        )
    header = [where[number] for number, _cells in plan.header_rows]
    error_row = header[0]
    if len(plan.header_rows) > 1:  # on the row of the headings that are no parent (the first column's)
        upper, lower = (cells for _number, cells in plan.header_rows)
        first = next((i for i in range(width) if not blank(cell_at(upper, i)) or not blank(cell_at(lower, i))), 0)
        if blank(cell_at(upper, first)):
            error_row = header[-1]
        else:
            sheet.merge_cells(start_row=header[0], start_column=width + 1, end_row=header[-1], end_column=width + 1)
    put(sheet, error_row, width + 1, _("Errors to correct"))
    for number in header:
        for cell_ in sheet[number]:
            cell_.font = Font(bold=True)
    position = header[-1]
    for row in plan.bad_rows():
        position += 1
        for index, value in enumerate(row.cells[:width]):
            put(sheet, position, index + 1, value)
        messages = "; ".join(
            f"{letter}{row.number}: {message}" if letter else f"{message}" for letter, message in row.errors
        )
        put(
            sheet,
            position,
            width + 1,
            _("Row %(row)s of the original file: %(errors)s") % {"row": row.number, "errors": messages},
        ).alignment = Alignment(wrap_text=True)
    sheet.column_dimensions[letter_of(width)].width = 80
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def cell_at(cells, index):
    return cells[index] if index < len(cells) else None


def put(sheet, row, column, value):
    """A cell written as the file had it: a text starting with "=" stays text, not a formula."""
    cell_ = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell_.data_type = "s"
    return cell_


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
