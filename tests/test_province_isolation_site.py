"""Two provinces on one database, on the site (issue 16, steps 3 and 4): a
visitor reads one province's published records under ``/p/<code>/``; an
official reads their own province's records, internal ones included, and
another province's as a visitor does; a national user reads every province
(offices/site_scope.py). With one office nothing narrows (the rest of the suite)."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from delegations.models import Delegation, Direction
from offices import services
from offices.models import OfficeProfile, StaffProfile
from partners.models import Partner, PartnerKind
from register.publishable import ReviewState
from tests.conftest import make_user
from tests.import_files import HEADER_ROW

APPROVED = {"review_state": ReviewState.APPROVED}
PUBLISHED = {"review_state": ReviewState.APPROVED, "is_public": True}


@pytest.fixture
def two_provinces(db):
    """Lạng Sơn (the demo office, "20") and Cao Bằng ("04"), each with a published and an
    internal delegation to Guangxi, a partner both share."""
    profile = OfficeProfile(**services.defaults_for(services.find_province("04")))
    profile.full_clean()
    profile.save()
    guangxi = Partner.objects.create(name="Quảng Tây", kind=PartnerKind.REGION, country="CN", **PUBLISHED)
    records = {}
    for code, place in (("20", "Lạng Sơn"), ("04", "Cao Bằng")):
        for shown, state in (("public", PUBLISHED), ("internal", APPROVED)):
            delegation = Delegation.objects.create(
                title=f"Đoàn {place} thăm Quảng Tây ({shown})", direction=Direction.OUTBOUND, province_id=code, **state
            )
            delegation.partners.add(guangxi)
            records[code, shown] = delegation
    return records


def official_of(username, code):
    user = make_user(username, "official")
    StaffProfile.objects.create(user=user, province_id=code)
    client = Client()
    client.force_login(user)
    return client


def titles(response):
    assert response.status_code == 200
    return {d.title for d in response.context["page_obj"].object_list}


def listed(client, prefix=""):
    return titles(client.get(prefix + reverse("delegations:list")))


def test_a_visitor_reads_each_provinces_published_records_under_its_prefix(client, two_provinces):
    assert listed(client, "/p/20") == {two_provinces["20", "public"].title}
    assert listed(client, "/p/04") == {two_provinces["04", "public"].title}


def test_a_record_of_another_province_is_not_found_under_a_prefix(client, two_provinces):
    cao_bang = two_provinces["04", "public"]
    assert client.get(f"/p/20/delegations/{cao_bang.pk}/").status_code == 404
    assert client.get(f"/p/04/delegations/{cao_bang.pk}/").status_code == 200


def test_the_links_of_a_provinces_page_stay_under_its_prefix(client, two_provinces):
    page = client.get("/p/04" + reverse("delegations:list")).content.decode()
    detail = f'href="/p/04/delegations/{two_provinces["04", "public"].pk}/"'
    assert detail in page


@pytest.mark.parametrize("code", ["99", "01", "x"])
def test_a_prefix_of_no_office_in_the_register_is_not_found(client, two_provinces, code):
    # 99 is no province; 01 (Hà Nội) is one, without an office in this database.
    assert client.get(f"/p/{code}/delegations/").status_code == 404


def test_an_official_reads_their_own_provinces_internal_records_and_no_other(two_provinces):
    cao_bang = official_of("bang", "04")
    assert listed(cao_bang) == {two_provinces["04", "public"].title, two_provinces["04", "internal"].title}
    internal = two_provinces["20", "internal"]
    assert cao_bang.get(reverse("delegations:detail", args=[internal.pk])).status_code == 404


def test_an_official_reads_another_province_as_a_visitor_does(two_provinces):
    cao_bang = official_of("bang", "04")
    assert listed(cao_bang, "/p/20") == {two_provinces["20", "public"].title}
    assert cao_bang.get(f"/p/20/delegations/{two_provinces['20', 'internal'].pk}/").status_code == 404


def test_a_national_user_reads_every_province(two_provinces):
    user = make_user("bo", "national")
    national = Client()
    national.force_login(user)
    assert listed(national) == {record.title for record in two_provinces.values()}
    assert listed(national, "/p/04") == {two_provinces["04", "public"].title, two_provinces["04", "internal"].title}


def test_the_exports_hold_the_provinces_records_only(client, two_provinces):
    body = client.get("/p/04" + reverse("delegations:export_csv"))
    text = b"".join(body.streaming_content).decode() if body.streaming else body.content.decode()
    assert two_provinces["04", "public"].title in text
    assert two_provinces["20", "public"].title not in text


def exported(client, path):
    body = client.get(path)
    assert body.status_code == 200
    text = (b"".join(body.streaming_content) if body.streaming else body.content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("app", ["delegations", "agreements", "projects"])
def test_an_export_of_every_province_names_each_rows_province(client, two_provinces, app):
    national = Client()
    national.force_login(make_user("bo", "national"))
    whole = exported(national, reverse(f"{app}:export_csv"))
    assert whole[0][:2] == ["Số hồ sơ", "Tỉnh"]
    assert "Tỉnh" not in exported(national, "/p/04" + reverse(f"{app}:export_csv"))[0]
    if app == "delegations":
        assert sorted(row[1] for row in whole[1:]) == ["Cao Bằng", "Cao Bằng", "Lạng Sơn", "Lạng Sơn"]
    # A visitor at the root reads every province's published rows: the same column.
    assert exported(client, reverse(f"{app}:export_csv"))[0][1] == "Tỉnh"


def test_an_xlsx_export_of_every_province_names_each_rows_province(client, two_provinces):
    from openpyxl import load_workbook

    body = client.get(reverse("delegations:export_xlsx"))
    content = b"".join(body.streaming_content) if body.streaming else body.content
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))
    assert rows[0][1] == "Tỉnh" and {row[1] for row in rows[1:]} == {"Lạng Sơn", "Cao Bằng"}


def test_the_header_offers_each_province_and_names_the_one_shown(client, two_provinces):
    page = client.get("/p/04" + reverse("delegations:list")).content.decode()
    assert 'href="/p/20/"' in page and 'href="/p/04/" aria-current="true"' in page
    assert "Sở Ngoại vụ tỉnh Cao Bằng" in page  # the header's office is the shown province's


def test_with_one_office_the_header_offers_no_province(client, db):
    assert "province-menu" not in client.get(reverse("delegations:list")).content.decode()


def test_a_list_of_every_province_names_each_records_province(client, two_provinces):
    page = client.get(reverse("delegations:list")).content.decode()
    assert '<span class="muted small record-province">Cao Bằng</span>' in page
    assert '<span class="muted small record-province">Lạng Sơn</span>' in page
    assert "record-province" not in client.get("/p/04" + reverse("delegations:list")).content.decode()


def test_an_official_gets_another_provinces_published_photos_and_not_its_internal_ones(two_provinces):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from delegations.models import DelegationPhoto
    from tests.test_media import jpeg_bytes

    photos = {
        shown: DelegationPhoto.objects.create(
            delegation=two_provinces["20", shown], image=SimpleUploadedFile("a.jpg", jpeg_bytes())
        )
        for shown in ("public", "internal")
    }
    cao_bang = official_of("bang", "04")
    assert cao_bang.get(photos["public"].image.url).status_code == 200  # as on Lạng Sơn's page, to a visitor
    assert cao_bang.get(photos["internal"].image.url).status_code == 404
    assert official_of("lan", "20").get(photos["internal"].image.url).status_code == 200
