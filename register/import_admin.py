"""The admin side of the imports: which files are accepted, how they are read,
and the import pages of a record's admin (``RecordImportMixin``).

A file is checked before it is parsed: not empty, at most ``MAX_IMPORT_BYTES``
(its size is known from the upload, before a byte is read), an XLSX workbook
(a zip holding ``xl/workbook.xml``, not a Word document, not an old .xls) or a
UTF-8 CSV (with or without the BOM Excel writes). Its format is recognised
from its content; a format chosen in the form must agree with it.

The readers themselves (streamed, within the row limit) are in
register/import_reading.py.
"""

import codecs
import math
import zipfile

from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from import_export.results import RowResult

from common.text import fold
from register import import_duplicates
from register.import_job_views import ImportJobAdminMixin
from register.import_jobs import background_rows, data_rows
from register.import_reading import max_rows, not_utf8_message, read_csv, read_file, read_xlsx, thousands
from register.import_rows import ImportFileError

MAX_IMPORT_BYTES = 20 * 1024 * 1024
# A workbook is a zip: its sheets inflated may not exceed this (a zip bomb of a few MB would).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
SNIFF_BYTES = 64 * 1024
BINARY_SIGNATURES = {
    b"%PDF-": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"\xd0\xcf\x11\xe0": "Excel 97–2003 (.xls) / Word 97–2003 (.doc)",
}


def sheet_titled(dataset, *titles):
    """The workbook's sheet with one of these titles (accents and case aside), or None."""
    wanted = {fold(title) for title in titles}
    for sheet in getattr(dataset, "sheets", ()):
        if fold(sheet.title) in wanted:
            return sheet
    return None


class CSVFile(base_formats.CSV):
    """CSV read as bytes: this module decodes it and keeps row numbers."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return read_csv(in_stream)


class XLSXFile(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return read_xlsx(in_stream)


IMPORT_FORMATS = [CSVFile, XLSXFile]


def inspect_upload(upload):
    """ "csv" or "xlsx" for an acceptable file; ValidationError with the reason otherwise."""
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > MAX_IMPORT_BYTES:
        raise ValidationError(
            _("The file is larger than 20 MB (%(size)s MB). Split it into smaller files.")
            % {"size": f"{math.ceil(upload.size / 1024 / 1024 * 10) / 10:.1f}".replace(".", ",")},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return inspect_zip(upload)
    for signature, kind in BINARY_SIGNATURES.items():
        if head.startswith(signature):
            raise ValidationError(
                _("This is a %(kind)s file, not a CSV or XLSX spreadsheet.") % {"kind": kind}, code="wrong_type"
            )
    if b"\x00" in head:
        raise ValidationError(_("This is not a CSV or XLSX spreadsheet."), code="wrong_type")
    utf8 = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        for chunk in upload.chunks():
            utf8.decode(chunk)
        utf8.decode(b"", final=True)
    except UnicodeDecodeError:
        raise ValidationError(not_utf8_message(), code="not_utf8") from None
    finally:
        upload.seek(0)
    return "csv"


def inspect_zip(upload):
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise ValidationError(_("The file is damaged: it is not a complete XLSX workbook."), code="damaged") from None
    finally:
        upload.seek(0)
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        kind = _("a Word document") if "word/document.xml" in names else _("a zip archive")
        raise ValidationError(_("This is %(kind)s, not a CSV or XLSX spreadsheet.") % {"kind": kind}, code="wrong_type")
    if sum(entry.file_size for entry in entries) > MAX_UNZIPPED_BYTES:
        raise ValidationError(_("The workbook is too large once unpacked."), code="too_large")
    return "xlsx"


class RecordImportForm(ImportForm):
    """The import form: the format is recognised from the file, the file checked
    before it is read."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.fields["resource"].label = gettext_lazy("What the file holds")
        self.fields["import_file"].label = gettext_lazy("File to import")
        self.fields["import_file"].help_text = _(
            "An XLSX or CSV (UTF-8) file of at most 20 MB and %(rows)s rows, as the list's export writes it: "
            "the first row holds the column headers. A file of more than %(background)s rows is checked and "
            "saved on the server, with a progress bar."
        ) % {"rows": thousands(max_rows()), "background": background_rows()}
        self.fields["import_file"].widget.attrs["accept"] = ".xlsx,.csv"
        self.fields["import_file"].error_messages["empty"] = gettext_lazy("The file is empty.")
        self.fields["format"].label = gettext_lazy("Format")
        self.fields["format"].required = False
        self.fields["format"].choices = [
            ("", gettext_lazy("Recognise from the file")),
            *self.fields["format"].choices[1:],
        ]

    def clean(self):
        data = super().clean()
        upload = data.get("import_file")
        if upload is None:
            return data
        try:
            kind = inspect_upload(upload)
        except ValidationError as error:
            self.add_error("import_file", error)
            return data
        titles = [file_format().get_title() for file_format in self.formats]
        index = titles.index(kind)
        chosen = data.get("format")
        if chosen not in (None, "") and int(chosen) != index:
            self.add_error(
                "format",
                _("The file is a %(kind)s file; choose that format or let it be recognised.") % {"kind": kind.upper()},
            )
        data["format"] = str(index)
        self.read(upload, kind)
        return data

    def read(self, upload, kind):
        """Reads the file once here, streamed and within the row limit, so that a
        file too large is refused with the reason and a large one goes to the
        worker (RecordImportMixin.import_action)."""
        self.kind, self.rows = kind, 0
        upload.seek(0)
        try:
            self.rows = data_rows(read_file(upload.read(), kind))
        except ImportFileError as error:
            self.add_error("import_file", str(error))
        finally:
            upload.seek(0)


class RecordImportMixin(ImportJobAdminMixin, ImportMixin):
    """Import for a record's admin: CSV and XLSX only, for users who may both add
    and change the records, with a preview in Vietnamese that lists every bad
    row, and nothing saved unless every row is good. A file of more than
    IMPORT_BACKGROUND_ROWS rows is previewed and saved by the worker instead
    (register/import_job_views.py, register/import_jobs.py)."""

    import_formats = IMPORT_FORMATS
    import_form_class = RecordImportForm
    import_template_name = "admin/imports/import.html"
    # The preview table shows this many rows; the count and the errors cover all.
    preview_rows = 200

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_action(self, request, **kwargs):
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid() and form.rows > background_rows():
                return self.start_import_job(request, form, form.rows)
        return super().import_action(request, **kwargs)

    def get_import_data_kwargs(self, **kwargs):
        # The possible duplicates ticked "import anyway" on the preview (none on the preview itself).
        request = kwargs.get("request")
        kwargs = super().get_import_data_kwargs(**kwargs)
        if request is not None and request.method == "POST":
            kwargs["import_duplicates"] = import_duplicates.chosen(request.POST)
        return kwargs

    def get_import_context_data(self, **kwargs):
        return {"preview_rows": self.preview_rows, **super().get_import_context_data(**kwargs)}

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            form.add_error("import_file", str(e))
        else:
            form.add_error("import_file", _("The file cannot be read as a spreadsheet of the chosen format."))

    def process_result(self, result, request):
        # The confirmed import found a bad row (the data changed since the
        # preview): everything was rolled back; show why instead of "done".
        if result.has_errors() or result.has_validation_errors():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Import"),
                "opts": self.model._meta,
                "result": result,
                "preview_rows": self.preview_rows,
            }
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        message = _("Import finished: %(new)s new, %(update)s updated, %(skip)s unchanged.") % {
            "new": totals[RowResult.IMPORT_TYPE_NEW],
            "update": totals[RowResult.IMPORT_TYPE_UPDATE],
            "skip": totals[RowResult.IMPORT_TYPE_SKIP],
        }
        skipped = result.skipped_duplicates()
        if skipped:
            message += " " + _("%(count)s possible duplicates were skipped (not ticked “Import anyway”).") % {
                "count": skipped
            }
        for child in getattr(result, "children", ()):
            message += " " + _("%(sheet)s: %(new)s new, %(update)s updated, %(skip)s unchanged.") % {
                "sheet": child.sheet,
                "new": child.totals[RowResult.IMPORT_TYPE_NEW],
                "update": child.totals[RowResult.IMPORT_TYPE_UPDATE],
                "skip": child.totals[RowResult.IMPORT_TYPE_SKIP],
            }
        messages.success(request, message)

    def _create_log_entry(self, user_pk, rows, import_type, action_flag):
        # import-export's own words ("new through import_export") are not translatable.
        if rows:
            LogEntry.objects.log_actions(
                user_pk,
                rows,
                action_flag,
                change_message=_("Imported from a spreadsheet"),
                single_object=len(rows) == 1,
            )
