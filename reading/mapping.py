"""The reader's words in the register's values: its directions, units and qualifiers as the models
name them, a purpose in the text's words as one of the model's purposes, a scope or a host as
one of the office's local units."""

import re

from agreements.models import AgreementKind
from common.text import fold
from delegations.models import Direction, Purpose
from partners.models import LocalUnitKind
from sources.models import Indicator, Qualifier, Unit

DIRECTIONS = {
    "out": Direction.OUTBOUND,
    "in": Direction.INBOUND,
    "border_talks": Direction.BORDER,
    "border": Direction.BORDER,
    "domestic": Direction.DOMESTIC,
}
UNITS = {"delegations": Unit.COUNT, "projects": Unit.COUNT, "count": Unit.COUNT, "persons": Unit.PERSONS}
UNITS |= {"USD": Unit.USD, "VND": Unit.VND}
QUALIFIERS = {"exact": Qualifier.EXACT, "nearly": Qualifier.ABOUT, "about": Qualifier.ABOUT}
QUALIFIERS |= {"over": Qualifier.OVER, "under": Qualifier.UNDER}

# The purpose as the text says it (folded) -> the model's purpose; the first that matches wins.
PURPOSE_WORDS = [
    ("tham chinh thuc", Purpose.OFFICIAL_VISIT),
    ("hoi nghi", Purpose.CONFERENCE),
    ("hoi thao", Purpose.CONFERENCE),
    ("dien dan", Purpose.CONFERENCE),
    ("xuc tien", Purpose.TRADE_PROMOTION),
    ("khao sat", Purpose.SURVEY),
    ("tap huan", Purpose.TRAINING),
    ("dao tao", Purpose.TRAINING),
    ("hoc tap", Purpose.STUDY_TOUR),
    ("trao doi kinh nghiem", Purpose.STUDY_TOUR),
    ("van hoa", Purpose.CULTURE_SPORT),
    ("the thao", Purpose.CULTURE_SPORT),
    ("van nghe", Purpose.CULTURE_SPORT),
    ("bien gioi", Purpose.BORDER_AFFAIRS),
    ("cua khau", Purpose.BORDER_AFFAIRS),
]
# "tỉnh", "huyện Tràng Định", "thành phố Cao Bằng": the word for the kind of unit, before its name.
_UNIT_WORDS = re.compile(r"^(tinh|huyen|thanh pho|tp\.?|thi xa|thi tran|xa|phuong|ubnd|uy ban nhan dan)\s+")


def direction(value):
    return DIRECTIONS.get(value, "")


def unit(value):
    return UNITS.get(value, Unit.COUNT)


def qualifier(value):
    return QUALIFIERS.get(value, Qualifier.EXACT)


def indicator(value):
    return value if value in Indicator.values else Indicator.OTHER


def agreement_kind(value):
    return value if value in AgreementKind.values else AgreementKind.OTHER


def purpose(words):
    folded = fold(words)
    for key, value in PURPOSE_WORDS:
        if key in folded:
            return value
    return Purpose.WORKING_VISIT


def delegation_title(proposal):
    """A title to start from: the purpose in the text's words, then the partners named."""
    head = (proposal.purpose or "").strip()
    head = head[:1].upper() + head[1:] if head else "Đoàn"
    partners = ", ".join(dict.fromkeys(m.text for m in proposal.partners))
    return f"{head} – {partners}"[:300] if partners else head[:300]


def _core(name):
    folded = fold(name)
    while True:
        shorter = _UNIT_WORDS.sub("", folded)
        if shorter == folded:
            return folded
        folded = shorter


class LocalUnits:
    """The office's local units, read once for a review screen: its choices, and the unit a
    scope or a host's title names."""

    def __init__(self, units):
        self.units = list(units)
        self.by_pk = {unit.pk: unit for unit in self.units}
        provinces = [unit for unit in self.units if unit.kind == LocalUnitKind.PROVINCE]
        self.province = provinces[0] if provinces else None
        self._cores = [(_core(unit.name), unit) for unit in self.units]
        for unit in self.units:
            self._cores += [(_core(alias), unit) for alias in unit.aliases.splitlines() if alias.strip()]
        # The longest name first, so "Cao Lộc" is not taken for "Lộc Bình" by a shorter part.
        self._cores.sort(key=lambda pair: -len(pair[0]))

    def choices(self, blank=True):
        rows = [(unit.pk, str(unit)) for unit in self.units]
        return [("", "—"), *rows] if blank else rows

    def named_in(self, text):
        """The unit whose name ``text`` holds as whole words, or None."""
        folded = f" {fold(text)} "
        for core, unit in self._cores:
            if core and f" {core} " in folded:
                return unit
        return None

    def scope(self, text):
        """The unit a figure's scope names; the province when it names no place ("toàn tỉnh",
        blank); None when it names a place that is none of the office's units ("tỉnh Lào Cai" read
        by another province's office): the clerk chooses, the figure is not put on our province."""
        core = _core(text) if text else ""
        if not core:
            return self.province
        return self.named_in(core)

    def host(self, title):
        """The unit a host's title names ("Chủ tịch UBND huyện Cao Lộc"), the province for "UBND tỉnh"."""
        if not title:
            return None
        found = self.named_in(title)
        if found is None and re.search(r"\btinh\b", fold(title)):
            return self.province
        return found
