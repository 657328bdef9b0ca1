"""What the article reader proposes: plain data, no database.

``reading.reader.read(text, published=...)`` returns a ``Reading``; the admin's review screen
(``reading/admin_views.py``) shows it beside the text, and ``manage.py read_article --json``
prints ``Reading.as_json()``. Every proposal keeps the character span of the sentence(s) it was
read from, so the excerpt is always ``text[span.start:span.end]``: verbatim, as a Citation needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Span:
    """[start, end) character offsets into the text that was read."""

    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass
class PartnerMention:
    """A partner as written, and the register's partner it names (None when none matches)."""

    text: str
    span: Span
    partner_id: int | None = None
    # When nothing matches: the name to propose for a new partner, and its parent if one matches
    # ("thị Bằng Tường" under "Quảng Tây").
    proposed_name: str = ""
    proposed_parent_id: int | None = None


@dataclass
class PersonMention:
    name: str
    title: str
    span: Span


@dataclass
class DelegationProposal:
    direction: str  # "out" | "in" | "border_talks" | "domestic" (delegations.models.Direction)
    start: date | None
    start_precision: str  # "day" | "month" | "year"
    end: date | None
    leader: str
    leader_title: str
    host: str | None
    partners: list[PartnerMention]
    place: str
    purpose: str
    excerpt: str
    span: Span
    host_title: str = ""
    mechanism: str = ""  # as written: "Ủy ban công tác liên hợp", "Gặp gỡ đầu Xuân"
    mechanism_id: int | None = None


@dataclass
class AgreementProposal:
    title: str
    kind: str  # agreements.models.AgreementKind value
    signed: date | None
    signed_precision: str
    parties: list[PartnerMention]
    online: bool
    place: str
    excerpt: str
    span: Span


@dataclass
class FigureProposal:
    indicator: str  # sources.models.Indicator value
    value: Decimal
    unit: str  # "delegations" | "persons" | "projects" | "USD" | "VND"
    qualifier: str  # "exact" | "nearly" | "over"
    period_start: date | None
    period_end: date | None
    excerpt: str
    span: Span
    period_precision: str = "day"
    scope: str = ""  # as written: "tỉnh Cao Bằng", "huyện Tràng Định"


@dataclass
class Reading:
    text: str
    published: date | None
    delegations: list[DelegationProposal] = field(default_factory=list)
    agreements: list[AgreementProposal] = field(default_factory=list)
    figures: list[FigureProposal] = field(default_factory=list)
    people: list[PersonMention] = field(default_factory=list)

    def as_json(self) -> dict:
        """The object ``manage.py read_article --json`` prints (the schema of issue 17)."""

        def day(value):
            return value.isoformat() if value else None

        def partners(mentions):
            return [{"text": m.text, "partner_id": m.partner_id} for m in mentions]

        def number(value):
            return int(value) if value == value.to_integral_value() else float(value)

        return {
            "published": day(self.published),
            "delegations": [
                {
                    "direction": d.direction,
                    "start": day(d.start),
                    "start_precision": d.start_precision,
                    "end": day(d.end),
                    "leader": d.leader,
                    "leader_title": d.leader_title,
                    "host": d.host,
                    "partners": partners(d.partners),
                    "place": d.place,
                    "purpose": d.purpose,
                    "mechanism": d.mechanism or None,
                    "excerpt": d.excerpt,
                }
                for d in self.delegations
            ],
            "agreements": [
                {
                    "title": a.title,
                    "kind": a.kind,
                    "signed": day(a.signed),
                    "signed_precision": a.signed_precision,
                    "parties": partners(a.parties),
                    "online": a.online,
                    "excerpt": a.excerpt,
                }
                for a in self.agreements
            ],
            "figures": [
                {
                    "indicator": f.indicator,
                    "value": number(f.value),
                    "unit": f.unit,
                    "qualifier": f.qualifier,
                    "period_start": day(f.period_start),
                    "period_end": day(f.period_end),
                    "scope": f.scope or None,
                    "excerpt": f.excerpt,
                }
                for f in self.figures
            ],
            "people": [{"name": p.name, "title": p.title} for p in self.people],
        }
