"""Moving a delegation from one stage to the next (delegations/stage_fields.py holds the stages).

``advance(delegation, to_stage, user, **fields)`` is the one way a saved
delegation's stage changes: it checks that ``user`` may move it and that the
move is allowed from the current stage, sets the fields the step needs, keeps
``status`` in step, and saves in one transaction, leaving a historical row
whose reason names the move.

Which moves are allowed (``allowed_moves``):

- the next stage of the chain;
- two skips: proposed → decided (a trip decided outside the annual plan: the
  plan's "ngoài kế hoạch" flag says so) and decided → returned (a departure
  nobody marked: the return date says the trip happened);
- one step back, to correct a mistake;
- cancelled or postponed from any stage before closed, with a reason;
- from postponed or cancelled, back to a stage before departure (the trip is
  taken up again), with the dates it needs at that stage.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delegations.stage_fields import STATUS_OF, STOPPED, Stage, chain_of
from register import review

# What each step asks for, by field: required (True) or offered (False).
STEP_FIELDS = {
    Stage.DECIDED: {"decision_ref": True, "decision_date": True, "decision_signer": False, "decision_file": False},
    Stage.AGREED: {"received_by": True, "reception_plan": False, "reception_plan_file": False},
    Stage.RETURNED: {"returned_on": True},
    Stage.REPORT_RECEIVED: {"report_received_on": True, "report_summary": False, "report_file": False},
    Stage.CANCELLED: {"stage_reason": True},
    Stage.POSTPONED: {"stage_reason": True},
}
# The skips that make sense (see the module's docstring).
SKIPS = {(Stage.PROPOSED, Stage.DECIDED), (Stage.DECIDED, Stage.RETURNED)}
# The stages a postponed or cancelled trip can be taken up again at: before departure.
RESUMABLE = (Stage.PROPOSED, Stage.IN_PLAN, Stage.DECIDED, Stage.REQUESTED, Stage.AGREED)


def report_due_days(province_code):
    """Days after its return within which an outbound delegation's result report is due, in ``province_code``:
    the province's rules (Quy định về đoàn ra, planning/), or the install's ``DELEGATION_REPORT_DUE_DAYS``
    where the province has none yet. One query."""
    from planning.rules import report_due_days as province_report_due_days

    return province_report_due_days(province_code)


def report_due_on(delegation):
    """The day the result report is due, or None before the return."""
    if delegation.returned_on is None:
        return None
    return delegation.returned_on + datetime.timedelta(days=report_due_days(delegation.province_id))


def allowed_moves(delegation):
    """The stages ``delegation`` may move to now, in the order the buttons show them."""
    chain = chain_of(delegation.direction)
    current = delegation.stage
    if current in STOPPED:
        resume = [stage for stage in chain if stage in RESUMABLE]
        other = [stage for stage in STOPPED if stage != current]
        return resume + other
    if current not in chain:
        return []
    index = chain.index(current)
    moves = []
    if index + 1 < len(chain):
        moves.append(chain[index + 1])
    moves += [to for (start, to) in sorted(SKIPS) if start == current and to in chain]
    if index > 0:
        moves.append(chain[index - 1])
    if current != Stage.CLOSED:
        moves += list(STOPPED)
    return moves


def is_back(delegation, to_stage):
    chain = chain_of(delegation.direction)
    return delegation.stage in chain and to_stage in chain and chain.index(to_stage) < chain.index(delegation.stage)


def may_move(user, delegation):
    """Staff and approvers move their province's delegations (of their own unit, when limited to one);
    officials and visitors only read. The caller has found ``delegation`` among the user's province's."""
    return (
        user is not None
        and user.is_authenticated
        and review.may_change(user, type(delegation))
        and not review.out_of_scope(delegation, user)
    )


def refusal(delegation, to_stage, user):
    """Why ``user`` may not move ``delegation`` to ``to_stage`` now, or None."""
    if not may_move(user, delegation):
        return _("You may not change the stage of this delegation.")
    if to_stage not in allowed_moves(delegation):
        return _("A delegation that is “%(current)s” cannot move to “%(stage)s”.") % {
            "current": delegation.get_stage_display(),
            "stage": Stage(to_stage).label if to_stage in Stage.values else to_stage,
        }
    return None


@transaction.atomic
def advance(delegation, to_stage, user, **fields):
    """Move ``delegation`` to ``to_stage`` (see the module's docstring), setting ``fields`` (those of
    ``STEP_FIELDS[to_stage]``). Raises PermissionDenied or ValidationError (nothing saved) when refused."""
    if not may_move(user, delegation):
        raise PermissionDenied(_("You may not change the stage of this delegation."))
    why = refusal(delegation, to_stage, user)
    if why:
        raise ValidationError(why, code="stage_not_allowed")
    wanted = STEP_FIELDS.get(to_stage, {})
    unknown = set(fields) - set(wanted)
    if unknown:
        raise ValueError(f"fields not asked by the step to {to_stage}: {sorted(unknown)}")
    touched = {*fields, *TOUCHED}
    before = {name: getattr(delegation, name) for name in touched}
    try:
        _move(delegation, to_stage, user, fields, wanted)
    except ValidationError:
        for name, value in before.items():  # the caller's object as it was: nothing was saved
            setattr(delegation, name, value)
        raise
    return delegation


# What a move may change besides the step's own fields.
TOUCHED = ("stage", "status", "stage_reason", "stage_changed_at", "returned_on", "report_received_on")
DATE_FIELDS = {"decision_date", "returned_on", "report_received_on"}


def _move(delegation, to_stage, user, fields, wanted):
    previous = delegation.stage
    for name, value in fields.items():
        if value in (None, "") and not wanted[name] and name.endswith("_file"):
            continue  # a file not sent again keeps the one stored
        setattr(delegation, name, "" if value is None and name not in DATE_FIELDS else value)
    if to_stage == Stage.RETURNED and delegation.returned_on is None and "returned_on" not in fields:
        delegation.returned_on = delegation.end_date
    missing = {
        name: _("This field is required for this step.")
        for name, required in wanted.items()
        if required and not str(getattr(delegation, name) or "").strip()
    }
    if missing:
        raise ValidationError(missing)
    if is_back(delegation, to_stage):
        _forget_later_steps(delegation, to_stage)
    delegation.stage = to_stage
    delegation.status = STATUS_OF[to_stage]
    if to_stage not in STOPPED:
        delegation.stage_reason = ""  # a trip taken up again: the reason stays in its history
    delegation.stage_changed_at = timezone.now()
    delegation.full_clean(validate_unique=False)
    delegation._history_user = user
    delegation._change_reason = str(
        _("Stage: %(old)s → %(new)s") % {"old": Stage(previous).label, "new": Stage(to_stage).label}
    )
    delegation.save()


def _forget_later_steps(delegation, to_stage):
    """Going back before the return or the report takes its date away, so that the record says
    what happened (the report's deadline is counted again from a return entered again)."""
    chain = chain_of(delegation.direction)
    if Stage.RETURNED in chain and chain.index(to_stage) < chain.index(Stage.RETURNED):
        delegation.returned_on = None
    if Stage.REPORT_RECEIVED in chain and chain.index(to_stage) < chain.index(Stage.REPORT_RECEIVED):
        delegation.report_received_on = None
