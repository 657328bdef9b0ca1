"""The plan page's rows: each line with its state and the delegations that carry it
out, grouped by host unit, the year's outbound delegations outside the plan, and
the totals. Four queries whatever the size of the plan: the lines, the linked
delegations, the delegations outside the plan (the plan itself is the caller's)."""

import dataclasses
import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from common.collation import vietnamese_key
from delegations.models import Delegation, Direction, Status
from offices.scope import records_of
from partners.countries import country_name
from planning.models import AnnualPlan, PlanLine

DONE, PENDING, CANCELLED = "done", "pending", "cancelled"
STATE_LABELS = {DONE: _("done"), PENDING: _("pending"), CANCELLED: _("cancelled")}


def plans_for(user):
    """The plans ``user`` may read: their province's; every province's for a national user; none for a visitor."""
    if not (user.is_authenticated and user.is_active):
        return AnnualPlan.objects.none()
    return records_of(AnnualPlan.objects.all(), user)


@dataclasses.dataclass
class LineRow:
    line: PlanLine
    state: str
    delegations: list

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def country_label(self):
        return country_name(self.line.country)


@dataclasses.dataclass
class UnitGroup:
    unit: object  # a LocalUnit, or None for lines without a host unit
    rows: list


@dataclasses.dataclass
class PlanView:
    plan: AnnualPlan
    groups: list
    outside: list
    totals: dict


def line_state(line, delegations):
    """Cancelled when the line is; done when a delegation carrying it out has returned
    (its status ``completed``); pending otherwise."""
    if line.cancelled:
        return CANCELLED
    if any(delegation.status == Status.COMPLETED for delegation in delegations):
        return DONE
    return PENDING


def plan_view(plan):
    lines = list(plan.lines.select_related("host_unit", "partner").order_by("quarter", "pk"))
    linked = {}
    for delegation in (
        Delegation.objects.filter(plan_line__plan=plan)
        .only("pk", "title", "status", "start_date", "end_date", "date_precision", "size", "plan_line_id")
        .order_by("start_date", "pk")
    ):
        linked.setdefault(delegation.plan_line_id, []).append(delegation)
    groups = {}
    for line in lines:
        delegations = linked.get(line.pk, [])
        groups.setdefault(line.host_unit_id, UnitGroup(line.host_unit, [])).rows.append(
            LineRow(line, line_state(line, delegations), delegations)
        )
    ordered = sorted(groups.values(), key=lambda g: (g.unit is None, vietnamese_key(g.unit.name if g.unit else "")))
    outside = list(
        Delegation.objects.filter(
            province=plan.province_id,
            direction=Direction.OUTBOUND,
            start_date__gte=datetime.date(plan.year, 1, 1),
            start_date__lt=datetime.date(plan.year + 1, 1, 1),
            plan_line__isnull=True,
        )
        .select_related("host_unit")
        .order_by("start_date", "pk")
    )
    rows = [row for group in ordered for row in group.rows]
    counted = [row for row in rows if row.state != CANCELLED]
    totals = {
        "lines": len(rows),
        DONE: sum(row.state == DONE for row in rows),
        PENDING: sum(row.state == PENDING for row in rows),
        CANCELLED: sum(row.state == CANCELLED for row in rows),
        # Persons and budget of the lines still planned or done (a cancelled line spends nothing).
        "size": sum(row.line.size or 0 for row in counted),
        "budget": sum((row.line.budget or Decimal(0) for row in counted), Decimal(0)),
        "outside": len(outside),
        "outside_size": sum(delegation.size or 0 for delegation in outside),
    }
    return PlanView(plan, ordered, outside, totals)
