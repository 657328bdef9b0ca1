"""Hostile input gets nowhere: query parameters that try to reach the ORM,
stored markup, hostile link targets and disguised uploads.

(Photo attacks — decompression bomb, PNG with an HTML tail, SVG, oversized
images — are in test_photos.py; path traversal in test_media.py; login brute
force in test_login_throttle.py.)"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template

from agreements.models import Agreement
from delegations.models import Delegation
from partners.models import Partner
from tests.conftest import make_user

HOSTILE_PARAMETERS = [
    "_connector=OR",
    "password__startswith=pbkdf2",
    "is_public=False",
    "review_state=draft",
    "pk__in=1,2,3",
    "partners__delegations__is_public=False",
    "q=' OR 1=1 --",
    "sort=-is_public",
    "year=2023&_connector=OR&is_public=0",
]


def hide_one(model):
    row = model.objects.filter(is_public=True).first()
    model.objects.filter(pk=row.pk).update(is_public=False)
    return row


@pytest.mark.parametrize("query", HOSTILE_PARAMETERS)
@pytest.mark.parametrize("path", ["/delegations/", "/agreements/", "/projects/", "/partners/", "/search/"])
def test_orm_looking_parameters_are_ignored_and_never_widen_a_visitors_view(client, seeded, path, query):
    hidden = hide_one(Delegation)
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    assert f"/delegations/{hidden.pk}/" not in response.content.decode()
    if path == "/delegations/" and "year" not in query and "q=" not in query:
        plain = client.get(path)
        assert response.context["page_obj"].count == plain.context["page_obj"].count


@pytest.mark.parametrize("query", ["password__startswith=pbkdf2", "_connector=OR", "is_public__in=0,1&e=1"])
def test_admin_changelist_answers_hostile_lookups_with_400_or_a_redirect(staff_client, seeded, query):
    response = staff_client.get(f"/admin/delegations/delegation/?{query}")
    assert response.status_code in {200, 302, 400}


def test_admin_refuses_a_lookup_on_password_hashes(client, db):
    admin = make_user("root", "administrator", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/auth/user/?password__startswith=pbkdf2")
    # Refused: the list is shown again without it (common/admin_lookups.py), never filtered by it.
    assert response.status_code == 302
    assert response.url == "/admin/auth/user/"


def test_stored_markup_is_shown_as_text_on_every_page(client, seeded):
    delegation = Delegation.objects.filter(is_public=True).first()
    script = "<script>alert('xss')</script>"
    Delegation.objects.filter(pk=delegation.pk).update(title=f"Đoàn {script}", outcome='"><img src=x onerror=alert(1)>')
    partner = delegation.partners.first()
    Partner.objects.filter(pk=partner.pk).update(name=f"Đối tác {script}")
    for path in (f"/delegations/{delegation.pk}/", "/delegations/", f"/partners/{partner.pk}/", "/search/?q=doan"):
        body = client.get(path).content.decode()
        assert "<script>alert" not in body, path
        assert "<img src=x" not in body, path
    assert "&lt;script&gt;alert" in client.get(f"/delegations/{delegation.pk}/").content.decode()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "//evil.example/x"]
)
def test_a_hostile_link_target_is_rendered_inert(url):
    rendered = Template('{% load vn %}<a href="{{ url|safe_url }}">x</a>').render(Context({"url": url}))
    assert rendered == '<a href="">x</a>'


@pytest.mark.parametrize("url", ["https://baolangson.vn/a-1.html", "http://x.vn/", "/delegations/3/"])
def test_web_addresses_and_site_paths_stay_links(url):
    rendered = Template("{% load vn %}{{ url|safe_url }}").render(Context({"url": url}))
    assert rendered == url


def test_a_jpeg_renamed_to_pdf_is_refused_as_an_agreement_document(seeded):
    agreement = Agreement.objects.first()
    fake = SimpleUploadedFile("ban-ky.pdf", b"\xff\xd8\xff\xe0" + b"0" * 100, content_type="application/pdf")
    field = Agreement._meta.get_field("document")
    with pytest.raises(Exception, match="PDF"):
        field.clean(fake, agreement)
    assert not Agreement.objects.get(pk=agreement.pk).document


def test_an_oversized_pdf_is_refused_before_it_is_read():
    from common.files import MAX_PDF_BYTES, validate_pdf

    class Huge:
        size = MAX_PDF_BYTES + 1

        def read(self, *args):
            raise AssertionError("an oversized file must not be read")

        def seek(self, *args):
            pass

    with pytest.raises(Exception, match="20 MB"):
        validate_pdf(Huge())
