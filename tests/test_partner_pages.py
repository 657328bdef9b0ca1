"""The partner list (/partners/): the three names, the hierarchy filter, the
search in any script or spelling, sorting, pages, and counts of the records
the viewer may see, in a fixed number of queries."""

import re
from html import unescape

import pytest
from django.urls import reverse

from agreements.models import Agreement, AgreementKind
from common.collation import vietnamese_key
from delegations.models import Delegation, Direction
from partners.models import Partner, PartnerKind
from projects.models import ParticipantRole, Project, ProjectKind, ProjectParticipant
from register.publishable import ReviewState
from tests.conftest import english, readable_text

LIST = reverse("partners:list")
PUBLISHED = {"is_public": True, "review_state": ReviewState.APPROVED}


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests run with DEBUG off but without collectstatic: the manifest storage
    # would refuse {% static %} in the base template.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def partner(name_en):
    return Partner.objects.get(name_en=name_en)


def names(response):
    return [p.name for p in response.context["object_list"]]


def row(response, name):
    return next(p for p in response.context["object_list"] if p.name == name)


def delegation(title, *partners, published=True, **fields):
    values = {"direction": Direction.INBOUND, **(PUBLISHED if published else {}), **fields}
    record = Delegation.objects.create(title=title, **values)
    record.partners.add(*partners)
    return record


def agreement(title, *partners, published=True):
    record = Agreement.objects.create(title=title, kind=AgreementKind.MOU, **(PUBLISHED if published else {}))
    record.partners.add(*partners)
    return record


def project(title, *partners, published=True):
    record = Project.objects.create(title=title, kind=ProjectKind.ODA, **(PUBLISHED if published else {}))
    for p in partners:
        ProjectParticipant.objects.create(project=record, partner=p, role=ParticipantRole.FUNDING)
    return record


# The list ------------------------------------------------------------------------------------


def test_the_list_shows_each_partner_in_three_scripts_with_kind_country_and_parent(client, seeded):
    response = client.get(LIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Bằng Tường" in page
    assert "Pingxiang" in page
    assert "凭祥市" in page
    pingxiang = row(response, "Bằng Tường")
    assert pingxiang.country_name == "Trung Quốc"
    assert pingxiang.parent.name == "Sùng Tả"
    assert f'href="{pingxiang.get_absolute_url()}"' in page  # the name opens the dossier


def test_parent_filter_lists_every_partner_under_guangxi(client, seeded):
    response = client.get(LIST, {"parent": partner("Guangxi Zhuang Autonomous Region").pk})

    listed = names(response)
    assert {"Bằng Tường", "Ninh Minh", "Sùng Tả"} <= set(listed)
    assert "Khu tự trị dân tộc Choang Quảng Tây" not in listed  # itself
    assert "Trung Quốc" not in listed  # above it
    assert "Lào" not in listed


@pytest.mark.parametrize("query", ["pingxiang", "凭祥", "bang tuong", "BANG TUONG", "Bằng Tường", "thi bang tuong"])
def test_search_finds_bang_tuong_in_any_script_or_spelling(client, seeded, query):
    assert names(client.get(LIST, {"q": query})) == ["Bằng Tường"]


def test_kind_and_country_filters(client, seeded):
    countries = names(client.get(LIST, {"kind": PartnerKind.COUNTRY}))
    chinese = names(client.get(LIST, {"country": "CN"}))

    assert "Trung Quốc" in countries and "Lào" in countries
    assert "Bằng Tường" not in countries
    assert "Bằng Tường" in chinese and "Trung Quốc" in chinese
    assert "Lào" not in chinese and "Ngân hàng Thế giới" not in chinese


def test_invalid_filter_values_are_explained_and_the_others_still_apply(client, seeded):
    response = english(client).get(LIST, {"country": "ZZ", "kind": "planet", "parent": "999999", "q": "ninh minh"})

    assert response.status_code == 200
    assert names(response) == ["Ninh Minh"]
    notices = " ".join(str(n) for n in response.context["notices"])
    assert "Country" in notices
    assert "Kind" in notices
    assert "Belongs to" in notices


def test_sorting_by_name_kind_and_country(client, db):
    Partner.objects.create(**PUBLISHED, name="Beta", kind=PartnerKind.COUNTRY, country="LA")
    Partner.objects.create(**PUBLISHED, name="Alpha", kind=PartnerKind.NGO, country="BE")
    Partner.objects.create(**PUBLISHED, name="Gamma", kind=PartnerKind.BANK, country="")

    assert names(client.get(LIST)) == ["Alpha", "Beta", "Gamma"]
    assert names(client.get(LIST, {"sort": "kind"})) == ["Gamma", "Beta", "Alpha"]  # bank, country, ngo
    # By the country's name: LA is named "Beta" by its own row, BE "Bỉ"; no country last.
    assert names(client.get(LIST, {"sort": "country"})) == ["Beta", "Alpha", "Gamma"]


def test_names_sort_in_vietnamese_order_not_by_code_point(client, db):
    # By code point: Anh, Dương, Zambia, Ấn Độ, Đức (Â and Đ come after Z).
    for name in ("Zambia", "Đức", "Ấn Độ", "Dương", "anh"):
        Partner.objects.create(**PUBLISHED, name=name, kind=PartnerKind.COUNTRY)

    assert names(client.get(LIST)) == ["anh", "Ấn Độ", "Dương", "Đức", "Zambia"]


def test_the_name_order_walks_its_cursor_pages_in_vietnamese_order(client, db, monkeypatch):
    from common import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 10)  # cursor pages without 10.000 partners
    words = ["Đức", "Dương", "Ấn", "An", "Ăn", "Bà", "Ba", "Bá", "Zê"]
    Partner.objects.bulk_create(
        [Partner(**PUBLISHED, name=f"{word} {n}", kind=PartnerKind.TOWN) for word in words for n in range(4)]
    )
    expected = [p.name for p in sorted(Partner.objects.all(), key=lambda p: (vietnamese_key(p.name), p.pk))]

    seen, url = [], LIST
    while url:
        response = client.get(url)
        seen += names(response)
        following = response.context["page_obj"].following
        assert following is None or following["after"], "past the cap the pages go by cursor"
        url = following and f"{LIST}?after={following['after']}"
        assert len(seen) <= len(expected)

    assert seen == expected


def test_the_parent_filter_offers_its_partners_in_vietnamese_order(client, db):
    for name in ("Zhuang", "Đồng Đăng", "Ấn Độ"):
        Partner.objects.create(**PUBLISHED, name=name, kind=PartnerKind.REGION, country="CN")
    for parent in Partner.objects.all():
        Partner.objects.create(
            **PUBLISHED, name=f"Xã của {parent.name}", kind=PartnerKind.TOWN, country="CN", parent=parent
        )

    html = client.get(LIST).content.decode()
    select = re.search(r'<select name="parent"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert [unescape(o) for o in re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', select)] == [
        "Ấn Độ",
        "Đồng Đăng",
        "Zhuang",
    ]


def test_sorting_by_country_follows_the_vietnamese_names_not_the_codes(client, db):
    # By code: CN, DE, FR. By name: Đức, Pháp, Trung Quốc.
    Partner.objects.create(**PUBLISHED, name="Bằng Tường", kind=PartnerKind.COUNTY, country="CN")
    Partner.objects.create(**PUBLISHED, name="Vùng Occitanie", kind=PartnerKind.REGION, country="FR")
    Partner.objects.create(**PUBLISHED, name="Bang Bayern", kind=PartnerKind.REGION, country="DE")

    response = client.get(LIST, {"sort": "country"})

    assert names(response) == ["Bang Bayern", "Vùng Occitanie", "Bằng Tường"]
    html = response.content.decode()
    assert "<td>Đức</td>" in html and "<td>Trung Quốc</td>" in html
    options = re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]*)</option>', html)
    assert options == [("DE", "Đức"), ("FR", "Pháp"), ("CN", "Trung Quốc")]


def test_an_unknown_sort_order_is_explained(client, seeded):
    response = english(client).get(LIST, {"sort": "population"})

    assert response.context["sort"] == "name"
    assert "Unknown sort order “population”" in response.content.decode()


def test_pages_of_25_partners(client, seeded):
    for i in range(10):
        Partner.objects.create(**PUBLISHED, name=f"Xã thử {i}", kind=PartnerKind.TOWN, country="CN")
    total = Partner.objects.count()

    first, second = client.get(LIST), client.get(LIST, {"page": 2})

    assert len(names(first)) == 25
    assert len(names(second)) == total - 25
    assert client.get(LIST, {"page": "x"}).context["page_obj"].number == 1


# Counts --------------------------------------------------------------------------------------


def test_counts_cover_the_partner_and_the_localities_under_it(client, seeded):
    response = client.get(LIST)

    guangxi = row(response, "Khu tự trị dân tộc Choang Quảng Tây")
    pingxiang = row(response, "Bằng Tường")
    # Seeded: the Chongzuo visit and the HIV conference with Bằng Tường; the Cao Lộc–Bằng Tường MoU.
    assert (guangxi.delegation_count, guangxi.agreement_count, guangxi.project_count) == (2, 1, 0)
    assert (pingxiang.delegation_count, pingxiang.agreement_count, pingxiang.project_count) == (1, 1, 0)
    assert row(response, "Ngân hàng Thế giới").project_count == 1


def test_counts_do_not_multiply_across_relations_or_partners(client, db):
    region = Partner.objects.create(**PUBLISHED, name="Vùng A", kind=PartnerKind.REGION, country="CN")
    town_1 = Partner.objects.create(**PUBLISHED, name="Thị B", kind=PartnerKind.COUNTY, country="CN", parent=region)
    town_2 = Partner.objects.create(**PUBLISHED, name="Thị C", kind=PartnerKind.COUNTY, country="CN", parent=region)
    delegation("Đoàn 1", town_1, town_2)  # two partners under the region: one delegation
    delegation("Đoàn 2", town_1)
    for i in range(3):
        agreement(f"Thỏa thuận {i}", town_1)
    project("Dự án 1", town_1, town_2)

    response = client.get(LIST)

    assert (row(response, "Vùng A").delegation_count, row(response, "Vùng A").agreement_count) == (2, 3)
    assert row(response, "Vùng A").project_count == 1
    assert (row(response, "Thị B").delegation_count, row(response, "Thị B").agreement_count) == (2, 3)
    assert row(response, "Thị C").delegation_count == 1


def test_a_visitor_counts_only_published_records(client, db):
    town = Partner.objects.create(**PUBLISHED, name="Thị B", kind=PartnerKind.COUNTY, country="CN")
    delegation("Đoàn công khai", town)
    delegation("Đoàn nội bộ ZX-417", town, published=False)
    delegation("Đoàn chờ duyệt", town, is_public=False, review_state=ReviewState.SUBMITTED)
    agreement("Thỏa thuận nội bộ", town, published=False)
    project("Dự án nội bộ", town, published=False)

    visitor_row = row(client.get(LIST), "Thị B")

    assert (visitor_row.delegation_count, visitor_row.agreement_count, visitor_row.project_count) == (1, 0, 0)


@pytest.mark.parametrize("persona", ["official", "staff"])
def test_signed_in_users_count_every_record(client, db, persona, request):
    town = Partner.objects.create(**PUBLISHED, name="Thị B", kind=PartnerKind.COUNTY, country="CN")
    delegation("Đoàn công khai", town)
    delegation("Đoàn nội bộ ZX-417", town, published=False)
    agreement("Thỏa thuận nội bộ", town, published=False)
    project("Dự án nội bộ", town, published=False)
    client.force_login(request.getfixturevalue(persona))

    signed_in_row = row(client.get(LIST), "Thị B")

    assert (signed_in_row.delegation_count, signed_in_row.agreement_count, signed_in_row.project_count) == (2, 1, 1)


@pytest.mark.parametrize("extra", [0, 20])
def test_the_list_costs_the_same_queries_whatever_the_number_of_records(
    client, seeded, django_assert_num_queries, extra
):
    pingxiang = partner("Pingxiang")
    for i in range(extra):
        delegation(f"Đoàn {i}", pingxiang)
        agreement(f"Thỏa thuận {i}", pingxiang)
        Partner.objects.create(**PUBLISHED, name=f"Xã {i}", kind=PartnerKind.TOWN, country="CN", parent=pingxiang)

    # 1 the country names (filter choices and table); 2 the row count; 3 the page of
    # partners with parent and the three counts (partner tally sums); 4 the choices of the
    # "belongs to" filter.
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert response.status_code == 200


def test_a_province_counts_each_record_once_however_many_of_its_towns_it_names(client, seeded):
    guangxi = Partner.objects.get(name_en="Guangxi Zhuang Autonomous Region")
    before = next(p for p in client.get(LIST, {"q": "quang tay"}).context["object_list"] if p.pk == guangxi.pk)
    delegation("Đoàn thăm hai huyện", partner("Pingxiang"), partner("Ningming County"))

    response = client.get(LIST, {"q": "quang tay"})

    after = next(p for p in response.context["object_list"] if p.pk == guangxi.pk)
    assert after.delegation_count == before.delegation_count + 1
    assert f">{after.delegation_count}<" in response.content.decode()


def test_a_province_stops_counting_records_unpublished_under_it(client, seeded):
    from delegations.models import Delegation

    guangxi = Partner.objects.get(name_en="Guangxi Zhuang Autonomous Region")
    before = client.get(LIST, {"q": "quang tay"}).context["object_list"]
    counted = next(p.delegation_count for p in before if p.pk == guangxi.pk)
    Delegation.objects.involving(guangxi).update(is_public=False)

    after = client.get(LIST, {"q": "quang tay"}).context["object_list"]

    assert counted >= 1
    assert next(p.delegation_count for p in after if p.pk == guangxi.pk) == 0


# --- Partners go through review (issue 13) ---------------------------------------------------------------------


def test_a_visitor_is_offered_only_published_partners_in_the_list_its_filters_and_exports(client, official_client, db):
    published = {"is_public": True, "review_state": ReviewState.APPROVED}
    country = Partner.objects.create(name="Trung Quốc", kind=PartnerKind.COUNTRY, country="CN", **published)
    draft = Partner.objects.create(name="Tỉnh chưa duyệt", kind=PartnerKind.REGION, country="XY", parent=country)
    Partner.objects.create(name="Thị trấn đã duyệt", kind=PartnerKind.TOWN, country="CN", parent=draft, **published)

    page = client.get("/partners/").content.decode()
    assert "Tỉnh chưa duyệt" not in page  # neither row nor parent
    assert not re.search(r"\bXY\b", page)  # nor country choice (a random nonce may hold the letters "XY")
    assert "Thị trấn đã duyệt" in page
    assert client.get("/partners/", {"parent": draft.pk}).context["filter"].form.errors  # not a choice
    for export in ("/partners/export.csv", "/partners/export.xlsx"):
        assert "chưa duyệt" not in readable_text(client.get(export))
        assert "chưa duyệt" in readable_text(official_client.get(export))
    assert "Tỉnh chưa duyệt" in official_client.get("/partners/").content.decode()
