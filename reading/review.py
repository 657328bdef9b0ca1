"""The review screen of one reading: the stored text read again, each proposal with its form
(prefilled, or bound to what the clerk posted), what the register already holds of it, the new
partners proposed, the people named, and the text cut into pieces for the highlights.

Queries, besides the reader's own: the partners the reading names (1), the office's local units
(1) and mechanisms (1), the duplicates of each kind that has proposals (2 + 2 + 1), the people's
records (2)."""

import hashlib
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.partial_dates import PartialDate
from common.text import fold
from offices.profile import profile_for
from partners.models import CooperationMechanism, LocalUnit, Partner
from reading import duplicates, mapping
from reading.forms import AgreementForm, DelegationForm, FigureForm, NewPartnerForm

KINDS = ("delegations", "agreements", "figures")
PREFIX = {"delegations": "d", "agreements": "a", "figures": "f"}


def read_again(article):
    """The reader's proposals for the stored text (deterministic: the same text, the same proposals)."""
    from reading.reader import read

    return read(
        article.text, published=article.published_on, url=article.url or None, office=profile_for(article.province_id)
    )


def admin_url(record):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


@dataclass
class Item:
    kind: str
    anchor: str  # "d0": the card's and the highlight's ids
    proposal: object
    form: object
    duplicates: list

    @property
    def links(self):
        """(#N, the record's name, its admin page) for each record of the register it repeats."""
        return [(record.pk, str(record), admin_url(record)) for record in self.duplicates]


@dataclass
class NewPartner:
    key: str  # "n:<folded name>", the value a proposal's partners field ticks
    name: str
    parent: object
    form: NewPartnerForm


ROLES = {
    "leader": _("headed"),
    "received_by": _("received"),
    "member": _("member of"),
}


@dataclass
class Person:
    name: str
    title: str
    anchor: str
    records: list  # [(role, delegation)]

    @property
    def links(self):
        return [(ROLES[role], record.pk, str(record), admin_url(record)) for role, record in self.records]


@dataclass
class Review:
    article: object
    reading: object
    items: dict = field(default_factory=dict)  # kind -> [Item]
    new_partners: list = field(default_factory=list)
    people: list = field(default_factory=list)
    segments: list = field(default_factory=list)
    fingerprint: str = ""
    units: object = None
    partners: dict = field(default_factory=dict)  # pk -> Partner
    mechanisms: dict = field(default_factory=dict)

    def forms(self):
        yield from (row.form for row in self.new_partners)
        for kind in KINDS:
            yield from (item.form for item in self.items[kind])

    @property
    def has_proposals(self):
        return any(self.items[kind] for kind in KINDS)


def fingerprint(reading):
    """What the forms' numbers refer to: a POST read against other proposals (the reader changed
    since the page was shown) is refused rather than saved onto the wrong ones."""
    spans = [(k, p.span.start, p.span.end) for k in KINDS for p in getattr(reading, k)]
    return hashlib.sha256(repr(spans).encode()).hexdigest()[:16]


def partner_key(mention):
    if mention.partner_id is not None:
        return f"p:{mention.partner_id}"
    return "n:" + fold(mention.proposed_name or mention.text)


def build_review(article, data=None):
    reading = read_again(article)
    review = Review(article=article, reading=reading, fingerprint=fingerprint(reading))
    review.units = mapping.LocalUnits(
        LocalUnit.objects.filter(province=article.province_id).only("pk", "name", "aliases", "kind").order_by("name")
    )
    _leave_out_our_side(reading, review.units)
    mentions = [m for d in reading.delegations for m in d.partners] + [m for a in reading.agreements for m in a.parties]
    ids = {m.partner_id for m in mentions if m.partner_id} | {m.proposed_parent_id for m in mentions}
    ids.discard(None)
    review.partners = Partner.objects.only("pk", "name", "parent_id", "country").in_bulk(ids) if ids else {}
    review.mechanisms = {
        m.pk: m
        for m in CooperationMechanism.objects.filter(province=article.province_id).only("pk", "name").order_by("name")
    }
    _new_partners(review, mentions, data)
    _delegations(review, data)
    _agreements(review, data)
    _figures(review, data)
    _people(review)
    review.segments = segments(reading.text, review)
    return review


def _leave_out_our_side(reading, units):
    """Our own province and its units (its capital city, "Sở Ngoại vụ tỉnh ...") are the
    host or the signatory for our side, never a partner: a name the register does not know as a
    partner and that names one of the office's units is dropped from the proposals' partners (it is
    still in the text, and in the host's fields where the reader put it)."""

    def ours(mention):
        return mention.partner_id is None and units.named_in(mention.proposed_name or mention.text) is not None

    for proposal in reading.delegations:
        proposal.partners = [m for m in proposal.partners if not ours(m)]
    for proposal in reading.agreements:
        proposal.parties = [m for m in proposal.parties if not ours(m)]


def _partner_choices(review, mentions):
    choices = {}
    for mention in mentions:
        key = partner_key(mention)
        partner = review.partners.get(mention.partner_id) if mention.partner_id else None
        if partner is not None:
            choices[key] = f"{partner.name} (#{partner.pk})"
        elif key.startswith("n:"):
            choices[key] = next((row.name for row in review.new_partners if row.key == key), mention.text)
            choices[key] = f"{_new_label()} {choices[key]}"
    return list(choices.items())


def _new_label():
    return str(_("new partner:"))


def _new_partners(review, mentions, data):
    seen = {}
    for mention in mentions:
        key = partner_key(mention)
        if not key.startswith("n:") or key in seen:
            continue
        seen[key] = mention
    for index, (key, mention) in enumerate(seen.items()):
        parent = review.partners.get(mention.proposed_parent_id)
        name = mention.proposed_name or mention.text
        parents = [("", "—")] + ([(parent.pk, parent.name)] if parent else [])
        initial = {"take": True, "name": name, "kind": "other", "parent": parent.pk if parent else None}
        form = NewPartnerForm(data, prefix=f"n{index}", initial=initial)
        form.fields["parent"].choices = parents
        review.new_partners.append(NewPartner(key=key, name=name, parent=parent, form=form))


def _delegations(review, data):
    proposals = review.reading.delegations
    found = duplicates.delegation_duplicates(
        review.article.province_id,
        [
            (mapping.direction(p.direction), p.start, [m.partner_id for m in p.partners if m.partner_id], p.leader)
            for p in proposals
        ],
    )
    items = []
    for index, (proposal, same) in enumerate(zip(proposals, found, strict=True)):
        host = proposal.host or ""
        received = f"{host}, {proposal.host_title}" if host and proposal.host_title else host
        unit = review.units.host(proposal.host_title)
        initial = {
            "take": True,
            "target": str(same[0].pk) if same else "new",
            "direction": mapping.direction(proposal.direction),
            "title": mapping.delegation_title(proposal),
            "purpose": mapping.purpose(proposal.purpose),
            "start": _partial(proposal.start, proposal.start_precision),
            "end": _partial(proposal.end, proposal.start_precision),
            "leader_name": proposal.leader,
            "leader_title": proposal.leader_title,
            "received_by": received[:500],
            "host_unit": unit.pk if unit else None,
            "partners": [partner_key(m) for m in proposal.partners],
            "places": proposal.place,
            "mechanism": proposal.mechanism_id if proposal.mechanism_id in review.mechanisms else None,
        }
        form = DelegationForm(data, prefix=f"d{index}", initial=initial, duplicates=same)
        form.fields["partners"].choices = _partner_choices(review, proposal.partners)
        form.fields["host_unit"].choices = review.units.choices()
        form.fields["mechanism"].choices = [("", "—"), *((pk, m.name) for pk, m in review.mechanisms.items())]
        items.append(Item("delegations", f"d{index}", proposal, form, same))
    review.items["delegations"] = items


def _agreements(review, data):
    proposals = review.reading.agreements
    found = duplicates.agreement_duplicates(
        review.article.province_id,
        [
            (mapping.agreement_kind(p.kind), p.signed, [m.partner_id for m in p.parties if m.partner_id])
            for p in proposals
        ],
    )
    items = []
    for index, (proposal, same) in enumerate(zip(proposals, found, strict=True)):
        initial = {
            "take": True,
            "target": str(same[0].pk) if same else "new",
            "title": proposal.title,
            "kind": mapping.agreement_kind(proposal.kind),
            "signed": _partial(proposal.signed, proposal.signed_precision),
            "partners": [partner_key(m) for m in proposal.parties],
            "online": proposal.online,
            "signed_place": proposal.place,
        }
        form = AgreementForm(data, prefix=f"a{index}", initial=initial, duplicates=same)
        form.fields["partners"].choices = _partner_choices(review, proposal.parties)
        items.append(Item("agreements", f"a{index}", proposal, form, same))
    review.items["agreements"] = items


def _figures(review, data):
    proposals = review.reading.figures
    scopes = [review.units.scope(p.scope) for p in proposals]
    found = duplicates.figure_duplicates(
        review.article.province_id,
        [
            (mapping.indicator(p.indicator), p.value, p.period_start, p.period_end, scope.pk if scope else None)
            for p, scope in zip(proposals, scopes, strict=True)
        ],
    )
    items = []
    for index, (proposal, scope, same) in enumerate(zip(proposals, scopes, found, strict=True)):
        initial = {
            "take": True,
            "target": str(same[0].pk) if same else "new",
            "indicator": mapping.indicator(proposal.indicator),
            "value": proposal.value,
            "unit": mapping.unit(proposal.unit),
            "qualifier": mapping.qualifier(proposal.qualifier),
            "period_start": _partial(proposal.period_start, proposal.period_precision),
            "period_end": _partial(proposal.period_end, proposal.period_precision),
            "scope": scope.pk if scope else None,
        }
        form = FigureForm(data, prefix=f"f{index}", initial=initial, duplicates=same)
        form.fields["scope"].choices = review.units.choices()
        items.append(Item("figures", f"f{index}", proposal, form, same))
    review.items["figures"] = items


def _people(review):
    people = list({p.name: p for p in review.reading.people}.values())
    records = duplicates.people_records(review.article.province_id, [p.name for p in people])
    review.people = [
        Person(name=p.name, title=p.title, anchor=f"p{index}", records=records.get(p.name, []))
        for index, p in enumerate(people)
    ]


def _partial(day, precision):
    return PartialDate(day, precision or "day") if day else None


def segments(text, review):
    """``text`` cut where a proposal's sentence starts or ends: [(piece, anchors starting here,
    anchors covering it)], so each sentence is highlighted and each card can link to it."""
    items = [item for kind in KINDS for item in review.items[kind]]
    spans = [(item.proposal.span.start, item.proposal.span.end, item.anchor) for item in items]
    cuts = sorted({0, len(text), *(s for s, _e, _a in spans), *(e for _s, e, _a in spans)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if start >= end:
            continue
        starting = [a for s, _e, a in spans if s == start]
        covering = [a for s, e, a in spans if s <= start and end <= e]
        pieces.append((text[start:end], starting, covering))
    return pieces


def prefilled_post(review):
    """What the review screen posts when the clerk changes nothing: every field as prefilled
    (the benchmark's accept case, the tests)."""
    from django.forms.widgets import ChoiceWidget

    data = {"fingerprint": review.fingerprint}
    for form in review.forms():
        for name, form_field in form.fields.items():
            value, key = form[name].value(), form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list):
                data[key] = value
            elif isinstance(form_field.widget, ChoiceWidget):
                data[key] = "" if value is None else str(value)
            elif form_field.widget.format_value(value) is not None:
                data[key] = form_field.widget.format_value(value)
    return data
