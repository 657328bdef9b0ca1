"""The header row of an admin import: recognised in Vietnamese or English,
accents and case aside, and renamed to this language's headers; a sheet with
an unknown header, a header twice, or without a required column is refused
as a whole (register/imports.py).
"""

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from common.text import fold
from register.import_rows import ROW_NUMBER, ImportFileError


def header_keys(column):
    """Every folded spelling of a column's header a file may use."""
    keys = {fold(column.key)}
    for language in ("vi", "en"):
        with translation.override(language):
            keys.add(fold(str(column.header)))
    return keys


def required_columns(columns):
    """The columns a new record cannot do without: a field that may not be
    blank and has no default (a delegation's title, a project's kind)."""
    required = []
    for column in columns:
        field = column.model_field
        if field is None or column.readonly or field.primary_key or field.many_to_many:
            continue
        if not field.blank and not field.has_default() and not field.null:
            required.append(column)
    return required


class HeaderMatching:
    """The header methods of ``ColumnResource``: its ``fields`` by header and
    back, and ``match_headers``, which sets ``present`` (the headers the file has)."""

    def header_of(self, key):
        field = self.fields.get(key)
        return field.column_name if field else None

    def key_of(self, header):
        for key, field in self.fields.items():
            if field.column_name == header:
                return key
        return header

    def match_headers(self, dataset):
        """Renames the file's headers to this language's headers; ImportFileError
        when a header is unknown, given twice, or a required one is missing."""
        known = {}
        for column in [*self.columns, *self.extra_columns]:
            for key in header_keys(column):
                known.setdefault(key, column)
        headers, unknown, seen, renamed = list(dataset.headers or []), [], {}, []
        # The readers' hidden row-number column is not one of the sheet's columns.
        hidden = 1 if headers[:1] == [ROW_NUMBER] else 0
        for index, header in enumerate(headers):
            if header == ROW_NUMBER:
                renamed.append(header)
                continue
            place = {"letter": get_column_letter(index + 1 - hidden), "number": index + 1 - hidden}
            if header is None or not str(header).strip():
                if any(not (v is None or str(v).strip() == "") for v in dataset.get_col(index)):
                    unknown.append(_("column %(letter)s (%(number)s), which has no header") % place)
                renamed.append(f"__blank_{index}__")
                continue
            column = known.get(fold(header))
            if column is None:
                unknown.append(_("“%(header)s” in column %(letter)s (%(number)s)") % {"header": header, **place})
                renamed.append(str(header))
                continue
            if column.key in seen:
                raise ImportFileError(
                    _("The column “%(header)s” appears twice in the sheet.") % {"header": str(column.header)}
                )
            seen[column.key] = header
            renamed.append(str(column.header))
        missing = [f"“{column.header}”" for column in self.required_columns() if column.key not in seen]
        if unknown or missing or not seen:
            raise ImportFileError(self.header_message(unknown, missing))
        dataset.headers = renamed
        self.present = set(renamed)

    def required_columns(self):
        return required_columns(self.columns)

    def header_message(self, unknown, missing):
        parts = []
        if missing:
            parts.append(_("Missing columns: %(headers)s.") % {"headers": ", ".join(missing)})
        if unknown:
            parts.append(_("Unknown columns: %(headers)s.") % {"headers": ", ".join(unknown)})
        expected = ", ".join(f"“{column.header}”" for column in self.columns)
        parts.append(
            _("The first row of the sheet must hold the column headers of the export: %(expected)s.")
            % {"expected": expected}
        )
        return " ".join(parts)
