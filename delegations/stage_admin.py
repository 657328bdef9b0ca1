"""The stage in the delegation's admin: the stage bar above the form, and one small page per move.

The change form shows the delegation's chain of stages with the current one
highlighted, the date under each stage passed, the result report's deadline
(in red once late), and a button for each move ``delegations.stages`` allows
the user. A button opens ``<pk>/stage/<stage>/``: the fields that step asks
for (the decision, the return date, the report...), sent by POST with its CSRF
token; the move is checked again there (``stages.advance``).
"""

import dataclasses
import datetime

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import fields_for_model
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delegations import stages
from delegations.stage_fields import STOPPED, Stage


@dataclasses.dataclass
class StageStep:
    stage: str
    label: str
    state: str  # "passed", "current" or "ahead"
    day: datetime.date | None = None


# The day shown under a stage passed, where the record has one.
STAGE_DAYS = {
    Stage.DECIDED: "decision_date",
    Stage.UNDER_WAY: "start_date",
    Stage.RETURNED: "returned_on",
    Stage.REPORT_RECEIVED: "report_received_on",
    Stage.RECEIVED: "start_date",
}


def stage_bar(delegation, today):
    """What the stage bar shows for ``delegation``: its chain's steps, and the report's deadline."""
    chain = stages.chain_of(delegation.direction)
    current = chain.index(delegation.stage) if delegation.stage in chain else -1
    steps = []
    for index, stage in enumerate(chain):
        state = "current" if index == current else ("passed" if index < current else "ahead")
        day = getattr(delegation, STAGE_DAYS[stage]) if stage in STAGE_DAYS and state != "ahead" else None
        steps.append(StageStep(stage, Stage(stage).label, state, day))
    due_on = stages.report_due_on(delegation) if delegation.stage == Stage.RETURNED else None
    return {
        "steps": steps,
        "stopped": delegation.stage in STOPPED,
        "stage_label": delegation.get_stage_display(),
        "reason": delegation.stage_reason,
        "report_due_on": due_on,
        "report_days_late": (today - due_on).days if due_on and due_on < today else 0,
    }


def stage_moves(delegation):
    """The buttons: (stage, label, going back)."""
    moves = []
    for stage in stages.allowed_moves(delegation):
        back = stages.is_back(delegation, stage)
        label = Stage(stage).label
        moves.append((stage, _("Back to “%(stage)s”") % {"stage": label} if back else label, back))
    return moves


def step_form_class(to_stage):
    """A form of the fields the step to ``to_stage`` asks for (none: a confirmation)."""
    wanted = stages.STEP_FIELDS.get(to_stage, {})
    from delegations.models import Delegation

    fields = fields_for_model(Delegation, fields=list(wanted))
    for name, required in wanted.items():
        fields[name].required = required
    if "stage_reason" in fields:
        fields["stage_reason"].widget = forms.Textarea(attrs={"rows": 3, "cols": 60})
    return type("StepForm", (forms.Form,), dict(fields))


class StageAdminMixin:
    """For DelegationAdmin: the stage bar's context and the move page."""

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/stage/<str:to_stage>/",
                self.admin_site.admin_view(self.stage_view),
                name=f"{opts.app_label}_{opts.model_name}_stage",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["stage_bar"] = stage_bar(obj, timezone.localdate())
            if stages.may_move(request.user, obj):
                context["stage_moves"] = stage_moves(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def stage_view(self, request, object_id, to_stage):
        delegation = self.get_object(request, unquote(object_id))
        if delegation is None or to_stage not in Stage.values:
            raise Http404
        if not stages.may_move(request.user, delegation):
            raise PermissionDenied
        change_url = reverse("admin:delegations_delegation_change", args=[delegation.pk])
        why = stages.refusal(delegation, to_stage, request.user)
        if why:
            self.message_user(request, why, messages.ERROR)
            return HttpResponseRedirect(change_url)
        form_class = step_form_class(to_stage)
        initial = {name: getattr(delegation, name) for name in form_class.base_fields if "_file" not in name}
        if to_stage == Stage.RETURNED and not initial.get("returned_on"):
            initial["returned_on"] = delegation.end_date
        if request.method == "POST":
            form = form_class(request.POST, request.FILES, initial=initial)
            if form.is_valid():
                try:
                    stages.advance(delegation, to_stage, request.user, **form.cleaned_data)
                except ValidationError as error:
                    _add_errors(form, error)
                else:
                    self.message_user(
                        request,
                        _("The delegation is now “%(stage)s”.") % {"stage": delegation.get_stage_display()},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(change_url)
        else:
            form = form_class(initial=initial)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": delegation,
            "title": _("%(delegation)s: move to “%(stage)s”")
            % {"delegation": delegation, "stage": Stage(to_stage).label},
            "to_stage": to_stage,
            "to_label": Stage(to_stage).label,
            "form": form,
            "change_url": change_url,
            "stage_bar": stage_bar(delegation, timezone.localdate()),
        }
        return TemplateResponse(request, "admin/delegations/stage_move.html", context)


def _add_errors(form, error):
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)
