"""The review workflow in the admin: the change list's transitions as actions
(with the reason a return to draft needs), read-only review fields, staff kept
to drafts and to their unit, and each record's review page with its history.
register/review.py does the work; every publishable record's admin carries this
(record_admin.PublishableRecordAdmin)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from register import review
from register.models import REASON_MAX_LENGTH, ReviewAction
from register.publishable import ReviewState

# Warnings an app gives the approver about a record, by model ("delegations.delegation":
# planning/rules.py): shown above the change form and on the review page; they never
# block a save or a transition. Filled when the apps are ready (planning/apps.py).
_RECORD_WARNINGS = {}


def register_record_warnings(model_label, provider):
    """``provider(record)`` gives the messages warning about a record of ``model_label``."""
    _RECORD_WARNINGS[model_label] = provider


def record_warnings(record):
    provider = _RECORD_WARNINGS.get(record._meta.label_lower) if record is not None else None
    return provider(record) if provider is not None else []


class ReviewActionForm(helpers.ActionForm):
    """The action bar of a change list, with the reason a return to draft needs."""

    reason = forms.CharField(
        label=_("Reason (for “return to draft”)"),
        required=False,
        widget=forms.TextInput(attrs={"size": 40, "maxlength": REASON_MAX_LENGTH}),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"]
        if len(reason.strip()) > REASON_MAX_LENGTH:
            raise forms.ValidationError(review.reason_too_long(reason), code="max_length")
        return reason


class ReviewMixin:
    """The review workflow in the admin (register/review.py does the work).

    - ``review_state`` and ``is_public`` are read-only on every form: they
      change only through a transition, which is checked and recorded;
    - staff may change drafts only; a submitted or approved record is
      read-only to them until an approver returns it to draft;
    - a staff member with a unit in their staff profile sees and edits only
      the records of that unit (``UNIT_SCOPE`` on the model names the field);
    - the change list offers the transitions as actions, and each record has
      a review page (``<pk>/review/``) with its history of transitions.
    """

    action_form = ReviewActionForm
    # The admin index's review queue links to the list filtered on the state, whatever its list_filter.
    accepted_lookups = ("review_state__exact",)
    actions = ["submit_for_review", "approve", "approve_and_publish", "publish", "unpublish", "return_to_draft"]
    change_form_template = "admin/review_change_form.html"

    def has_review_permission(self, request):
        return review.may_review(request.user)

    def _in_scope(self, request, obj):
        scope = review.unit_scope(request.user)
        field = getattr(self.model, "UNIT_SCOPE", None)
        if scope is None or obj is None or field is None:
            return True
        return self.model.objects.filter(pk=obj.pk, **{f"{field}__in": scope}).exists()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = review.unit_scope(request.user)
        field = getattr(self.model, "UNIT_SCOPE", None)
        if scope is not None and field is not None:
            queryset = queryset.filter(**{f"{field}__in": scope}).distinct()
        return queryset

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        if not self._in_scope(request, obj):
            return False  # an approver limited to a unit too
        return review.may_review(request.user) or obj.review_state == ReviewState.DRAFT

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "review_state", "is_public"]

    def review_notice(self, request, obj):
        """What the user can do with ``obj`` in its review state, for the top of its form."""
        if not super().has_change_permission(request, obj):
            return None  # a reader: nothing to explain
        if obj.review_state == ReviewState.DRAFT:
            return _("A draft: when it is complete, submit it for review (the “Review” button above).")
        if obj.review_state == ReviewState.SUBMITTED and review.may_review(request.user):
            return review.missing_source(obj)  # what the approver must add before approving, if anything
        if self.has_change_permission(request, obj):
            return None  # an approver may edit in every state
        if obj.review_state == ReviewState.SUBMITTED:
            return _(
                "Waiting for an approver, who will approve it or return it to draft. Until then you can read "
                "it but not change it."
            )
        if obj.is_public:
            return _(
                "Approved and published. You can read it but not change it; to correct it, ask an approver "
                "to return it to draft (that also hides it from the public)."
            )
        return _(
            "Approved, not yet published. You can read it but not change it; to correct it, ask an approver "
            "to return it to draft."
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["review_notice"] = self.review_notice(request, obj)
            context["record_warnings"] = record_warnings(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        scope = review.unit_scope(request.user)
        field = getattr(self.model, "UNIT_SCOPE", None)
        if scope is None or field is None or field not in form.base_fields:
            return form

        class ScopedForm(form):
            def clean(self):
                data = super().clean()
                value = data.get(field)
                chosen = {v.pk for v in value} if hasattr(value, "__iter__") else ({value.pk} if value else set())
                if not chosen & scope:
                    self.add_error(field, _("You may only enter records of your own unit."))
                return data

        return ScopedForm

    def response_action(self, request, queryset):
        # Django reports an action form it cannot accept as "no action selected";
        # an over-long reason is said as what it is, and nothing changes.
        form = self.action_form(request.POST, auto_id=None)
        form.fields["action"].choices = self.get_action_choices(request)
        if not form.is_valid() and "reason" in form.errors:
            self.message_user(request, " ".join(form.errors["reason"]), messages.ERROR)
            return None
        return super().response_action(request, queryset)

    def _transition(self, request, queryset, *actions):
        reason = request.POST.get("reason", "")
        done, refused = 0, []
        for record in queryset:
            try:
                # "Approve and publish" is one step: a record refused its publication stays as it was.
                with transaction.atomic():
                    for action in actions:
                        review.apply(record, action, request.user, reason)
                done += 1
            except review.ReviewError as error:
                refused.append(f"“{record}”: {error}")
        if done:
            changed = ngettext("%(count)d record changed.", "%(count)d records changed.", done) % {"count": done}
            self.message_user(request, f"{changed} {review.done_message(actions[-1], reason)}", messages.SUCCESS)
        if refused:
            more = len(refused) - 5
            text = " ".join(refused[:5]) + (" " + _("and %(count)d more.") % {"count": more} if more > 0 else "")
            self.message_user(request, _("Not changed: %(list)s") % {"list": text}, messages.ERROR)

    @admin.action(permissions=["change"], description=_("Submit for review"))
    def submit_for_review(self, request, queryset):
        self._transition(request, queryset, ReviewAction.SUBMIT)

    @admin.action(permissions=["review"], description=_("Approve"))
    def approve(self, request, queryset):
        self._transition(request, queryset, ReviewAction.APPROVE)

    @admin.action(permissions=["review"], description=_("Approve and publish"))
    def approve_and_publish(self, request, queryset):
        self._transition(request, queryset, ReviewAction.APPROVE, ReviewAction.PUBLISH)

    @admin.action(permissions=["review"], description=_("Publish"))
    def publish(self, request, queryset):
        self._transition(request, queryset, ReviewAction.PUBLISH)

    @admin.action(permissions=["review"], description=_("Unpublish (hide from the public)"))
    def unpublish(self, request, queryset):
        self._transition(request, queryset, ReviewAction.UNPUBLISH)

    @admin.action(permissions=["review"], description=_("Return to draft (give the reason)"))
    def return_to_draft(self, request, queryset):
        self._transition(request, queryset, ReviewAction.RETURN)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name=f"{opts.app_label}_{opts.model_name}_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id):
        """The record's review page: its state, what the user may do now, and every transition so far."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if request.method == "POST":
            if not super().has_change_permission(request, obj):
                raise PermissionDenied
            try:
                review.apply(obj, request.POST.get("action", ""), request.user, request.POST.get("reason", ""))
            except review.ReviewError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                action, reason = request.POST["action"], request.POST.get("reason", "")
                self.message_user(request, review.done_message(action, reason), messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        actions_now = review.allowed_actions(obj, request.user)
        missing = review.missing_source(obj) if any(rule.needs_source for rule in actions_now) else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": _("Review of “%(record)s”") % {"record": obj},
            "actions_now": actions_now,
            # Approving waits for a source: the page says so above a disabled "Approve".
            "missing_source": missing,
            "blocked_actions": {rule.action for rule in actions_now if rule.needs_source} if missing else set(),
            "transitions": review.transitions_of(obj),
            "record_warnings": record_warnings(obj),
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/review.html", context)
