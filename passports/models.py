"""The official and diplomatic passports the department keeps, their hand-outs
for a delegation's trip and their return, and the log of who looked at them.

A passport's number is personal data: only who has ``view_passport_number`` (the
passport custodian role, the administrators: register/roles.py) reads it, in the
admin, its search, its history and its export (passports/admin.py, access.py)."""

import datetime
import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.working_days import add_working_days
from offices.records import ProvinceRecord

# A Vietnamese passport's number: one letter and seven digits (C1234567).
NUMBER_PATTERN = r"^[A-Z][0-9]{7}$"
NUMBER_TAKEN = _("A passport with this number is already in the register.")
NUMBER_FORMAT = _("A Vietnamese passport number is one letter followed by seven digits (for example C1234567).")


def normalise_number(text):
    """The number as the database keeps it: spaces, dots and dashes dropped, upper case ("c 123-4567" → C1234567)."""
    return re.sub(r"[\s.\-]", "", text or "").upper()


class PassportKind(models.TextChoices):
    OFFICIAL = "official", _("Official passport (hộ chiếu công vụ)")
    DIPLOMATIC = "diplomatic", _("Diplomatic passport (hộ chiếu ngoại giao)")


class PassportQuerySet(models.QuerySet):
    def with_loan_state(self):
        """Each passport with ``is_out``: handed out and not yet returned (a subquery, no query per row)."""
        return self.annotate(is_out=Exists(PassportLoan.objects.filter(passport=OuterRef("pk"), returned_on=None)))

    def expiring_by(self, day):
        """Passports the agency keeps whose validity ends on or before ``day``."""
        return self.filter(kept_by_agency=True, expires_on__lte=day)


class Passport(ProvinceRecord):
    holder_name = models.CharField(_("holder's full name"), max_length=200)
    holder_position = models.CharField(_("holder's position and organisation"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=PassportKind.choices, default=PassportKind.OFFICIAL)
    number = models.CharField(
        _("passport number"),
        max_length=8,
        validators=[RegexValidator(NUMBER_PATTERN, NUMBER_FORMAT, code="passport_number_format")],
        help_text=_("One letter and seven digits, as printed in the passport (C1234567); spaces are dropped."),
    )
    issued_on = models.DateField(_("date of issue"))
    expires_on = models.DateField(_("date of expiry"))
    issued_by = models.CharField(_("issuing authority"), max_length=200, blank=True)
    kept_by_agency = models.BooleanField(
        _("kept by the agency"),
        default=True,
        help_text=_("Kept by the department between trips (Decision 58/2012/QĐ-TTg), not by the holder."),
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = PassportQuerySet.as_manager()

    class Meta:
        verbose_name = _("passport")
        verbose_name_plural = _("passports")
        ordering = ["holder_name", "pk"]
        permissions = [("view_passport_number", _("Can see passport numbers"))]
        constraints = [
            # One passport per number in a province's register; the form's check of a number already entered.
            models.UniqueConstraint(
                fields=["province", "number"],
                name="passport_number_unique",
                violation_error_message=NUMBER_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("issued_on")),
                name="passport_expiry_after_issue",
                violation_error_message=_("The date of expiry must be after the date of issue."),
            ),
            models.CheckConstraint(
                condition=Q(number__regex=NUMBER_PATTERN),
                name="passport_number_format",
                violation_error_message=NUMBER_FORMAT,
            ),
        ]
        indexes = [
            # The due list's passports expiring within the warning months: WHERE province = ? AND expires_on <= ?
            models.Index(fields=["province", "expires_on"], name="passport_prov_expiry_idx"),
        ]

    def __str__(self):
        # Never the number: this text goes into the admin's log, messages, the due list and mails.
        return f"{self.holder_name} ({self.get_kind_display()})"

    def clean_fields(self, exclude=None):
        self.number = normalise_number(self.number)
        super().clean_fields(exclude)

    def save(self, *args, **kwargs):
        self.number = normalise_number(self.number)
        super().save(*args, **kwargs)

    def expires_soon(self, today):
        """Whether less than ``PASSPORT_EXPIRY_WARNING_MONTHS`` of validity remain on ``today``."""
        return self.expires_on is not None and self.expires_on <= months_after(today, warning_months())


def warning_months():
    return settings.PASSPORT_EXPIRY_WARNING_MONTHS


def months_before(day, months):
    """``day`` moved back ``months`` months (the last day of a shorter month: 31/08 less 6 months is 28/02 or 29/02)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def months_after(day, months):
    return months_before(day, -months)


ALREADY_OUT = _(
    "This passport is already handed out and has not been returned. Enter the return of that hand-out first."
)


class PassportLoanQuerySet(models.QuerySet):
    def not_returned(self):
        return self.filter(returned_on=None)


class PassportLoan(ProvinceRecord):
    """A passport handed out for a delegation's trip, and its return."""

    passport = models.ForeignKey(Passport, verbose_name=_("passport"), on_delete=models.PROTECT, related_name="loans")
    delegation = models.ForeignKey(
        "delegations.Delegation",
        verbose_name=_("delegation"),
        on_delete=models.PROTECT,
        related_name="passport_loans",
        help_text=_("The trip the passport is handed out for."),
    )
    handed_out_on = models.DateField(_("handed out on"))
    handed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed out by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    handed_to = models.CharField(
        _("handed to"), max_length=200, blank=True, help_text=_("Leave blank when the holder took it in person.")
    )
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    received_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received back by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = PassportLoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("passport hand-out")
        verbose_name_plural = _("passport hand-outs")
        ordering = ["-handed_out_on", "-pk"]
        constraints = [
            # A passport is out once at a time: its open hand-out, found by the admin's "on loan" column.
            models.UniqueConstraint(
                fields=["passport"],
                condition=Q(returned_on__isnull=True),
                name="passport_loan_one_open",
                violation_error_message=ALREADY_OUT,
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=models.F("handed_out_on")),
                name="passport_loan_return_after_hand_out",
                violation_error_message=_("The passport cannot be returned before it was handed out."),
            ),
        ]
        indexes = [
            # The due list's passports still out: WHERE province = ? AND returned_on IS NULL
            models.Index(fields=["province"], condition=Q(returned_on__isnull=True), name="passport_loan_out_idx"),
        ]

    def __str__(self):
        return _("%(passport)s, handed out on %(day)s") % {
            "passport": self.passport,
            "day": self.handed_out_on.strftime("%d/%m/%Y") if self.handed_out_on else "?",
        }

    def save(self, *args, **kwargs):
        if self.passport_id is not None:
            self.province_id = self.passport.province_id
        super().save(*args, **kwargs)

    def return_due_on(self):
        """The last day to hand the passport back: ``PASSPORT_RETURN_WORKING_DAYS`` working days after
        the delegation's return (its return date once the stages give one, else its end date); None while
        the delegation has no return date. Reads ``delegation``: select it with the loan."""
        back = getattr(self.delegation, "returned_on", None) or self.delegation.end_date
        if back is None:
            return None
        return add_working_days(back, settings.PASSPORT_RETURN_WORKING_DAYS)


class ViewKind(models.TextChoices):
    PAGE = "page", _("passport's page")
    HISTORY = "history", _("passport's change history")
    EXPORT = "export", _("export without numbers")
    EXPORT_NUMBERS = "export_numbers", _("export with numbers")


class PassportViewLog(ProvinceRecord):
    """Who opened a passport's page or exported the register, and when: written by
    the admin on every GET of those pages (passports/admin.py), read by administrators."""

    passport = models.ForeignKey(
        Passport, verbose_name=_("passport"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The holder as the passport named them then, kept when the passport is deleted.
    passport_label = models.CharField(_("passport"), max_length=250, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(_("user name"), max_length=150)
    kind = models.CharField(_("what was seen"), max_length=16, choices=ViewKind.choices)
    rows = models.PositiveIntegerField(_("passports exported"), null=True, blank=True)
    viewed_at = models.DateTimeField(_("when"), auto_now_add=True)
    address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("passport view log entry")
        verbose_name_plural = _("passport view log")
        ordering = ["-viewed_at", "-pk"]
        default_permissions = ("view",)
        indexes = [
            # The log's admin list of one province, newest first: WHERE province = ? ORDER BY viewed_at DESC
            models.Index(fields=["province", "-viewed_at"], name="passport_view_prov_idx"),
        ]

    def __str__(self):
        return f"{self.username}: {self.passport_label or self.get_kind_display()}"
