"""What the register's machinery keeps: every transition of a record's review
state (who, when, from what to what, why), the sightings of an undeclared proxy,
the import jobs and the saved mappings of the offices' lists. The register's
records themselves live in the record apps; the province a user works for in
offices (StaffProfile)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from common.storage import generated_upload_path
from register.publishable import ReviewState

# The longest reason a transition keeps (a paragraph or two, not a document).
REASON_MAX_LENGTH = 1000


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted for review")
    APPROVE = "approve", _("Approved")
    PUBLISH = "publish", _("Published")
    UNPUBLISH = "unpublish", _("Unpublished")
    RETURN = "return", _("Returned to draft")


class ReviewTransition(models.Model):
    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("record number"))
    record = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=10, choices=ReviewAction.choices)
    from_state = models.CharField(_("from"), max_length=12, choices=ReviewState.choices)
    to_state = models.CharField(_("to"), max_length=12, choices=ReviewState.choices)
    published = models.BooleanField(_("published afterwards"))
    reason = models.TextField(_("reason"), blank=True, max_length=REASON_MAX_LENGTH)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="review_transitions"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review transition")
        verbose_name_plural = _("review transitions")
        ordering = ["-at", "-pk"]
        permissions = [("review_records", _("Can approve, publish, unpublish and return records to draft"))]
        indexes = [
            # For a record's review history, newest first.
            models.Index(fields=["content_type", "object_id", "-at"], name="reviewtransition_record_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(action__in=ReviewAction.values), name="transition_action_valid"),
            models.CheckConstraint(
                condition=~models.Q(action=ReviewAction.RETURN) | ~models.Q(reason=""),
                name="transition_return_has_reason",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("reason"), REASON_MAX_LENGTH), name="transition_reason_length"
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%d/%m/%Y %H:%M}"


class ProxySighting(models.Model):
    """One row, written when a request arrived through a proxy (it carried
    X-Forwarded-For) while DJANGO_PROXY_COUNT was 0: every visitor then shares
    the proxy's address for login throttling. `manage.py check --deploy`,
    which cannot see requests, warns from it (register/checks.py)."""

    seen_at = models.DateTimeField(_("seen at"), auto_now=True)
    remote_addr = models.CharField(_("address of the proxy"), max_length=100, blank=True)
    forwarded_for = models.CharField(_("X-Forwarded-For header"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("request through an undeclared proxy")
        verbose_name_plural = _("requests through an undeclared proxy")

    def __str__(self):
        return f"{self.remote_addr} · {self.forwarded_for}"


def import_file_path(job, filename):
    # Kept under media/imports/, a folder register/media.py never serves.
    return generated_upload_path("imports", filename)


class ImportJob(models.Model):
    """A large admin import, previewed and then saved by the worker
    (``manage.py run_jobs``, register/import_jobs.py) instead of inside a request.

    One row per uploaded file: its preview step, then, once the clerk
    confirms, its save step. ``saved_rows`` counts the data rows committed so
    far, in file order, so that a save stopped by a bad batch or a worker
    stopping resumes at the first row not saved."""

    class Step(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        SAVE = "save", _("Save")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Stopped")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="import_jobs"
    )
    model = models.CharField(_("kind of record"), max_length=100, help_text="app_label.model_name")
    resource = models.PositiveSmallIntegerField(_("what the file holds"), default=0)
    file = models.FileField(_("file"), upload_to=import_file_path, max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    file_kind = models.CharField(_("format"), max_length=4)
    language = models.CharField(_("language"), max_length=10, default="vi")
    step = models.CharField(_("step"), max_length=8, choices=Step.choices, default=Step.PREVIEW)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    done_rows = models.PositiveIntegerField(_("rows done"), default=0)
    saved_rows = models.PositiveIntegerField(_("rows saved"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # For the worker's claim of the oldest waiting job.
            models.Index(fields=["status", "created_at"], name="importjob_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(step__in=["preview", "save"]), name="importjob_step_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "done", "failed"]), name="importjob_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(saved_rows__lte=models.F("total_rows")), name="importjob_saved_le_total"
            ),
        ]

    def __str__(self):
        return f"{self.file_name} · {self.get_step_display()} · {self.get_status_display()}"

    @property
    def finished(self):
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self):
        return min(100, round(100 * self.done_rows / self.total_rows)) if self.total_rows else 0


class SheetMapping(models.Model):
    """A mapping of an office's list saved under a name ("Danh sách đoàn ra — mẫu
    Phòng Hợp tác quốc tế"): which register field each heading means, and what the
    words of its choice columns mean. A file with the same headings uses it at once
    (register/office_import/engine.py)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of record"), max_length=20)
    signature = models.TextField(_("headings"), help_text=_("The file's headings, folded, in order."))
    columns = models.JSONField(_("columns"), default=dict, help_text=_("Heading (folded) → field."))
    values = models.JSONField(_("values"), default=dict, blank=True)
    defaults = models.JSONField(_("defaults"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("saved import mapping")
        verbose_name_plural = _("saved import mappings")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="sheetmapping_name_unique")]

    def __str__(self):
        return self.name

    @classmethod
    def matching(cls, kind, headings):
        from register.office_import.plans import signature

        return cls.objects.filter(kind=kind, signature=signature(headings)).order_by("-updated_at").first()

    def columns_for(self, headings):
        """{column letter: field} for a file's headings."""
        from register.office_import.fields import heading_key
        from register.office_import.reading import column_letter

        return {
            column_letter(index): self.columns[heading_key(heading)]
            for index, heading in enumerate(headings)
            if heading_key(heading) in self.columns
        }
