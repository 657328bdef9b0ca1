"""The places and partners an office's list names: resolved, proposed, created.

Each row's chains of places ("Trung Quốc (Quảng Tây)") are resolved to the partners they
name (matching.py); a name found nowhere is proposed as a new partner, listed for the
clerk, who accepts it, corrects it or maps it to an existing partner. The proposals the
clerk accepted are created (drafts, parents first) before the rows are handed to the
register's resource, their "new:<key>" tokens then replaced by the new partners' numbers.
"""

from django.utils.translation import gettext as _

from offices.scope import writing_province
from register.office_import.matching import PartnerMatcher, Proposal, guess_kind, proposal_key
from register.publishable import ReviewState


def resolve_places(plan, matcher=None):
    """Each row's chains of places: the partners they name, or new partners to propose."""
    matcher = matcher or PartnerMatcher()
    plan.matcher = matcher
    proposals = {}
    for row in plan.rows:
        for key, letter, chains in row.chains:
            tokens, names = [], []
            for chain in chains:
                for name, partner in resolve_one(plan, matcher, chain, proposals, row):
                    if partner is None:
                        row.error(letter, _("Decide what “%(name)s” is in the new partners above.") % {"name": name})
                        continue
                    token = f"#{partner}" if isinstance(partner, int) else partner
                    if token not in tokens:
                        tokens.append(token)
                        names.append(name)
            if tokens:
                row.data[key] = "; ".join(tokens)
                row.shown[key] = "; ".join(names)
                row.__dict__.setdefault("place_names", {})[key] = [", ".join(chain) for chain in chains]
    plan.proposals = list(proposals.values())


def resolve_one(plan, matcher, chain, proposals, row):
    """[(name shown, partner number or proposal token or None)] of one chain."""
    if len(chain) > 1:
        separate = [matcher.find(name) for name in chain]
        if all(len(found) == 1 for found in separate) and not related(separate):
            return [(name, found[0].pk) for name, found in zip(chain, separate, strict=True)]
    resolved = matcher.resolve_chain(chain)
    parent_token = None
    result = None
    for name, partner, below, parent_name, found in reversed(resolved):
        key = proposal_key(name, parent_name)
        decision = plan.choices.partners.get(key) or {}
        shown = name
        if partner is not None:
            token = partner.pk
        else:
            # Proposed, and listed for the clerk whatever they decided, so that a decision can be changed.
            proposal = proposals.get(key)
            if proposal is None:
                proposal = Proposal(
                    name=name,
                    parent_name=parent_name,
                    parent_pk=below.pk if below is not None else None,
                    kind=guess_kind(below),
                    suggestions=[(p.pk, matcher.label(p)) for p in found[:3]] or matcher.near_spellings(name),
                )
                proposal.parent_token = parent_token
                proposals[key] = proposal
            proposal.rows.append(row.number)
            token = None
            if decision.get("action") == "existing" and str(decision.get("pk") or "").isdigit():
                token = int(decision["pk"])
                if token in matcher.records:  # the preview shows the partner the clerk chose
                    label = matcher.label(matcher.records[token])
                    shown = f"{name} → {label}"
                    if token not in dict(proposal.suggestions):  # and its drop-down offers it
                        proposal.suggestions = [*proposal.suggestions, (token, label)]
            elif decision.get("action") == "new":
                token = f"new:{key}"
        parent_token = token
        result = (shown, token)
    return [result] if result else []


def related(found):
    partners = [f[0] for f in found]
    for a in partners:
        for b in partners:
            if a is not b and a.path.startswith(b.path):
                return True
    return False


def create_partners(plan, user, source=None):
    """The proposals the clerk accepted, created (drafts) in the order parents first."""
    from partners.models import Partner

    created = {}
    for proposal in plan.proposals:
        decision = plan.choices.partners.get(proposal.key) or {}
        if decision.get("action") != "new":
            continue
        parent_pk = decision.get("parent") or proposal.parent_pk
        parent_token = getattr(proposal, "parent_token", None)
        if not parent_pk and isinstance(parent_token, int):  # under a name the clerk said is an existing partner
            parent_pk = parent_token
        elif not parent_pk and parent_token:
            parent_pk = created.get(str(parent_token).removeprefix("new:"))
        partner = Partner(
            name=decision.get("name") or proposal.name,
            kind=decision.get("kind") or proposal.kind,
            parent_id=int(parent_pk) if parent_pk else None,
            review_state=ReviewState.DRAFT,
            notes=_("Added by the import of “%(file)s”.") % {"file": getattr(plan, "file_name", "")},
            created_in_id=writing_province(user) if user is not None else None,
        )
        partner._change_reason = _("Imported from an office list")
        partner.save()
        created[proposal.key] = partner.pk
    plan.created = created  # read by dataset_of(); the rows keep their "new:" tokens for another run
    return created


def with_created(value, created):
    """A cell naming proposals ("new:<key>") with the numbers of the partners made of them."""
    if not (isinstance(value, str) and "new:" in value):
        return value
    return "; ".join(
        f"#{created[token.removeprefix('new:')]}" if token.startswith("new:") else token for token in value.split("; ")
    )
