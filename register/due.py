"""Records waiting for review, as due items of the approvers of their province
(duties/registry.py): one line per record submitted, dated the day it was
submitted, the longest waiting first.

One query per kind of record the approver may change (the submission time read
by a subquery on the review history), and one more for a kind with more than
``CAP`` records waiting, to say how many more."""

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from duties.registry import DueItem
from offices.scope import records_of
from register.models import ReviewAction, ReviewTransition
from register.publishable import ReviewedModel, ReviewState
from register.review import may_review, waiting_counts

# Lines per kind of record: past it, one line says how many more wait on the admin's list.
CAP = 20
KIND = _("Records waiting for review")


def reviewed_models():
    """The register's models that go through review and have an admin page, in a stable order."""
    found = [
        model for model in apps.get_models() if issubclass(model, ReviewedModel) and admin.site.is_registered(model)
    ]
    return sorted(found, key=lambda model: model._meta.label)


def due_items(user, today):
    if not getattr(user, "is_authenticated", False) or not may_review(user):
        return []
    items = []
    for model in reviewed_models():
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            continue
        items.extend(_waiting(model, user))
    return items


def _waiting(model, user):
    opts = model._meta
    submitted_at = ReviewTransition.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=OuterRef("pk"),
        action=ReviewAction.SUBMIT,
    ).order_by("-at")
    # A record submitted before the review history was kept (an import): its last change.
    waiting = records_of(model.objects.filter(review_state=ReviewState.SUBMITTED), user).annotate(
        submitted_on=TruncDate(Coalesce(Subquery(submitted_at.values("at")[:1]), "updated_at"))
        if hasattr(model, "updated_at")
        else TruncDate(Subquery(submitted_at.values("at")[:1]))
    )
    if any(field.name == "search_text" for field in opts.concrete_fields):
        waiting = waiting.defer("search_text")  # long, and not shown
    rows = list(waiting.order_by("submitted_on", "pk")[: CAP + 1])
    items = [
        DueItem(
            key=f"review:{opts.label_lower}:{record.pk}",
            kind=KIND,
            title=f"{opts.verbose_name.capitalize()}: {record}",
            url=reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]),
            due_on=record.submitted_on,
            stage="waiting",
            province=getattr(record, "province_id", "") or "",
        )
        for record in rows[:CAP]
        if record.submitted_on is not None
    ]
    if len(rows) > CAP:
        counts = waiting_counts(records_of(model.objects.all(), user), user)
        more = counts["submitted"] - CAP
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        items.append(
            DueItem(
                key=f"review:{opts.label_lower}:more",
                kind=KIND,
                title=ngettext(
                    "%(kind)s: %(n)s more submitted record waits on the list",
                    "%(kind)s: %(n)s more submitted records wait on the list",
                    more,
                )
                % {"kind": opts.verbose_name_plural.capitalize(), "n": f"{more:,}".replace(",", ".")},
                url=f"{url}?review_state__exact={ReviewState.SUBMITTED}",
                due_on=items[-1].due_on,
                stage="waiting",
            )
        )
    return items
