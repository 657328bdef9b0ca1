"""People named with a title: "đồng chí Dương Xuân Huyên, Phó Chủ tịch Thường trực UBND tỉnh",
"ông Vũ Hiểu Huy, Bí thư Thị uỷ", "Bộ trưởng Ngoại giao Bùi Thanh Sơn", "Vương Ninh - Bí thư Tỉnh ủy".

A name is a run of capitalised syllables; where a title comes first, the segmenter's words tell
the title's last place ("tại Việt Nam") from the name that follows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reading.letters import LOW, UP
from reading.segment import words
from reading.sides import COUNTRIES

UPPER, LOWER = UP, LOW
# A military rank stands before a name as "ông" does: "do Đại tá Phan Văn Hóa, Chỉ huy trưởng làm Trưởng
# đoàn", "Thượng tá Nguyễn Đức Dũng, Đồn trưởng" (border guards' talks).
_RANK = r"(?:[Đđ]ại|[Tt]hượng|[Tt]rung|[Tt]hiếu)\s+(?:tá|úy|uý|tướng)"
# An academic degree may stand between the honorific and the name: "đồng chí TS. Vi-lay-vông Bút-đa-khăm".
_DEGREE = r"(?:\s+(?:(?:PGS|GS)\.?\s*,?\s*)?(?:TS|ThS)\.)?"
HONORIFIC = rf"(?:(?:[Đđ]ồng\s+chí|[Ôô]ng|[Bb]à|[Nn]gài|{_RANK}){_DEGREE})"
# Words a title starts with (a name never does).
TITLE_START = (
    r"(?:Phó\s+|Quyền\s+|Nguyên\s+)?(?:Chủ\s+tịch|Bộ\s+trưởng|Thứ\s+trưởng|Bí\s+thư|Đại\s+sứ(?!\s+quán)|Tổng\s+Lãnh\s+sự(?!\s+quán)|"
    r"Lãnh\s+sự(?!\s+quán)|Thị\s+trưởng|Giám\s+đốc|Trưởng\s+[Bb]an|Trưởng\s+đại\s+diện|Chủ\s+nhiệm|Huyện\s+trưởng|"
    r"Châu\s+trưởng|Tỉnh\s+trưởng|Tổng\s+Bí\s+thư|Thủ\s+tướng|Trưởng\s+[Đđ]oàn|Ủy\s+viên|Uỷ\s+viên|Chánh\s+[Vv]ăn\s+phòng|"
    r"Vụ\s+trưởng|Cục\s+trưởng|Tư\s+lệnh|Chỉ\s+huy\s+trưởng|Trưởng\s+phòng|Chánh\s+[Tt]hanh\s+tra|Chánh\s+án|"
    r"Tổng\s+[Gg]iám\s+đốc|Viện\s+trưởng)"
)
# A syllable; Lao and Khmer names are written in hyphenated syllables ("Lếch-lay Sỉ-vi-lay"), but a
# hyphen straight before a title ends the name: "Châu Ngọc Tuấn-Phó Bí thư Tỉnh ủy".
_SYL = rf"[{UPPER}][{LOWER}]*(?:-(?!{TITLE_START})[{UPPER}{LOWER}][{LOWER}]*)*"
# Lao names are also written in groups joined by a spaced hyphen ("Su Căn - Bun Nhông"); a spaced hyphen before
# a title still ends the name ("Nguyễn Văn Hùng - Ủy viên Trung ương Đảng").
_NAME_GAP = rf"(?:[ \t]+-[ \t]+(?!{TITLE_START})(?=[{UPPER}][{LOWER}]*[ \t]+[{UPPER}])|[ \t]+)"
_NAME = rf"{_SYL}(?:{_NAME_GAP}{_SYL}){{1,5}}"
_SIDE_THEN_NAME = re.compile(rf"[Pp]hía\s+[^,;.]{{2,40}}?,\s+({_NAME})(?=,)")
_TITLE_AFTER = rf"\s*(?:,|\s[–-]|[–-](?={TITLE_START}))\s*"
# Where a title ends: a verb, a clause, the next person.
_TITLE_STOP = re.compile(
    r"\s+(?:làm\s+[Tt]rưởng\s+đoàn|dẫn\s+đầu|đã|sẽ|cùng|tiếp|đón|tiễn|hội\s+đàm|hội\s+kiến|bày\s+tỏ|khẳng\s+định|"
    r"trao|ký|chủ\s+trì|đánh\s+giá|cảm\s+ơn|có\s+buổi|khái\s+quát|phát\s+biểu|thông\s+tin|nhấn\s+mạnh|làm\s+việc|"
    r"sang|đi|đến\s+(?:thăm|làm\s+việc|chúc)|bắt\s+đầu|và\s+(?:[Đđ]oàn|đại\s+diện|các|lãnh\s+đạo|một|đồng\s+chí|ông|bà)|thăm|chúc|gửi|mong)\b"
    r"|\s*[;:.](?:\s|$)|\s*,\s+(?:đồng\s+chí|ông|bà|lãnh\s+đạo|cùng|đại\s+diện|các|và|một|được|đã|tại|trong|nhằm|"
    r"để|với|hai|đón|tiếp|ngày)\b|\s*$"
)
# Capitalised words that are titles, bodies or places, never a person's name.
NOT_NAMES = {
    w.lower()
    for w in (
        "Việt Nam",
        "Trung Quốc",
        "Lào",
        "CHDCND",
        "Quảng Tây",
        "Vân Nam",
        "Choang",
        "Quảng Đông",
        "Ngoại giao",
        "Thường trực",
        "Trung ương",
        "Tỉnh ủy",
        "Tỉnh uỷ",
        "Thành ủy",
        "Thành uỷ",
        "Huyện ủy",
        "Khu ủy",
        "Đảng",
        "Quốc hội",
        "Chính phủ",
        "Nhân dân",
        "Ban",
        "Sở",
        "Bộ",
        "Ủy ban",
        "Uỷ ban",
        "Hàn Quốc",
        "Nhật Bản",
        "Lãnh sự",
        "Thị ủy",
        "Thị uỷ",
        "Châu ủy",
        "Châu uỷ",
        "Nam Ninh",
        "Đảng Cộng sản",
    )
}
# Common Vietnamese family names, and the Sino-Vietnamese readings of common Chinese ones: after
# "tỉnh", "châu", "thành phố" a run of capitals is a place ("châu Văn Sơn") unless it starts with
# one of these and reads as a full name ("UBND tỉnh Nguyễn Văn Sơn").
FAMILY_NAMES = frozenset(
    [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Đào",
        "Đoàn",
        "Vương",
        "Trịnh",
        "Trương",
        "Đinh",
        "Lâm",
        "Lương",
        "Mai",
        "Hà",
        "Tô",
        "Tạ",
        "Thái",
        "Cao",
        "Lưu",
        "Chu",
        "Quách",
        "Triệu",
        "Mạc",
        "Lã",
        "Lò",
        "Lục",
        "Nông",
        "Vi",
        "Hứa",
        "Đàm",
        "Giang",
        "Kiều",
        "Tăng",
        "Thạch",
        "Khổng",
        "Châu",
        "Mạnh",
        "Mã",
        "Văn",
        "Quản",
        "Bế",
        "Hầu",
        "Mùa",
        "Sùng",
        "Giàng",
        "Thào",
        "Vàng",
        "Lầu",
        "Tống",
        "Tôn",
        "Âu",
        "Doãn",
        "Cù",
        "Đồng",
        "Khúc",
        "Kim",
        "Bạch",
        "Ninh",
        "Quan",
        "Bành",
        "Thôi",
        "Dư",
        "Tưởng",
        "Tạ",
        "Diệp",
        "Từ",
        "Thân",
        "Nghiêm",
        "La",
        "Lại",
        "Phùng",
        "Lục",
        "Viên",
        "Bốc",
        "Sẻng",
        "Khăm",
    ]
)
_LOCATIVE = re.compile(
    r"(?:tại|của|ở|nước|tỉnh|thành\s+phố|huyện|thị|châu|xã|trấn|khu|Khu\s+tự\s+trị|dân\s+tộc|thuộc)\s*$", re.I
)


@dataclass(frozen=True)
class Person:
    name: str
    title: str
    start: int  # of the mention (honorific or title) in the text
    end: int  # past the title
    name_start: int


def _clean_title(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip(" ,–-")


def _title_after(text: str, at: int, limit: int) -> tuple[str, int]:
    sep = re.compile(_TITLE_AFTER).match(text, at)
    if not sep or sep.end() >= limit:
        return "", at
    stop = _TITLE_STOP.search(text, sep.end(), limit)
    end = stop.start() if stop else limit
    title = _clean_title(text[sep.end() : end])
    if not title or not re.match(rf"[{UPPER}]", title) or len(title) > 260:
        return "", at
    return title, end


def _name_from_run(run_text: str, before: str, extra_places=frozenset()) -> tuple[str, int] | None:
    """The person's name at the end of a run of capitalised words (and its offset in the run)."""
    # "Tỉnh ủy tỉnh Khăm Muộn Phôm Ma Phăn Thạ Lăng Si": a place the text names elsewhere, opening the run, is not
    # part of the name, however the segmenter groups its syllables with the name's.
    skipped = 0
    lowered = run_text.lower()
    place = next((p for p in sorted(extra_places, key=len, reverse=True) if lowered.startswith(p + " ")), None)
    if place is not None and len(run_text.split()) - len(place.split()) >= 2:
        skipped = len(place) + 1
        run_text = run_text[skipped:]
        before = ""  # the place the locative word ("tỉnh") named is consumed: what follows is the name
    got = _name_in_run(run_text, before, extra_places)
    return (got[0], got[1] + skipped) if got else None


def _name_in_run(run_text: str, before: str, extra_places=frozenset()) -> tuple[str, int] | None:
    tokens = list(words(run_text))
    drop = 0
    while drop < len(tokens) - 1 and (
        tokens[drop].lower() in NOT_NAMES or tokens[drop].lower() in extra_places or tokens[drop].isupper()
    ):
        drop += 1
    if drop == 0 and _LOCATIVE.search(before):
        syllables = run_text.split()
        whole_name = (
            syllables[0] in FAMILY_NAMES and len(syllables) <= 4 and tokens[1].split()[0] not in FAMILY_NAMES
            if len(tokens) > 1
            else False
        )
        if len(tokens) > 1 and not whole_name:
            # "thành phố Hạ Long Đào Xuân Đan": the first word is the place; but "UBND tỉnh Đoàn Trung
            # Kiên" is a family name and a given name, with no place between the title and the name.
            drop = 1
        elif not whole_name and (tokens[0].split()[0] not in FAMILY_NAMES or len(tokens[0].split()) < 3):
            return None  # "Châu trưởng châu Văn Sơn": a place, not a name
    rest = tokens[drop:]
    if rest and (rest[0].lower() in NOT_NAMES or rest[0].lower() in extra_places):
        return None
    name = " ".join(rest)
    if len(name.split()) < 2 or not all(re.match(rf"[{UPPER}]", s) for s in name.split()):
        return None
    if name in COUNTRIES:
        return None  # "tiếp Đoàn đại biểu Đại sứ quán Mông Cổ": a country, not a person
    at = run_text.rfind(rest[0].split()[0]) if rest else -1
    return name, at


def find_people(text: str, start: int, end: int, extra_places=frozenset()) -> list[Person]:
    """People named with a title in ``text[start:end]``, in order."""
    found: list[Person] = []
    taken: list[tuple[int, int]] = []

    def add(person):
        if any(not (person.name_start >= e or person.name_start < s) for s, e in taken):
            return
        taken.append((person.name_start, person.name_start + len(person.name)))
        found.append(person)

    # "đồng chí NAME, TITLE", "ông NAME – TITLE", and the lists "các đồng chí: NAME, TITLE; NAME, TITLE".
    # The honorific is a word of its own: the "ông" inside "Sê Kông" is not one.
    pattern = re.compile(rf"(?:(?<![\wÀ-ỹ]){HONORIFIC}\s+|(?<=:\s)|(?<=;\s))({_NAME})(?![{LOWER}])")
    for m in pattern.finditer(text, start, end):
        name = m.group(1)
        if re.match(TITLE_START, text[m.start(1) :]):
            continue
        name = re.sub(r"\s+", " ", name)
        if not re.match(HONORIFIC, m.group(0)) and not re.search(r"đồng\s+chí\s*:", text[start : m.start()]):
            continue  # a list after a colon names people only after "các đồng chí:"
        title, stop = _title_after(text, m.end(1), end)
        if m.group(0)[0] not in "đĐôÔbBnN" and not title:
            continue
        add(Person(name, title, m.start(), stop, m.start(1)))
    # "Phía Trung Quốc, NAME, TITLE làm trưởng đoàn": a side, then the name between commas, then a title.
    for m in _SIDE_THEN_NAME.finditer(text, start, end):
        title, stop = _title_after(text, m.end(1), end)
        if title and not re.match(TITLE_START, m.group(1)):
            add(Person(re.sub(r"\s+", " ", m.group(1)), title, m.start(1), stop, m.start(1)))
    # "TITLE NAME": "Bộ trưởng Ngoại giao Bùi Thanh Sơn", "Phó Chủ tịch UBND tỉnh Cao Bằng Đoàn Thu Hà".
    for m in re.finditer(TITLE_START, text[:end]):
        if m.start() < start:
            continue
        window_end = min(end, m.start() + 220)
        cursor = m.end()
        # Walk the title word by word; the name is the last capitalised run before a verb or a comma.
        run_start = None
        pos = cursor
        while pos < window_end:
            word = re.compile(r"\s*(\S+)").match(text, pos)
            if not word:
                break
            token = word.group(1)
            bare = token.rstrip(",;.:")
            if re.match(rf"[{UPPER}]", bare) and not bare.isupper():
                run_start = word.start(1) if run_start is None else run_start
            elif bare.isupper() and len(bare) > 1:
                run_start = None
            else:
                if run_start is not None and (_is_verb_or_stop(bare) or _ends_in_name(text[run_start : word.start()])):
                    break
                run_start = None
            pos = word.end()
            if bare != token:
                break
        if run_start is None:
            continue
        run_end = pos if text[pos - 1] not in ",;.:" else pos - 1
        run_text = text[run_start:run_end]
        got = _name_from_run(run_text, text[max(0, run_start - 30) : run_start], extra_places)
        if not got:
            continue
        name, offset = got
        title = _clean_title(text[m.start() : run_start + offset])
        add(Person(name, title, m.start(), run_end, run_start + offset))
    found.sort(key=lambda p: p.start)
    return found


_VERBS = {
    "làm",
    "dẫn",
    "tiếp",
    "đón",
    "tiễn",
    "và",
    "đã",
    "sẽ",
    "hội",
    "trao",
    "ký",
    "cùng",
    "bày",
    "thăm",
    "đánh",
    "cảm",
    "phát",
    "khẳng",
    "chủ",
    "có",
    "nhấn",
    "thông",
    "tặng",
    "gửi",
    "chúc",
    "đi",
    "sang",
    "lên",
    "đến",  # "Đại sứ … Choi Young Sam đến thăm"
}


def _ends_in_name(run: str) -> bool:
    """ "... Nguyễn Văn Hồi": a run of capitals that ends in a family name and two or more syllables."""
    parts = run.split()
    return any(parts[i] in FAMILY_NAMES and 2 <= len(parts) - i <= 4 for i in range(len(parts)))


def _is_verb_or_stop(word: str) -> bool:
    return word.lower() in _VERBS
