"""The columns a record kind has in a spreadsheet: one definition shared by the
list exports (CSV, XLSX) and the admin imports, so that a file exported, edited
in Excel and imported again round-trips column for column.

A column is usually a model field: its header is the field's translated
verbose name, its kind follows from the field type. Each record app lists its
columns in ``<app>/columns.py``; this module only knows how to describe them.

Kinds, and what a cell holds:

- ``text``: the string as stored;
- ``int``, ``decimal``: a number (exports write real numbers; imports accept
  ``134.525.000``, ``134525000`` and spreadsheet numbers);
- ``date``: a date (dd/mm/yyyy in CSV, a real date cell in XLSX);
- ``bool``: "Có" / "Không" (yes / no);
- ``choice``: the choice's human label, never its code;
- ``name``: a foreign key, shown by the related record's name;
- ``names``: several related records, names joined by ``NAMES_SEPARATOR``.

``readonly`` columns are exported for the reader but ignored by imports
(publication, review state and computed values are not set from a file).
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

NAMES_SEPARATOR = "; "
# A boolean cell: "Có" / "Không".
YES, NO = _("Yes"), _("No")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # lazily translated; str() it under the language wanted
    kind: str
    model_field: models.Field | None = None
    choices: tuple = field(default=(), repr=False)  # (value, label) pairs for ``choice``
    related_model: type | None = None  # for ``name`` and ``names``
    readonly: bool = False
    width: int = 18  # characters, for XLSX column widths
    # The ORM path exports read when the key is not a field of the model
    # ("project__code" for a transaction's project code), or an expression (a
    # record's version, register/history.py); blank for fields.
    source: object = ""


def kind_of(model_field):
    if model_field.choices:
        return "choice"
    if isinstance(model_field, models.ManyToManyField):
        return "names"
    if isinstance(model_field, models.ForeignKey):
        return "name"
    if isinstance(model_field, models.BooleanField):
        return "bool"
    if isinstance(model_field, models.DateField):
        return "date"
    if isinstance(model_field, models.DecimalField):
        return "decimal"
    if isinstance(model_field, models.IntegerField | models.AutoField):
        return "int"
    return "text"


DEFAULT_WIDTHS = {"text": 30, "int": 10, "decimal": 18, "date": 12, "bool": 10, "choice": 22, "name": 28, "names": 36}


def model_column(model, name, *, header=None, readonly=False, width=None):
    """The column of ``model``'s field ``name``; header is its verbose name."""
    model_field = model._meta.get_field(name)
    kind = kind_of(model_field)
    return Column(
        key=name,
        header=header or capfirst(model_field.verbose_name),
        kind=kind,
        model_field=model_field,
        choices=tuple(model_field.choices or ()),
        related_model=model_field.related_model if kind in {"name", "names"} else None,
        readonly=readonly or not model_field.editable,
        width=width or (40 if isinstance(model_field, models.TextField) else DEFAULT_WIDTHS[kind]),
    )


def columns_for(model, names, *, readonly=(), headers=None, widths=None):
    """Columns for several fields of one model, in order."""
    headers, widths = headers or {}, widths or {}
    return [
        model_column(model, name, header=headers.get(name), readonly=name in readonly, width=widths.get(name))
        for name in names
    ]
