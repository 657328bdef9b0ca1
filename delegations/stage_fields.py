"""A delegation's stage in the office's working day (issue 19), beside its review state.

The review state (register/publishable.py) says whether a record may be
published; the stage says where the trip itself stands:

- outbound: proposed → in the annual plan → decided (the provincial People's
  Committee's sending decision) → under way → returned → result report received
  → closed;
- inbound, and border talks and central leaders' visits (someone comes to the
  province or meets at its border: the office receives, it sends no one and
  chases no report), and a delegation whose direction the source does not say:
  requested → agreed (who receives, the reception plan) → received → closed;
- either: cancelled or postponed at any point, with a reason.

The older ``status`` (planned / approved / completed / cancelled), which the
reports and the imports read and write, is kept in step: one stage gives one
status (``STATUS_OF``), and a row written with a status only (an import, a
fixture, the article reader) takes the stage that status stands for
(``stage_for_status``). Only delegations/stages.py moves a stage on a saved record.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.files import validate_pdf
from common.storage import generated_upload_path

# Where a delegation's internal files (decision, report, reception plan) are stored; served to signed-in
# users of the record's province only (delegations/apps.py).
FILES_FOLDER = "delegation-files"


class Stage(models.TextChoices):
    # Outbound (đoàn ra).
    PROPOSED = "proposed", _("Proposed")
    IN_PLAN = "in_plan", _("In the annual plan")
    DECIDED = "decided", _("Decided")
    UNDER_WAY = "under_way", _("Under way")
    RETURNED = "returned", _("Returned")
    REPORT_RECEIVED = "report_received", _("Result report received")
    # Inbound (đoàn vào), border talks, leaders' visits.
    REQUESTED = "requested", _("Requested")
    AGREED = "agreed", _("Agreed")
    RECEIVED = "received", _("Received")
    # Both.
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")


OUTBOUND_CHAIN = (
    Stage.PROPOSED,
    Stage.IN_PLAN,
    Stage.DECIDED,
    Stage.UNDER_WAY,
    Stage.RETURNED,
    Stage.REPORT_RECEIVED,
    Stage.CLOSED,
)
INBOUND_CHAIN = (Stage.REQUESTED, Stage.AGREED, Stage.RECEIVED, Stage.CLOSED)
STOPPED = (Stage.CANCELLED, Stage.POSTPONED)
OUTBOUND_ONLY = tuple(stage for stage in OUTBOUND_CHAIN if stage not in INBOUND_CHAIN)
INBOUND_ONLY = tuple(stage for stage in INBOUND_CHAIN if stage not in OUTBOUND_CHAIN)

# The status each stage stands for (the reports and the imports read the status).
STATUS_OF = {
    Stage.PROPOSED: "planned",
    Stage.IN_PLAN: "planned",
    Stage.REQUESTED: "planned",
    Stage.POSTPONED: "planned",
    Stage.DECIDED: "approved",
    Stage.AGREED: "approved",
    Stage.UNDER_WAY: "approved",
    Stage.RETURNED: "completed",
    Stage.REPORT_RECEIVED: "completed",
    Stage.RECEIVED: "completed",
    Stage.CLOSED: "completed",
    Stage.CANCELLED: "cancelled",
}


def chain_of(direction):
    """The chain of stages of a delegation of ``direction`` ("out": the outbound one; any other: the inbound one)."""
    return OUTBOUND_CHAIN if direction == "out" else INBOUND_CHAIN


def stage_for_status(status, direction):
    """The stage a row written with ``status`` only is at. A completed trip is closed, never "returned":
    the thousands of historical records (and a clerk's trip entered from an article) never ask for a report."""
    planned, approved = (Stage.PROPOSED, Stage.DECIDED) if direction == "out" else (Stage.REQUESTED, Stage.AGREED)
    return {"planned": planned, "approved": approved, "cancelled": Stage.CANCELLED}.get(status, Stage.CLOSED)


def _file_upload(instance, filename):
    return generated_upload_path(FILES_FOLDER, filename, extension=".pdf")


class StagedModel(models.Model):
    """The stage and the fields its steps fill (the constraints: ``stage_constraints``)."""

    stage = models.CharField(
        _("stage"),
        max_length=16,
        choices=Stage.choices,
        default=Stage.CLOSED,
        help_text=_(
            "Where the trip stands. A trip already over (entered from an article or a report) is closed; "
            "a trip still to come starts as proposed (outbound) or requested (inbound)."
        ),
    )
    stage_reason = models.TextField(
        _("reason for cancelling or postponing"), blank=True, help_text=_("Required when cancelled or postponed.")
    )
    stage_changed_at = models.DateTimeField(_("stage changed at"), null=True, blank=True, editable=False)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_signer = models.CharField(_("decision signed by"), max_length=200, blank=True)
    decision_file = models.FileField(
        _("decision (PDF)"), upload_to=_file_upload, blank=True, validators=[validate_pdf], max_length=200
    )
    reception_plan = models.TextField(_("reception plan"), blank=True)
    reception_plan_file = models.FileField(
        _("reception plan (PDF)"), upload_to=_file_upload, blank=True, validators=[validate_pdf], max_length=200
    )
    # The day the delegation actually came back, which the report's deadline and the passports' return
    # count from; the end date stays what the plan or the source said (a trip cut short or extended
    # differs, and the end date may be known only to the month).
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    report_received_on = models.DateField(_("result report received on"), null=True, blank=True)
    report_file = models.FileField(
        _("result report (PDF)"), upload_to=_file_upload, blank=True, validators=[validate_pdf], max_length=200
    )
    report_summary = models.TextField(_("summary of the result report"), blank=True)

    class Meta:
        abstract = True

    def sync_stage_with_status(self):
        """Keep ``stage`` and ``status`` in step when a writer set the status only: the stage follows
        the status whenever they disagree (the stage service sets both, so they agree after it), and
        when the direction was changed to one whose chain has not this stage."""
        if STATUS_OF.get(self.stage) == self.status and self.stage in (*chain_of(self.direction), *STOPPED):
            return
        self.stage = stage_for_status(self.status, self.direction)
        if self.stage == Stage.CANCELLED and not self.stage_reason.strip():
            self.stage_reason = str(_("Recorded as cancelled in the status."))

    def clean_stage(self):
        """The stage's rules (``stage_constraints``) as messages on their fields, for a form."""
        errors = {}
        if self.stage in STOPPED and not self.stage_reason.strip():
            errors["stage_reason"] = _("Give the reason for cancelling or postponing.")
        # On the direction: a saved record's stage is not on its form (delegations/stages.py moves it).
        if self.stage in OUTBOUND_ONLY and self.direction != "out":
            errors["direction"] = _("The stage “%(stage)s” is for outbound delegations only.") % {
                "stage": self.get_stage_display()
            }
        if self.stage in INBOUND_ONLY and self.direction == "out":
            errors["direction"] = _("The stage “%(stage)s” is for inbound delegations only.") % {
                "stage": self.get_stage_display()
            }
        if self.returned_on and (self.start_date is None or self.returned_on < self.start_date):
            errors["returned_on"] = _("The return date cannot be before the departure (the start date).")
        elif self.stage in (Stage.RETURNED, Stage.REPORT_RECEIVED) and self.returned_on is None:
            errors["returned_on"] = _("Enter the date the delegation returned.")
        if (
            self.decision_date
            and self.start_date
            and self.date_precision == "day"
            and self.decision_date > self.start_date
        ):
            errors["decision_date"] = _("The sending decision cannot be dated after the departure (the start date).")
        if self.report_received_on and (self.returned_on is None or self.report_received_on < self.returned_on):
            errors["report_received_on"] = _("The result report cannot be received before the return.")
        elif self.stage == Stage.REPORT_RECEIVED and self.report_received_on is None:
            errors["report_received_on"] = _("Enter the date the result report was received.")
        if errors:
            raise ValidationError(errors)

    @property
    def stage_chain(self):
        return chain_of(self.direction)


def stage_constraints(prefix):
    """The stage's rules, whatever writes the row."""
    day = Q(date_precision="day")
    return [
        models.CheckConstraint(condition=Q(stage__in=Stage.values), name=f"{prefix}_stage_valid"),
        models.CheckConstraint(
            condition=~Q(stage__in=OUTBOUND_ONLY) | Q(direction="out"),
            name=f"{prefix}_stage_outbound_only",
            violation_error_message=_("This stage is for outbound delegations only."),
        ),
        models.CheckConstraint(
            condition=~Q(stage__in=INBOUND_ONLY) | ~Q(direction="out"),
            name=f"{prefix}_stage_inbound_only",
            violation_error_message=_("This stage is for inbound delegations only."),
        ),
        models.CheckConstraint(
            condition=~Q(stage__in=STOPPED) | ~Q(stage_reason=""),
            name=f"{prefix}_stopped_has_reason",
            violation_error_message=_("Give the reason for cancelling or postponing."),
        ),
        models.CheckConstraint(
            condition=Q(returned_on__isnull=True) | (Q(start_date__isnull=False) & Q(returned_on__gte=F("start_date"))),
            name=f"{prefix}_return_not_before_start",
            violation_error_message=_("The return date cannot be before the departure (the start date)."),
        ),
        # A start date known only to the month or the year (stored as its first day) says nothing of the day.
        models.CheckConstraint(
            condition=Q(decision_date__isnull=True)
            | Q(start_date__isnull=True)
            | ~day
            | Q(decision_date__lte=F("start_date")),
            name=f"{prefix}_decision_not_after_start",
            violation_error_message=_("The sending decision cannot be dated after the departure (the start date)."),
        ),
        models.CheckConstraint(
            condition=Q(report_received_on__isnull=True)
            | (Q(returned_on__isnull=False) & Q(report_received_on__gte=F("returned_on"))),
            name=f"{prefix}_report_not_before_return",
            violation_error_message=_("The result report cannot be received before the return."),
        ),
        models.CheckConstraint(
            condition=~Q(stage__in=[Stage.RETURNED, Stage.REPORT_RECEIVED]) | Q(returned_on__isnull=False),
            name=f"{prefix}_returned_has_date",
            violation_error_message=_("Enter the date the delegation returned."),
        ),
        models.CheckConstraint(
            condition=~Q(stage=Stage.REPORT_RECEIVED) | Q(report_received_on__isnull=False),
            name=f"{prefix}_report_has_date",
            violation_error_message=_("Enter the date the result report was received."),
        ),
    ]
