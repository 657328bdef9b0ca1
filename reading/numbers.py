"""Vietnamese number forms: "1.000", "224,5 triệu USD", "84.248.000 đồng", "3.881 tỷ đồng", "05",
with the qualifier written before them ("gần", "khoảng", "xấp xỉ" -> nearly; "trên", "hơn" -> over; an
estimate, "ước đạt 2,01 triệu USD", is the figure as stated: exact).

Vietnamese groups thousands with a dot and writes the decimal comma: "1.356.640" is one million
three hundred..., "146,593 tỷ" is 146.593 billion. Some pages group with commas, the English way
("3,286,743 USD"): two or more comma groups of three digits cannot be a decimal part, so they are thousands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

EXACT, NEARLY, OVER = "exact", "nearly", "over"

SCALES = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
NUMBER = re.compile(r"(?<![\d.,/])(\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3}){2,}|\d+)(?:,(\d+))?(?![\d/]|[.,]\d)")
_SCALE = re.compile(r"\s*(nghìn|ngàn|triệu|tỷ|tỉ)\b")
_QUALIFIERS = [
    (re.compile(r"(?:\bgần|\bkhoảng|\bxấp\s+xỉ|\bchừng)\s*$", re.IGNORECASE), NEARLY),
    (re.compile(r"(?:\btrên|\bhơn|\bngoài)\s*$", re.IGNORECASE), OVER),
]


# Small counts are written in words: "Thu hút đầu tư trực tiếp nước ngoài (FDI) được tám dự án". Only before a
# counted noun of the register (projects, delegations), where the word cannot be read otherwise ("năm" is
# left out: it is also "year").
_WORD_COUNTS = {"hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
_WORD_COUNT = re.compile(
    r"(?<!\w)(hai|ba|bốn|sáu|bảy|tám|chín|mười)(?=\s+(?:dự\s+án|chương\s+trình|lượt\s+đoàn|đoàn\s+công\s+tác)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Number:
    start: int
    end: int  # past the scale word when there is one ("3.881 tỷ")
    value: Decimal
    qualifier: str


def parse_number(digits: str, decimals: str | None = None) -> Decimal | None:
    """ "1.356.640" -> 1356640; "146", "593" -> 146.593; "05" -> 5."""
    try:
        whole = Decimal(digits.replace(".", "").replace(",", ""))
        if decimals:
            whole += Decimal("0." + decimals)
        return whole
    except InvalidOperation:
        return None


def qualifier_before(text: str, at: int) -> str:
    """The qualifier written just before ``text[at]``: "gần 4,7 triệu" is nearly."""
    before = text[max(0, at - 20) : at]
    for pattern, qualifier in _QUALIFIERS:
        if pattern.search(before):
            return qualifier
    return EXACT


def numbers_in(text: str, start: int = 0, end: int | None = None) -> list[Number]:
    """Every number written in ``text[start:end]`` with its scale word folded in."""
    end = len(text) if end is None else end
    found = []
    for match in NUMBER.finditer(text, start, end):
        value = parse_number(match.group(1), match.group(2))
        if value is None:
            continue
        stop = match.end()
        scale = _SCALE.match(text, stop)
        if scale:
            value *= SCALES[scale.group(1)]
            stop = scale.end()
        found.append(Number(match.start(), stop, value, qualifier_before(text, match.start())))
    for match in _WORD_COUNT.finditer(text, start, end):
        value = Decimal(_WORD_COUNTS[match.group(1).lower()])
        found.append(Number(match.start(), match.end(), value, qualifier_before(text, match.start())))
    return sorted(found, key=lambda n: n.start)
