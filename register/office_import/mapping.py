"""Step 2 of the engine (engine.py): each column of an office's list mapped to a target.

The clerk's mapping, else a saved one, else the one proposed here from the headings: a
heading the vocabulary (fields.py) knows, the register's own export heading, a column of
names of records the register has (the export coming back), a choice column only when its
values look like choices. Also the register's columns no target covers (read as written),
and the words and options of a choice target.
"""

import functools

from django.utils import translation
from django.utils.module_loading import import_string

from common.text import fold
from register.office_import import fields as vocabulary
from register.office_import import values
from register.office_import.plans import cell, is_error_heading, text_of

MAX_DISTINCT_CHOICES = 60  # a column with more distinct words is text, not a choice


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
