"""Spreadsheets for the import tests, written the way the export writes them
(register/exports.py): Vietnamese headers, labels for choices, names for related
records, dd/mm/yyyy dates in CSV."""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

# An export's XLSX has its title rows above the header (register/exports.py title_lines):
# the list, its period and filters, the date and user, the office. The header is row 5.
TITLE_ROWS = 4
HEADER_ROW = TITLE_ROWS + 1  # as Excel numbers it


def export_rows(worksheet):
    """An export sheet's rows from its header down, as values."""
    return [list(row) for row in worksheet.iter_rows(min_row=HEADER_ROW, values_only=True)]


def headers(columns, language="vi"):
    with translation.override(language):
        return [str(column.header) for column in columns]


def csv_bytes(header_row, rows, encoding="utf-8-sig", delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header_row)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(*sheets):
    """``sheets``: (title, header row, rows) each."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, header_row, rows in sheets:
        worksheet = workbook.create_sheet(title)
        worksheet.append(header_row)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def version_of(model, pk):
    """The version the export writes for record ``pk`` (its "Phiên bản" column)."""
    from register import history

    return str(history.version(model._default_manager.get(pk=pk)))


def upload(data, name="du-lieu.csv"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def import_url(model, step="import"):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{step}")


def post_file(client, model, data, name="du-lieu.csv", resource="0", **extra):
    return client.post(
        import_url(model), {"import_file": upload(data, name), "format": "", "resource": resource}, **extra
    )


def confirm(client, model, response):
    """Posts the confirm form of a preview page, as the "Confirm import" button does."""
    form = response.context["confirm_form"]
    return client.post(import_url(model, "process_import"), form.initial)


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content
