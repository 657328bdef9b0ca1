"""The 34 provinces and centrally-run cities of Vietnam from 1 July 2025, and
their communes, wards and special zones, with their official codes.

The data is the pinned ``vietnam-provinces`` package (requirements.txt): the
General Statistics Office's list of administrative units (danhmuchanhchinh.gso.gov.vn)
after Resolution 202/2025/QH15 reduced 63 provinces to 34 and the Standing
Committee's resolutions of 2025 merged the communes; the districts were abolished
on 1 July 2025. Codes are the GSO's: two digits for a province ("01" Hà Nội,
"04" Cao Bằng), five for a commune ("01273"). tests/test_offices_provinces.py
pins the list (34 provinces, 3,321 communes), so a new release of the package
that changes it is reviewed before it is taken.
"""

import functools
from dataclasses import dataclass

from vietnam_provinces import Province as _Province
from vietnam_provinces import ProvinceCode, VietNamDivisionType, Ward

from common.text import fold

# The day the 2025 map took effect: the communes' ``valid_from``.
MAP_2025 = "2025-07-01"
CITY_PREFIX = "Thành phố "


@dataclass(frozen=True)
class Province:
    code: str  # "04"
    name: str  # as the list writes it: "Cao Bằng", "Thành phố Hà Nội"
    is_city: bool  # a centrally-run city (thành phố trực thuộc trung ương)

    @property
    def short_name(self):
        """'Cao Bằng', 'Hà Nội': the name without "Thành phố"."""
        return self.name.removeprefix(CITY_PREFIX)

    @property
    def level(self):
        """'tỉnh' or 'thành phố', as a name is written after it: "tỉnh Cao Bằng"."""
        return "thành phố" if self.is_city else "tỉnh"

    @property
    def full_name(self):
        """'tỉnh Cao Bằng', 'thành phố Hà Nội'."""
        return f"{self.level} {self.short_name}"

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class Commune:
    code: str  # "01273"
    name: str  # "Phường Thục Phán", "Xã Quảng Lâm", "Đặc khu Vân Đồn"
    kind: str  # "xã", "phường", "đặc khu"


@functools.cache
def provinces():
    """Code -> Province, in the list's order (by code)."""
    found = (
        Province(
            code=f"{p.code.value:02d}",
            name=p.name,
            is_city=p.division_type == VietNamDivisionType.THANH_PHO_TRUNG_UONG,
        )
        for p in _Province.iter_all()
    )
    return {p.code: p for p in sorted(found, key=lambda p: p.code)}


def province_choices():
    """(code, "04 – Cao Bằng") for a choice field."""
    return [(code, f"{code} – {p.name}") for code, p in provinces().items()]


def normal_code(text):
    """'4', '04', ' 04 ' -> '04'; anything that is not a number of one or two digits -> None."""
    text = str(text).strip()
    if not (text.isdigit() and 1 <= len(text) <= 2):
        return None
    return text.zfill(2)


def province(code):
    """The province of ``code`` ("04" or "4"), or None."""
    return provinces().get(normal_code(code) or "")


def names_match(province, name):
    """True when ``name`` names ``province``: accents, case and a leading
    "tỉnh", "thành phố" or "TP." aside ("cao bang", "Tỉnh Cao Bằng")."""
    folded = fold(name).replace("tp.", "thanh pho ").strip()
    for prefix in ("tinh ", "thanh pho "):
        folded = folded.removeprefix(prefix).strip()
    return folded == fold(province.short_name)


def communes(code):
    """The communes, wards and special zones of the province ``code``, by code."""
    province_code = ProvinceCode(int(normal_code(code)))
    found = (
        Commune(code=f"{w.code.value:05d}", name=w.name, kind=w.division_type.value)
        for w in Ward.iter_by_province(province_code)
    )
    return sorted(found, key=lambda c: c.code)
