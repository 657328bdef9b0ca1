"""The columns of an admin import as django-import-export fields, and the
preview's rows (register/imports.py builds its resource on them).

``ColumnField`` reads and writes one column of ``<app>/columns.py``; the names
of several records (partners, sectors) wait on the instance until it is
saved. ``ImportDiff`` shows what a row changes without inline styles.
"""

from diff_match_patch import diff_match_patch
from django.utils.encoding import force_str
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from import_export.fields import Field
from import_export.resources import Diff

from register.import_cells import partial_date_cell, widget_for


class ColumnField(Field):
    """One column of the sheet. Names of several records (partners, sectors) are
    kept on the instance until it is saved, then written by ``save_m2m``."""

    def __init__(self, column, readonly=False):
        super().__init__(
            attribute=column.key, column_name=str(column.header), widget=widget_for(column), readonly=readonly
        )
        self.column = column

    def save(self, instance, row, is_m2m=False, **kwargs):
        if self.readonly:
            return
        cleaned = partial_date_cell(instance, self.column.key, self.clean(row, **kwargs))
        if self.column.kind == "names":
            instance._import_names[self.column.key] = cleaned
            return
        field = self.column.model_field
        if cleaned in (None, "") and field is not None and not field.blank and field.has_default():
            return  # a blank cell keeps the record's value (a new record's default)
        if cleaned is None and field is not None and not field.null and field.empty_strings_allowed:
            cleaned = ""  # a blank choice stored as text: "" (no direction given)
        setattr(instance, self.attribute, cleaned)

    def get_value(self, instance):
        if self.column.kind == "names":
            names = getattr(instance, "_import_names", {})
            records = names.get(self.column.key, getattr(instance, "_import_current", {}).get(self.column.key, []))
            # In a stable order, so that the same records in another order are no change.
            return sorted(records, key=lambda r: (type(r).__name__, r.pk))
        if self.column.source:  # a value read across a relation: a transaction's project code
            value = instance
            for part in self.column.source.split("__"):
                value = getattr(value, part, None)
            return value
        return getattr(instance, self.attribute, None)


class ImportDiff(Diff):
    """A preview row: what changes, in <ins> and <del> without the inline styles
    of import-export's diff (the Content-Security-Policy refuses them; its
    import.css colours the tags). A new row shows its values plainly, and no
    record number: the dry run's is rolled back with it."""

    def compare_with(self, resource, instance):
        super().compare_with(resource, instance)
        if self.new:
            fields = resource.get_import_fields()
            self.right = ["" if f.attribute == "id" else value for f, value in zip(fields, self.right, strict=True)]

    def as_html(self):
        engine, cells = diff_match_patch(), []
        for before, after in zip(self.left, self.right, strict=False):
            if self.new:
                cells.append(escape(force_str(after)))
                continue
            changes = engine.diff_main(force_str(before), force_str(after))
            engine.diff_cleanupSemantic(changes)
            tags = {1: "<ins>{}</ins>", -1: "<del>{}</del>", 0: "{}"}
            cells.append(mark_safe("".join(format_html(tags[op], text) for op, text in changes)))  # noqa: S308 - escaped
        return cells
