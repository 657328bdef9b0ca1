"""A source's file in the admin: the spreadsheet an office import keeps as its
Source stays while the other fields are edited; a file uploaded in the admin
must still be a PDF."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from register.publishable import ReviewState
from sources.models import Source, SourceKind
from tests.office_files import delegation_list
from tests.test_money_conversion import form_data

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SPREADSHEET = delegation_list()


@pytest.fixture
def imported_source(db):
    """A Source as the office import saves it (engine.save): the uploaded .xlsx itself."""
    source = Source(kind=SourceKind.OTHER, title="Danh sách của cơ quan “doan_ra.xlsx”", review_state=ReviewState.DRAFT)
    source.file.save("doan_ra.xlsx", ContentFile(SPREADSHEET), save=False)
    source.save()
    return source


def change_page(client, source):
    url = reverse("admin:sources_source_change", args=[source.pk])
    response = client.get(url)
    assert response.status_code == 200
    return url, form_data(response)


def test_a_source_keeping_its_spreadsheet_is_edited_in_the_admin(staff_client, imported_source):
    stored = imported_source.file.name
    url, data = change_page(staff_client, imported_source)

    response = staff_client.post(url, {**data, "title": "Danh sách đoàn ra 2023", "notes": "Bản của Phòng HTQT"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    imported_source.refresh_from_db()
    assert (imported_source.title, imported_source.notes) == ("Danh sách đoàn ra 2023", "Bản của Phòng HTQT")
    assert imported_source.file.name == stored
    assert imported_source.file.read() == SPREADSHEET


def test_a_spreadsheet_uploaded_in_the_admin_is_refused(staff_client, imported_source):
    stored = imported_source.file.name
    url, data = change_page(staff_client, imported_source)
    upload = SimpleUploadedFile("danh-sach.xlsx", SPREADSHEET, content_type="application/vnd.ms-excel")

    response = staff_client.post(url, {**data, "title": "Tên mới", "file": upload})

    assert response.status_code == 200
    assert "Chỉ nhận văn bản PDF." in response.text
    imported_source.refresh_from_db()
    assert (imported_source.title, imported_source.file.name) == ("Danh sách của cơ quan “doan_ra.xlsx”", stored)


def test_a_pdf_uploaded_in_the_admin_replaces_the_spreadsheet(staff_client, imported_source):
    url, data = change_page(staff_client, imported_source)

    response = staff_client.post(url, {**data, "file": SimpleUploadedFile("ban-goc.pdf", PDF)})

    assert response.status_code == 302
    imported_source.refresh_from_db()
    assert imported_source.file.name.endswith(".pdf")
    assert imported_source.file.read() == PDF
