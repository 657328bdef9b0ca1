"""Search terms match whole syllables after accent folding: "vi" finds "vị" and
"vì", never the start of "việc"; only the last word, the one still being typed,
matches the start of a syllable ("bang tu" finds "Bằng Tường"). The search page,
the lists' ?q= filter and the highlighting agree on it, on SQLite and PostgreSQL."""

import re

import pytest
from django.test import Client

from common.text import highlight
from delegations.models import Delegation, Direction
from sources.models import Source
from tests.conftest import PUBLISHED

SEARCH = "/search/"


@pytest.fixture
def visitor(db):
    return Client()


def found_titles(response, key):
    group = {group.key: group for group in response.context["groups"]}.get(key)
    return [re.sub("</?mark>", "", str(hit.title)) for hit in group.hits] if group else []


def test_vi_thao_finds_whole_syllables_not_the_start_of_viec(visitor, db):
    Source.objects.create(**PUBLISHED, title="Hội nghị biên giới", body="Hai bên đã bàn việc mở chợ và thảo luận.")
    Source.objects.create(**PUBLISHED, title="Tin đối ngoại", body="Các vị đại biểu thảo luận về cửa khẩu.")

    titles = found_titles(visitor.get(SEARCH, {"q": "vi thao"}), "sources")

    assert titles == ["Tin đối ngoại"]


def test_a_term_inside_a_syllable_finds_nothing_on_the_lists_either(visitor, db):
    Delegation.objects.create(**PUBLISHED, title="Đoàn bàn việc thảo luận", direction=Direction.OUTBOUND)
    kept = Delegation.objects.create(**PUBLISHED, title="Đoàn các vị khách", direction=Direction.OUTBOUND)

    assert list(Delegation.objects.search("vi khach")) == [kept]
    assert list(Delegation.objects.search("vi thao")) == []
    # The search page's "see them all" link opens the list filtered alike.
    assert kept.title in visitor.get("/delegations/", {"q": "vi khach"}).content.decode()


def test_the_last_word_is_a_prefix_and_the_others_whole_syllables(visitor, db):
    Delegation.objects.create(**PUBLISHED, title="Đoàn sang Bằng Tường", direction=Direction.OUTBOUND)

    assert found_titles(visitor.get(SEARCH, {"q": "bang tu"}), "delegations") == ["Đoàn sang Bằng Tường"]
    # "tu" is whole when another word follows it: "Tường" is not "tu".
    assert found_titles(visitor.get(SEARCH, {"q": "tu bang"}), "delegations") == []
    assert found_titles(visitor.get(SEARCH, {"q": "bang tuongx"}), "delegations") == []


def test_the_prefix_of_the_last_word_is_all_that_is_highlighted():
    assert highlight("Đoàn sang Bằng Tường", "bang tu") == "Đoàn sang <mark>Bằng Tư</mark>ờng"
    assert highlight("Đoàn sang Bằng Tường", "tu bang") == "Đoàn sang <mark>Bằng</mark> Tường"


def test_km_0_highlights_the_kilometre_mark_not_the_zeros_of_a_year(visitor, db):
    assert highlight("Mốc Km 0, năm 2020", "km 0") == "Mốc <mark>Km 0</mark>, năm 2020"
    Delegation.objects.create(**PUBLISHED, title="Khảo sát mốc Km 0 năm 2020", direction=Direction.OUTBOUND)
    Delegation.objects.create(**PUBLISHED, title="Khảo sát cây số 10 năm 2020", direction=Direction.OUTBOUND)

    response = visitor.get(SEARCH, {"q": "km 0"})

    assert found_titles(response, "delegations") == ["Khảo sát mốc Km 0 năm 2020"]
    assert "Khảo sát mốc <mark>Km 0</mark> năm 2020" in response.content.decode()


def test_highlight_marks_whole_syllables_only():
    assert highlight("Việc của các vị, vì ai", "vi ai") == "Việc của các <mark>vị</mark>, <mark>vì ai</mark>"
    # Punctuation inside a text is a syllable boundary, as a space is.
    assert highlight("Quyết định 05/2024/QĐ-UBND", "qd ubnd") == "Quyết định 05/2024/<mark>QĐ</mark>-<mark>UBND</mark>"


def test_a_script_without_spaces_still_matches_inside_a_name(visitor, db):
    assert highlight("凭祥市人民政府", "凭祥") == "<mark>凭祥</mark>市人民政府"
    Source.objects.create(**PUBLISHED, title="凭祥市人民政府公告")

    assert found_titles(visitor.get(SEARCH, {"q": "人民"}), "sources") == ["凭祥市人民政府公告"]
