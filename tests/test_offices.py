"""One office, any province (issue 16, item 1): the office profile that
administrators edit, `start_province` on a fresh database, and the pages,
Word documents and IATI file that show the profile's names and no other."""

import datetime as dt
import io
from io import StringIO

import docx
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from delegations.models import Delegation
from delegations.views import ListPage
from offices.models import OfficeProfile
from offices.profile import CACHE_KEY, current_profile, remember_profile
from partners.models import LocalUnit, LocalUnitKind, Partner, PartnerKind, Sector
from projects.models import (
    Currency,
    ParticipantRole,
    Project,
    ProjectKind,
    ProjectParticipant,
    ProjectStatus,
    Transaction,
    TransactionKind,
)
from register.publishable import ReviewState
from sources.models import Citation, Source
from tests.conftest import PUBLISHED, english, make_user
from tests.test_iati_standard import assert_valid

# Each test starts from a database without an office, as a fresh install does.
pytestmark = pytest.mark.no_office

CHANGE = "admin:offices_officeprofile_change"
ADD = reverse("admin:offices_officeprofile_add")
LIST = reverse("admin:offices_officeprofile_changelist")


def start(*args):
    out = StringIO()
    call_command("start_province", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def cao_bang(db):
    """A fresh database set up for Cao Bằng, as the README says."""
    start("--code", "04", "--name", "Cao Bằng")
    return OfficeProfile.objects.get()


@pytest.fixture
def administrator(db):
    """An administrator by role (the group's permissions), not a superuser."""
    return make_user("quantri", "administrator", is_staff=True)


def form_data(profile, **changes):
    fields = [
        "province_code",
        "office_name",
        "office_name_en",
        "site_title",
        "site_title_en",
        "superior_body",
        "heading_name",
        "place",
        "report_symbol",
        "signer_title",
        "iati_org_name",
        "iati_org_ref",
        "iati_org_type",
        "footer",
        "footer_en",
    ]
    return {**{name: getattr(profile, name) for name in fields}, **changes}


def png(size=(40, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


# --- start_province on a fresh database ----------------------------------------------------------------------------


def test_start_province_makes_a_clean_install_for_cao_bang(db):
    output = start("--code", "04", "--name", "Cao Bằng")

    profile = OfficeProfile.objects.get()
    assert (profile.province_code, profile.province_name) == ("04", "Cao Bằng")
    assert profile.office_name == "Sở Ngoại vụ tỉnh Cao Bằng"
    assert profile.issuer_lines() == ["UBND TỈNH CAO BẰNG", "SỞ NGOẠI VỤ"]
    assert (profile.place, profile.report_symbol, profile.signer_title) == ("Cao Bằng", "BC-SNgV", "GIÁM ĐỐC")
    assert profile.iati_reporting_org() == {"ref": "VN-COA-04-SNGV", "type": "11", "name": "Sở Ngoại vụ tỉnh Cao Bằng"}
    assert profile.site_title == "Cơ sở dữ liệu đối ngoại tỉnh Cao Bằng"
    assert "Đã tạo hồ sơ cơ quan “Sở Ngoại vụ tỉnh Cao Bằng” cho tỉnh Cao Bằng (mã 04)." in output
    assert "đã tạo 57" in output


def test_start_province_adds_the_province_and_its_56_communes_and_wards_of_the_2025_map(cao_bang):
    province = LocalUnit.objects.get(code="04")
    assert (province.name, province.kind, province.parent) == ("UBND tỉnh Cao Bằng", LocalUnitKind.PROVINCE, None)
    communes = LocalUnit.objects.filter(parent=province)
    assert communes.count() == 56
    assert set(communes.values_list("kind", flat=True)) == {LocalUnitKind.COMMUNE}
    assert communes.filter(code="01273", name="Phường Thục Phán").exists()
    assert LocalUnit.objects.count() == 57
    # Published, each citing the official list word for word.
    assert LocalUnit.objects.exclude(review_state=ReviewState.APPROVED).count() == 0
    source = Source.objects.get()
    assert source.url == "https://danhmuchanhchinh.gso.gov.vn/"
    assert Citation.objects.count() == 57
    assert all(citation.excerpt in source.body for citation in Citation.objects.all())


def test_start_province_writes_no_lang_son_record(cao_bang):
    for model in (LocalUnit, Source, Partner, Delegation, Project):
        assert not model.objects.filter(search_text__contains="lang son").exists(), model
    assert OfficeProfile.objects.filter(province_code="20").count() == 0


def test_start_province_run_again_adds_nothing_and_keeps_the_edited_profile(cao_bang):
    OfficeProfile.objects.update(office_name="Văn phòng UBND tỉnh Cao Bằng")

    output = start("--code", "4")

    assert "đã có; giữ nguyên" in output
    assert OfficeProfile.objects.get().office_name == "Văn phòng UBND tỉnh Cao Bằng"
    assert LocalUnit.objects.count() == 57


def test_start_province_adds_a_second_office_beside_lang_sons_records(seeded):
    lang_son_records = {model: model.objects.count() for model in (Delegation, LocalUnit, Source)}

    start("--code", "04", "--name", "Cao Bằng")

    assert sorted(OfficeProfile.objects.values_list("province_code", flat=True)) == ["04", "20"]
    assert Delegation.objects.filter(province="20").count() == lang_son_records[Delegation]
    assert LocalUnit.objects.filter(province="20").count() == lang_son_records[LocalUnit]
    assert LocalUnit.objects.filter(province="04").count() == 57
    assert LocalUnit.objects.get(code="04").name == "UBND tỉnh Cao Bằng"
    assert Source.objects.filter(province="04").count() == 1  # the official list the units cite


def test_start_province_on_an_upgraded_install_claims_its_records_only_when_told(db, monkeypatch):
    # Before offices, records had no province; their migration asks for the office first (offices/migrating.py).
    monkeypatch.setattr("offices.services.records_held", lambda: {"đoàn ra, đoàn vào": 6})

    with pytest.raises(CommandError, match="--records-are-ours"):
        start("--code", "20", "--name", "Lạng Sơn")
    assert not OfficeProfile.objects.exists()

    start("--code", "20", "--name", "Lạng Sơn", "--records-are-ours")
    assert OfficeProfile.objects.get().province_code == "20"
    assert not LocalUnit.objects.exists()  # added by a second run, once `migrate` has given the records their province


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--code", "04", "--name", "Lạng Sơn"], "Mã 04 là tỉnh Cao Bằng, không phải “Lạng Sơn”."),
        (["--code", "99"], "Không có tỉnh, thành phố nào mã 99"),
        (["--code", "Cao Bằng"], "Không có tỉnh, thành phố nào mã Cao Bằng"),
    ],
)
def test_start_province_refuses_a_code_or_name_not_in_the_list(db, args, message):
    with pytest.raises(CommandError) as refused:
        start(*args)
    assert message in str(refused.value)
    assert not OfficeProfile.objects.exists()


def test_start_province_accepts_a_city_and_a_name_without_accents(db):
    start("--code", "01", "--name", "ha noi")
    profile = OfficeProfile.objects.get()
    assert profile.issuer_lines() == ["UBND THÀNH PHỐ HÀ NỘI", "SỞ NGOẠI VỤ"]
    assert LocalUnit.objects.get(code="01").name == "UBND thành phố Hà Nội"


def test_start_province_dry_run_writes_nothing(db):
    output = start("--code", "04", "--dry-run")
    assert "Sẽ dựng tỉnh Cao Bằng (mã 04)" in output
    assert not OfficeProfile.objects.exists() and not LocalUnit.objects.exists()


def test_seed_demo_refuses_a_database_set_up_for_another_province(cao_bang, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="Cơ sở dữ liệu này thuộc tỉnh Cao Bằng"):
        call_command("seed_demo", stdout=StringIO())
    assert OfficeProfile.objects.get().province_code == "04"
    assert not Delegation.objects.exists()


# --- the profile in the admin --------------------------------------------------------------------------------------


def test_an_administrator_edits_the_profile_and_the_pages_show_it_at_once(client, administrator, cao_bang):
    client.force_login(administrator)
    url = reverse(CHANGE, args=[cao_bang.pk])

    response = client.post(url, form_data(cao_bang, office_name="Văn phòng UBND tỉnh Cao Bằng"))

    assert response.status_code == 302
    assert OfficeProfile.objects.get().office_name == "Văn phòng UBND tỉnh Cao Bằng"
    assert "Văn phòng UBND tỉnh Cao Bằng" in client.get("/").content.decode()
    assert OfficeProfile.history.count() == 2  # created by start_province, changed here


@pytest.mark.parametrize("role", ["staff", "approver", "official"])
def test_only_administrators_open_or_change_the_profile(client, request, cao_bang, role):
    user = request.getfixturevalue(role)
    user.is_staff = True
    user.save()
    client.force_login(user)
    url = reverse(CHANGE, args=[cao_bang.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, form_data(cao_bang, office_name="Không được sửa")).status_code == 403
    assert OfficeProfile.objects.get().office_name == "Sở Ngoại vụ tỉnh Cao Bằng"


def test_the_list_of_one_goes_to_the_profile_which_cannot_be_added_twice_nor_deleted(client, administrator, cao_bang):
    client.force_login(administrator)
    assert client.get(LIST)["Location"] == reverse(CHANGE, args=[cao_bang.pk])
    assert client.get(ADD).status_code == 403
    assert client.get(reverse("admin:offices_officeprofile_delete", args=[cao_bang.pk])).status_code == 403


def test_the_province_of_a_saved_profile_stays(client, administrator, cao_bang):
    client.force_login(administrator)
    client.post(reverse(CHANGE, args=[cao_bang.pk]), form_data(cao_bang, province_code="20"))
    assert OfficeProfile.objects.get().province_code == "04"


def test_the_admin_refuses_an_iati_identifier_iati_does_not_recognise(client, administrator, cao_bang):
    client.force_login(administrator)
    response = client.post(reverse(CHANGE, args=[cao_bang.pk]), form_data(cao_bang, iati_org_ref="VN-CB 01"))
    assert response.status_code == 200
    assert "Không phải mã định danh tổ chức theo IATI" in response.content.decode()
    assert OfficeProfile.objects.get().iati_org_ref == "VN-COA-04-SNGV"


def test_the_profile_screen_on_a_fresh_database_sets_the_province_up(client, administrator):
    client.force_login(administrator)
    assert client.get(LIST)["Location"] == ADD

    response = client.post(ADD, {"province_code": "04", "iati_org_type": "11", "office_name": "Sở Ngoại vụ Cao Bằng"})

    assert response.status_code == 302, response.content.decode()[:3000]
    profile = OfficeProfile.objects.get()
    assert profile.office_name == "Sở Ngoại vụ Cao Bằng"  # as typed
    assert profile.place == "Cao Bằng"  # left blank: from the province
    assert LocalUnit.objects.filter(parent__code="04").count() == 56


def test_the_emblem_is_shown_in_every_page_header_and_served_to_visitors(client, administrator, cao_bang):
    client.force_login(administrator)
    data = form_data(cao_bang, emblem=SimpleUploadedFile("quoc-huy.png", png(), content_type="image/png"))
    assert client.post(reverse(CHANGE, args=[cao_bang.pk]), data).status_code == 302
    emblem = OfficeProfile.objects.get().emblem
    assert emblem.name.startswith("office/") and emblem.name.endswith(".png")

    visitor = Client()
    assert f'<img class="brand__emblem brand__emblem--image" src="{emblem.url}"' in visitor.get("/").content.decode()
    served = visitor.get(emblem.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"


# --- rules in the database -----------------------------------------------------------------------------------------


def test_the_database_holds_one_profile_per_province(cao_bang):
    OfficeProfile.objects.create(**{**form_data(cao_bang), "province_code": "20"})
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeProfile.objects.create(**{**form_data(cao_bang), "province_code": "04"})


@pytest.mark.parametrize(
    "change",
    [{"office_name": ""}, {"site_title": ""}, {"place": ""}, {"province_code": "99"}, {"iati_org_type": "12"}],
)
def test_the_database_refuses_a_blank_name_or_a_code_outside_its_list(cao_bang, change):
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeProfile.objects.update(**change)


# --- what the pages show -------------------------------------------------------------------------------------------


def test_the_page_header_and_footer_show_the_profiles_names(client, cao_bang):
    html = client.get("/").content.decode()
    assert '<span class="brand__org">Sở Ngoại vụ tỉnh Cao Bằng</span>' in html
    assert '<span class="brand__name">Cơ sở dữ liệu đối ngoại tỉnh Cao Bằng</span>' in html
    assert " · Sở Ngoại vụ tỉnh Cao Bằng</title>" in html
    assert "<p>Sở Ngoại vụ tỉnh Cao Bằng · " in html
    assert "Lạng Sơn" not in html


def test_in_english_the_header_shows_the_english_names(client, cao_bang):
    html = english(client).get("/").content.decode()
    assert '<span class="brand__org">Cao Bằng Department of Foreign Affairs</span>' in html
    assert '<span class="brand__name">Cao Bằng foreign-affairs register</span>' in html


def test_the_demo_data_shows_lang_son_from_its_profile(client, seeded):
    html = client.get("/").content.decode()
    assert '<span class="brand__org">Sở Ngoại vụ tỉnh Lạng Sơn</span>' in html


def test_a_database_without_a_profile_shows_neutral_names(client, db):
    html = client.get("/").content.decode()
    assert '<span class="brand__org">Sở Ngoại vụ</span>' in html
    assert '<span class="brand__name">Cơ sở dữ liệu đối ngoại</span>' in html


def test_the_admin_is_titled_with_the_profiles_site_title(client, administrator, cao_bang):
    client.force_login(administrator)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Cơ sở dữ liệu đối ngoại tỉnh Cao Bằng</a>" in html


def test_the_profile_costs_one_query_when_the_cache_is_cold_and_none_after(cao_bang, django_assert_num_queries):
    cache.delete(CACHE_KEY)
    with django_assert_num_queries(1):
        assert current_profile().office_name == "Sở Ngoại vụ tỉnh Cao Bằng"
    with django_assert_num_queries(0):
        assert current_profile().office_name == "Sở Ngoại vụ tỉnh Cao Bằng"


def test_a_page_reads_no_profile_from_the_database_once_it_is_cached(client, cao_bang):
    cache.delete(CACHE_KEY)
    with CaptureQueriesContext(connection) as first:
        client.get("/delegations/")
    with CaptureQueriesContext(connection) as second:
        html = client.get("/delegations/").content.decode()

    assert "Sở Ngoại vụ tỉnh Cao Bằng" in html
    assert [q["sql"] for q in first if "offices_officeprofile" in q["sql"]] != []
    assert [q["sql"] for q in second if "offices_officeprofile" in q["sql"]] == []
    assert len(second) == len(first) - 1


def test_the_error_page_of_a_database_outage_shows_the_cached_names_without_a_query(cao_bang, monkeypatch):
    current_profile()

    def unreachable(self):
        raise OperationalError("connection to server at 127.0.0.1 failed")

    monkeypatch.setattr(ListPage, "get_base_queryset", unreachable)
    response = Client(raise_request_exception=False).get("/delegations/")

    assert response.status_code == 503
    assert "Sở Ngoại vụ tỉnh Cao Bằng" in response.content.decode()


def test_the_error_page_falls_back_to_neutral_names_when_nothing_is_cached(cao_bang, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(self, sql, params=None):
        raise OperationalError("server closed the connection unexpectedly")

    cache.delete(CACHE_KEY)
    with monkeypatch.context() as patched:  # every query fails, the profile's too
        patched.setattr(CursorWrapper, "execute", refuse)
        response = Client(raise_request_exception=False).get("/delegations/")

    assert response.status_code == 503
    html = response.content.decode()
    assert '<span class="brand__org">Sở Ngoại vụ</span>' in html


# --- documents: Word and IATI --------------------------------------------------------------------------------------


def word_heading(response):
    heading = docx.Document(io.BytesIO(b"".join(response.streaming_content))).tables[0]
    return [cell.text for row in heading.rows for cell in row.cells]


def test_the_period_report_in_word_is_issued_by_the_profiles_office(client, cao_bang):
    response = client.get(reverse("reports:period_docx"), {"start": "2025-01-01", "end": "2025-12-31"})

    issuer, national, number, date_line = word_heading(response)
    assert issuer.split("\n")[:2] == ["UBND TỈNH CAO BẰNG", "SỞ NGOẠI VỤ"]
    assert number == "Số:      /BC-SNgV"
    assert date_line.startswith("Cao Bằng, ngày ")


def test_a_partner_dossier_in_word_is_issued_by_the_profiles_office(client, cao_bang):
    guangxi = Partner.objects.create(name="Quảng Tây", kind=PartnerKind.REGION, country="CN", **PUBLISHED)

    response = client.get(reverse("reports:dossier_docx", args=[guangxi.pk]))

    issuer, _national, _number, date_line = word_heading(response)
    assert issuer.startswith("UBND TỈNH CAO BẰNG\nSỞ NGOẠI VỤ")
    assert date_line.startswith("Cao Bằng, ngày ")


def test_the_iati_file_is_reported_by_the_profiles_office_and_valid(client, cao_bang):
    commune = LocalUnit.objects.get(code="01273")
    bank = Partner.objects.create(
        name="Ngân hàng Thế giới", name_en="World Bank", kind=PartnerKind.BANK, iati_ref="XM-DAC-44000", **PUBLISHED
    )
    project = Project.objects.create(
        title="Dự án cấp nước sạch Thục Phán",
        kind=ProjectKind.ODA,
        description="Cấp nước sạch cho phường Thục Phán.",
        status=ProjectStatus.IMPLEMENTATION,
        actual_start=dt.date(2024, 1, 1),
        sector=Sector.objects.create(code="14030", name="Cấp nước", name_en="Basic drinking water supply"),
        **PUBLISHED,
    )
    project.locations.set([commune])
    ProjectParticipant.objects.create(project=project, partner=bank, role=ParticipantRole.FUNDING)
    ProjectParticipant.objects.create(project=project, local_unit=commune, role=ParticipantRole.IMPLEMENTING)
    Transaction.objects.create(
        project=project,
        kind=TransactionKind.DISBURSEMENT,
        date=dt.date(2024, 5, 1),
        amount=1000,
        currency=Currency.USD,
        provider=bank,
        receiver=commune,
    )

    response = client.get(reverse("projects:iati"))
    body = b"".join(response.streaming_content)

    assert_valid(body)
    text = body.decode()
    assert '<reporting-org ref="VN-COA-04-SNGV" type="11">' in text
    assert "<narrative>Sở Ngoại vụ tỉnh Cao Bằng</narrative>" in text
    assert f"<iati-identifier>VN-COA-04-SNGV-{project.pk}</iati-identifier>" in text


def test_a_saved_profile_replaces_the_cached_one(cao_bang):
    remember_profile(cao_bang)
    cao_bang.place = "TP. Cao Bằng"
    cao_bang.save()
    assert current_profile().place == "TP. Cao Bằng"
