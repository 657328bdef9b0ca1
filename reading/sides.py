"""Whose side a phrase is on: foreign, Vietnamese central, or the province the article is about.

Vietnamese news prose marks the foreign side plainly: the country named after the place
("Bằng Tường (Quảng Tây, Trung Quốc)"), the foreign administrative words ("thị", "châu", "trấn",
"Khu tự trị", "Chính phủ nhân dân", "Chính quyền nhân dân"), an embassy; the central side by its
bodies ("Bộ Ngoại giao", "Ủy ban công tác về các tổ chức phi chính phủ nước ngoài", "PACCOM").
"""

from __future__ import annotations

import re

from reading.letters import LOW, UP

FOREIGN, CENTRAL, OURS = "foreign", "central", "ours"

COUNTRIES = (
    "Trung Quốc",
    "Lào",
    "CHDCND Lào",
    "Campuchia",
    "Cam-pu-chia",
    "Thái Lan",
    "Hàn Quốc",
    "Nhật Bản",
    "Ấn Độ",
    "Hoa Kỳ",
    "Mỹ",
    "Pháp",
    "CHLB Đức",
    "Úc",
    "Ô-xtrây-li-a",
    "Liên bang Nga",
    "Liên bang Nga",
    "Singapore",
    "Xin-ga-po",
    "Liên bang Nga",
    "Nga",
    "Ma-lai-xi-a",
    "Malaysia",
    "In-đô-nê-xi-a",
    "Indonesia",
    "Phi-líp-pin",
    "Myanmar",
    "Mi-an-ma",
    "Cu-ba",
    "Cuba",
    "Thụy Sỹ",
    "Thụy Sĩ",
    "Thụy Điển",
    "Hà Lan",
    "I-ta-li-a",
    "Canada",
    "Ca-na-đa",
    "Mông Cổ",
    "Triều Tiên",
    "Đài Loan",
    "Hồng Kông",
    "New Zealand",
    "Niu Di-lân",
    "Séc",
    "Ba Lan",
    "Hung-ga-ri",
    "Bê-la-rút",
    "Trung Hoa",
    "Na Uy",
    "Đan Mạch",
    "Phần Lan",
    "Tây Ban Nha",
    "Israel",
)
# Provinces and regions of the neighbours that border provinces write about without the country.
FOREIGN_REGIONS = (
    "Quảng Tây",
    "Vân Nam",
    "Quảng Đông",
    "Hải Nam",
    "Quý Châu",
    "Tứ Xuyên",
    "Phúc Kiến",
    "Bắc Kinh",
    "Thượng Hải",
    "Trùng Khánh",
    "Nam Ninh",
    "Sùng Tả",
    "Sủng Tả",
    "Bằng Tường",
    "Bách Sắc",
    "Phòng Thành Cảng",
    "Đông Hưng",
    "Hà Khẩu",
    "Côn Minh",
    "Bo Kẹo",
    "Phoong-Sa-Ly",
    "Phông-xa-lỳ",
    "U-Đôm-Xay",
    "Luông-Pha-Bang",
    "Luang Prabang",
    "Viêng Chăn",
    "Hủa Phăn",
    "Xiêng Khoảng",
    "Bắc Lào",
    "Khu tự trị dân tộc Choang",
)
_FOREIGN_WORDS = re.compile(
    r"\b(?:Chính\s+phủ\s+nhân\s+dân|Chính\s+quyền\s+nhân\s+dân|Khu\s+tự\s+trị|Đại\s+sứ\s+quán|Tổng\s+Lãnh\s+sự\s+quán\s+(?!Việt)"
    r"|Văn\s+phòng\s+Ngoại\s+sự|Nhân\s+đại|Đại\s+sứ(?!\s+Việt)|[Cc]hâu\s+[A-ZĐ]|\bthị\s+[A-ZĐ]|\btrấn\s+[A-ZĐ]|"
    r"Thị\s+trưởng|Châu\s+trưởng|Huyện\s+trưởng|Tỉnh\s+trưởng|tỉnh\s+trưởng|Khu\s+ủy|Thị\s+ủy|Thị\s+uỷ|Châu\s+ủy|nước\s+bạn|"
    r"đoàn\s+bạn|Vương\s+quốc)",
)
_CENTRAL_WORDS = re.compile(
    r"\b(?:Bộ\s+(?:trưởng\s+)?(?:Ngoại\s+giao|Công\s+an|Quốc\s+phòng|Công\s+Thương|Tài\s+chính|Kế\s+hoạch)|Bộ\s+[A-ZĐ]|"
    r"Thứ\s+trưởng|Ủy\s+ban\s+công\s+tác\s+về|Uỷ\s+ban\s+công\s+tác\s+về|PACCOM|Liên\s+hiệp\s+các\s+tổ\s+chức\s+hữu\s+nghị"
    r"\s+Việt\s+Nam|Ban\s+Đối\s+ngoại\s+Trung\s+ương|Quốc\s+hội|Văn\s+phòng\s+Chính\s+phủ|Phó\s+Thủ\s+tướng|Thủ\s+tướng|"
    r"Trung\s+ương\s+Đoàn|về\s+phía\s+Trung\s+ương)"
)
_COUNTRY = re.compile(
    r"(?<![\wÀ-ỹ])(?:" + "|".join(re.escape(c) for c in COUNTRIES + FOREIGN_REGIONS) + r")(?![\wÀ-ỹ]|\s+Cai\b)"
)


def side_of(phrase: str, foreign_names=frozenset()) -> str | None:
    """FOREIGN, CENTRAL or OURS for a phrase naming a delegation or a person's title; None when the
    phrase says nothing either way."""
    if not phrase:
        return None
    if _FOREIGN_WORDS.search(phrase) or _COUNTRY.search(phrase.replace("(Việt Nam)", "")):
        return FOREIGN
    if foreign_names and any(name in phrase for name in foreign_names if len(name) > 3):
        return FOREIGN
    if _CENTRAL_WORDS.search(phrase):
        return CENTRAL
    return OURS


def mentions_foreign(phrase: str, foreign_names=frozenset()) -> bool:
    return side_of(phrase, foreign_names) == FOREIGN


# Talks held "tại Cửa khẩu đường bộ số II Kim Thành": at a border gate, on the line, at Km 0.
_BORDER_PLACE = re.compile(
    r"\b(?:Km\s+số\s+0|mốc\s+\d|đường\s+biên\s+giới|trên\s+biên\s+giới|vạch\s+phân\s+quản|khu\s+vực\s+biên\s+giới|"
    r"thực\s+địa|cặp\s+cửa\s+khẩu|lối\s+thông\s+quan|tại\s+[Cc]ửa\s+khẩu)",
    re.IGNORECASE,
)


def is_border_place(phrase: str) -> bool:
    return bool(_BORDER_PLACE.search(phrase or ""))


# "tỉnh Attapư (Lào)", "thủ đô Phnom Penh, Vương quốc Campuchia", "tỉnh Hokkaido (Nhật Bản)": a place the
# article marks with its country once is foreign wherever the article names it again without it.
_COUNTRY_ALT = "|".join(re.escape(c) for c in COUNTRIES)
_MARKED = re.compile(
    rf"(?<![\w])((?:[{UP}][{LOW}]*)(?:[ -]+[{UP}][{LOW}]*){{0,4}})"
    rf"\s*(?:\(\s*(?:nước\s+)?(?:{_COUNTRY_ALT})\s*\)"
    rf"|,\s*(?:nước\s+|Vương\s+quốc\s+)?(?:{_COUNTRY_ALT})(?![\w]|\s+Cai\b))"
)


# "Tỉnh trưởng tỉnh Kep", "Ủy ban Hành chính tỉnh Kép", "Thị trưởng thành phố Naju", "Thống đốc tỉnh Gangwon",
# "trụ sở UBCQ tỉnh Salavan": a place governed by an office Vietnam does not have (a governor, a mayor, a
# Cambodian administration, a Lao "Ủy ban chính quyền") is foreign, the country written or not.
_GOVERNED = re.compile(
    rf"(?:(?:Phó\s+)?(?:Tỉnh\s+trưởng|Thị\s+trưởng|Thống\s+đốc)(?:\s+Ban\s+hành\s+chính)?|Ban\s+hành\s+chính|"
    rf"(?:Ủy|Uỷ)\s+ban\s+(?:[Hh]ành\s+chính|[Cc]hính\s+quyền)|UBCQ)\s+(?:tỉnh|thành\s+phố|thị\s+xã|huyện|quận)\s+"
    rf"((?:[{UP}][{LOW}]*)(?:[ -]+[{UP}][{LOW}]*){{0,3}})"
)


def marked_foreign(text: str) -> frozenset:
    """Names of places the text marks as foreign by the country written beside them, or by the foreign
    office that governs them."""
    names = {m.group(1).strip() for m in _GOVERNED.finditer(text) if len(m.group(1).strip()) > 3}
    for m in _MARKED.finditer(text):
        name = m.group(1).strip()
        if side_of(name) == CENTRAL or re.search(r"Việt\s+Nam|Tỉnh|Thành|Huyện|Đoàn|Đại|Bí\s+thư|Chủ\s+tịch", name):
            continue
        if len(name) > 3:
            names.add(name)
    return frozenset(names)
