"""The official 2025 list the profile's province and start_province's local
units come from (offices/provinces.py, the pinned vietnam-provinces package).
Pinned here so that a new release that changes the list is reviewed first:
Resolution 202/2025/QH15 left 34 provinces and centrally-run cities, with
2,621 communes, 687 wards and 13 special zones from 1 July 2025."""

import pytest

from offices import provinces

# Code -> name, as the General Statistics Office's list writes them.
THE_34 = {
    "01": "Thành phố Hà Nội", "04": "Cao Bằng", "08": "Tuyên Quang", "11": "Điện Biên", "12": "Lai Châu",
    "14": "Sơn La", "15": "Lào Cai", "19": "Thái Nguyên", "20": "Lạng Sơn", "22": "Quảng Ninh", "24": "Bắc Ninh",
    "25": "Phú Thọ", "31": "Thành phố Hải Phòng", "33": "Hưng Yên", "37": "Ninh Bình", "38": "Thanh Hóa",
    "40": "Nghệ An", "42": "Hà Tĩnh", "44": "Quảng Trị", "46": "Thành phố Huế", "48": "Thành phố Đà Nẵng",
    "51": "Quảng Ngãi", "52": "Gia Lai", "56": "Khánh Hòa", "66": "Đắk Lắk", "68": "Lâm Đồng", "75": "Đồng Nai",
    "79": "Thành phố Hồ Chí Minh", "80": "Tây Ninh", "82": "Đồng Tháp", "86": "Vĩnh Long", "91": "An Giang",
    "92": "Thành phố Cần Thơ", "96": "Cà Mau",
}  # fmt: skip


def test_the_list_holds_the_34_provinces_and_cities_of_2025_with_their_codes():
    assert {code: p.name for code, p in provinces.provinces().items()} == THE_34
    cities = [p.short_name for p in provinces.provinces().values() if p.is_city]
    assert cities == ["Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"]


def test_the_list_holds_3321_communes_wards_and_special_zones():
    every = [c for code in THE_34 for c in provinces.communes(code)]
    kinds = [c.kind for c in every]
    assert (len(every), kinds.count("xã"), kinds.count("phường"), kinds.count("đặc khu")) == (3321, 2621, 687, 13)
    assert len({c.code for c in every}) == 3321
    assert all(len(c.code) == 5 and c.code.isdigit() for c in every)


@pytest.mark.parametrize(("code", "count"), [("04", 56), ("20", 65), ("01", 126), ("79", 168)])
def test_a_province_has_its_communes(code, count):
    assert len(provinces.communes(code)) == count


@pytest.mark.parametrize(
    ("code", "name", "matches"),
    [
        ("04", "Cao Bằng", True),
        ("4", "cao bang", True),
        ("04", "Tỉnh Cao Bằng", True),
        ("01", "TP. Hà Nội", True),
        ("01", "Thành phố Hà Nội", True),
        ("04", "Bắc Kạn", False),
    ],
)
def test_a_name_is_matched_to_its_code_whatever_its_accents_and_title(code, name, matches):
    assert provinces.names_match(provinces.province(code), name) is matches


@pytest.mark.parametrize("code", ["99", "", "004", "x", "02"])
def test_a_code_outside_the_list_is_no_province(code):
    assert provinces.province(code) is None
