"""People and places as one cell writes them.

``split_person``: "Ông Hoàng Văn Minh, Phó Giám đốc Sở Công Thương" -> ("Hoàng
Văn Minh", "Phó Giám đốc Sở Công Thương"). Honorifics (Ông, Bà, Đồng chí, Đ/c,
Ngài, Mr., Ms., Dr.) are dropped; academic titles (GS., PGS., TS., ThS.) are a
part of how the person is styled, not of the name, so they go to the front of
the title: ("Hoàng Văn Minh", "TS. Phó Giám đốc Sở Công Thương"). A name
written after its title is found only when it starts with a known surname;
when the split is not clear the whole text is returned as the name, for the
clerk to see, never a guess.

``split_places``: chains of places, most specific first, without their
administrative prefixes: "TP. Nam Ninh (Quảng Tây, Trung Quốc)" -> [["Nam
Ninh", "Quảng Tây", "Trung Quốc"]]."""

import re
import unicodedata

HONORIFIC = re.compile(r"^(?:ông|bà|đồng\s+chí|đ/c|ngài|mr\.?|mrs\.?|ms\.?|dr\.?)(?:\s+|(?<=\.)(?=\S))", re.I)
DEGREE = re.compile(r"^((?:(?:gs|pgs|ts|ths|ks|bs|ls)\.\s*)+)", re.I)
PERSON_SEPARATOR = re.compile(r"\s*\n\s*|\s*,\s*|\s+[-–—]\s+|\s*[–—]\s*")
# The Vietnamese and Chinese surnames a name written after its title starts with.
SURNAME_WORDS = """
Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Lương Nông Lăng Hà Vi Chu Mã Triệu Đinh
Lâm Tô Trịnh Đoàn Mai Cao Lưu Tạ Thân Hứa Trương Vương Quách Từ Hầu Mạc Lục La Tăng Tiêu Tống Đàm Giáp Vy Lành
Bế Đào Văn Kiều Khổng Ma Âu Diệp Thái Tôn Châu Chung Doãn Kim
"""
SURNAMES = frozenset(SURNAME_WORDS.split())
# Words that a name never holds: the start of a title or an organisation.
NOT_NAME = re.compile(
    r"\b(?:phó|chủ\s+tịch|giám\s+đốc|bí\s+thư|trưởng|tổng|đại\s+sứ|lãnh\s+sự|ủy|uỷ|ban|sở|bộ|cục|ubnd|hđnd|"
    r"tỉnh|huyện|thành\s+phố|công\s+ty|đồn|viện|trường|hội\s+đồng|thứ\s+trưởng|chính\s+ủy|chánh|"
    r"cán\s+bộ|chuyên\s+viên|đảng|đoàn)\b",
    re.I,
)
ORGANISATION = {"sở", "bộ", "ubnd", "hđnd", "ủy", "uỷ", "ban", "cục", "tỉnh", "huyện", "phố", "thị", "xã", "đồn"}


def _syllable(word):
    return word.isalpha() and word[0].isupper() and (len(word) == 1 or word[1:].islower())


def _is_name(text):
    words = text.split()
    return 2 <= len(words) <= 5 and all(_syllable(w) for w in words) and not NOT_NAME.search(text)


def _strip_honorific(text):
    """(text without its honorific, the academic titles found, whether there was an honorific)."""
    found = False
    degrees = []
    while True:
        if match := HONORIFIC.match(text):
            found, text = True, text[match.end() :].strip()
        elif match := DEGREE.match(text):
            degrees.append(match[1].strip())
            text = text[match.end() :].strip()
        else:
            return text, " ".join(degrees), found


def _with_degree(degree, title):
    return f"{degree} {title}".strip()


def _name_after_title(text):
    """(name, title) of "Phó Giám đốc Sở Công Thương Hoàng Văn Minh": the name
    is the trailing run of capitalised syllables from a known surname on."""
    words = text.split()
    run = len(words)
    while run > 0 and _syllable(words[run - 1]) and words[run - 1].lower() not in ORGANISATION:
        run -= 1
    starts = [i for i in range(run, len(words)) if words[i] in SURNAMES and 2 <= len(words) - i <= 5]
    if run == 0 or not starts:
        return None
    longer = [i for i in starts if len(words) - i >= 3]
    start = max(longer) if longer else max(starts)
    return " ".join(words[start:]), " ".join(words[:start])


def split_person(value):
    """(name, title) of a cell naming a person; (text, "") when unclear."""
    text = str(value or "").strip()
    if not text:
        return "", ""
    rest, degree, honorific = _strip_honorific(text)
    parts = PERSON_SEPARATOR.split(rest.replace("(", "\n").replace(")", ""), maxsplit=1)
    if len(parts) == 2:
        first, second = (part.strip(" ,;.") for part in parts)
        first_name = _strip_honorific(first)[0]
        if _is_name(first_name):
            return first_name, _with_degree(degree, second)
        second_name, second_degree, _found = _strip_honorific(second)
        if _is_name(second_name) and NOT_NAME.search(first):
            return second_name, _with_degree(f"{degree} {second_degree}".strip(), first)
        return text, ""
    if _is_name(rest):
        return rest, degree
    if found := _name_after_title(rest):
        return found[0], _with_degree(degree, found[1])
    if honorific or not NOT_NAME.search(rest):
        return text, ""
    return "", text


# Places -------------------------------------------------------------------------

# Lower case with their accents ("Bằng Tường" is no "bang", a state), the
# longest first; the unaccented spellings only where no place name is one.
# "châu" (a Chinese prefecture) only before a name of two syllables or more,
# since "Châu Âu" is Europe.
ADMIN_PREFIXES = sorted(
    (
        tuple(prefix.split())
        for prefix in (
            "thành phố",
            "thanh pho",
            "tp.",
            "tp",
            "thủ đô",
            "khu tự trị",
            "khu tu tri",
            "đặc khu hành chính",
            "tỉnh",
            "tinh",
            "huyện",
            "huyen",
            "thị xã",
            "thi xa",
            "thị trấn",
            "thi tran",
            "quận",
            "châu",
            "bang",
            "vùng",
            "xã",
            "trấn",
            "hương",
        )
    ),
    key=lambda prefix: -len(prefix),
)
PLACE_SEPARATOR = re.compile(r"\s*(?:\n|;|\+|&|\bvà\b|\bva\b)\s*", re.I)
CHAIN_SEPARATOR = re.compile(r"\s*,\s*|\s+[-–—]\s+|\s*[–—]\s*")
LOWER_LEVEL = {
    ("thành", "phố"),
    ("thanh", "pho"),
    ("tp.",),
    ("tp",),
    ("huyện",),
    ("huyen",),
    ("thị", "xã"),
    ("thi", "xa"),
    ("quận",),
    ("xã",),
    ("trấn",),
    ("hương",),
}


def _prefix_of(name):
    text = unicodedata.normalize("NFC", re.sub(r"(?i)^tp\.\s*", "tp. ", name.strip()))
    words = text.lower().split()
    for prefix in ADMIN_PREFIXES:
        rest = len(words) - len(prefix)
        if tuple(words[: len(prefix)]) == prefix and rest >= (2 if prefix == ("châu",) else 1):
            return prefix
    return None


def strip_admin_prefix(name):
    """ "tỉnh Luông Pha Băng" -> "Luông Pha Băng", "TP. Nam Ninh" -> "Nam Ninh"."""
    name = " ".join(re.sub(r"(?i)^tp\.\s*", "TP. ", str(name).strip()).split())
    prefix = _prefix_of(name)
    return " ".join(name.split()[len(prefix) :]) if prefix else name


def _chain(text):
    return [strip_admin_prefix(part) for part in CHAIN_SEPARATOR.split(text) if part.strip(" .")]


def _bracketed(outer, inner):
    """The chains of "Trung Quốc (Quảng Tây, Vân Nam)" (places within the
    country) and of "TP. Nam Ninh (Quảng Tây, Trung Quốc)" (the places the city is in)."""
    prefix = _prefix_of(outer)
    outer_chain = _chain(outer)
    single = len(CHAIN_SEPARATOR.split(inner.strip())) == 1
    if prefix in LOWER_LEVEL or (prefix and single and not _prefix_of(inner)):
        return [outer_chain + _chain(inner)]
    return [[*_chain(place), *outer_chain] for place in re.split(r"\s*,\s*", inner) if place.strip()]


def split_places(value):
    """The places of a cell, each a chain from the most specific to the broadest."""
    text = str(value or "").strip()
    chains = []
    for item in _top_level_split(text):
        if match := re.fullmatch(r"(.*?)\s*\((.*)\)\s*", item, re.S):
            chains.extend(_bracketed(match[1], match[2]) if match[1].strip() else [_chain(match[2])])
        elif item.strip():
            chains.append(_chain(item))
    return [chain for chain in chains if chain]


def _top_level_split(text):
    """``text`` cut at the separators of places that are outside brackets."""
    items, depth, start = [], 0, 0
    for match in re.finditer(r"[()]|" + PLACE_SEPARATOR.pattern, text, re.I):
        if match[0] == "(":
            depth += 1
        elif match[0] == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            items.append(text[start : match.start()])
            start = match.end()
    items.append(text[start:])
    return [item.strip(" .,") for item in items if item.strip(" .,")]
