"""Uploaded files follow their record's visibility, are looked up by their
stored name (so no URL can escape the media folder), and are sent so that a
browser never runs them: nosniff, a CSP that runs nothing, PDFs as attachments."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agreements.models import Agreement
from delegations.models import Delegation, DelegationPhoto

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def photo(seeded):
    delegation = Delegation.objects.filter(is_public=True).first()
    return DelegationPhoto.objects.create(delegation=delegation, image=SimpleUploadedFile("a.jpg", jpeg_bytes()))


@pytest.fixture
def document(seeded):
    agreement = Agreement.objects.filter(is_public=True).first()
    agreement.document.save("ban-ky.pdf", ContentFile(PDF))
    return agreement


def unpublish(record):
    type(record).objects.filter(pk=record.pk).update(is_public=False)


def body(response):
    return b"".join(response.streaming_content)


def test_a_published_delegations_photo_is_served_to_a_visitor_without_sniffing(client, photo):
    response = client.get(photo.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert body(response) == photo.image.open("rb").read()
    assert client.get(photo.thumbnail.url).status_code == 200


def test_an_unpublished_delegations_photo_is_404_to_a_visitor_and_served_to_an_official(client, official_client, photo):
    unpublish(photo.delegation)
    assert client.get(photo.image.url).status_code == 404
    assert client.get(photo.thumbnail.url).status_code == 404
    response = official_client.get(photo.image.url)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")


def test_an_agreements_pdf_downloads_as_an_attachment(client, official_client, document):
    response = client.get(document.document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert body(response) == PDF
    unpublish(document)
    assert client.get(document.document.url).status_code == 404
    assert official_client.get(document.document.url).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/media/../../lang_son_affairs/settings.py",
        "/media/%2e%2e/%2e%2e/lang_son_affairs/settings.py",
        "/media/photos/../../manage.py",
        "/media//etc/passwd",
        "/media/photos/..%5c..%5cmanage.py",
        "/media/photos/",
    ],
)
def test_paths_that_try_to_leave_the_media_folder_are_404(official_client, photo, path):
    assert official_client.get(path).status_code == 404


def test_a_file_on_disk_that_no_record_owns_is_not_served(official_client, photo, settings):
    stray = settings.MEDIA_ROOT / "photos" / "stray.jpg"
    stray.write_bytes(jpeg_bytes())
    assert official_client.get("/media/photos/stray.jpg").status_code == 404


def test_post_is_refused(client, photo):
    assert client.post(photo.image.url).status_code == 405


# --- Sources' files and caching (issue 13) ---------------------------------------------------------------------


@pytest.fixture
def source_file(seeded):
    from sources.models import Source

    source = Source.objects.filter(is_public=True).first()
    source.file.save("bai-bao.pdf", ContentFile(PDF))
    return source


def test_an_unpublished_sources_file_is_404_to_a_visitor_and_served_to_an_official(
    client, official_client, source_file
):
    assert client.get(source_file.file.url).status_code == 200
    unpublish(source_file)
    assert client.get(source_file.file.url).status_code == 404
    assert official_client.get(source_file.file.url).status_code == 200


def test_no_file_is_ever_cached_as_public_and_each_use_revalidates(client, official_client, photo, source_file):
    for url in (photo.image.url, photo.thumbnail.url, source_file.file.url):
        for someone in (client, official_client):
            response = someone.get(url)
            assert response["Cache-Control"] == "private, no-cache", url
            assert response["ETag"] and response["Last-Modified"]


def test_an_unchanged_file_answers_304_until_it_is_unpublished_then_404(client, source_file):
    etag = client.get(source_file.file.url)["ETag"]
    unchanged = client.get(source_file.file.url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged["Cache-Control"] == "private, no-cache"
    unpublish(source_file)
    assert client.get(source_file.file.url, HTTP_IF_NONE_MATCH=etag).status_code == 404
