"""The admin index's box of records waiting for the signed-in user: submitted
records for an approver, drafts (and returned ones) for staff. One query per
kind of record the user may change."""

from django import template
from django.contrib import admin
from django.urls import reverse

from register import review
from register.publishable import ReviewState
from register.review_admin import ReviewMixin

register = template.Library()


@register.simple_tag(takes_context=True)
def review_queue(context):
    """``{"approver": bool, "rows": [...]}``, a row per kind with something
    waiting: its name, its counts, and its change list filtered on the state."""
    request = context["request"]
    approver = review.may_review(request.user)
    state = ReviewState.SUBMITTED if approver else ReviewState.DRAFT
    rows = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ReviewMixin) or not model_admin.has_change_permission(request):
            continue
        counts = review.waiting_counts(model_admin.get_queryset(request), request.user)
        if any(counts.values()):
            opts = model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            rows.append({"kind": opts.verbose_name_plural, "url": f"{url}?review_state__exact={state}", **counts})
    return {"approver": approver, "rows": sorted(rows, key=lambda row: str(row["kind"]))}
