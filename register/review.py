"""The review workflow: draft → submitted → approved, then published or not;
an approver may return a submitted or approved record to draft, with a reason.

Every transition goes through ``apply()``: it checks who may do it, locks the
row, changes the state with a normal ``save()`` (so the audit history records
it) and writes a ReviewTransition saying who, when and why. Admin actions,
the review page and imports all call it; nothing else changes
``review_state`` or ``is_public`` (the admin shows them read-only).
Approving needs at least one cited source (``missing_source``), and a user
whose staff profile names a unit works on that unit's records only
(``unit_scope``), approvers included."""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from common.pagination import COUNT_CAP
from register.models import REASON_MAX_LENGTH, ReviewAction, ReviewTransition
from register.publishable import ReviewState

REVIEW_PERMISSION = "register.review_records"


class ReviewError(Exception):
    """A transition that may not happen; the message is for the user."""


@dataclass(frozen=True)
class Rule:
    action: str
    label: str
    from_states: tuple
    to_state: str | None  # None: the state stays
    publish: bool | None  # None: publication stays
    needs_review_permission: bool
    needs_reason: bool = False
    needs_public: bool | None = None  # True/False: only when the record is / is not public
    needs_source: bool = False  # only for a record citing at least one source (``missing_source``)
    name: str = ""  # the action, as the review history names it
    done: str = ""  # what happened, said to the user afterwards


RULES = {
    rule.action: rule
    for rule in (
        Rule(
            ReviewAction.SUBMIT,
            _("Submit for review"),
            (ReviewState.DRAFT,),
            ReviewState.SUBMITTED,
            None,
            False,
            name=_("Submit for review"),
            done=_("Submitted for review; the record now waits for an approver."),
        ),
        Rule(
            ReviewAction.APPROVE,
            _("Approve"),
            (ReviewState.SUBMITTED,),
            ReviewState.APPROVED,
            None,
            True,
            needs_source=True,
            name=_("Approve"),
            done=_("Approved; the record is not public until it is published."),
        ),
        Rule(
            ReviewAction.PUBLISH,
            _("Publish"),
            (ReviewState.APPROVED,),
            None,
            True,
            True,
            needs_public=False,
            name=_("Publish"),
            done=_("Published; visitors to the site now see the record."),
        ),
        Rule(
            ReviewAction.UNPUBLISH,
            _("Unpublish (hide from the public)"),
            (ReviewState.APPROVED,),
            None,
            False,
            True,
            needs_public=True,
            name=_("Unpublish"),
            done=_("Unpublished; the record is hidden from the public and stays approved."),
        ),
        Rule(
            ReviewAction.RETURN,
            _("Return to draft"),
            (ReviewState.SUBMITTED, ReviewState.APPROVED),
            ReviewState.DRAFT,
            False,
            True,
            needs_reason=True,
            name=_("Return to draft"),
            done=_("Returned to draft and hidden from the public; the author can edit it again. Reason: %(reason)s"),
        ),
    )
}


def done_message(action, reason=""):
    """What the user is told after ``action`` was applied."""
    rule = RULES[action]
    return str(rule.done) % {"reason": reason.strip()} if rule.needs_reason else str(rule.done)


def may_review(user):
    return user.is_active and user.has_perm(REVIEW_PERMISSION)


def may_change(user, model):
    return user.is_active and user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")


def missing_source(record):
    """What keeps ``record`` from being approved for want of a source, or None.

    A record the register counts must rest on something a reader can check:
    approving it needs at least one citation (sources/models.py ``Citation``).
    Sources themselves and reported figures (which name their source in a
    required field) say ``APPROVAL_NEEDS_CITATION = False``. A deployment
    that enters records before their sources may turn the rule off
    (``REVIEW_REQUIRES_SOURCE``, env DJANGO_REVIEW_REQUIRES_SOURCE=0)."""
    if not settings.REVIEW_REQUIRES_SOURCE or not getattr(type(record), "APPROVAL_NEEDS_CITATION", False):
        return None
    # Looked up by name: the citations live in ``sources``, which sits above this module.
    citation = apps.get_model("sources", "Citation")
    content_type = ContentType.objects.get_for_model(type(record))
    if citation.objects.filter(content_type=content_type, object_id=record.pk).exists():
        return None
    return _("Cannot be approved yet: the record cites no source. Add at least one source.")


def out_of_scope(record, user):
    """True when ``user`` is limited to a unit (``unit_scope``) and ``record``
    belongs to none of its units: an approver limited to Cao Lộc reviews Cao
    Lộc's records only, whatever path the request took."""
    scope = unit_scope(user)
    field = getattr(type(record), "UNIT_SCOPE", None)
    if scope is None or field is None:
        return False
    return not type(record).objects.filter(Q(pk=record.pk), Q((f"{field}__in", scope))).exists()


def refusal(rule, record, user, reason="", check_source=True):
    """Why ``user`` may not apply ``rule`` to ``record`` now, or None.
    ``check_source=False`` leaves out the missing source, which the review
    page states once above its buttons instead of hiding the button."""
    if not may_change(user, type(record)):
        return _("You may not change this kind of record.")
    if rule.needs_review_permission and not may_review(user):
        return _("Only an approver may do this.")
    if out_of_scope(record, user):
        return _("This record belongs to another unit: you may only work on the records of your own unit.")
    if record.review_state not in rule.from_states:
        return _("“%(action)s” is not possible for a record that is “%(state)s”.") % {
            "action": rule.label,
            "state": record.get_review_state_display(),
        }
    if rule.needs_public is not None and record.is_public != rule.needs_public:
        return _("The record is already published.") if record.is_public else _("The record is not published.")
    if rule.needs_reason and not reason.strip():
        return _("Give the reason for returning the record to draft; the author will read it.")
    if len(reason.strip()) > REASON_MAX_LENGTH:
        return reason_too_long(reason)
    if rule.needs_source and check_source:
        return missing_source(record)
    return None


def reason_too_long(reason):
    return _("The reason may be at most %(limit)d characters long; this one has %(count)d.") % {
        "limit": REASON_MAX_LENGTH,
        "count": len(reason.strip()),
    }


def allowed_actions(record, user):
    """The transitions ``user`` may apply to ``record`` now, a missing source
    aside: the review page shows "Approve" disabled, with what is missing."""
    return [rule for rule in RULES.values() if refusal(rule, record, user, reason="x", check_source=False) is None]


def apply(record, action, user, reason=""):
    """Apply one transition to ``record`` (a ReviewedModel) or raise ReviewError."""
    rule = RULES.get(action)
    if rule is None:
        raise ReviewError(_("Unknown review action."))
    model = type(record)
    with transaction.atomic():
        # Lock the row: two approvers clicking at once make one transition, not two.
        current = model.objects.select_for_update().get(pk=record.pk)
        problem = refusal(rule, current, user, reason)
        if problem:
            raise ReviewError(problem)
        before = current.review_state
        if rule.to_state is not None:
            current.review_state = rule.to_state
        if rule.publish is not None:
            current.is_public = rule.publish
        current._history_user = user  # the audit history names who did it
        # Sources, figures, partners, units and mechanisms have no ``updated_at``.
        stamped = ["updated_at"] if any(f.name == "updated_at" for f in model._meta.concrete_fields) else []
        current.save(update_fields=["review_state", "is_public", *stamped])
        ReviewTransition.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_id=current.pk,
            action=rule.action,
            from_state=before,
            to_state=current.review_state,
            published=current.is_public,
            reason=reason.strip(),
            user=user,
        )
    record.review_state, record.is_public = current.review_state, current.is_public
    if hasattr(current, "updated_at"):
        record.updated_at = current.updated_at
    return current


def transitions_of(record):
    """A record's review history, newest first, with the users (two queries).
    Each carries ``action_name``: what was done ("Approve"), where the
    model's action label names the state it led to ("Approved")."""
    transitions = list(
        ReviewTransition.objects.filter(
            content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
        ).select_related("user")
    )
    for transition in transitions:
        rule = RULES.get(transition.action)
        transition.action_name = rule.name if rule else transition.get_action_display()
    return transitions


def waiting_counts(queryset, user, cap=COUNT_CAP):
    """What in ``queryset`` waits for ``user``, in one query: for an approver,
    ``{"submitted": n}``; for staff, ``{"draft": n, "returned": m}``, the
    drafts and, of those, the ones an approver returned (a record reaches
    draft again only by a return, so a draft with a return behind it is one).
    Counting stops past ``cap`` rows (``capped`` is then True), as the change
    lists' counts do: at a million records a full count would cost more than
    the page."""
    approver = may_review(user)
    state = ReviewState.SUBMITTED if approver else ReviewState.DRAFT
    waiting = queryset.filter(review_state=state).order_by()
    if approver:
        counted = waiting.values("pk")[: cap + 1].count()
        return {"submitted": min(counted, cap), "capped": counted > cap}
    returned = ReviewTransition.objects.filter(
        content_type=ContentType.objects.get_for_model(queryset.model),
        object_id=OuterRef("pk"),
        action=ReviewAction.RETURN,
    )
    counts = (
        waiting.annotate(was_returned=Exists(returned))
        .values("pk", "was_returned")[: cap + 1]
        .aggregate(draft=Count("pk"), returned=Count("pk", filter=Q(was_returned=True)))
    )
    return {"draft": min(counts["draft"], cap), "returned": counts["returned"], "capped": counts["draft"] > cap}


def unit_scope(user):
    """The local-unit ids a staff member or approver is limited to, or None for no limit.
    Read once per request: the admin asks for it several times per page."""
    if not hasattr(user, "_unit_scope"):
        user._unit_scope = _read_unit_scope(user)
    return user._unit_scope


def _read_unit_scope(user):
    # Approvers too: a unit in the profile limits whoever has it, the reviewing
    # included (an approver of Cao Lộc approves Cao Lộc's records only).
    if user.is_superuser:
        return None
    profile = getattr(user, "staff_profile", None)  # no profile: no limit
    if profile is None or profile.unit_id is None:
        return None
    from partners.models import LocalUnit

    unit = profile.unit_id
    return set(
        LocalUnit.objects.filter(
            models.Q(pk=unit)
            | models.Q(parent=unit)
            | models.Q(parent__parent=unit)
            | models.Q(parent__parent__parent=unit)
        ).values_list("pk", flat=True)
    )
