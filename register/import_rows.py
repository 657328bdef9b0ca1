"""The rows of an import: how existing records are found for them, and how
their problems are told (register/imports.py builds on this).

Rows are numbered as the spreadsheet shows them: the header is row 1, and the
file readers (register/import_admin.py) keep each row's number in a hidden column,
so that blank rows count as Excel counts them.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Result

from register import import_versions
from register.import_cells import IntegerWidget, cell_text

# A hidden column the file readers add: each row's number in the spreadsheet.
ROW_NUMBER = "__row__"
LOAD_CHUNK = 500  # ids or codes per query when loading the records a file updates


class ImportFileError(Exception):
    """The file as a whole cannot be imported (its headers, its sheets)."""


def error_message(error):
    if isinstance(error, DatabaseError):
        return _("The database refused this row (%(detail)s).") % {"detail": error}
    return str(error)


class ImportResult(Result):
    """import-export's result with rows numbered as the spreadsheet shows them
    and each error told by its column's header."""

    labels = {}  # attribute -> header; set by the resource
    sheet = ""  # the sheet's title when a workbook has several
    children = ()  # results of the workbook's other sheets (a project's transactions)

    @staticmethod
    def sheet_row(number, row):
        return (row or {}).get(ROW_NUMBER) or number + 1

    def append_invalid_row(self, number, row, validation_error):
        super().append_invalid_row(self.sheet_row(number, row), row, validation_error)

    def append_error_row(self, number, row, errors):
        super().append_error_row(self.sheet_row(number, row), row, errors)

    def row_errors(self):
        return [(row.number, row.errors) for row in self.error_rows]

    def problems(self):
        """[(sheet, row number or None, column header, message)], in row order."""
        found = [(self.sheet, None, "", str(error.error)) for error in self.base_errors]
        for row in self.invalid_rows:
            for key, messages in row.error_dict.items():
                label = "" if key == NON_FIELD_ERRORS else self.labels.get(key, key)
                found.extend((self.sheet, row.number, label, str(message)) for message in messages)
        for row in self.error_rows:
            found.extend((self.sheet, row.number, "", error_message(error.error)) for error in row.errors)
        found.sort(key=lambda p: p[1] or 0)
        for child in self.children:
            found.extend(child.problems())
        return found

    def possible_duplicates(self):
        """[(row number, [(record number, its admin page)])] of the new rows that
        look like existing records (register/import_duplicates.py), in row order."""
        return [(row.number, row.duplicates) for row in self.rows if getattr(row, "duplicates", None)]

    def skipped_duplicates(self):
        return sum(1 for row in self.rows if getattr(row, "duplicate_skipped", False))

    def bad_rows(self):
        """The numbers of the bad rows of the main sheet."""
        return sorted({number for sheet, number, _label, _message in self.problems() if number and sheet == self.sheet})

    def has_errors(self):
        return super().has_errors() or any(child.has_errors() for child in self.children)

    def has_validation_errors(self):
        return super().has_validation_errors() or any(child.has_validation_errors() for child in self.children)


class ColumnInstanceLoader(BaseInstanceLoader):
    """The records a file names, by record number or code, loaded once for the
    whole file with the relations the preview and validation read."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.id_header = resource.header_of("id")
        self.code_header = resource.header_of(resource.code_field) if resource.code_field else None
        self.by_pk, self.by_code, self.seen = {}, {}, {}
        ids, codes = set(), set()
        headers = dataset.headers or []
        if self.id_header in headers:
            for value in dataset[self.id_header]:
                try:
                    pk = IntegerWidget(None).clean(value)
                except ValueError:
                    continue
                if pk is not None:
                    ids.add(pk)
        if self.code_header in headers:
            codes = {str(v).strip() for v in dataset[self.code_header] if v not in (None, "")}
        self.load("pk", sorted(ids))
        self.load(resource.code_field, sorted(codes))

    def load(self, field, values):
        for start in range(0, len(values), LOAD_CHUNK):
            chunk = values[start : start + LOAD_CHUNK]
            queryset = import_versions.with_versions(self.resource, self.resource.get_queryset())
            for record in queryset.filter(Q((f"{field}__in", chunk))):
                self.by_pk[record.pk] = record
                if self.resource.code_field and getattr(record, self.resource.code_field):
                    self.by_code[getattr(record, self.resource.code_field)] = record

    def cell(self, row, header, widget=None):
        if header not in row:
            return None
        try:
            return widget.clean(row[header]) if widget else cell_text(row[header]) or None
        except ValueError as error:
            raise ValidationError({self.resource.key_of(header): str(error)}) from None

    def get_instance(self, row):
        pk = self.cell(row, self.id_header, IntegerWidget(None))
        code = self.cell(row, self.code_header) if self.code_header else None
        instance = None
        if pk is not None:
            instance = self.by_pk.get(pk)
            if instance is None:
                raise ValidationError({"id": _("There is no record number %(pk)s.") % {"pk": pk}})
        if code:
            owner = self.by_code.get(code)
            if instance is None:
                instance = owner
            elif owner is not None and owner.pk != instance.pk:
                message = _("The code %(code)s already belongs to record number %(pk)s.")
                raise ValidationError({self.resource.code_field: message % {"code": code, "pk": owner.pk}})
        self.check_once(row, ("pk", instance.pk) if instance else None, ("code", code) if code else None)
        import_versions.check(self.resource, instance, row)  # not over a change made since the export
        return instance

    def check_once(self, row, *keys):
        """A record may appear on one row of the file only."""
        number = row.get(ROW_NUMBER)
        for key in keys:
            if key is None:
                continue
            if key in self.seen:
                raise ValidationError(
                    _("This record is already on row %(row)s of the file.") % {"row": self.seen[key] or "?"}
                )
            self.seen[key] = number
