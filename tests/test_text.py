"""Accent-insensitive search: fold() and the searches built on it."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.text import fold, search_blob
from delegations.models import Delegation
from partners.models import Partner, PartnerKind

VIETNAMESE_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Bằng Tường", "bang tuong"),
        ("ĐỒNG ĐĂNG", "dong dang"),
        ("Lạng Sơn", "lang son"),
        ("Cửa khẩu Hữu Nghị", "cua khau huu nghi"),
        ("Quảng Tây", "quang tay"),
        ("凭祥市", "凭祥市"),
        ("  Bằng\tTường \n Quảng\u00a0Tây  ", "bang tuong quang tay"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_lowers_strips_accents_and_collapses_white_space(text, folded):
    assert fold(text) == folded


def test_search_blob_folds_each_part_on_its_own_line_and_skips_blanks():
    assert search_blob("Bằng Tường", "", "Pingxiang", "凭祥市") == "bang tuong\npingxiang\n凭祥市"


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_output_is_case_folded_and_trimmed(text):
    folded = fold(text)
    assert folded == folded.casefold()
    assert folded == folded.strip()
    assert "  " not in folded


@given(st.text(alphabet=VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + " ", max_size=40))
def test_fold_of_vietnamese_is_plain_lower_case_ascii_whatever_the_case(text):
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert fold(text.upper()) == folded == fold(text.lower())


# Searching records


@pytest.fixture
def pingxiang(db):
    return Partner.objects.create(
        name="Bằng Tường",
        name_en="Pingxiang",
        name_native="凭祥市",
        aliases="Thành phố Bằng Tường\nPing Xiang City",
        kind=PartnerKind.COUNTY,
        country="CN",
    )


@pytest.fixture
def longzhou(db):
    return Partner.objects.create(name="Long Châu", name_en="Longzhou", name_native="龙州县", kind=PartnerKind.COUNTY)


@pytest.mark.parametrize(
    "query",
    ["bang tuong", "BẰNG TƯỜNG", "Bang", "tường", "pingxiang", "PINGXIANG", "凭祥", "ping xiang city", "thanh pho"],
)
def test_partner_search_finds_by_name_english_name_native_name_and_alias(pingxiang, longzhou, query):
    assert list(Partner.objects.search(query)) == [pingxiang]


def test_partner_search_needs_every_word_to_match(pingxiang, longzhou):
    assert list(Partner.objects.search("bang longzhou")) == []


def test_partner_search_follows_a_renamed_partner(pingxiang):
    pingxiang.aliases = ""
    pingxiang.save()
    assert list(Partner.objects.search("ping xiang city")) == []


def test_publishable_search_is_accent_insensitive(db):
    visit = Delegation.objects.create(title="Đoàn công tác tỉnh Quảng Tây thăm Lạng Sơn", direction="in")
    Delegation.objects.create(title="Đoàn đi Nhật Bản", direction="out")

    assert list(Delegation.objects.search("doan quang tay")) == [visit]
    assert list(Delegation.objects.search("LẠNG SƠN")) == [visit]
    assert set(Delegation.objects.search("doan")) == set(Delegation.objects.all())
    assert list(Delegation.objects.search("ha noi")) == []


def test_empty_query_finds_everything(pingxiang, longzhou):
    assert set(Partner.objects.search("  ")) == {pingxiang, longzhou}
