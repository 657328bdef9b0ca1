"""One search over every kind of record, accent- and case-insensitive on SQLite
and PostgreSQL alike, grouped by kind with the matched words highlighted; and
highlight(), which puts <mark> around them."""

import html
import re
import unicodedata

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation
from django.utils.safestring import SafeString
from hypothesis import given
from hypothesis import strategies as st

from common.text import Term, highlight, search_terms
from delegations.models import Delegation, Direction
from partners.models import Partner, PartnerKind
from register.publishable import ReviewState
from reports import search
from sources.models import Source
from tests.conftest import PUBLISHED

SEARCH = "/search/"
INTERNAL_TITLE = "Đoàn nội bộ Xylophone-7315 sang Bằng Tường"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests run with DEBUG off but without collectstatic: the manifest storage
    # would refuse {% static %} in the base template.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def visitor(db):
    """An anonymous browser of its own: the `client` fixture is the one that
    `official_client` signs in."""
    return Client()


def delegation(title, *, published=True, **fields):
    return Delegation.objects.create(
        title=title,
        direction=fields.pop("direction", Direction.OUTBOUND),
        is_public=published,
        review_state=ReviewState.APPROVED if published else ReviewState.DRAFT,
        **fields,
    )


def groups(response):
    return {group.key: group for group in response.context["groups"]}


def hit_urls(response, key):
    group = groups(response).get(key)
    return [hit.url for hit in group.hits] if group else []


# The page


@pytest.mark.parametrize("query", ["bang tuong", "Bằng Tường", "BANG TUONG", "Pingxiang", "凭祥", "  bằng   TƯỜNG "])
def test_every_spelling_finds_the_partner_bang_tuong(visitor, seeded, query):
    bang_tuong = Partner.objects.get(name="Bằng Tường")

    response = visitor.get(SEARCH, {"q": query})

    assert response.status_code == 200
    assert hit_urls(response, "partners")[0] == bang_tuong.get_absolute_url()


def test_the_partner_shows_its_other_names_with_the_match_highlighted(visitor, seeded):
    html_text = visitor.get(SEARCH, {"q": "pingxiang"}).content.decode()

    assert "<mark>Pingxiang</mark> · 凭祥市" in html_text
    assert "Bằng Tường" in html_text


def test_a_delegation_titled_with_the_place_is_found_and_highlighted(visitor, db):
    delegation("Đoàn công tác thăm thị Bằng Tường, Quảng Tây")

    response = visitor.get(SEARCH, {"q": "bang tuong"})

    assert "Đoàn công tác thăm thị Bằng Tường, Quảng Tây" in [
        re.sub("</?mark>", "", str(hit.title)) for hit in groups(response)["delegations"].hits
    ]
    assert "Đoàn công tác thăm thị <mark>Bằng Tường</mark>, Quảng Tây" in response.content.decode()


def test_a_delegation_found_by_its_head_shows_where_the_words_are(visitor, db):
    delegation("Đoàn công tác sang Quảng Tây", leader_name="Nguyễn Công Trưởng", leader_title="Phó Chủ tịch UBND tỉnh")

    response = visitor.get(SEARCH, {"q": "cong truong"})

    hit = groups(response)["delegations"].hits[0]
    assert str(hit.snippet) == "Nguyễn <mark>Công Trưởng</mark>"


def test_a_snippet_from_a_very_long_field_is_a_short_window_around_the_word(visitor, db):
    filler = "Hai bên trao đổi về hợp tác thương mại. " * 100
    delegation("Đoàn công tác sang Quảng Tây", outcome=f"{filler}Thống nhất mở cặp chợ Xylophone-9. {filler}")

    response = visitor.get(SEARCH, {"q": "xylophone"})

    snippet = str(groups(response)["delegations"].hits[0].snippet)
    assert "<mark>Xylophone</mark>-9" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) < 300


def test_an_unpublished_delegation_is_not_found_by_a_visitor(visitor, db):
    delegation(INTERNAL_TITLE, published=False)

    response = visitor.get(SEARCH, {"q": "xylophone"})

    assert "delegations" not in groups(response)
    assert "Xylophone" not in response.content.decode()


def test_an_unpublished_delegation_is_found_by_an_official(official_client, db):
    record = delegation(INTERNAL_TITLE, published=False)

    response = official_client.get(SEARCH, {"q": "xylophone"})

    assert hit_urls(response, "delegations") == [record.get_absolute_url()]
    assert "<mark>Xylophone</mark>" in response.content.decode()


def test_results_are_grouped_by_kind_with_counts(visitor, seeded):
    response = visitor.get(SEARCH, {"q": "bang tuong"})
    found = groups(response)

    # The records linked to Bằng Tường come as a group of their own, just after the partners.
    assert list(found) == [
        key for key in ("partners", "linked", "delegations", "agreements", "mechanisms", "sources") if key in found
    ]
    assert {"partners", "delegations", "agreements", "sources"} <= set(found)
    assert found["partners"].count == 1
    assert response.context["total"] == sum(group.count for key, group in found.items() if key != "linked")
    assert 'id="found-delegations"' in response.content.decode()


def test_a_large_group_shows_twenty_and_links_to_the_filtered_list(visitor, db):
    for i in range(23):
        delegation(f"Hội chợ Kỳ Lừa lần {i}")

    response = visitor.get(SEARCH, {"q": "ky lua"})
    group = groups(response)["delegations"]

    assert group.count == 23
    assert len(group.hits) == 20
    assert group.more == 3
    assert group.more_url == "/delegations/?q=ky+lua"
    assert 'href="/delegations/?q=ky+lua"' in response.content.decode()


def test_past_the_count_cap_a_group_says_more_than_the_cap(visitor, db, monkeypatch):
    # A word in every one of a million delegations is counted no further than the cap.
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    for i in range(5):
        delegation(f"Hội chợ Kỳ Lừa lần {i}")
    delegation("Đoàn khác", published=False)

    response = visitor.get(SEARCH, {"q": "ky lua"})
    group = groups(response)["delegations"]

    assert (group.count, group.capped) == (3, True)
    assert response.context["total_capped"] is True
    with translation.override("vi"):
        assert f"({translation.gettext('more than %(n)s') % {'n': 3}})" in response.content.decode()


def test_at_the_count_cap_the_count_is_exact(visitor, db, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    for i in range(3):
        delegation(f"Hội chợ Kỳ Lừa lần {i}")
    delegation("Hội chợ Kỳ Lừa nội bộ", published=False)

    response = visitor.get(SEARCH, {"q": "ky lua"})
    group = groups(response)["delegations"]

    assert (group.count, group.capped) == (3, False)
    assert response.context["total_capped"] is False
    assert '<span class="muted">(3)</span>' in response.content.decode()


def test_a_term_another_term_implies_is_not_searched_twice():
    # The last word is a prefix; a whole "tuan" implies the prefix "tu", not the whole "tu".
    assert search_terms("Tuấn tu") == [Term("tuan")]
    assert search_terms("Tuấn tu TUAN") == [Term("tuan"), Term("tu")]
    assert search_terms("bang tuong bằng") == [Term("tuong"), Term("bang")]
    assert search_terms("凭祥 祥") == [Term("凭祥")]
    assert search_terms("  ") == search_terms("(!)") == []


def test_a_word_of_the_query_inside_a_syllable_does_not_find_the_record(visitor, db):
    delegation("Đoàn của ông Tuấn sang Bằng Tường")

    assert "delegations" not in groups(visitor.get(SEARCH, {"q": "an tuan"}))
    assert len(groups(visitor.get(SEARCH, {"q": "tuan"}))["delegations"].hits) == 1


def test_a_kind_without_a_list_page_links_to_the_search_narrowed_to_it(visitor, db):
    for i in range(21):
        Source.objects.create(**PUBLISHED, title=f"Bài báo về chợ Tân Thanh số {i}")

    response = visitor.get(SEARCH, {"q": "tan thanh"})
    assert groups(response)["sources"].more_url == "/search/?q=tan+thanh&kind=sources"

    narrowed = visitor.get(SEARCH, {"q": "tan thanh", "kind": "sources"})
    assert list(groups(narrowed)) == ["sources"]
    assert len(groups(narrowed)["sources"].hits) == 21


def test_an_unknown_kind_is_ignored_with_a_notice(visitor, seeded):
    response = visitor.get(SEARCH, {"q": "bang tuong", "kind": "planets"})

    assert response.status_code == 200
    assert "partners" in groups(response)
    assert len(response.context["notices"]) == 1


def test_an_empty_query_shows_the_form_and_a_hint_without_querying(visitor, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = visitor.get(SEARCH, {"q": "   "})

    assert response.status_code == 200
    assert response.context["groups"] == []
    assert 'name="q"' in response.content.decode()
    assert 'href="?q=Pingxiang"' in response.content.decode()


def test_a_very_long_query_is_cut_to_200_characters_with_a_notice(visitor, db):
    response = visitor.get(SEARCH, {"q": "bang tuong " * 30})

    assert response.status_code == 200
    assert len(response.context["search_query"]) <= 200
    assert len(response.context["notices"]) == 1


def test_a_nul_character_in_the_query_is_dropped(visitor, seeded):
    response = visitor.get(SEARCH, {"q": "bang\x00 tuong"})

    assert response.status_code == 200
    assert "partners" in groups(response)


def test_nothing_found_says_so(visitor, seeded):
    response = visitor.get(SEARCH, {"q": "không có gì khớp qwzx"})

    assert response.status_code == 200
    assert response.context["groups"] == []
    assert "qwzx" in response.content.decode()


def test_the_query_is_escaped_on_the_page(visitor, db):
    html_text = visitor.get(SEARCH, {"q": "<script>alert(1)</script>"}).content.decode()

    assert "<script>" not in html_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text


def test_the_site_search_box_keeps_the_query(visitor, db):
    html_text = visitor.get(SEARCH, {"q": "Quảng Tây"}).content.decode()

    assert 'id="site-search-q" type="search" name="q" value="Quảng Tây"' in html_text


def test_search_runs_one_query_per_kind(visitor, official_client, seeded, django_assert_num_queries):
    for i in range(25):
        delegation(f"Đoàn sang Bằng Tường lần {i}")
    # One per kind, each with its capped total: partners, delegations, agreements,
    # projects, conferences, local units, mechanisms, sources.
    with django_assert_num_queries(8):
        visitor.get(SEARCH, {"q": "lan"})
    # A query naming a partner adds its linked records: the partner's subtree, then for
    # its delegations, agreements and projects their links and, for the two kinds it has
    # records of here, those records with their capped total.
    with django_assert_num_queries(8 + 6):
        visitor.get(SEARCH, {"q": "bang tuong"})
    # An official adds the session and the user.
    with django_assert_num_queries(10 + 6):
        official_client.get(SEARCH, {"q": "bang tuong"})


def test_a_partner_whose_name_starts_with_the_query_comes_first(visitor, db):
    Partner.objects.create(**PUBLISHED, name="Cửa khẩu Bằng Tường", kind=PartnerKind.BORDER_POST, country="CN")
    own = Partner.objects.create(**PUBLISHED, name="Bằng Tường", kind=PartnerKind.COUNTY, country="CN")

    response = visitor.get(SEARCH, {"q": "bang tuong"})

    assert hit_urls(response, "partners")[0] == own.get_absolute_url()


def test_a_partner_hit_names_its_country_in_vietnamese_not_by_its_code(visitor, db):
    Partner.objects.create(**PUBLISHED, name="Bằng Tường", kind=PartnerKind.COUNTY, country="CN")

    html = visitor.get(SEARCH, {"q": "bang tuong"}).content.decode()

    assert "· Trung Quốc" in html
    assert "· CN" not in html


def test_a_partner_with_an_other_name_that_starts_with_the_query_comes_first(visitor, db):
    Partner.objects.create(
        **PUBLISHED, name="Bằng Tường", kind=PartnerKind.COUNTY, country="CN", aliases="Bằng Tường, Quảng Tây"
    )
    guangxi = Partner.objects.create(
        **PUBLISHED, name="Khu tự trị Choang", kind=PartnerKind.REGION, country="CN", aliases="Quảng Tây"
    )

    response = visitor.get(SEARCH, {"q": "quang tay"})

    assert hit_urls(response, "partners")[0] == guangxi.get_absolute_url()


# highlight()


def test_highlight_marks_the_accented_words_matched_without_accents():
    assert highlight("Bằng Tường", "bang tuong") == "<mark>Bằng Tường</mark>"
    assert highlight("Đoàn thăm Bằng Tường, Quảng Tây", "BANG TUONG") == "Đoàn thăm <mark>Bằng Tường</mark>, Quảng Tây"


def test_highlight_returns_safe_html():
    assert isinstance(highlight("Bằng Tường", "bang"), SafeString)


def test_highlight_maps_d_with_stroke():
    assert highlight("Cửa khẩu Đồng Đăng", "dong dang") == "Cửa khẩu <mark>Đồng Đăng</mark>"


def test_highlight_keeps_combining_marks_of_decomposed_text_inside_the_mark():
    text = unicodedata.normalize("NFD", "Cửa khẩu Bằng Tường")

    result = highlight(text, "bang")

    assert result == unicodedata.normalize("NFD", "Cửa khẩu <mark>Bằng</mark> Tường")
    assert unicodedata.normalize("NFC", re.sub("</?mark>", "", result)) == "Cửa khẩu Bằng Tường"
    # A match that ends on an accented vowel takes the vowel's marks with it.
    assert highlight(unicodedata.normalize("NFD", "Lạng Sơn"), "so") == unicodedata.normalize(
        "NFD", "Lạng <mark>Sơ</mark>n"
    )


def test_highlight_accepts_a_decomposed_query():
    assert highlight("Bằng Tường", unicodedata.normalize("NFD", "Tường")) == "Bằng <mark>Tường</mark>"


def test_highlight_finds_chinese_characters():
    assert highlight("凭祥市", "凭祥") == "<mark>凭祥</mark>市"


def test_highlight_marks_each_word_of_the_query_where_it_is():
    assert highlight("Lạng Sơn và Bằng Tường", "tuong lang") == "<mark>Lạng</mark> Sơn và Bằng <mark>Tường</mark>"


def test_highlight_marks_every_occurrence():
    assert highlight("Tường và tường", "tuong") == "<mark>Tường</mark> và <mark>tường</mark>"


def test_highlight_escapes_the_text_around_and_inside_the_marks():
    assert highlight("<b>Bằng</b> Tường", "bang") == "&lt;b&gt;<mark>Bằng</mark>&lt;/b&gt; Tường"
    # Punctuation separates the words of a query: "<b>" looks for the word "b".
    assert highlight("a <b> c", "<b>") == "a &lt;<mark>b</mark>&gt; c"
    assert highlight('"Tường" & co', "x") == "&quot;Tường&quot; &amp; co"


def test_highlight_without_a_query_only_escapes():
    assert highlight("<i>Lào</i>", "") == "&lt;i&gt;Lào&lt;/i&gt;"
    assert highlight(None, "lao") == ""


def test_highlight_around_a_match_cuts_a_long_text_to_a_window():
    text = "mở đầu " * 60 + "đối tượng " + "giữa " * 40 + "thị Bằng Tường, Quảng Tây " + "kết thúc " * 60

    result = highlight(text, "bang tuong", around=120)

    # The window is around the match holding both words, not the earlier "tượng".
    assert "<mark>Bằng Tường</mark>" in result
    assert result.startswith("…")
    assert result.endswith("…")
    assert len(re.sub("</?mark>", "", result)) <= 124


@given(st.text(), st.text(max_size=12))
def test_highlight_only_adds_marks_to_the_escaped_text(text, query):
    result = highlight(text, query)

    assert html.unescape(re.sub("</?mark>", "", result)) == text


# PostgreSQL's indexes


def test_on_postgresql_each_kind_has_a_trigram_index_that_answers_the_word_search(db):
    if connection.vendor != "postgresql":
        pytest.skip("The trigram indexes exist on PostgreSQL only.")
    with connection.cursor() as cursor:
        # A table of a few rows is cheaper to read whole, or through any other index:
        # only the trigram index's bitmap scan is left for the planner to choose.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        for model, index in [
            (Delegation, "delegation_search_trgm_idx"),
            (Partner, "partner_search_trgm_idx"),
            (Source, "source_search_trgm_idx"),
        ]:
            cursor.execute("SELECT obj_description(%s::regclass, 'pg_class')", [index])
            assert "search_text LIKE" in cursor.fetchone()[0]
            matching = model.objects.filter(search_text__contains="bang").filter(search_text__contains="tuong")
            plan = matching.order_by().explain()
            assert index in plan, plan


# Sources, partners, units and mechanisms go through review (issue 13)


def reference_data_named(word, **review):
    from partners.models import CooperationMechanism, LocalUnit

    Source.objects.create(title=f"Bài báo {word}s", body=f"Toàn văn có chữ {word}s.", **review)
    Partner.objects.create(name=f"Đối tác {word}s", kind=PartnerKind.TOWN, **review)
    LocalUnit.objects.create(name=f"Đơn vị {word}s", kind="department", **review)
    CooperationMechanism.objects.create(name=f"Cơ chế {word}s", **review)


def test_a_source_only_a_draft_cites_and_unpublished_partners_units_mechanisms_are_not_found_by_a_visitor(
    visitor, official_client, db
):
    reference_data_named("zymurgy")

    response = visitor.get(SEARCH, {"q": "zymurgy"})
    assert groups(response) == {}
    assert "zymurgys" not in response.content.decode()  # the page repeats the query, never the names
    found = official_client.get(SEARCH, {"q": "zymurgy"})
    assert set(groups(found)) == {"sources", "partners", "local_units", "mechanisms"}
    assert "Nội bộ" in found.content.decode()  # each marked internal for the official


def test_published_sources_partners_units_and_mechanisms_are_found_by_a_visitor(visitor, db):
    reference_data_named("zymurgy", **PUBLISHED)

    assert set(groups(visitor.get(SEARCH, {"q": "zymurgy"}))) == {"sources", "partners", "local_units", "mechanisms"}
