"""Delegations: who went where, who came, how many, when, and why."""

import io
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps
from simple_history.models import HistoricalRecords

from common.files import PHOTO_FORMATS, inspect_photo, validate_photo
from common.formatting import number
from common.pagination import keyset_index, keyset_indexes
from common.partial_dates import DatePrecision, format_partial_date, partial_date_constraints
from common.storage import generated_upload_path
from common.title_sort import TitleSortedModel, TitleSortedQuerySet
from delegations.stage_fields import StagedModel, stage_constraints
from offices.records import ProvinceRecord
from partners.involving import records_involving
from partners.models import CooperationMechanism, LocalUnit, Partner
from register.publishable import (
    PublishableModel,
    PublishableQuerySet,
    public_only_when_approved,
    review_state_constraint,
)
from register.versions import VersionedModel


class Direction(models.TextChoices):
    OUTBOUND = "out", _("Outbound (đoàn ra)")
    INBOUND = "in", _("Inbound (đoàn vào)")
    DOMESTIC = "domestic", _("Central or provincial leaders' working visit")
    # Talks held at the border line or a border gate: neither side travels to the other.
    BORDER = "border", _("Border talks (at the border or a border gate)")


class Purpose(models.TextChoices):
    OFFICIAL_VISIT = "official_visit", _("Official visit")
    WORKING_VISIT = "working_visit", _("Working visit")
    CONFERENCE = "conference", _("Conference or seminar")
    TRADE_PROMOTION = "trade_promotion", _("Trade and investment promotion")
    SURVEY = "survey", _("Survey")
    TRAINING = "training", _("Training")
    STUDY_TOUR = "study_tour", _("Study tour")
    CULTURE_SPORT = "culture_sport", _("Culture or sport exchange")
    BORDER_AFFAIRS = "border_affairs", _("Border affairs")
    OTHER = "other", _("Other")


class Level(models.TextChoices):
    STATE = "state", _("Party and State leaders")
    CENTRAL = "central", _("Ministry or central body")
    PROVINCIAL = "provincial", _("Provincial leaders")
    DEPARTMENT = "department", _("Department")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune or border post")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    APPROVED = "approved", _("Approved")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Funding(models.TextChoices):
    STATE_BUDGET = "state_budget", _("State budget")
    HOST = "host", _("Paid by the host")
    PROJECT = "project", _("Project or sponsor")
    SELF = "self", _("Self-funded")
    MIXED = "mixed", _("Mixed")
    OTHER = "other", _("Other")


class DelegationQuerySet(TitleSortedQuerySet, PublishableQuerySet):
    def in_period(self, start, end):
        """Delegations that began within [start, end]."""
        return self.filter(start_date__gte=start, start_date__lte=end)

    def involving(self, partner):
        """Delegations with ``partner`` or any locality under it among their partners
        (Guangxi includes Sùng Tả, Bằng Tường, Ninh Minh): one EXISTS on the link
        table, so a delegation with two matching partners is still one row."""
        return records_involving(self, self.model.partners.through.objects.all(), "delegation", partner)

    def in_country(self, code):
        """Delegations with at least one partner in the country (ISO 3166 code)."""
        links = self.model.partners.through.objects.filter(delegation=OuterRef("pk"), partner__country=code.upper())
        return self.filter(Exists(links))

    def with_list_relations(self):
        """What a list row shows: the host unit joined, the partners in one
        extra query for the whole page."""
        return self.select_related("host_unit").prefetch_related("partners")


class Delegation(ProvinceRecord, TitleSortedModel, PublishableModel, VersionedModel, StagedModel):
    # A staff member limited to a unit works on the records whose host_unit is in it.
    UNIT_SCOPE = "host_unit"
    SEARCH_FIELDS = ("title", "leader_name", "leader_title", "places", "received_by", "decision_ref", "outcome")
    # Shown to the precision of ``date_precision`` (date_display, the history).
    PARTIAL_DATES = ("start_date", "end_date")

    direction = models.CharField(
        _("direction"),
        max_length=8,
        choices=Direction.choices,
        blank=True,
        help_text=_("Leave blank only when the source does not say which side hosted."),
    )
    title = models.CharField(_("title"), max_length=300)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.WORKING_VISIT)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("precision of the dates"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("Articles often give only the month (tháng 10/2011) or the year."),
    )
    partners = models.ManyToManyField(Partner, verbose_name=_("partners"), blank=True, related_name="delegations")
    host_unit = models.ForeignKey(
        LocalUnit,
        verbose_name=_("host or sending unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
    )
    leader_name = models.CharField(_("head of delegation"), max_length=200, blank=True)
    leader_title = models.CharField(_("position of the head"), max_length=300, blank=True)
    size = models.PositiveIntegerField(
        _("number of persons"),
        null=True,
        blank=True,
        help_text=_(
            "As the source states it; leave blank when it does not say. The members listed below are "
            "those known by name, and may be fewer."
        ),
    )
    places = models.CharField(_("places visited"), max_length=500, blank=True)
    received_by = models.CharField(
        _("received by"), max_length=500, blank=True, help_text=_("Who received the delegation, or whom it met.")
    )
    mechanism = models.ForeignKey(
        CooperationMechanism,
        verbose_name=_("cooperation mechanism"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
    )
    decision_ref = models.CharField(_("decision number"), max_length=100, blank=True)
    # The annual plan's line this outbound delegation carries out; none: outside the plan
    # (planning/linking.py). PROTECT: a plan line carried out is cancelled, not deleted.
    plan_line = models.ForeignKey(
        "planning.PlanLine",
        verbose_name=_("line of the annual plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
        help_text=_("Leave blank for a delegation outside the plan (ngoài kế hoạch)."),
    )
    funding = models.CharField(_("funding"), max_length=12, choices=Funding.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.COMPLETED)
    outcome = models.TextField(_("outcome"), blank=True)

    objects = DelegationQuerySet.as_manager()

    _history_m2m_fields = ["partners"]

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-start_date", "-pk"]
        indexes = [
            # The admin index's queue (register/review.py waiting_counts): the records in
            # review, counted from this small index whatever the table's size.
            models.Index(
                fields=["review_state"],
                condition=models.Q(review_state__in=["draft", "submitted"]),
                name="delegation_in_review_idx",
            ),
            # For the period report and the lists: delegations of one direction by date.
            models.Index(fields=["direction", "start_date"], name="delegation_direction_date_idx"),
            # For the date filters.
            models.Index(fields=["start_date"], name="delegation_start_idx"),
            # For the list's default order (newest first) and its cursor pages.
            keyset_index("start_date", models.DateField(), name="delegation_list_newest_idx"),
            # For the dashboard's latest records: ORDER BY created_at DESC, id DESC LIMIT n.
            models.Index(fields=["-created_at", "-id"], name="delegation_latest_idx"),
            # For the list filtered by direction (and a year or dates): its pages and its count.
            keyset_index("start_date", models.DateField(), name="delegation_list_direction_idx", leading=["direction"]),
            # For the list sorted by title (A–Z, Vietnamese order) and its cursor pages.
            models.Index(fields=["title_sort", "id"], name="delegation_list_title_idx"),
            # The same three orders within one province (a province's users, its /p/<code>/ pages):
            # its rows come first in the index, not one in six among every province's.
            keyset_index("start_date", models.DateField(), name="delegation_prov_newest_idx", leading=["province"]),
            keyset_index(
                "start_date", models.DateField(), name="delegation_prov_dir_idx", leading=["province", "direction"]
            ),
            models.Index(fields=["province", "title_sort", "id"], name="delegation_prov_title_idx"),
            # For the due list and the calendars (delegations/due.py): a province's delegations back home
            # whose result report is awaited, by return date.
            models.Index(
                fields=["province", "returned_on"], condition=models.Q(stage="returned"), name="delegation_awaited_idx"
            ),
            # The list's other orders (oldest first; largest and smallest first), everywhere and within
            # one province: each order reads its first page, and a cursor page, off its own index.
            *keyset_indexes(
                "start_date",
                models.DateField(),
                names=("delegation_list_oldest_idx", "delegation_prov_oldest_idx"),
                descending=False,
            ),
            *keyset_indexes(
                "size", models.IntegerField(), names=("delegation_list_largest_idx", "delegation_prov_largest_idx")
            ),
            *keyset_indexes(
                "size",
                models.IntegerField(),
                names=("delegation_list_smallest_idx", "delegation_prov_smallest_idx"),
                descending=False,
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | (models.Q(start_date__isnull=False) & models.Q(end_date__gte=models.F("start_date"))),
                name="delegation_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(size__isnull=True) | models.Q(size__gte=0), name="delegation_size_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=[*Direction.values, ""]), name="delegation_direction_valid"
            ),
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="delegation_status_valid"),
            models.CheckConstraint(
                condition=models.Q(date_precision__in=DatePrecision.values), name="delegation_precision_valid"
            ),
            *partial_date_constraints("delegation", ("start_date", "end_date")),
            review_state_constraint("delegation"),
            public_only_when_approved("delegation"),
            *stage_constraints("delegation"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("delegations:detail", args=[self.pk])

    def stamp_province(self):
        """What ``save()`` does before it writes, and an import's bulk insert repeats
        (register/import_bulk.py ``prepare``): the province, and the stage kept in step with
        the status a writer may have set alone (delegations/stage_fields.py). Not an
        override of ``save()``, which would keep imports from writing in bulk."""
        self.sync_stage_with_status()
        super().stamp_province()

    @property
    def date_display(self):
        start = format_partial_date(self.start_date, self.date_precision)
        if self.end_date and self.end_date != self.start_date:
            return f"{start} – {format_partial_date(self.end_date, self.date_precision)}"
        return start

    def clean(self):
        super().clean()
        if self.end_date and not self.start_date:
            raise ValidationError({"start_date": _("Enter the start date as well as the end date.")})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        self.clean_stage()
        from planning.linking import plan_line_errors

        if errors := plan_line_errors(self):
            raise ValidationError(errors)


def persons_summary(size, named):
    """A delegation's persons in words, for staff: the size typed, or "unknown",
    with how many of them are known by name (the member list). The reports count
    only the size; the list is never a stand-in for it."""
    if size is None:
        if not named:
            return _("unknown")
        return _("unknown (%(named)s known by name)") % {"named": number(named)}
    if not named:
        return number(size)
    return _("%(size)s, %(named)s known by name") % {"size": number(size), "named": number(named)}


class DelegationMember(models.Model):
    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=300, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    is_leader = models.BooleanField(_("head of delegation"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        ordering = ["delegation", "-is_leader", "order", "pk"]
        indexes = [
            # The article reader's review screen: the delegations a person named in an article was a member of.
            models.Index(fields=["name"], name="delegationmember_name_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["delegation"],
                condition=models.Q(is_leader=True),
                name="delegationmember_one_leader",
                violation_error_message=_("This delegation already has a head."),
            ),
        ]

    def __str__(self):
        return self.name


def _photo_upload(instance, filename):
    # The extension follows what Pillow found inside the file, not its name.
    extension = PHOTO_FORMATS[inspect_photo(instance.image)]
    return generated_upload_path("photos", filename, extension=extension)


def _thumbnail_upload(instance, filename):
    return generated_upload_path("photos/thumbs", filename, extension=".jpg")


class DelegationPhoto(models.Model):
    THUMBNAIL_SIZE = (480, 360)

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=_photo_upload, validators=[validate_photo], max_length=200)
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to=_thumbnail_upload, blank=True, editable=False, max_length=200
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("photo credit"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["delegation", "order", "pk"]

    def __str__(self):
        return self.caption or os.path.basename(self.image.name)

    def save(self, *args, **kwargs):
        # The thumbnail belongs to this row: made once, when the image is new.
        if self.image and not self.thumbnail:
            self.thumbnail.save("thumb.jpg", self._make_thumbnail(), save=False)
        super().save(*args, **kwargs)

    def _make_thumbnail(self):
        inspect_photo(self.image)
        self.image.seek(0)
        with Image.open(self.image) as img:
            img = ImageOps.exif_transpose(img)
            img.thumbnail(self.THUMBNAIL_SIZE)
            if img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            out = io.BytesIO()
            img.save(out, "JPEG", quality=82, optimize=True)
        self.image.seek(0)
        return ContentFile(out.getvalue())
