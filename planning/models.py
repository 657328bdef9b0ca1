"""The annual plan of outbound delegations ("Kế hoạch đoàn ra năm 2026") and the
office's rules on delegations ("Quy định về đoàn ra"), whose limits the approver
sees as warnings (planning/rules.py).

A delegation links to the line of the plan it carries out (``Delegation.plan_line``);
an outbound delegation without one is "ngoài kế hoạch"."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from delegations.models import Level
from offices.records import ProvinceRecord


class AnnualPlan(ProvinceRecord):
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(
        _("title"), max_length=300, help_text=_("As the plan is named: “Kế hoạch đoàn ra năm 2026”.")
    )
    decision_ref = models.CharField(_("approval decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("approval decision date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("annual plan of outbound delegations")
        verbose_name_plural = _("annual plans of outbound delegations")
        ordering = ["-year", "province"]
        constraints = [
            # One plan a year; also a province's plan of a year (WHERE province = ? AND year = ?).
            models.UniqueConstraint(
                fields=["province", "year"],
                name="annualplan_one_per_province_year",
                violation_error_message=_("The province already has a plan for this year."),
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1945, year__lte=2200),
                name="annualplan_year_sensible",
                violation_error_message=_("Enter a year between 1945 and 2200."),
            ),
        ]

    def __str__(self):
        return self.title or str(_("Plan of outbound delegations %(year)s") % {"year": self.year})

    def get_absolute_url(self):
        return reverse("planning:detail", args=[self.pk])


class PlanLine(ProvinceRecord):
    """One planned trip: who sends it, where, when in the year, how many, at what cost."""

    plan = models.ForeignKey(AnnualPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lines")
    host_unit = models.ForeignKey(
        "partners.LocalUnit",
        verbose_name=_("host or sending unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_lines",
    )
    country = models.CharField(
        _("intended country"),
        max_length=2,
        blank=True,
        help_text=_("ISO 3166 two-letter code (CN, LA, JP)."),
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("intended partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_lines",
    )
    purpose = models.CharField(_("purpose"), max_length=500)
    quarter = models.PositiveSmallIntegerField(_("quarter"), help_text=_("1 to 4."))
    size = models.PositiveIntegerField(_("planned number of persons"), null=True, blank=True)
    budget = models.DecimalField(_("budget (VND)"), max_digits=18, decimal_places=0, null=True, blank=True)
    leader = models.CharField(_("head of delegation (name or title)"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering = ["plan", "quarter", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="planline_quarter_1_to_4",
                violation_error_message=_("The quarter is 1, 2, 3 or 4."),
            ),
            models.CheckConstraint(
                condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0),
                name="planline_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(cancelled=False) | ~models.Q(cancel_reason=""),
                name="planline_cancel_reason_required",
                violation_error_message=_("Give the reason the planned trip was cancelled."),
            ),
            models.CheckConstraint(
                condition=~models.Q(country="") | models.Q(partner__isnull=False),
                name="planline_country_or_partner",
                violation_error_message=_("Enter the intended country, the partner, or both."),
            ),
            models.CheckConstraint(
                condition=models.Q(country="") | Exact(Length("country"), 2), name="planline_country_iso2"
            ),
        ]

    def __str__(self):
        where = self.country or (self.partner.name if self.partner_id else "")
        text = f"{self.plan.year} · {_('quarter')} {self.quarter} · {self.purpose[:80]}"
        return text + (f" ({where})" if where else "")

    def clean(self):
        super().clean()
        if self.country:
            self.country = self.country.strip().upper()
            if not (len(self.country) == 2 and self.country.isalpha() and self.country.isascii()):
                raise ValidationError({"country": _("Enter a two-letter ISO 3166 country code, such as CN.")})
        if self.cancelled and not self.cancel_reason.strip():
            raise ValidationError({"cancel_reason": _("Give the reason the planned trip was cancelled.")})

    def save(self, *args, **kwargs):
        # A line is its plan's province's, whoever enters it.
        if self.plan_id is not None:
            self.province_id = self.plan.province_id
        super().save(*args, **kwargs)


class DelegationRules(ProvinceRecord):
    """The office's limits on outbound delegations; one row per province, made with
    the defaults (planning/rules.py ``DEFAULTS``) the first time it is read."""

    report_due_days = models.PositiveSmallIntegerField(
        _("days to report after return"),
        help_text=_("The head of delegation reports the results within this many days after return."),
    )
    max_days = models.PositiveSmallIntegerField(
        _("longest trip (days)"), null=True, blank=True, help_text=_("Blank: no limit.")
    )
    max_countries = models.PositiveSmallIntegerField(
        _("most countries in one trip"), null=True, blank=True, help_text=_("Blank: no limit.")
    )
    max_trips_per_person = models.PositiveSmallIntegerField(
        _("most outbound trips per person in a year"), null=True, blank=True, help_text=_("Blank: no limit.")
    )
    key_leaders = models.TextField(
        _("key leaders"),
        blank=True,
        help_text=_(
            "One name or title a line (“Bí thư Tỉnh ủy”, “Chủ tịch UBND tỉnh”). Two of them in one delegation "
            "is a warning."
        ),
    )
    require_decision = models.BooleanField(_("a sending decision is required before departure"), default=True)
    warn_outside_plan = models.BooleanField(_("warn of a delegation outside the annual plan"), default=True)

    class Meta:
        verbose_name = _("rules on outbound delegations")
        verbose_name_plural = _("rules on outbound delegations")
        constraints = [
            # One row of rules per province; the rules a delegation's warnings read (WHERE province = ?).
            models.UniqueConstraint(
                fields=["province"],
                name="delegationrules_one_per_province",
                violation_error_message=_("The province already has its rules on delegations."),
            ),
            # PositiveSmallIntegerField is checked on PostgreSQL by its column type; the named
            # constraints say so on every database, with the rule's name.
            models.CheckConstraint(
                condition=models.Q(report_due_days__gte=0), name="delegationrules_report_days_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(max_days__isnull=True) | models.Q(max_days__gte=0),
                name="delegationrules_max_days_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(max_countries__isnull=True) | models.Q(max_countries__gte=0),
                name="delegationrules_max_countries_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(max_trips_per_person__isnull=True) | models.Q(max_trips_per_person__gte=0),
                name="delegationrules_max_trips_not_negative",
            ),
        ]

    def __str__(self):
        return str(_("Rules on outbound delegations"))

    def key_leader_lines(self):
        return [line.strip() for line in self.key_leaders.splitlines() if line.strip()]


class SizeLimit(ProvinceRecord):
    """The most persons a delegation of one level may have. A small table rather than a
    JSON field: each limit is a row the database checks (level known, not negative, one
    per level), edited as an inline with the levels' own labels."""

    rules = models.ForeignKey(
        DelegationRules, verbose_name=_("rules"), on_delete=models.CASCADE, related_name="size_limits"
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    max_size = models.PositiveSmallIntegerField(_("most persons"))

    class Meta:
        verbose_name = _("size limit")
        verbose_name_plural = _("size limits")
        ordering = ["rules", "level"]
        constraints = [
            # One limit per level; the limits read with the rules (WHERE rules_id = ?).
            models.UniqueConstraint(
                fields=["rules", "level"],
                name="sizelimit_one_per_level",
                violation_error_message=_("This level already has a limit."),
            ),
            models.CheckConstraint(condition=models.Q(max_size__gte=0), name="sizelimit_not_negative"),
            models.CheckConstraint(condition=models.Q(level__in=Level.values), name="sizelimit_level_valid"),
        ]

    def __str__(self):
        return f"{self.get_level_display()}: {self.max_size}"

    def save(self, *args, **kwargs):
        if self.rules_id is not None:
            self.province_id = self.rules.province_id
        super().save(*args, **kwargs)
