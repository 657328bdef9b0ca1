"""The signatories of an agreement as a phrase names them: "Tỉnh ủy A, B, C và Khu ủy D" -> four parties,
"Sở Văn hóa, Thể thao và Du lịch tỉnh A" -> one (``agreements.find_agreements``)."""

from __future__ import annotations

import re

from reading.letters import starts_upper

_ENCLOSING = re.compile(
    r"^(?:nước|Cộng\s+hòa|Khu\s+tự\s+trị|tỉnh|Đảng\s+Cộng\s+sản|Việt\s+Nam|Trung\s+Quốc|Hàn\s+Quốc|Lào|CHDCND)", re.I
)
_DESCRIPTOR = re.compile(r"^(?:nước|Cộng\s+hòa|Đảng\s+Cộng\s+sản|Việt\s+Nam$|Trung\s+Quốc$|Hàn\s+Quốc$|Lào$)", re.I)
LEADING = re.compile(r"^(?:các|những|hai)\s+")


def split_parties(phrase: str) -> list[str]:
    """ "Tỉnh ủy A, B, C, Đảng Cộng sản Việt Nam và Khu ủy D, Đảng Cộng sản Trung Quốc" ->
    ["Tỉnh ủy A", "Tỉnh ủy B", "Tỉnh ủy C", "Khu ủy D"]."""
    parties = []
    phrase = re.sub(r"\s*\([^)]*\)", "", phrase).strip(" ,:….")
    # "Sở Văn hóa, Thể thao và Du lịch tỉnh A": the fields of one department, not three parties.
    phrase = _DEPARTMENT.sub(lambda m: m.group(0).replace(",", "\x00").replace(" và ", "\x01"), phrase)
    for part in re.split(r"\s+và\s+", phrase):
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if not pieces:
            continue
        first = LEADING.sub("", pieces[0])
        prefix = _prefix(first)
        parties.append(first)
        for piece in pieces[1:]:
            if _ENCLOSING.search(piece) or re.search(r"(?:Quốc|Hoa|Nam)$", piece) and len(piece.split()) > 3:
                break
            if prefix and starts_upper(piece) and len(piece.split()) <= 4:
                parties.append(f"{prefix} {piece}")
            else:
                break
    parties = [p.replace("\x00", ",").replace("\x01", " và ") for p in parties]
    return [p for p in parties if p and not _DESCRIPTOR.match(p) and any(starts_upper(w) for w in p.split())]


_FIELD = r"[A-ZÀ-Ỹ][a-zà-ỹ]*(?:\s+(?!và\b)[a-zà-ỹ]+){0,2}"
_DEPARTMENT = re.compile(rf"\b(?:Sở|Bộ)\s+{_FIELD}(?:,\s+{_FIELD})+(?:\s+và\s+{_FIELD})?")


def _prefix(first: str) -> str:
    """ "Tỉnh ủy Cao Bằng" -> "Tỉnh ủy"; "tỉnh Cao Bằng" -> "tỉnh": what the next names of a list share."""
    words = first.split()
    cut = len(words)
    while cut > 0 and starts_upper(words[cut - 1]):
        cut -= 1
    return " ".join(words[:cut])
