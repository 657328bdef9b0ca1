"""The Plan of an office's list: what the engine (engine.py) read of it and what the
clerk decided about it, step after step.

``Choices`` is what the clerk decided on the preview page (kept as JSON between the
steps); ``Column``, ``Question`` and ``Row`` are the file's columns, the words of its
choice columns and its rows as read; ``Plan`` holds them with the whole-file problems.
Also here: a file's signature (the headings a saved mapping recognises, the error column
of the bad rows given back aside) and the few helpers reading a row's cells.
"""

import functools
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from register.office_import import fields as vocabulary
from register.office_import import reading

ACTION_LABELS = {
    "create": gettext_lazy("new"),
    "update": gettext_lazy("update"),
    "skip": gettext_lazy("unchanged or skipped"),
    "error": gettext_lazy("error"),
    "duplicate": gettext_lazy("possible duplicate"),
}


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


def cell(row, column):
    return row.cells[column.index] if column.index < len(row.cells) else None


def blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""
