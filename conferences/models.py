"""International conferences and seminars held in the province (Decision
06/2020/QĐ-TTg): who organises them, who takes part, the application to the
approving authority, the agencies consulted, the decision and the report."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.files import validate_pdf
from common.pagination import keyset_indexes
from common.storage import generated_upload_path
from common.title_sort import TitleSortedModel, TitleSortedQuerySet
from conferences import rules
from offices.records import ProvinceRecord
from partners.involving import records_involving
from partners.models import LocalUnit, Partner
from register.publishable import (
    PublishableModel,
    PublishableQuerySet,
    public_only_when_approved,
    review_state_constraint,
)
from register.versions import VersionedModel


class ConferenceKind(models.TextChoices):
    CONFERENCE = "conference", _("International conference (hội nghị quốc tế)")
    SEMINAR = "seminar", _("International seminar (hội thảo quốc tế)")
    WORKSHOP = "workshop", _("Workshop or training course")
    FORUM = "forum", _("Forum")
    TRADE_FAIR = "trade_fair", _("Trade fair or exhibition")
    OTHER = "other", _("Other")


class Authority(models.TextChoices):
    # Decision 06/2020/QĐ-TTg: the Prime Minister decides the largest events (40 days ahead),
    # the provincial People's Committee chairman the others (30 days ahead).
    PRIME_MINISTER = "prime_minister", _("Prime Minister")
    PROVINCIAL_CHAIRMAN = "provincial_chairman", _("Chairman of the provincial People's Committee")
    OTHER = "other", _("Other authority")


class ConferenceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    APPLIED = "applied", _("Application submitted")
    APPROVED = "approved", _("Permitted")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


def _file_upload(instance, filename):
    return generated_upload_path("conferences", filename, extension=".pdf")


class ConferenceQuerySet(TitleSortedQuerySet, PublishableQuerySet):
    def in_period(self, start, end):
        """Conferences that opened within [start, end]."""
        return self.filter(start_date__gte=start, start_date__lte=end)

    def overlapping(self, start, end):
        """Conferences on at least one day of [start, end] (the calendars)."""
        return self.filter(start_date__lte=end).filter(
            Q(end_date__gte=start) | Q(end_date__isnull=True, start_date__gte=start)
        )

    def involving(self, partner):
        """Conferences with ``partner`` or any locality under it among their partners."""
        return records_involving(self, self.model.partners.through.objects.all(), "conference", partner)

    def in_country(self, code):
        """Conferences with at least one partner in the country (ISO 3166 code)."""
        links = self.model.partners.through.objects.filter(conference=OuterRef("pk"), partner__country=code.upper())
        return self.filter(Exists(links))

    def with_list_relations(self):
        """What a list row shows: the organiser joined, the partners in one extra query for the page."""
        return self.select_related("organiser").prefetch_related("partners")


class Conference(ProvinceRecord, TitleSortedModel, PublishableModel, VersionedModel):
    # A staff member limited to a unit works on the conferences their unit organises.
    UNIT_SCOPE = "organiser"
    SEARCH_FIELDS = ("title", "place", "co_organisers", "decision_number", "summary", "report_summary")

    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=12, choices=ConferenceKind.choices, default=ConferenceKind.CONFERENCE)
    organiser = models.ForeignKey(
        LocalUnit,
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conferences",
    )
    co_organisers = models.CharField(
        _("co-organisers"), max_length=500, blank=True, help_text=_("As the application names them.")
    )
    partners = models.ManyToManyField(
        Partner,
        verbose_name=_("foreign partners"),
        blank=True,
        related_name="conferences",
        help_text=_("Co-organisers and the countries and organisations whose delegates take part."),
    )
    start_date = models.DateField(_("opening date"), null=True, blank=True)
    end_date = models.DateField(_("closing date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    total_participants = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True, help_text=_("Leave blank when not known.")
    )
    foreign_participants = models.PositiveIntegerField(
        _("foreign participants"), null=True, blank=True, help_text=_("Leave blank when not known.")
    )
    foreign_funded = models.BooleanField(_("funded from abroad"), default=False)
    funding = models.CharField(_("funding"), max_length=300, blank=True)
    authority = models.CharField(_("approving authority"), max_length=20, choices=Authority.choices, blank=True)
    application_date = models.DateField(
        _("application sent on"),
        null=True,
        blank=True,
        help_text=_("At least 30 days before the opening; 40 days when the Prime Minister decides."),
    )
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_file = models.FileField(
        _("decision (PDF)"), upload_to=_file_upload, blank=True, validators=[validate_pdf], max_length=200
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ConferenceStatus.choices, default=ConferenceStatus.PLANNED
    )
    summary = models.TextField(_("content and outcome"), blank=True)
    report_date = models.DateField(_("report sent on"), null=True, blank=True)
    report_summary = models.TextField(_("report summary"), blank=True)
    report_file = models.FileField(
        _("report (PDF)"), upload_to=_file_upload, blank=True, validators=[validate_pdf], max_length=200
    )

    objects = ConferenceQuerySet.as_manager()

    _history_m2m_fields = ["partners"]

    class Meta:
        verbose_name = _("international conference")
        verbose_name_plural = _("international conferences")
        ordering = ["-start_date", "-pk"]
        indexes = [
            # The admin index's queue (register/review.py waiting_counts): the records in review.
            models.Index(
                fields=["review_state"],
                condition=models.Q(review_state__in=["draft", "submitted"]),
                name="conference_in_review_idx",
            ),
            # For the period report's conferences opened in the period, and the calendars' range.
            models.Index(fields=["province", "start_date"], name="conference_prov_start_idx"),
            # For the list's default order (newest first) and its cursor pages, everywhere and in one province.
            *keyset_indexes(
                "start_date", models.DateField(), names=("conference_list_newest_idx", "conference_prov_newest_idx")
            ),
            # For the list's oldest-first order, everywhere and in one province.
            *keyset_indexes(
                "start_date",
                models.DateField(),
                names=("conference_list_oldest_idx", "conference_prov_oldest_idx"),
                descending=False,
            ),
            # For the list sorted by title (A–Z, Vietnamese order), everywhere and in one province.
            models.Index(fields=["title_sort", "id"], name="conference_list_title_idx"),
            models.Index(fields=["province", "title_sort", "id"], name="conference_prov_title_idx"),
            # For the due list: the conferences of a province still waiting for their application.
            models.Index(
                fields=["province", "start_date"],
                condition=models.Q(application_date__isnull=True),
                name="conference_unapplied_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | (models.Q(start_date__isnull=False) & models.Q(end_date__gte=models.F("start_date"))),
                name="conference_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(total_participants__isnull=True) | models.Q(total_participants__gte=0),
                name="conference_participants_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(foreign_participants__isnull=True) | models.Q(foreign_participants__gte=0),
                name="conference_foreign_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(foreign_participants__isnull=True)
                | models.Q(total_participants__isnull=True)
                | models.Q(foreign_participants__lte=models.F("total_participants")),
                name="conference_foreign_within_total",
            ),
            models.CheckConstraint(
                condition=models.Q(application_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(application_date__lte=models.F("start_date")),
                name="conference_application_before_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(decision_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(decision_date__lte=models.F("start_date")),
                name="conference_decision_before_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(decision_date__isnull=True)
                | models.Q(application_date__isnull=True)
                | models.Q(decision_date__gte=models.F("application_date")),
                name="conference_decision_after_application",
            ),
            models.CheckConstraint(
                condition=models.Q(report_date__isnull=True)
                | (models.Q(end_date__isnull=False) & models.Q(report_date__gte=models.F("end_date")))
                | (
                    models.Q(end_date__isnull=True)
                    & models.Q(start_date__isnull=False)
                    & models.Q(report_date__gte=models.F("start_date"))
                ),
                name="conference_report_after_event",
            ),
            models.CheckConstraint(condition=models.Q(kind__in=ConferenceKind.values), name="conference_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=ConferenceStatus.values), name="conference_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(authority__in=[*Authority.values, ""]), name="conference_authority_valid"
            ),
            review_state_constraint("conference"),
            public_only_when_approved("conference"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("conferences:detail", args=[self.pk])

    @property
    def date_display(self):
        from django.utils.formats import date_format

        if self.start_date is None:
            return ""
        start = date_format(self.start_date, "SHORT_DATE_FORMAT")
        if self.end_date and self.end_date != self.start_date:
            return f"{start} – {date_format(self.end_date, 'SHORT_DATE_FORMAT')}"
        return start

    @property
    def application_deadline(self):
        """The last day the application may reach the authority (Decision 06/2020/QĐ-TTg):
        30 days before the opening, 40 when the Prime Minister decides; None without an opening date."""
        return rules.application_deadline(self.start_date, self.authority == Authority.PRIME_MINISTER)

    @property
    def application_late(self):
        """True when the application was sent after its deadline."""
        deadline = self.application_deadline
        return bool(deadline and self.application_date and self.application_date > deadline)

    @property
    def report_deadline(self):
        return rules.report_deadline(self.start_date, self.end_date)

    def clean(self):
        super().clean()
        errors = {}
        if self.end_date and not self.start_date:
            errors["start_date"] = _("Enter the opening date as well as the closing date.")
        elif self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The closing date cannot be before the opening date.")
        if (
            self.foreign_participants is not None
            and self.total_participants is not None
            and self.foreign_participants > self.total_participants
        ):
            errors["foreign_participants"] = _("There cannot be more foreign participants than participants.")
        if self.start_date and self.application_date and self.application_date > self.start_date:
            errors["application_date"] = _("The application must be sent before the opening.")
        if self.start_date and self.decision_date and self.decision_date > self.start_date:
            errors["decision_date"] = _("The decision permitting the event cannot be dated after its opening.")
        elif self.application_date and self.decision_date and self.decision_date < self.application_date:
            errors["decision_date"] = _("The decision cannot come before the application.")
        last_day = self.end_date or self.start_date
        if self.report_date and (last_day is None or self.report_date < last_day):
            errors["report_date"] = _("The report cannot be sent before the event has ended.")
        if errors:
            raise ValidationError(errors)


class ConsultationQuerySet(models.QuerySet):
    def unanswered_since(self, day):
        """Consultations asked on or before ``day`` and still unanswered."""
        return self.filter(answered_on__isnull=True, asked_on__lte=day)


class Consultation(models.Model):
    """An agency asked for its opinion on a conference (the Ministry of Foreign
    Affairs, Public Security, the border guard...), which answers within 15 days."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="consultations"
    )
    agency = models.CharField(_("agency consulted"), max_length=300)
    asked_on = models.DateField(_("asked on"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    objects = ConsultationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["asked_on", "pk"]
        indexes = [
            # For the due list: the consultations still unanswered, oldest question first.
            models.Index(
                fields=["asked_on"], condition=models.Q(answered_on__isnull=True), name="consultation_open_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_on__isnull=True) | models.Q(answered_on__gte=models.F("asked_on")),
                name="consultation_answer_after_question",
            ),
        ]

    def __str__(self):
        return f"{self.agency} ({self.asked_on:%d/%m/%Y})"

    @property
    def answer_deadline(self):
        return rules.consultation_deadline(self.asked_on)

    def clean(self):
        super().clean()
        if self.asked_on and self.answered_on and self.answered_on < self.asked_on:
            raise ValidationError({"answered_on": _("The answer cannot come before the question.")})
