"""The delegation list and a delegation's own page: filters (the partner
hierarchy included), sorting, pagination, plain notices for bad filter
values, what each role may see, and a fixed number of queries per page."""

import datetime as dt
import io
import re
from html import unescape

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from common.partial_dates import DatePrecision
from delegations.models import Delegation, DelegationMember, DelegationPhoto, Direction
from partners.models import Partner
from register.publishable import ReviewState
from tests.conftest import english, readable_text

LIST = reverse("delegations:list")
LAO_VISIT = "Phó Thủ tướng Lào cùng lãnh đạo tỉnh Lạng Sơn thăm cửa khẩu Tân Thanh"
MOFA_VISIT = (
    "Đoàn công tác của Bộ Ngoại giao do Bộ trưởng Bùi Thanh Sơn làm trưởng đoàn thăm và làm việc tại tỉnh Lạng Sơn"
)
CHONGZUO_VISIT = "Đoàn đại biểu thành phố Sùng Tả, Quảng Tây, Trung Quốc thăm và làm việc tại tỉnh Lạng Sơn"
HIV_CONFERENCE_START = "Hội nghị giao ban trao đổi kinh nghiệm phòng, chống HIV/AIDS"
GS_VISIT = "Tổng Bí thư Nguyễn Phú Trọng thăm và làm việc tại tỉnh Lạng Sơn"
INSPECTION_2017_START = "Đoàn công tác của UBND tỉnh do Phó Chủ tịch UBND tỉnh Nguyễn Công Trưởng"


# --- helpers -----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Tests run with DEBUG off but without collectstatic: the manifest storage
    # would fail on {% static %}.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_delegation(title, *, partners=(), published=True, **fields):
    fields.setdefault("direction", Direction.OUTBOUND)
    delegation = Delegation.objects.create(
        title=title,
        is_public=published,
        review_state=ReviewState.APPROVED if published else ReviewState.DRAFT,
        **fields,
    )
    delegation.partners.set(partners)
    return delegation


def partner(name_en):
    return Partner.objects.get(name_en=name_en)


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
    client.role = request.param
    return client


@pytest.fixture
def bang_tuong_trade_fair(seeded):
    return make_delegation(
        "Đoàn xúc tiến thương mại thăm hội chợ Bằng Tường",
        partners=[partner("Pingxiang")],
        start_date=dt.date(2023, 5, 10),
        size=7,
    )


# --- the list ----------------------------------------------------------------


def test_every_role_sees_the_seeded_delegations(viewer, seeded):
    response = viewer.get(LIST)
    assert response.status_code == 200
    titles = listed_titles(response)
    assert LAO_VISIT in titles
    assert MOFA_VISIT in titles
    assert result_count(response) == 6


def test_the_list_shows_date_direction_partners_host_unit_leader_and_size(client, bang_tuong_trade_fair):
    response = client.get(LIST, {"q": "xúc tiến thương mại"})
    html = response.content.decode()
    assert listed_titles(response) == ["Đoàn xúc tiến thương mại thăm hội chợ Bằng Tường"]
    assert "10/05/2023" in html
    assert "badge--out" in html
    assert "Bằng Tường</td>" in html
    assert '<td class="num" data-label="' in html
    assert ">7</td>" in html


def test_newest_delegation_comes_first_by_default(client, seeded):
    titles = listed_titles(client.get(LIST))
    assert titles[0] == MOFA_VISIT
    assert titles.index(GS_VISIT) < titles.index(LAO_VISIT)


def test_choosing_guangxi_includes_a_delegation_whose_only_partner_is_bang_tuong(viewer, bang_tuong_trade_fair):
    response = viewer.get(LIST, {"partner": partner("Guangxi Zhuang Autonomous Region").pk})
    titles = listed_titles(response)
    assert "Đoàn xúc tiến thương mại thăm hội chợ Bằng Tường" in titles
    assert CHONGZUO_VISIT in titles
    assert LAO_VISIT not in titles
    assert MOFA_VISIT not in titles
    assert notices(response) == []


def test_a_delegation_with_two_partners_in_the_subtree_is_listed_once(client, seeded):
    make_delegation("Đoàn hai đối tác", partners=[partner("Pingxiang"), partner("Ningming County")])
    response = client.get(LIST, {"partner": partner("Chongzuo").pk})
    assert listed_titles(response).count("Đoàn hai đối tác") == 1


def test_choosing_bang_tuong_leaves_out_its_parent_chongzuo(client, bang_tuong_trade_fair):
    titles = listed_titles(client.get(LIST, {"partner": partner("Pingxiang").pk}))
    assert "Đoàn xúc tiến thương mại thăm hội chợ Bằng Tường" in titles
    assert CHONGZUO_VISIT not in titles


def test_the_lao_deputy_prime_minister_visit_is_inbound_in_2011(viewer, seeded):
    response = viewer.get(LIST, {"year": "2011", "direction": "in"})
    assert listed_titles(response) == [LAO_VISIT]


def test_the_country_filter_matches_any_partner_in_that_country(client, bang_tuong_trade_fair):
    laos = listed_titles(client.get(LIST, {"country": "LA"}))
    china = listed_titles(client.get(LIST, {"country": "CN"}))
    assert laos == [LAO_VISIT]
    assert CHONGZUO_VISIT in china
    assert "Đoàn xúc tiến thương mại thăm hội chợ Bằng Tường" in china
    assert LAO_VISIT not in china


def test_the_country_choices_name_the_countries_present_among_partners(client, seeded):
    html = client.get(LIST).content.decode()
    assert '<option value="CN">Trung Quốc (CN)</option>' in html
    assert '<option value="LA">Lào (LA)</option>' in html


def test_a_country_with_no_partner_row_of_its_own_is_named_in_vietnamese(client, seeded):
    # The seeded Vietnamese ministries carry VN, and no partner row is Việt Nam itself.
    html = client.get(LIST).content.decode()
    assert '<option value="VN">Việt Nam (VN)</option>' in html
    assert '<option value="VN">VN</option>' not in html


@pytest.mark.parametrize(("start", "end"), [("01/01/2017", "31/12/2023"), ("2017-01-01", "2023-12-31")])
def test_the_date_range_takes_day_month_year_and_iso_dates(client, seeded, start, end):
    response = client.get(LIST, {"start": start, "end": end})
    titles = listed_titles(response)
    assert GS_VISIT in titles
    assert any(t.startswith(INSPECTION_2017_START) for t in titles)
    assert MOFA_VISIT not in titles
    assert LAO_VISIT not in titles
    assert notices(response) == []


@pytest.mark.parametrize("query", ["bang tuong", "BANG TUONG", "Bằng Tường"])
def test_free_text_finds_bang_tuong_with_or_without_accents(viewer, bang_tuong_trade_fair, query):
    titles = listed_titles(viewer.get(LIST, {"q": query}))
    assert "Đoàn xúc tiến thương mại thăm hội chợ Bằng Tường" in titles
    assert any(t.startswith(HIV_CONFERENCE_START) for t in titles)
    assert LAO_VISIT not in titles


def test_purpose_level_host_unit_and_status_filter_the_list(client, seeded):
    mofa = Delegation.objects.get(title=MOFA_VISIT)
    assert listed_titles(client.get(LIST, {"purpose": "other"})) == [LAO_VISIT]
    assert listed_titles(client.get(LIST, {"level": "central"})) == [MOFA_VISIT]
    assert listed_titles(client.get(LIST, {"host_unit": mofa.host_unit_id})) == [MOFA_VISIT]
    assert listed_titles(client.get(LIST, {"status": "cancelled"})) == []


# --- visibility --------------------------------------------------------------


@pytest.fixture
def internal_delegation(seeded):
    return make_delegation("Đoàn nội bộ zq-7781 chưa công bố", published=False, start_date=dt.date(2024, 1, 5))


def test_visitor_never_sees_an_unpublished_delegation(client, internal_delegation):
    response = client.get(LIST, {"q": "zq-7781"})
    assert listed_titles(response) == []
    assert "zq-7781" not in client.get(LIST).content.decode()
    assert client.get(internal_delegation.get_absolute_url()).status_code == 404


def test_visitor_does_not_see_an_approved_delegation_that_is_not_marked_public(client, seeded):
    hidden = make_delegation("Đoàn đã duyệt chưa công khai zq-5512")
    Delegation.objects.filter(pk=hidden.pk).update(is_public=False)
    assert "zq-5512" not in client.get(LIST).content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ["official", "staff"])
def test_signed_in_users_see_the_unpublished_delegation_marked_internal(client, internal_delegation, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(LIST, {"q": "zq-7781"})
    assert listed_titles(response) == ["Đoàn nội bộ zq-7781 chưa công bố"]
    assert "badge--internal" in response.content.decode()
    detail = client.get(internal_delegation.get_absolute_url())
    assert detail.status_code == 200
    assert "Đoàn nội bộ zq-7781 chưa công bố" in detail.content.decode()


def test_published_rows_carry_no_internal_badge(official_client, seeded):
    assert "badge--internal" not in official_client.get(LIST).content.decode()


def test_official_can_list_only_internal_or_only_published_delegations(official_client, internal_delegation):
    internal = listed_titles(official_client.get(LIST, {"published": "internal"}))
    published = listed_titles(official_client.get(LIST, {"published": "published"}))
    drafts = listed_titles(official_client.get(LIST, {"review_state": "draft"}))
    assert internal == ["Đoàn nội bộ zq-7781 chưa công bố"]
    assert "Đoàn nội bộ zq-7781 chưa công bố" not in published
    assert LAO_VISIT in published
    assert drafts == ["Đoàn nội bộ zq-7781 chưa công bố"]


def test_visitor_has_no_publication_filters_and_cannot_use_them(client, internal_delegation):
    response = client.get(LIST, {"published": "internal", "review_state": "draft"})
    html = response.content.decode()
    assert 'name="published"' not in html
    assert 'name="review_state"' not in html
    assert "zq-7781" not in html
    assert result_count(response) == 6


# --- invalid input -----------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "20111"},
        {"start": "31/02/2024"},
        {"end": "not a date"},
        {"partner": "999999"},
        {"partner": "Quảng Tây"},
        {"host_unit": "-1"},
        {"direction": "sideways"},
        {"country": "XX"},
        {"sort": "bogus"},
    ],
)
def test_an_invalid_filter_value_is_explained_and_ignored(viewer, seeded, params):
    response = english(viewer).get(LIST, params)
    assert response.status_code == 200
    found = notices(response)
    assert len(found) == 1
    assert "ignored" in found[0] or "default order" in found[0]
    assert result_count(response) == 6


def test_a_range_that_ends_before_it_starts_drops_its_end(client, seeded):
    response = english(client).get(LIST, {"start": "01/01/2024", "end": "01/01/2020"})
    assert notices(response) == ["To: The end of the range is before its start. This filter was ignored."]
    assert listed_titles(response) == [MOFA_VISIT]


def test_the_other_filters_still_apply_next_to_an_invalid_one(client, seeded):
    response = english(client).get(LIST, {"year": "abc", "direction": "in", "country": "LA"})
    assert listed_titles(response) == [LAO_VISIT]
    assert notices(response) == [
        "Year: “abc” is not a date or a period. Write a day (11/06/2024), a month (10/2011), "
        "a quarter (Quý I/2024) or a year (2008). This filter was ignored."
    ]


@pytest.mark.parametrize("page", ["abc", "0", "9999"])
def test_a_bad_page_number_still_shows_a_page(client, seeded, page):
    response = client.get(LIST, {"page": page})
    assert response.status_code == 200
    assert listed_titles(response)


def test_an_empty_result_says_so_and_offers_to_clear_the_filters(client, seeded):
    response = english(client).get(LIST, {"q": "không có đoàn nào như thế"})
    html = response.content.decode()
    assert result_count(response) == 0
    assert "No delegation matches these filters." in html
    assert 'href="?"' in html


# --- sorting and pages -------------------------------------------------------


@pytest.fixture
def sized_delegations(db):
    return [
        make_delegation("Bắc đoàn", size=12, start_date=dt.date(2022, 3, 1)),
        make_delegation("An đoàn", size=3, start_date=dt.date(2020, 3, 1)),
        make_delegation("Cao đoàn", size=None, start_date=None),
        make_delegation("Đông đoàn", size=40, start_date=dt.date(2021, 3, 1)),
    ]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Bắc đoàn", "Đông đoàn", "An đoàn", "Cao đoàn"]),
        ("-date", ["Bắc đoàn", "Đông đoàn", "An đoàn", "Cao đoàn"]),
        ("date", ["An đoàn", "Đông đoàn", "Bắc đoàn", "Cao đoàn"]),
        ("-size", ["Đông đoàn", "Bắc đoàn", "An đoàn", "Cao đoàn"]),
        ("size", ["An đoàn", "Bắc đoàn", "Đông đoàn", "Cao đoàn"]),
    ],
)
def test_sort_orders_put_undated_and_unsized_delegations_last(client, sized_delegations, sort, expected):
    assert listed_titles(client.get(LIST, {"sort": sort})) == expected


def test_sorting_by_title_is_alphabetical(client, sized_delegations):
    titles = listed_titles(client.get(LIST, {"sort": "title"}))
    assert titles.index("An đoàn") < titles.index("Bắc đoàn") < titles.index("Cao đoàn")


def test_sorting_by_title_follows_vietnamese_order_not_code_points(client, db):
    # Code-point order puts "Đ" after "T" and capitals before small letters.
    for title in ["Tổng Bí thư thăm tỉnh", "Đoàn công tác", "Dự án Quỹ toàn cầu", "Dự án phòng chống", "ăn mừng"]:
        make_delegation(title)

    assert listed_titles(client.get(LIST, {"sort": "title"})) == [
        "ăn mừng",
        "Dự án phòng chống",
        "Dự án Quỹ toàn cầu",
        "Đoàn công tác",
        "Tổng Bí thư thăm tỉnh",
    ]


def test_cursor_pages_of_the_title_order_keep_vietnamese_order(client, db, monkeypatch):
    from common import pagination
    from common.collation import vietnamese_key

    monkeypatch.setattr(pagination, "COUNT_CAP", 10)  # cursor links from the first page on
    words = ["Đà", "Da", "Dạ", "dã", "Đoàn", "Ân", "Ăn", "an", "Ô", "Ơ", "o", "U", "Ư"]
    titles = [f"{word} {n}" for n in range(3) for word in words]
    for title in titles:
        make_delegation(title)

    seen, url = [], "?sort=title"
    while url:
        response = client.get(LIST + url)
        seen.extend(listed_titles(response))
        match = re.search(r'<a href="(\?[^"]*)" rel="next">', response.content.decode())
        url = unescape(match.group(1)) if match else None
        assert match is None or "after=" in url

    assert seen == sorted(titles, key=vietnamese_key)
    assert seen.index("an 0") < seen.index("Ăn 0") < seen.index("Ân 0") < seen.index("Da 0") < seen.index("Đà 0")


def test_the_chosen_sort_and_filters_stay_in_the_form(client, seeded):
    html = client.get(LIST, {"sort": "title", "q": "Lào", "year": "2011"}).content.decode()
    assert '<option value="title" selected>' in html
    assert 'value="Lào"' in html
    assert 'value="2011"' in html


def test_pages_hold_25_rows_and_the_page_links_keep_the_filters(client, db):
    for n in range(30):
        make_delegation(f"Đoàn ra số {n:02d}", start_date=dt.date(2020, 1, 1) + dt.timedelta(days=n))
    make_delegation("Đoàn vào không tính", direction=Direction.INBOUND)
    first = client.get(LIST, {"direction": "out", "sort": "title"})
    assert result_count(first) == 30
    assert len(listed_titles(first)) == 25
    assert "?direction=out&amp;sort=title&amp;page=2" in first.content.decode()
    second = client.get(LIST, {"direction": "out", "sort": "title", "page": "2"})
    assert listed_titles(second) == [f"Đoàn ra số {n:02d}" for n in range(25, 30)]
    assert "page=1" in second.content.decode()


# --- query counts ------------------------------------------------------------


def list_queries(client, django_assert_num_queries, expected, params=None):
    client.get(LIST, params)  # warms Django's content-type and other process caches
    with django_assert_num_queries(expected):
        response = client.get(LIST, params)
    return response


@pytest.mark.parametrize("rows", [3, 30])
def test_the_visitor_list_runs_six_queries_whatever_the_number_of_rows(client, db, django_assert_num_queries, rows):
    for n in range(rows):
        make_delegation(f"Đoàn {n}", partners=[], start_date=dt.date(2024, 1, 1))
    # 1 country choices (the partners' countries, each with its country's name)
    # 2 COUNT of the filtered rows, up to 10.001 (common/pagination.py)
    # 3 partner choices, 4 host unit choices of the filter form
    # 5 the page's rows with their host unit (JOIN), 6 the page's partners (prefetch)
    response = list_queries(client, django_assert_num_queries, 6)
    assert len(listed_titles(response)) == min(rows, 25)


@pytest.mark.parametrize("rows", [3, 30])
def test_the_filtered_official_list_runs_ten_queries_whatever_the_number_of_rows(
    official_client, seeded, django_assert_num_queries, rows
):
    guangxi = partner("Guangxi Zhuang Autonomous Region")
    for n in range(rows):
        make_delegation(f"Đoàn Quảng Tây {n}", partners=[guangxi], start_date=dt.date(2024, 1, 1))
    # 1 the session, 2 the signed-in user
    # 3 country choices
    # 4 the chosen partner (form validation)
    # 5 how many links it has, up to 2,000 (partners/involving.py chooses the filter's form)
    # 6 COUNT of the filtered rows
    # 7 partner choices, 8 host unit choices of the filter form
    # 9 the page's rows with their host unit, 10 their partners
    response = list_queries(official_client, django_assert_num_queries, 10, {"partner": guangxi.pk})
    assert len(listed_titles(response)) == min(rows + 2, 25)


# --- the detail page ---------------------------------------------------------


def test_the_mofa_visit_page_shows_date_hosts_leader_and_sources(viewer, seeded):
    mofa = Delegation.objects.get(title=MOFA_VISIT)
    response = viewer.get(mofa.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "03/04/2024" in html
    assert "Bùi Thanh Sơn, Ủy viên Trung ương Đảng, Bộ trưởng Bộ Ngoại giao" in html
    record = unescape(html).split('id="history"')[0]  # the change history below may quote the field again
    assert record.count("Nguyễn Quốc Đoàn, Bí thư Tỉnh ủy; Hoàng Văn Nghiệm") == 1
    assert "Ngay sau đó, Đoàn công tác đã xuất cảnh qua Cửa khẩu Quốc tế Hữu Nghị sang Trung Quốc" in html
    assert "Đoàn công tác Bộ Ngoại giao làm việc tại tỉnh Lạng Sơn" in html  # the article's title
    assert f'href="{partner("Ministry of Foreign Affairs of Viet Nam").get_absolute_url()}"' in html
    assert "Ban Thường vụ Tỉnh ủy Lạng Sơn" in html


def test_the_mofa_visit_page_speaks_in_human_words(client, seeded):
    mofa = Delegation.objects.get(title=MOFA_VISIT)
    html = english(client).get(mofa.get_absolute_url()).content.decode()
    assert "Central or provincial leaders&#x27; working visit" in html
    assert "Ministry or central body" in html
    assert "Working visit" in html
    assert "Completed" in html


def test_a_month_precision_visit_shows_only_its_month(client, seeded):
    lao = Delegation.objects.get(title=LAO_VISIT)
    assert lao.date_precision == DatePrecision.MONTH
    html = client.get(lao.get_absolute_url()).content.decode()
    assert re.search(r"(tháng|month) 10/2011", html)
    assert "01/10/2011" not in html


def test_visitor_sees_no_review_state_and_official_does(client, official, seeded):
    url = Delegation.objects.get(title=LAO_VISIT).get_absolute_url()
    assert "Review state" not in english(client).get(url).content.decode()
    client.force_login(official)
    html = english(client).get(url).content.decode()
    assert "Review state" in html
    assert "Published: visitors see this record." in html


def test_members_are_listed_head_first(client, db):
    delegation = make_delegation("Đoàn có thành viên", size=3)
    DelegationMember.objects.create(delegation=delegation, name="Trần Văn Phó", order=1)
    DelegationMember.objects.create(delegation=delegation, name="Lê Thị Thư ký", order=2)
    DelegationMember.objects.create(delegation=delegation, name="Hoàng Trưởng Đoàn", is_leader=True, order=9)
    html = client.get(delegation.get_absolute_url()).content.decode()
    assert html.index("Hoàng Trưởng Đoàn") < html.index("Trần Văn Phó") < html.index("Lê Thị Thư ký")


def test_a_photo_shows_its_thumbnail_linking_to_the_full_image(client, db):
    delegation = make_delegation("Đoàn có ảnh")
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (30, 90, 160)).save(buffer, "JPEG")
    photo = DelegationPhoto.objects.create(
        delegation=delegation,
        image=SimpleUploadedFile("anh.jpg", buffer.getvalue()),
        caption="Hai đoàn chụp ảnh lưu niệm",
    )
    html = client.get(delegation.get_absolute_url()).content.decode()
    assert f'<a href="{photo.image.url}"><img src="{photo.thumbnail.url}" alt="Hai đoàn chụp ảnh lưu niệm"' in html


def test_an_unknown_delegation_is_404(client, db):
    assert client.get(reverse("delegations:detail", args=[987654])).status_code == 404


@pytest.mark.parametrize(("role", "expected"), [("visitor", 5), ("official", 9)])
def test_the_detail_page_runs_a_fixed_number_of_queries(
    client, seeded, django_assert_num_queries, request, role, expected
):
    if role != "visitor":
        client.force_login(request.getfixturevalue(role))
    mofa = Delegation.objects.get(title=MOFA_VISIT)
    ContentType.objects.get_for_model(Delegation)  # cached for the process, as on a running site
    # (official only: the session, the signed-in user)
    # the delegation with host unit and mechanism (JOIN), its partners, its members, its photos,
    # its citations with their sources
    # (official only: the change history with its users, the names of the units it mentions)
    with django_assert_num_queries(expected):
        response = client.get(mofa.get_absolute_url())
    assert response.status_code == 200


def test_staff_get_a_link_to_the_admin_form_and_officials_do_not(client, staff, official, seeded):
    mofa = Delegation.objects.get(title=MOFA_VISIT)
    change_url = reverse("admin:delegations_delegation_change", args=[mofa.pk])
    client.force_login(official)
    assert change_url not in client.get(mofa.get_absolute_url()).content.decode()
    client.force_login(staff)
    assert f'href="{change_url}"' in client.get(mofa.get_absolute_url()).content.decode()


# --- What a published delegation links to goes through review (issue 13) -----------------------------------------


def test_a_citation_of_an_unpublished_source_shows_neither_its_title_nor_its_excerpt_to_a_visitor(
    client, official_client, seeded
):
    from sources.models import Citation, Source

    delegation = Delegation.objects.filter(is_public=True).first()
    draft = Source.objects.create(title="Công văn nội bộ số 12", body="Đoạn trích nội bộ.")
    Citation.objects.create(
        content_type=ContentType.objects.get_for_model(Delegation), object_id=delegation.pk, source=draft,
        excerpt="Đoạn trích nội bộ.", locator="trang 3",
    )  # fmt: skip

    page = client.get(delegation.get_absolute_url()).content.decode()
    assert "Một nguồn chưa được công bố." in page
    assert "Công văn nội bộ" not in page and "Đoạn trích nội bộ" not in page and "trang 3" not in page
    signed_in = official_client.get(delegation.get_absolute_url()).content.decode()
    assert "Công văn nội bộ số 12" in signed_in and "Đoạn trích nội bộ." in signed_in


def test_a_published_delegation_does_not_name_its_unpublished_partner_unit_or_mechanism(
    client, official_client, seeded
):
    from partners.models import CooperationMechanism, LocalUnit, Partner

    delegation = Delegation.objects.filter(is_public=True).first()
    delegation.partners.add(Partner.objects.create(name="Đối tác chưa duyệt", kind="town"))
    Delegation.objects.filter(pk=delegation.pk).update(
        host_unit=LocalUnit.objects.create(name="Đơn vị chưa duyệt", kind="department"),
        mechanism=CooperationMechanism.objects.create(name="Cơ chế chưa duyệt"),
    )

    for url in (delegation.get_absolute_url(), "/delegations/", "/delegations/export.csv", "/delegations/export.xlsx"):
        assert "chưa duyệt" not in readable_text(client.get(url)), url
        assert "chưa duyệt" in readable_text(official_client.get(url)), url
