"""The article reader: plain text in, proposals out (``read``). No database writes; the gazetteer
of the register's partners is read once per process (reading/gazetteer.py).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from datetime import date
from functools import cached_property

from reading import gazetteer as gazetteer_module
from reading.agreements import find_agreements
from reading.dates import DAY, article_reference, explicit_years, find_dates
from reading.delegations import DOCUMENT, find_delegations
from reading.figures import find_figures
from reading.letters import UP
from reading.people import FAMILY_NAMES, find_people
from reading.proposals import PartnerMention, PersonMention, Reading, Span
from reading.segment import sentences
from reading.sides import COUNTRIES, FOREIGN, FOREIGN_REGIONS, marked_foreign, side_of

_PROVINCE = re.compile(rf"\btỉnh\s+([{UP}]\w*(?:\s+[{UP}]\w*)?)")
_PLACE_CANDIDATE = re.compile(
    r"(?:(?P<admin>Khu\s+tự\s+trị\s+dân\s+tộc\s+Choang|Khu\s+tự\s+trị|thành\s+phố|thị\s+xã|thị\s+trấn|thị|huyện|"
    rf"châu|tỉnh|trấn|xã)\s+)?(?P<name>[{UP}][\w\-]*(?:\s+[{UP}][\w\-]*)*)"
)
_COUNTRY_NAME = re.compile("|".join(re.escape(c) for c in COUNTRIES))
_PLACE_AFTER_ADMIN = re.compile(rf"\b(?:thành\s+phố|tỉnh|châu|huyện|thị|trấn|xã)\s+([{UP}]\w*(?:\s+[{UP}]\w*)?)")
_ADMIN = re.compile(
    r"(?:Khu\s+tự\s+trị\s+dân\s+tộc\s+Choang|Khu\s+tự\s+trị|thành\s+phố|thị\s+xã|thị|huyện|châu|tỉnh|trấn|xã)\s+$", re.I
)


def _toneless(name: str) -> str:
    """A name without its tone marks (the vowel letters â, ă, ê, ô, ơ, ư and đ kept)."""
    decomposed = unicodedata.normalize("NFD", name.casefold())
    return re.sub(r"[\s\u0300\u0301\u0303\u0309\u0323]+", "", decomposed)


# "thành phố A và thị B": two places named side by side.
_AND_PLACE = re.compile(
    r"\s+và\s+(?=(?:Khu\s+tự\s+trị|thành\s+phố|thị\s+xã|thị|huyện|châu|tỉnh|trấn|xã)\s)", re.IGNORECASE
)


# An anniversary's bracket, "(ngày 20/10/2015 - 20/10/2025)": its dates are not an event's.
_ANNIVERSARY_SPAN = re.compile(
    r"\(\s*(?:ngày\s+)?(?:\d{1,2}/\d{1,2}/)?(?:19|20)\d{2}\s*[-–]\s*(?:\d{1,2}/\d{1,2}/)?(?:19|20)\d{2}\s*\)"
)


class Context:
    """What every extractor reads: the text, its sentences, dates, people and the gazetteer."""

    def __init__(self, text: str, published: date | None, url: str | None, gazetteer):
        self.text = text
        self.gazetteer = gazetteer
        self.sentences = sentences(text)
        self.reference = article_reference(text, url, published)
        self.years = explicit_years(text)
        self.foreign_names = frozenset(FOREIGN_REGIONS) | gazetteer.place_words() | marked_foreign(text)
        # Places the text itself names after an administrative word ("thành phố Chu Hải"): in a
        # title before a name ("Thị trưởng Chu Hải Hà Ninh Khải") they are not part of the name.
        self.places = frozenset(
            m.group(1).lower() for m in _PLACE_AFTER_ADMIN.finditer(text) if m.group(1).split()[0] not in FAMILY_NAMES
        )
        self.dates = []
        previous = None
        for sentence in self.sentences:
            found = find_dates(text, sentence.start, sentence.end, self.reference, self.years, previous)
            self.dates.append(found)
            days = [d for d in found if d.kind != "period" and d.value and d.precision == DAY]
            previous = days[-1].value if days else previous
        self._starts = [s.start for s in self.sentences]
        title = self.sentences[0] if self.sentences else None
        head = text[title.start : title.end] if title else ""
        self.article_ngo = bool(re.search(r"phi\s+chính\s+phủ|PCPNN", head, re.I) or re.search(r"\bNGOs?\b", head))
        # "Thu hút 5 dự án FDI trong tháng 1": a headline about foreign investment makes the body's bare "dự án" and
        # "vốn đầu tư" foreign investment too, as a headline about NGOs does for aid.
        self.article_fdi = bool(re.search(r"\bFDI\b|đầu\s+tư\s+(?:trực\s+tiếp\s+)?nước\s+ngoài", head, re.I))

    @cached_property
    def people(self):
        found = []
        for sentence in self.sentences:
            places = self.places | {name.lower() for name in self.foreign_names}
            found.extend(find_people(self.text, sentence.start, sentence.end, places))
        return found

    def people_in(self, start, end):
        return [p for p in self.people if start <= p.start < end]

    def sentence_at(self, at: int) -> int:
        number = bisect.bisect_right(self._starts, at) - 1
        return self.sentences[max(number, 0)].start if self.sentences else 0

    def _in_anniversary(self, sentence, mention) -> bool:
        opened = self.text.rfind("(", sentence.start, mention.start)
        if opened < 0 or self.text.rfind(")", sentence.start, mention.start) > opened:
            return False
        return _ANNIVERSARY_SPAN.match(self.text, opened) is not None

    def last_date_before(self, at: int):
        """The last event date written before ``at`` in the three sentences before it (a document's
        date, "Chỉ thị số 26 ngày 17/3/2008", is not one)."""
        last = None
        number = bisect.bisect_right(self._starts, at) - 1
        for sentence, found in list(zip(self.sentences, self.dates, strict=True))[max(0, number - 3) : number + 1]:
            for d in found:
                if (
                    d.start < at
                    and d.value
                    and d.kind != "period"
                    and not DOCUMENT.search(self.text[sentence.start : d.start])
                    and not self._in_anniversary(sentence, d)
                ):
                    last = d
        return last

    @cached_property
    def _spelt_otherwise(self) -> dict:
        """The partners the article names, by their names without tone marks: a name the article also
        writes with another tone on one syllable (a typo, "Sủng Tả" beside "Sùng Tả") is the same partner."""
        found = {}
        for m in _PLACE_CANDIDATE.finditer(self.text):
            entry = self.gazetteer.find(m.group("name"))
            if entry is not None:
                found.setdefault(_toneless(m.group("name")), entry)
        return found

    @cached_property
    def home(self) -> str:
        """The province the article is about: the Vietnamese province it names most."""
        counts = Counter(
            m.group(1)
            for m in _PROVINCE.finditer(self.text)
            if side_of("tỉnh " + m.group(1), self.foreign_names) != FOREIGN
        )
        return counts.most_common(1)[0][0] if counts else ""

    @property
    def home_scope(self) -> str:
        return f"tỉnh {self.home}" if self.home else ""

    def partner_mentions(self, phrase: str, span: Span) -> list[PartnerMention]:
        """The partners a delegation phrase names, one mention each: "thành phố Sủng Tả và thị Bằng Tường
        (Quảng Tây, Trung Quốc)" names two, each under the places in the shared bracket (Bằng Tường is
        Sủng Tả's sibling, never its parent)."""
        bracket = re.search(r"\s*\(([^)]*)\)\s*$", phrase)
        core = phrase[: bracket.start()] if bracket else phrase
        parts = _AND_PLACE.split(core)
        if len(parts) < 2:
            return [self.partner_mention(phrase, span)]
        enclosing = bracket.group(1) if bracket else ""
        return [self.partner_mention(part.strip(" ,"), span, enclosing) for part in parts if part.strip(" ,")]

    def partner_mention(self, phrase: str, span: Span, enclosing: str = "") -> PartnerMention:
        """The partner a phrase names: the most specific place in it ("thị Bằng Tường" in "Chính phủ
        nhân dân thị Bằng Tường (Quảng Tây, Trung Quốc)"), matched in the gazetteer; when it is not
        there, proposed as a new partner under the broader place that is ("Quảng Tây")."""
        at = self.text.find(phrase, span.start, span.end)
        where = Span(at, at + len(phrase)) if at >= 0 else span
        places = []
        for m in _PLACE_CANDIDATE.finditer(f"{phrase}, {enclosing}" if enclosing else phrase):
            name, admin = m.group("name"), m.group("admin") or ""
            entry = self.gazetteer.find(name)
            if admin or entry is not None or name in self.foreign_names or _COUNTRY_NAME.fullmatch(name):
                places.append((admin, name, entry))
        if not places:
            return PartnerMention(text=phrase, span=where, proposed_name=phrase)
        admin, name, entry = places[0]
        if entry is None:
            entry = self._spelt_otherwise.get(_toneless(name))  # "Sủng Tả" where the text also writes "Sùng Tả"
        if entry is not None:
            return PartnerMention(text=phrase, span=where, partner_id=entry.id)
        parent = next((e for _a, _n, e in places[1:] if e is not None), None)
        proposed = f"{admin} {name}".strip()
        return PartnerMention(text=phrase, span=where, proposed_name=proposed, proposed_parent_id=parent and parent.id)


def read(text: str, published: date | None = None, url: str | None = None, office=None, gazetteer=None) -> Reading:
    """Reads ``text`` (an article or a report, as plain text) into proposals."""
    text = text.replace("\r\n", "\n")
    if gazetteer is None:
        gazetteer = gazetteer_module.gazetteer_for(office)
    ctx = Context(text, published, url, gazetteer)
    reading = Reading(text=text, published=ctx.reference.day if ctx.reference.source != "text" else None)
    if ctx.reference.source == "url" and ctx.reference.precision != DAY:
        reading.published = None
    reading.delegations = find_delegations(ctx)
    reading.agreements = find_agreements(ctx)
    reading.figures = find_figures(ctx)
    reading.people = [PersonMention(p.name, p.title, Span(p.start, p.end)) for p in ctx.people]
    return reading
