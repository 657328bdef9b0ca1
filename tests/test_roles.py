"""Each role on each kind of page and admin action: the status it gets, and
the database unchanged wherever it was refused. The seeded records are
approved and published, so staff (who edit drafts only) may read but not
change them."""

import datetime
import html
import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement, Partnership
from delegations.models import Delegation
from partners.models import CooperationMechanism, LocalUnit, Partner
from projects.models import Project
from sources.models import ReportedFigure, Source
from tests.conftest import make_user, readable_text

MODELS = [Delegation, Agreement, Partnership, Project, Partner, LocalUnit, CooperationMechanism, Source, ReportedFigure]


@pytest.fixture(autouse=True)
def twinning_pair(seeded):
    """The articles name no twinning pair: one approved, published pair."""
    return Partnership.objects.create(
        local_unit=LocalUnit.objects.order_by("pk").first(),
        partner=Partner.objects.order_by("pk").first(),
        kind="sister_city",
        review_state="approved",
        is_public=True,
    )


@pytest.fixture
def clients(db, staff, approver):
    def signed_in(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    reader = make_user("reader", "official", is_staff=True)
    return {
        "visitor": signed_in(None),
        "official": signed_in(reader),
        "staff": signed_in(staff),
        "approver": signed_in(approver),
    }


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def row_of(model):
    return model.objects.order_by("pk").first()


def snapshot(model):
    return list(model.objects.order_by("pk").values())


EXPECTED_GET = {
    # role: (changelist, add form, change form)
    "visitor": (302, 302, 302),
    "official": (200, 403, 200),
    "staff": (200, 200, 200),
    "approver": (200, 200, 200),
}


@pytest.mark.parametrize("role", list(EXPECTED_GET))
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_pages_answer_each_role(seeded, clients, role, model):
    client, record = clients[role], row_of(model)
    got = (
        client.get(admin_url(model, "changelist")).status_code,
        client.get(admin_url(model, "add")).status_code,
        client.get(admin_url(model, "change", record.pk)).status_code,
    )
    assert got == EXPECTED_GET[role]


@pytest.mark.parametrize(("role", "status"), [("visitor", 302), ("official", 403), ("staff", 403)])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_forged_change_and_delete_posts_are_refused_and_change_nothing(seeded, clients, role, status, model):
    client, record = clients[role], row_of(model)
    before = snapshot(model)
    # Partners too: since issue 13 a published partner is read-only to staff, as a published record is.
    assert client.post(admin_url(model, "change", record.pk), {"title": "x", "name": "x"}).status_code == status
    assert client.post(admin_url(model, "delete", record.pk), {"post": "yes"}).status_code == status
    assert snapshot(model) == before


@pytest.mark.parametrize("model", [Delegation, Agreement, Project], ids=lambda m: m.__name__)
def test_an_approver_may_delete(seeded, clients, model):
    record = Delegation.objects.create(title="Bản nháp để xoá") if model is Delegation else None
    record = record or row_of(model)
    response = clients["approver"].post(admin_url(model, "delete", record.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("role", ["visitor", "official", "staff", "approver"])
@pytest.mark.parametrize("model", [Delegation, Agreement, Project, Partner], ids=lambda m: m.__name__)
def test_an_unpublished_record_is_404_to_visitors_and_shown_to_everyone_signed_in(seeded, clients, role, model):
    record = row_of(model)
    model.objects.filter(pk=record.pk).update(is_public=False)
    status = clients[role].get(record.get_absolute_url()).status_code
    assert status == (404 if role == "visitor" else 200)
    listing = clients[role].get(reverse(f"{model._meta.app_label}:list")).content.decode()
    assert (record.get_absolute_url() in listing) is (role != "visitor")


# --- Anonymous sees nothing new ----------------------------------------------------------------------------------
#
# Every page, export and file a visitor can reach from the home page (and the
# searches and filters that name the new things) is fetched before and after one
# unpublished thing of every kind is created, each carrying WORD: the visitor's
# responses are unchanged and never hold WORD; a signed-in official sees the
# things. Then the unpublished partner, unit, mechanism and source are linked to
# published records: the visitor still never reads WORD.

WORD = "quyxzotl"
# Searched for instead of WORD, which a results page would echo back: it finds whatever holds WORD.
PART = WORD[:6]
PDF_WITH_WORD = b"%PDF-1.4\n% " + WORD.encode() + b"\n%%EOF\n"
LINK = re.compile(r'href="([/?][^"#]*)"')
NOT_CRAWLED = ("/admin/", "/accounts/", "/i18n/", "/static/")
CRAWL_LIMIT = 450
QUERIES_PER_PATH = 15  # past this, more sort and filter links of one page add little


def normalised(text):
    # Each page's CSRF token, the IATI file's generation time and an XLSX's export
    # minute (register/export_titles.py) differ from one request to the next.
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    text = re.sub(r"(Xuất ngày|Exported on) \d\d/\d\d/\d{4} \d\d:\d\d", "", text)
    return re.sub(r'generated-datetime="[^"]*"', "", text)


def crawl(client, starts):
    """{url: (status, text)} of every anonymous URL reachable from ``starts``."""
    seen, queue, pages, per_path = set(), list(starts), {}, {}
    while queue and len(pages) < CRAWL_LIMIT:
        url = html.unescape(queue.pop(0))
        path = url.split("?", 1)[0]
        if url in seen or path.startswith(NOT_CRAWLED):
            continue
        seen.add(url)
        if "?" in url:
            per_path[path] = per_path.get(path, 0) + 1
            if per_path[path] > QUERIES_PER_PATH:
                continue
        response = client.get(url)
        text = readable_text(response)
        pages[url] = (response.status_code, text)
        if response.get("Content-Type", "").startswith("text/html"):
            # A link may be a query alone ("?sort=title&page=2"), on the same page.
            queue.extend(link if link.startswith("/") else path + link for link in LINK.findall(text))
    return pages


def refetch(client, urls):
    return {url: (response.status_code, readable_text(response)) for url, response in fetched(client, urls)}


def fetched(client, urls):
    for url in urls:
        yield url, client.get(url)


def leaks(pages):
    return sorted(url for url, (_status, text) in pages.items() if WORD in text.lower())


@pytest.fixture
def published_files(seeded):
    """A published source's file, a published delegation's photo and a published
    agreement's document, so the crawl fetches files too."""
    from django.core.files.base import ContentFile

    from sources.models import Source

    source = Source.objects.filter(is_public=True).first()
    source.file.save("bai-bao.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    agreement = Agreement.objects.filter(is_public=True).first()
    agreement.document.save("ban-ky.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    delegation = Delegation.objects.filter(is_public=True).first()
    photo = delegation.photos.create(image=SimpleUploadedFile("anh.jpg", jpeg_bytes()), caption="Ảnh công khai")
    return {"source": source.file.url, "document": agreement.document.url, "photo": photo.image.url}


def jpeg_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def create_unpublished_things():
    """One unpublished thing of every kind, each with WORD; none linked from a published record."""
    from django.core.files.base import ContentFile

    from agreements.models import AgreementKind
    from delegations.models import Direction
    from partners.models import CooperationMechanism, LocalUnit, PartnerKind
    from projects.models import ParticipantRole, ProjectKind, ProjectParticipant, Transaction, TransactionKind
    from sources.models import Citation, Indicator, ReportedFigure, Source, Unit

    day = datetime.date(2024, 6, 15)
    country = Partner.objects.filter(is_public=True, kind=PartnerKind.COUNTRY, country="CN").first()
    unit = LocalUnit.objects.filter(is_public=True).order_by("pk").first()
    published_source = Source.objects.filter(is_public=True).first()
    partner = Partner.objects.create(
        name=f"Đối tác {WORD}", name_en=f"Partner {WORD}", kind=PartnerKind.REGION, country="CN", parent=country,
        notes=f"Ghi chú nội bộ {WORD}",
    )  # fmt: skip
    local_unit = LocalUnit.objects.create(name=f"Đơn vị {WORD}", kind="department", parent=unit)
    mechanism = CooperationMechanism.objects.create(name=f"Cơ chế {WORD}", description=WORD)
    mechanism.partners.add(country)
    source = Source.objects.create(title=f"Bài {WORD}", body=f"Toàn văn {WORD}.", publisher=f"Báo {WORD}")
    source.file.save("noi-bo.pdf", ContentFile(PDF_WITH_WORD))
    delegation = Delegation.objects.create(
        title=f"Đoàn {WORD}", direction=Direction.OUTBOUND, start_date=day, size=7, host_unit=unit
    )
    delegation.partners.add(country)
    delegation.members.create(name=f"Ông {WORD}")
    photo = delegation.photos.create(image=SimpleUploadedFile("anh.jpg", jpeg_bytes()), caption=WORD)
    agreement = Agreement.objects.create(title=f"Thoả thuận {WORD}", kind=AgreementKind.OTHER, signed_on=day)
    agreement.partners.add(country)
    agreement.document.save("noi-bo.pdf", ContentFile(PDF_WITH_WORD))
    project = Project.objects.create(title=f"Dự án {WORD}", kind=ProjectKind.ODA, actual_start=day)
    ProjectParticipant.objects.create(project=project, partner=country, role=ParticipantRole.FUNDING)
    Transaction.objects.create(
        project=project, kind=TransactionKind.DISBURSEMENT, date=day, amount=5, amount_vnd=5, description=WORD
    )
    Partnership.objects.create(local_unit=unit, partner=country, kind="other", note=WORD)
    ReportedFigure.objects.create(
        indicator=Indicator.OUTBOUND_DELEGATIONS, value=9, unit=Unit.COUNT, period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31), scope=unit, source=published_source, excerpt=WORD, note=WORD,
    )  # fmt: skip
    Citation.objects.create(
        content_type=ContentType.objects.get_for_model(Delegation), object_id=delegation.pk, source=source,
        excerpt=WORD,
    )  # fmt: skip
    return {
        "partner": partner, "local_unit": local_unit, "mechanism": mechanism, "source": source,
        "delegation": delegation, "agreement": agreement, "project": project, "photo": photo,
    }  # fmt: skip


def link_unpublished_things_to_published_records(things):
    """The unpublished partner, unit, mechanism and source, named by published records."""
    from projects.models import ParticipantRole, ProjectParticipant, Transaction, TransactionKind
    from sources.models import Citation, Indicator, ReportedFigure, Unit

    day = datetime.date(2024, 7, 1)
    delegation = Delegation.objects.filter(is_public=True).order_by("pk").first()
    delegation.partners.add(things["partner"])
    Delegation.objects.filter(pk=delegation.pk).update(host_unit=things["local_unit"], mechanism=things["mechanism"])
    Citation.objects.create(
        content_type=ContentType.objects.get_for_model(Delegation), object_id=delegation.pk,
        source=things["source"], excerpt=f"Trích {WORD}", locator=WORD,
    )  # fmt: skip
    agreement = Agreement.objects.filter(is_public=True).order_by("pk").first()
    agreement.partners.add(things["partner"])
    Agreement.objects.filter(pk=agreement.pk).update(local_signatory=things["local_unit"], signed_on=day)
    project = Project.objects.filter(is_public=True, kind="oda").order_by("pk").first()
    project.locations.add(things["local_unit"])
    ProjectParticipant.objects.create(project=project, partner=things["partner"], role=ParticipantRole.FUNDING)
    ProjectParticipant.objects.create(project=project, local_unit=things["local_unit"], role=ParticipantRole.EXTENDING)
    Transaction.objects.create(
        project=project, kind=TransactionKind.DISBURSEMENT, date=day, amount=5, amount_vnd=5,
        provider=things["partner"], receiver=things["local_unit"],
    )  # fmt: skip
    Partnership.objects.create(
        local_unit=things["local_unit"], partner=things["partner"], kind="other", is_public=True,
        review_state="approved",
    )  # fmt: skip
    ReportedFigure.objects.create(
        indicator=Indicator.INBOUND_DELEGATIONS, value=3, unit=Unit.COUNT, period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31), scope=things["local_unit"], partner=things["partner"],
        source=things["source"], excerpt=f"Số {WORD}", is_public=True, review_state="approved",
    )  # fmt: skip
    return [delegation.get_absolute_url(), agreement.get_absolute_url(), project.get_absolute_url()]


def start_urls(published_files):
    period = "?preset=custom&start=01/01/2000&end=31/12/2030"
    return [
        "/",
        "/delegations/", "/agreements/", "/projects/", "/partners/",
        "/delegations/export.csv", "/delegations/export.xlsx", "/agreements/export.csv", "/agreements/export.xlsx",
        "/projects/export.csv", "/projects/export.xlsx", "/projects/iati.xml",
        "/partners/export.csv", "/partners/export.xlsx",
        f"/reports/period/{period}", f"/reports/period/export.xlsx{period}", f"/reports/period/export.docx{period}",
        "/reports/period/", "/reports/period/export.xlsx", "/reports/period/export.docx",
        f"/search/?q={PART}", "/search/?q=lang+son", "/search/?q=trung+quoc",
        f"/delegations/?q={PART}", f"/agreements/?q={PART}", f"/projects/?q={PART}", f"/partners/?q={PART}",
        f"/delegations/export.csv?q={PART}", f"/partners/export.csv?q={PART}",
        *published_files.values(),
    ]  # fmt: skip


def urls_naming(things):
    """The URLs a visitor could guess for the new things: each must say nothing."""
    partner, unit, mechanism = things["partner"].pk, things["local_unit"].pk, things["mechanism"].pk
    return [
        things["delegation"].get_absolute_url(), things["agreement"].get_absolute_url(),
        things["project"].get_absolute_url(), f"/partners/{partner}/", f"/partners/{partner}/dossier.docx",
        things["source"].file.url, things["agreement"].document.url, things["photo"].image.url,
        things["photo"].thumbnail.url,
        f"/delegations/?partner={partner}", f"/delegations/?host_unit={unit}", f"/delegations/?mechanism={mechanism}",
        f"/agreements/?partner={partner}", f"/agreements/?local_signatory={unit}", f"/projects/?partner={partner}",
        f"/projects/?location={unit}", f"/partners/?parent={partner}", f"/delegations/export.xlsx?partner={partner}",
        f"/projects/iati.xml?partner={partner}",
    ]  # fmt: skip


def test_anonymous_sees_nothing_new_and_an_official_sees_it_all(seeded, published_files, clients):
    visitor, official = clients["visitor"], clients["official"]
    before = crawl(visitor, start_urls(published_files))
    assert len(before) > 100  # the crawl reached the site's pages, exports and files
    assert all(status == 200 for status, _text in before.values()), [u for u, (s, _t) in before.items() if s != 200]

    things = create_unpublished_things()
    after = refetch(visitor, before)
    changed = [url for url in before if normalised(before[url][1]) != normalised(after[url][1])]
    assert changed == []
    assert [url for url in before if before[url][0] != after[url][0]] == []
    guessed = refetch(visitor, urls_naming(things))
    assert leaks(after) == [] and leaks(guessed) == []
    assert {guessed[url][0] for url in urls_naming(things)[:9]} == {404}

    signed_in = refetch(official, [f"/search/?q={PART}", *urls_naming(things)[:8]])
    assert all(status == 200 for status, _text in signed_in.values())
    found = re.sub("</?mark>", "", signed_in[f"/search/?q={PART}"][1])
    for name in ("Đối tác", "Đơn vị", "Cơ chế", "Bài", "Đoàn", "Thoả thuận", "Dự án"):
        assert f"{name} {WORD}" in found, name

    linking = link_unpublished_things_to_published_records(things)
    crawled_again = crawl(visitor, [*start_urls(published_files), *linking])
    assert leaks(crawled_again) == []
    assert leaks(refetch(visitor, urls_naming(things))) == []
    assert all(WORD in readable_text(official.get(url)) for url in linking)
