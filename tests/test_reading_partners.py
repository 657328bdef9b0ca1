"""Partner matching for the article reader: the register's partners as a gazetteer."""

import pytest

from offices.models import OfficeProfile
from offices.services import defaults_for, find_province
from partners.models import Partner
from reading import gazetteer
from reading.gazetteer import gazetteer_for, key
from reading.reader import read

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    gazetteer.clear()
    yield
    gazetteer.clear()


def partner(name, parent=None, **fields):
    fields.setdefault("kind", "county")
    fields.setdefault("country", "CN")
    fields.setdefault("review_state", "approved")
    fields.setdefault("is_public", True)
    return Partner.objects.create(name=name, parent=parent, **fields)


@pytest.fixture
def places():
    china = partner("Trung Quốc", kind="country", name_en="China")
    guangxi = partner(
        "Quảng Tây", china, kind="region", name_en="Guangxi", aliases="Khu tự trị dân tộc Choang Quảng Tây"
    )
    pingxiang = partner("Bằng Tường", guangxi, name_en="Pingxiang", name_native="凭祥市")
    baise = partner("Baise", guangxi, kind="prefecture_city", name_native="百色市")
    return {"china": china, "guangxi": guangxi, "pingxiang": pingxiang, "baise": baise}


def found(name, office=None):
    entry = gazetteer_for(office).find(name)
    return entry.id if entry else None


def test_a_partner_is_found_by_its_name_with_or_without_the_administrative_word(places):
    assert found("Bằng Tường") == places["pingxiang"].pk
    assert found("thị Bằng Tường") == places["pingxiang"].pk


def test_diacritics_matter_but_case_and_spacing_do_not(places):
    assert found("Bảng Tường") is None
    assert found("BẰNG TƯỜNG") == places["pingxiang"].pk
    assert found("BằngTường") == places["pingxiang"].pk


def test_old_and_new_tone_placement_are_one_spelling():
    assert key("Thị uỷ") == key("Thị ủy")
    assert key("Hoà Bình") == key("Hòa Bình")


def test_a_partner_is_found_by_its_english_native_and_other_names(places):
    assert found("Pingxiang") == places["pingxiang"].pk
    assert found("凭祥市") == places["pingxiang"].pk
    assert found("Khu tự trị dân tộc Choang Quảng Tây") == places["guangxi"].pk


def test_a_partner_known_only_by_its_chinese_name_is_found_by_its_sino_vietnamese_reading(places):
    assert found("thành phố Bách Sắc") == places["baise"].pk


def test_another_provinces_draft_partner_is_not_offered_but_the_offices_own_is(places, _an_office):
    OfficeProfile.objects.create(**{**defaults_for(find_province("04")), "province_code": "04"})
    partner("Long Châu", places["guangxi"], review_state="draft", is_public=False, created_in_id="04")
    partner(
        "Ninh Minh", places["guangxi"], review_state="draft", is_public=False, created_in_id=_an_office.province_code
    )
    assert found("Long Châu", _an_office) is None
    assert found("Ninh Minh", _an_office) is not None


def test_the_gazetteer_is_reloaded_when_a_partner_is_added_or_renamed(places, django_assert_max_num_queries):
    assert found("Đông Hưng") is None
    dongxing = partner("Đông Hưng", places["guangxi"])
    assert found("Đông Hưng") == dongxing.pk
    dongxing.name = "Đông Hưng mới"
    dongxing.save()
    assert found("Đông Hưng mới") == dongxing.pk
    with django_assert_max_num_queries(4):  # the fingerprint's four aggregates; no reload
        assert found("Đông Hưng mới") == dongxing.pk


def test_a_delegations_partner_is_matched_to_the_register(places):
    reading = read(
        "Ngày 21/1/2024, đồng chí Dương Xuân Huyên, Phó Chủ tịch Thường trực UBND tỉnh chủ trì buổi tiếp xã giao "
        "Đoàn Đại biểu Chính phủ nhân dân thị Bằng Tường do ông Vũ Hiểu Huy, Bí thư Thị uỷ làm trưởng đoàn."
    )
    (delegation,) = reading.delegations
    assert [p.partner_id for p in delegation.partners] == [places["pingxiang"].pk]


def test_an_unknown_place_is_proposed_under_the_broader_place_the_register_has(places):
    reading = read(
        "Ngày 21/1/2024, đồng chí Dương Xuân Huyên, Phó Chủ tịch Thường trực UBND tỉnh tiếp Đoàn đại biểu "
        "Chính phủ nhân dân huyện Long Châu (Quảng Tây, Trung Quốc) do ông Lý Minh, Huyện trưởng làm trưởng đoàn."
    )
    (mention,) = reading.delegations[0].partners
    assert (mention.partner_id, mention.proposed_name) == (None, "huyện Long Châu")
    assert mention.proposed_parent_id == places["guangxi"].pk
    assert reading.text[mention.span.start : mention.span.end] == mention.text


def test_two_places_in_one_delegation_are_two_partners_and_a_sibling_is_never_the_parent(places):
    reading = read(
        "Sáng 31/8/2024, lãnh đạo UBND thành phố hội đàm với Đoàn đại biểu thành phố Sủng Tả và thị Bằng Tường "
        "(Quảng Tây, Trung Quốc) do ông Lý Minh, Thị trưởng làm trưởng đoàn."
    )
    first, second = reading.delegations[0].partners
    assert (first.proposed_name, first.proposed_parent_id) == ("thành phố Sủng Tả", places["guangxi"].pk)
    assert second.partner_id == places["pingxiang"].pk


def test_the_counterpart_met_is_the_partner_and_a_typo_in_one_tone_is_the_name_written_elsewhere(places):
    chongzuo = partner("Sùng Tả", places["guangxi"], kind="prefecture_city")
    reading = read(
        "Ngày 11/12/2011, đoàn công tác của tỉnh do đồng chí Tô Hùng Khoa, Phó Chủ tịch UBND tỉnh làm Trưởng đoàn "
        "đã làm việc với lãnh đạo thành phố Sùng Tả, Khu tự trị dân tộc Choang, Quảng Tây, Trung Quốc."
    )
    (mention,) = reading.delegations[0].partners
    assert mention.partner_id == chongzuo.pk
    reading = read(
        "Ngày 31/8/2024, lãnh đạo UBND thành phố hội đàm với Đoàn đại biểu thành phố Sủng Tả (Quảng Tây, Trung "
        "Quốc) do ông Lý Minh, Thị trưởng làm trưởng đoàn. Hai bên ký Biên bản ghi nhớ với thành phố Sùng Tả."
    )
    assert reading.delegations[0].partners[0].partner_id == chongzuo.pk
