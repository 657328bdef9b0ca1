"""Accepting a review: the ticked proposals become draft records citing the article, in one
transaction. Nothing is saved when anything is wrong: the errors go back onto the forms, with the
clerk's corrections kept, and the whole transaction is rolled back.

In order: the Source (an article of the office with the same address is reused; its body is the
stored text, so every excerpt is a verbatim part of it), the new partners ticked, then each ticked
delegation, agreement and figure, as a new draft with a Citation, or, when it repeats the
register's record #N, as one more Citation of #N (one event, two articles: one record, two
citations). The records then go through review as any other draft (register/review.py)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementStatus
from delegations.models import Delegation
from partners.models import Partner
from register.publishable import ReviewState
from sources.models import Citation, ReportedFigure, Source, SourceKind

FIELD_OF = {  # the model's field -> the form's, for an error the model finds
    "start_date": "start",
    "end_date": "end",
    "signed_on": "signed",
    "date_precision": None,
    "period_precision": None,
}


class Refused(Exception):
    """Something the clerk must correct; the forms carry the errors."""


def ticked(form):
    if form.is_bound and form.is_valid():
        return bool(form.cleaned_data.get("take"))
    return bool(form["take"].value())


# Not checked again: derived columns, and the links the forms offered as choices (read for the
# review screen, within the office), each of which clean_fields() would look up once more.
UNCHECKED = ["search_text", "title_sort", "name_sort", "path", "province", "created_in"]
UNCHECKED += ["parent", "host_unit", "mechanism", "scope", "source"]


def _checked(obj, form, exclude=()):
    """The model's own field and record checks (its database constraints stay the last guard)."""
    try:
        obj.clean_fields(exclude=[*UNCHECKED, *exclude])
        obj.clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            target = FIELD_OF.get(name, name)
            form.add_error(target if target in form.fields else None, messages)
        raise Refused from None
    return obj


def accept(review, user, posted_fingerprint):
    """Save what ``review``'s bound forms say; returns the outcome, or raises Refused."""
    article = review.article
    if posted_fingerprint != review.fingerprint:
        raise Refused(_("The reader now proposes something else for this text: review the proposals again."))
    chosen = [form for form in review.forms() if ticked(form)]
    if not any(ticked(item.form) for kind in review.items.values() for item in kind):
        raise Refused(_("Tick at least one proposal to accept."))
    if not all(form.is_valid() for form in chosen):
        raise Refused
    _check_new_partners_ticked(review)
    try:
        with transaction.atomic():
            return _save(review, article, user)
    except IntegrityError:
        raise Refused(_("The register refused the records (a rule of the database); nothing was saved.")) from None


def _check_new_partners_ticked(review):
    taken = {row.key for row in review.new_partners if ticked(row.form)}
    missing = False
    for kind in ("delegations", "agreements"):
        for item in review.items[kind]:
            if not ticked(item.form) or item.form.existing_pk() is not None:
                continue
            for key in item.form.cleaned_data["partners"]:
                if key.startswith("n:") and key not in taken:
                    name = next(row.name for row in review.new_partners if row.key == key)
                    item.form.add_error(
                        "partners", _("Tick the new partner “%(name)s” above, or untick it here.") % {"name": name}
                    )
                    missing = True
    if missing:
        raise Refused


def _save(review, article, user):
    locked = type(article).objects.select_for_update().get(pk=article.pk)
    if locked.accepted_at is not None:
        raise Refused(_("This reading was accepted already."))
    province = article.province_id
    source = _source(article)
    outcome = [{"model": "sources.source", "pk": source.pk, "cited": False}]
    partners = {}
    for row in review.new_partners:
        if ticked(row.form):
            data = row.form.cleaned_data
            parent = review.partners.get(data["parent"]) if data["parent"] else None
            partner = Partner(
                name=data["name"],
                kind=data["kind"],
                parent=parent,
                country=parent.country if parent is not None else "",
                created_in_id=province,
                review_state=ReviewState.DRAFT,
            )
            _checked(partner, row.form, exclude=["country"]).save()
            partners[row.key] = partner.pk
            outcome.append({"model": "partners.partner", "pk": partner.pk, "cited": False})

    def partner_pks(keys):
        return [int(key[2:]) if key.startswith("p:") else partners[key] for key in keys]

    for item in review.items["delegations"]:
        outcome += _one(item, source, province, lambda data: _delegation(data, review, province), partner_pks)
    for item in review.items["agreements"]:
        outcome += _one(item, source, province, lambda data: _agreement(data, province), partner_pks)
    for item in review.items["figures"]:
        outcome += _one(item, source, province, lambda data, item=item: _figure(data, item, source, province), None)
    locked.accepted_at = timezone.now()
    locked.source = source
    locked.outcome = outcome
    locked.save(update_fields=["accepted_at", "source", "outcome"])
    return outcome


def _source(article):
    source = Source.objects.filter(province=article.province_id, url=article.url).first() if article.url else None
    if source is None:
        source = Source(
            province_id=article.province_id,
            kind=SourceKind.ARTICLE,
            title=article.title or article.text[:300],
            publisher=article.publisher,
            published_on=article.published_on,
            url=article.url,
            body=article.text,
            review_state=ReviewState.DRAFT,
        )
        source.save()
    elif not source.body:
        source.body = article.text
        source.save(update_fields=["body"])
    elif source.body != article.text:
        raise Refused(
            _(
                "The source #%(id)s with this address holds another text: the excerpts would not be its words. "
                "Correct the address, or the source's text."
            )
            % {"id": source.pk}
        )
    return source


def _one(item, source, province, build, partner_pks):
    form = item.form
    if not ticked(form):
        return []
    model_label = {"delegations": "delegations.delegation", "agreements": "agreements.agreement"}
    label = model_label.get(item.kind, "sources.reportedfigure")
    existing = form.existing_pk()
    if existing is not None:
        record = next(r for r in item.duplicates if r.pk == existing)
        citation = {**_citation(record, source), "excerpt": item.proposal.excerpt}
        if not Citation.objects.filter(**citation).exists():  # cited by this article before: once
            Citation.objects.create(**citation)
        return [{"model": label, "pk": record.pk, "cited": True}]
    record = _checked(build(form.cleaned_data), form)
    record.save()
    if partner_pks is not None:
        record.partners.set(partner_pks(form.cleaned_data["partners"]))
    Citation.objects.create(**_citation(record, source), excerpt=item.proposal.excerpt)
    return [{"model": label, "pk": record.pk, "cited": False}]


def _citation(record, source):
    return {"content_type": ContentType.objects.get_for_model(type(record)), "object_id": record.pk, "source": source}


def _delegation(data, review, province):
    start, end = data["start"], data["end"]
    return Delegation(
        province_id=province,
        direction=data["direction"],
        title=data["title"],
        purpose=data["purpose"],
        start_date=start.date if start else None,
        end_date=end.date if end else None,
        date_precision=start.precision if start else "day",
        leader_name=data["leader_name"],
        leader_title=data["leader_title"],
        received_by=data["received_by"],
        host_unit_id=data["host_unit"],
        places=data["places"],
        mechanism_id=data["mechanism"],
        review_state=ReviewState.DRAFT,
    )


def _agreement(data, province):
    signed = data["signed"]
    place = data["signed_place"] or (_("online") if data["online"] else "")
    return Agreement(
        province_id=province,
        title=data["title"],
        kind=data["kind"],
        signed_on=signed.date if signed else None,
        date_precision=signed.precision if signed else "day",
        signed_place=place[:200],
        status=AgreementStatus.SIGNED,
        review_state=ReviewState.DRAFT,
    )


def _figure(data, item, source, province):
    start, end = data["period_start"], data["period_end"]
    precision = (start or end).precision if (start or end) else "day"
    return ReportedFigure(
        province_id=province,
        indicator=data["indicator"],
        value=data["value"],
        unit=data["unit"],
        qualifier=data["qualifier"],
        period_start=start.date if start else None,
        period_end=end.date if end else None,
        period_precision=precision,
        scope_id=data["scope"],
        source=source,
        excerpt=item.proposal.excerpt,
        review_state=ReviewState.DRAFT,
    )
