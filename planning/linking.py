"""A delegation's link to the line of the annual plan it carries out
(``Delegation.plan_line``): only an outbound delegation, only to a line of its
own province's plan, of the year it departs. Unlinked, an outbound delegation is
"ngoài kế hoạch" (outside the plan)."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

OUTSIDE_PLAN = _("outside the plan")


def plan_line_errors(delegation):
    """{"plan_line": message} when ``delegation``'s plan line may not be its own, else {}.
    One query (the line with its plan) when a line is chosen, none otherwise."""
    if getattr(delegation, "plan_line_id", None) is None:
        return {}
    from planning.models import PlanLine

    line = PlanLine.objects.select_related("plan").filter(pk=delegation.plan_line_id).first()
    if line is None:
        return {}
    if delegation.direction != "out":
        return {"plan_line": _("Only an outbound delegation carries out a line of the plan of outbound delegations.")}
    if delegation.province_id is not None and line.plan.province_id != delegation.province_id:
        return {"plan_line": _("This plan line belongs to another province's plan.")}
    if delegation.start_date is not None and line.plan.year != delegation.start_date.year:
        return {
            "plan_line": _("This line is in the plan for %(plan_year)d; the delegation departs in %(year)d.")
            % {"plan_year": line.plan.year, "year": delegation.start_date.year}
        }
    return {}


@admin.display(description=_("stage"), ordering="stage")
def stage_and_plan(delegation):
    """The change list's stage column, with "outside the plan" after the stage of an
    outbound delegation with no plan line (the list keeps its seven columns). No query."""
    if delegation.direction == "out" and delegation.plan_line_id is None:
        return format_html('{} · <span class="plan-flag">{}</span>', delegation.get_stage_display(), OUTSIDE_PLAN)
    return delegation.get_stage_display()
