"""The agreement list and an agreement's own page: filters (the partner
hierarchy and "in force on a date" included), sorting, pagination, plain
notices for bad filter values, what each role may see, and a fixed number of
queries per page."""

import datetime as dt
import re
from html import unescape

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from agreements.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    AgreementUpdate,
    Partnership,
    PartnershipKind,
    Regime,
    SigningLevel,
)
from common.partial_dates import DatePrecision
from partners.models import LocalUnit, Partner, Sector
from register.publishable import ReviewState
from tests.conftest import english

LIST = reverse("agreements:list")
CAO_LOC_MOU = (
    "Biên bản ghi nhớ về hợp tác với thị Bằng Tường về cùng tăng cường thúc đẩy xây dựng khu hợp tác kinh tế "
    "khu vực biên giới Bằng Tường, Quảng Tây, Trung Quốc – Cao Lộc, Lạng Sơn, Việt Nam"
)


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Tests run with DEBUG off but without collectstatic: the manifest storage
    # would fail on {% static %}.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# --- helpers -----------------------------------------------------------------


def make_agreement(title, *, partners=(), sectors=(), published=True, **fields):
    fields.setdefault("kind", AgreementKind.AGREEMENT)
    agreement = Agreement.objects.create(
        title=title,
        is_public=published,
        review_state=ReviewState.APPROVED if published else ReviewState.DRAFT,
        **fields,
    )
    agreement.partners.set(partners)
    agreement.fields.set(sectors)
    return agreement


def partner(name_en):
    return Partner.objects.get(name_en=name_en)


def unit(name):
    return LocalUnit.objects.get(name=name)


def listed_titles(response):
    """The titles of the list's rows, in page order."""
    html = response.content.decode()
    return [unescape(t) for t in re.findall(r'<td class="record-list__title">\s*<a href="[^"]+">([^<]+)</a>', html)]


def result_count(response):
    match = re.search(r'<p class="result-count"[^>]*>\s*([\d.,]+)', response.content.decode())
    return int(match.group(1).replace(".", "").replace(",", ""))


def notices(response):
    html = response.content.decode()
    block = re.search(r'<ul class="notices"[^>]*>(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1), re.S) if block else []


@pytest.fixture(params=["visitor", "official", "staff"])
def viewer(request, client):
    """The test client as an anonymous visitor, a signed-in official, or staff."""
    if request.param != "visitor":
        client.force_login(request.getfixturevalue(request.param))
    return client


@pytest.fixture
def lao_agreement(seeded):
    return make_agreement(
        "Thỏa thuận hợp tác với tỉnh Luang Prabang",
        partners=[partner("Laos")],
        signed_on=dt.date(2019, 6, 12),
        expires_on=dt.date(2024, 6, 11),
        status=AgreementStatus.IN_FORCE,
        signing_level=SigningLevel.PROVINCIAL_COMMITTEE,
        local_signatory=unit("UBND tỉnh Lạng Sơn"),
        sectors=[Sector.objects.get(name="Du lịch")],
    )


# --- the list ----------------------------------------------------------------


def test_every_role_sees_the_seeded_memorandum(viewer, seeded):
    response = viewer.get(LIST)
    assert response.status_code == 200
    assert listed_titles(response) == [CAO_LOC_MOU]
    assert result_count(response) == 1


def test_the_list_shows_signed_date_kind_partners_signatory_status_and_expiry(client, lao_agreement):
    html = english(client).get(LIST, {"q": "Luang Prabang"}).content.decode()
    row = re.search(r"<tr>\s*<td class=\"nowrap record-list__meta\">.*?</tr>", html, re.S).group(0)
    assert "12/06/2019" in row
    assert "Agreement (thỏa thuận)" in row
    assert "Lào" in row
    assert "UBND tỉnh Lạng Sơn" in row
    assert "In force" in row
    assert "11/06/2024" in row


def test_the_cao_loc_bang_tuong_memorandum_is_found_under_guangxi(viewer, lao_agreement):
    titles = listed_titles(viewer.get(LIST, {"partner": partner("Guangxi Zhuang Autonomous Region").pk}))
    assert titles == [CAO_LOC_MOU]


def test_choosing_china_or_laos_keeps_to_that_subtree(client, lao_agreement):
    assert listed_titles(client.get(LIST, {"partner": partner("China").pk})) == [CAO_LOC_MOU]
    assert listed_titles(client.get(LIST, {"partner": partner("Laos").pk})) == [lao_agreement.title]
    assert listed_titles(client.get(LIST, {"partner": partner("Japan").pk})) == []


def test_the_country_filter_matches_any_partner_in_that_country(client, lao_agreement):
    assert listed_titles(client.get(LIST, {"country": "CN"})) == [CAO_LOC_MOU]
    assert listed_titles(client.get(LIST, {"country": "LA"})) == [lao_agreement.title]


@pytest.mark.parametrize("query", ["bang tuong", "BANG TUONG", "Bằng Tường", "khu hop tac kinh te"])
def test_free_text_finds_the_memorandum_with_or_without_accents(viewer, lao_agreement, query):
    assert listed_titles(viewer.get(LIST, {"q": query})) == [CAO_LOC_MOU]


def test_year_and_signing_range_filter_on_the_signing_date(client, lao_agreement):
    make_agreement("Thỏa thuận năm 2021", signed_on=dt.date(2021, 3, 1))
    assert listed_titles(client.get(LIST, {"year": "2019"})) == [lao_agreement.title]
    assert listed_titles(client.get(LIST, {"start": "01/01/2020", "end": "31/12/2021"})) == ["Thỏa thuận năm 2021"]
    assert listed_titles(client.get(LIST, {"end": "2020-01-01"})) == [lao_agreement.title]


def test_kind_regime_level_signatory_status_and_field_filter_the_list(client, lao_agreement):
    tourism = Sector.objects.get(name="Du lịch")
    trade = Sector.objects.get(name="Thương mại, xuất nhập khẩu")
    assert listed_titles(client.get(LIST, {"kind": "mou"})) == [CAO_LOC_MOU]
    assert listed_titles(client.get(LIST, {"regime": Regime.LAW_2020})) == [lao_agreement.title, CAO_LOC_MOU]
    assert listed_titles(client.get(LIST, {"regime": Regime.ODA})) == []
    assert listed_titles(client.get(LIST, {"signing_level": "district"})) == [CAO_LOC_MOU]
    assert listed_titles(client.get(LIST, {"local_signatory": unit("Huyện Cao Lộc").pk})) == [CAO_LOC_MOU]
    assert listed_titles(client.get(LIST, {"status": "in_force"})) == [lao_agreement.title]
    assert listed_titles(client.get(LIST, {"sector": tourism.pk})) == [lao_agreement.title]
    assert listed_titles(client.get(LIST, {"sector": trade.pk})) == [CAO_LOC_MOU]


# --- in force on a date ------------------------------------------------------


@pytest.fixture
def agreements_over_time(db):
    return {
        "indefinite": make_agreement("Ký 2015 không thời hạn", signed_on=dt.date(2015, 1, 1)),
        "five_years": make_agreement(
            "Ký 2016 hết hạn 2020",
            signed_on=dt.date(2016, 1, 1),
            expires_on=dt.date(2020, 12, 31),
            status=AgreementStatus.IN_FORCE,
        ),
        "later_effect": make_agreement(
            "Ký 2019 hiệu lực 2021", signed_on=dt.date(2019, 5, 1), effective_on=dt.date(2021, 1, 1)
        ),
        "terminated": make_agreement(
            "Ký 2015 đã chấm dứt", signed_on=dt.date(2015, 1, 1), status=AgreementStatus.TERMINATED
        ),
        "superseded": make_agreement(
            "Ký 2014 đã được thay thế", signed_on=dt.date(2014, 1, 1), status=AgreementStatus.SUPERSEDED
        ),
        "negotiating": make_agreement("Đang đàm phán", status=AgreementStatus.NEGOTIATING),
        "undated": make_agreement("Đã ký không rõ ngày", status=AgreementStatus.SIGNED),
    }


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2014, 6, 1), set()),
        (dt.date(2016, 1, 1), {"indefinite", "five_years"}),
        (dt.date(2020, 12, 31), {"indefinite", "five_years"}),
        (dt.date(2021, 1, 1), {"indefinite", "later_effect"}),
    ],
)
def test_in_force_on_follows_status_effect_and_expiry(agreements_over_time, day, expected):
    found = set(Agreement.objects.in_force_on(day).values_list("pk", flat=True))
    assert found == {agreements_over_time[key].pk for key in expected}


def test_the_list_filters_agreements_in_force_on_a_date(client, agreements_over_time):
    response = client.get(LIST, {"in_force_on": "01/06/2020", "sort": "title"})
    assert listed_titles(response) == ["Ký 2015 không thời hạn", "Ký 2016 hết hạn 2020"]


# --- visibility --------------------------------------------------------------


@pytest.fixture
def internal_agreement(seeded):
    return make_agreement("Thỏa thuận nội bộ zq-4417 chưa công bố", published=False, signed_on=dt.date(2024, 2, 2))


def test_visitor_never_sees_an_unpublished_agreement(client, internal_agreement):
    assert "zq-4417" not in client.get(LIST).content.decode()
    assert listed_titles(client.get(LIST, {"q": "zq-4417"})) == []
    assert client.get(internal_agreement.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ["official", "staff"])
def test_signed_in_users_see_the_unpublished_agreement_marked_internal(client, internal_agreement, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(LIST, {"q": "zq-4417"})
    assert listed_titles(response) == ["Thỏa thuận nội bộ zq-4417 chưa công bố"]
    assert "badge--internal" in response.content.decode()
    assert client.get(internal_agreement.get_absolute_url()).status_code == 200


def test_official_can_list_only_internal_agreements(official_client, internal_agreement):
    assert listed_titles(official_client.get(LIST, {"published": "internal"})) == [internal_agreement.title]
    assert listed_titles(official_client.get(LIST, {"published": "published"})) == [CAO_LOC_MOU]


def test_visitor_has_no_publication_filters(client, internal_agreement):
    html = client.get(LIST, {"published": "internal"}).content.decode()
    assert 'name="published"' not in html
    assert "zq-4417" not in html


# --- invalid input -----------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"start": "31/02/2024"},
        {"in_force_on": "30/02/2020"},
        {"partner": "999999"},
        {"sector": "999999"},
        {"local_signatory": "x"},
        {"kind": "treaty"},
        {"status": "dead"},
        {"sort": "bogus"},
    ],
)
def test_an_invalid_filter_value_is_explained_and_ignored(viewer, seeded, params):
    response = english(viewer).get(LIST, params)
    assert response.status_code == 200
    found = notices(response)
    assert len(found) == 1
    assert "ignored" in found[0] or "default order" in found[0]
    assert listed_titles(response) == [CAO_LOC_MOU]


def test_an_empty_result_says_so(client, seeded):
    html = english(client).get(LIST, {"kind": "twinning"}).content.decode()
    assert "No agreement matches these filters." in html


# --- sorting and pages -------------------------------------------------------


@pytest.fixture
def dated_agreements(db):
    make_agreement("B thỏa thuận", signed_on=dt.date(2018, 1, 1), expires_on=dt.date(2030, 1, 1))
    make_agreement("A thỏa thuận", signed_on=dt.date(2020, 1, 1), expires_on=dt.date(2025, 1, 1))
    make_agreement("C thỏa thuận", signed_on=None, expires_on=None)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["A thỏa thuận", "B thỏa thuận", "C thỏa thuận"]),
        ("signed", ["B thỏa thuận", "A thỏa thuận", "C thỏa thuận"]),
        ("title", ["A thỏa thuận", "B thỏa thuận", "C thỏa thuận"]),
        ("expires", ["A thỏa thuận", "B thỏa thuận", "C thỏa thuận"]),
        ("-expires", ["B thỏa thuận", "A thỏa thuận", "C thỏa thuận"]),
    ],
)
def test_sort_orders_put_undated_agreements_last(client, dated_agreements, sort, expected):
    assert listed_titles(client.get(LIST, {"sort": sort})) == expected


def test_sorting_by_title_follows_vietnamese_order_not_code_points(client, db):
    for title in ["Thỏa thuận hợp tác", "Đề án chung", "Biên bản hội đàm", "biên bản ghi nhớ", "Ý định thư"]:
        make_agreement(title)

    assert listed_titles(client.get(LIST, {"sort": "title"})) == [
        "biên bản ghi nhớ",
        "Biên bản hội đàm",
        "Đề án chung",
        "Thỏa thuận hợp tác",
        "Ý định thư",
    ]


def test_pages_hold_25_rows_and_the_page_links_keep_the_filters(client, db):
    for n in range(27):
        make_agreement(f"Bản ghi nhớ số {n:02d}", kind=AgreementKind.MOU, signed_on=dt.date(2020, 1, 1))
    make_agreement("Thỏa thuận khác loại", kind=AgreementKind.AGREEMENT)
    first = client.get(LIST, {"kind": "mou"})
    assert result_count(first) == 27
    assert len(listed_titles(first)) == 25
    assert "?kind=mou&amp;page=2" in first.content.decode()
    assert len(listed_titles(client.get(LIST, {"kind": "mou", "page": "2"}))) == 2


# --- query counts ------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_the_visitor_list_runs_seven_queries_whatever_the_number_of_rows(client, db, django_assert_num_queries, rows):
    for n in range(rows):
        make_agreement(f"Thỏa thuận {n}", signed_on=dt.date(2022, 1, 1))
    client.get(LIST)  # warms the process caches
    # 1 country choices
    # 2 COUNT of the filtered rows, up to 10.001 (common/pagination.py)
    # 3 partner, 4 local signatory, 5 sector choices of the filter form
    # 6 the page's rows with our signatory (JOIN), 7 the page's partners (prefetch)
    with django_assert_num_queries(7):
        response = client.get(LIST)
    assert len(listed_titles(response)) == min(rows, 25)


@pytest.mark.parametrize("rows", [3, 30])
def test_the_filtered_official_list_runs_eleven_queries_whatever_the_number_of_rows(
    official_client, seeded, django_assert_num_queries, rows
):
    guangxi = partner("Guangxi Zhuang Autonomous Region")
    for n in range(rows):
        make_agreement(f"Thỏa thuận Quảng Tây {n}", partners=[guangxi], signed_on=dt.date(2022, 1, 1))
    params = {"partner": guangxi.pk}
    official_client.get(LIST, params)
    # 1 the session, 2 the signed-in user
    # 3 country choices
    # 4 the chosen partner (form validation)
    # 5 how many links it has, up to 2,000 (partners/involving.py chooses the filter's form)
    # 6 COUNT of the filtered rows
    # 7 partner, 8 local signatory, 9 sector choices of the filter form
    # 10 the page's rows with our signatory, 11 their partners
    with django_assert_num_queries(11):
        response = official_client.get(LIST, params)
    assert len(listed_titles(response)) == min(rows + 1, 25)


# --- the detail page ---------------------------------------------------------


def test_the_memorandum_page_shows_its_fields_partners_and_sources(viewer, seeded):
    mou = Agreement.objects.get(title=CAO_LOC_MOU)
    response = english(viewer).get(mou.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Memorandum of understanding (bản ghi nhớ)" in html
    assert "District People&#x27;s Committee" in html
    assert "Huyện Cao Lộc" in html
    assert f'<a href="{partner("Pingxiang").get_absolute_url()}">Bằng Tường</a>' in html
    assert "Thương mại, xuất nhập khẩu" in html
    assert "Xúc tiến đầu tư, hỗ trợ doanh nghiệp" in html
    assert "Trên lĩnh vực kinh tế, UBND huyện đã tích cực, chủ động trong hội nhập" in html
    assert "No expiry date recorded (indefinite)" in html


@pytest.fixture
def full_agreement(seeded):
    old = make_agreement("Thỏa thuận cũ 2010", signed_on=dt.date(2010, 1, 1), status=AgreementStatus.SUPERSEDED)
    agreement = make_agreement(
        "Thỏa thuận kết nghĩa đầy đủ",
        kind=AgreementKind.TWINNING,
        partners=[partner("Ningming County")],
        signed_on=dt.date(2015, 3, 4),
        expires_on=dt.date(2030, 3, 3),
        mofa_opinion_requested_on=dt.date(2015, 1, 5),
        mofa_opinion_on=dt.date(2015, 2, 6),
        document="agreements/ket-nghia.pdf",
    )
    Agreement.objects.filter(pk=old.pk).update(succeeded_by=agreement)
    agreement.succeeded_by = make_agreement(
        "Thỏa thuận mới chưa công bố", published=False, signed_on=dt.date(2025, 1, 1)
    )
    agreement.save()
    AgreementUpdate.objects.create(agreement=agreement, date=dt.date(2016, 9, 1), note="Hai bên họp sơ kết.")
    AgreementUpdate.objects.create(
        agreement=agreement, date=dt.date(2018, 11, 1), date_precision=DatePrecision.MONTH, note="Tổng kết 3 năm."
    )
    Partnership.objects.create(
        local_unit=unit("Huyện Cao Lộc"),
        partner=partner("Ningming County"),
        kind=PartnershipKind.DISTRICT_PAIR,
        established_on=dt.date(2015, 3, 4),
        agreement=agreement,
        is_public=True,
        review_state=ReviewState.APPROVED,
    )
    Partnership.objects.create(
        local_unit=unit("Pác Sắn"),
        partner=partner("Ningming County"),
        kind=PartnershipKind.VILLAGE_PAIR,
        agreement=agreement,
    )
    return agreement


def test_the_detail_page_shows_consultation_document_history_updates_and_pairs(client, full_agreement):
    html = english(client).get(full_agreement.get_absolute_url()).content.decode()
    assert "04/03/2015" in html
    assert "03/03/2030" in html
    assert "asked on 05/01/2015; opinion received on 06/02/2015" in html
    assert 'href="/media/agreements/ket-nghia.pdf"' in html
    old = Agreement.objects.get(title="Thỏa thuận cũ 2010")
    assert f'<a href="{old.get_absolute_url()}">Thỏa thuận cũ 2010</a>' in html
    assert html.index("01/09/2016") < html.index("Hai bên họp sơ kết.")
    assert re.search(r"(tháng|month) 11/2018", html)
    assert "01/11/2018" not in html
    assert "Friendship district–county pair" in html
    assert "Huyện Cao Lộc" in html


def test_visitor_sees_neither_an_unpublished_successor_nor_an_unpublished_pair(client, official, full_agreement):
    html = client.get(full_agreement.get_absolute_url()).content.decode()
    assert "Thỏa thuận mới chưa công bố" not in html
    assert "Pác Sắn" not in html
    client.force_login(official)
    html = client.get(full_agreement.get_absolute_url()).content.decode()
    assert "Thỏa thuận mới chưa công bố" in html
    assert "Pác Sắn" in html


def test_an_unknown_agreement_is_404(client, db):
    assert client.get(reverse("agreements:detail", args=[987654])).status_code == 404


@pytest.mark.parametrize(("role", "expected"), [("visitor", 7), ("official", 11)])
def test_the_detail_page_runs_a_fixed_number_of_queries(
    client, full_agreement, django_assert_num_queries, request, role, expected
):
    if role != "visitor":
        client.force_login(request.getfixturevalue(role))
    ContentType.objects.get_for_model(Agreement)  # cached for the process, as on a running site
    # (official only: the session, the signed-in user)
    # the agreement with our signatory (JOIN), the agreements it replaced or was replaced by,
    # its partners, its fields, its updates, its twinning pairs (JOIN unit and partner),
    # its citations with their sources
    # (official only: the change history with its users, the names of the units it mentions)
    with django_assert_num_queries(expected):
        response = client.get(full_agreement.get_absolute_url())
    assert response.status_code == 200


def test_staff_get_a_link_to_the_admin_form_and_visitors_do_not(client, staff, seeded):
    mou = Agreement.objects.get(title=CAO_LOC_MOU)
    change_url = reverse("admin:agreements_agreement_change", args=[mou.pk])
    assert change_url not in client.get(mou.get_absolute_url()).content.decode()
    client.force_login(staff)
    assert f'href="{change_url}"' in client.get(mou.get_absolute_url()).content.decode()
