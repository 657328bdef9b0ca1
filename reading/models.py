"""What staff gave the article reader: the text as read (pasted, or taken out of a file), with
what they or the file said of it. The proposals are not stored: the reader is deterministic, so
the review screen reads the stored text again each time it is opened (reading/review.py)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from offices.records import ProvinceRecord
from sources.models import WEB_URL, Source


class ArticleReading(ProvinceRecord):
    text = models.TextField(_("text"), help_text=_("As read: the body the source keeps when the reading is accepted."))
    url = models.URLField(_("address (URL)"), max_length=500, blank=True, validators=[WEB_URL])
    title = models.CharField(_("title"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("read by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("read at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The source the accepted records cite."),
    )

    # What accepting made: [{"model": "delegations.delegation", "pk": 12, "cited": false}, ...] (reading/accept.py).
    outcome = models.JSONField(_("records made or cited"), default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("article reading")
        verbose_name_plural = _("article readings")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # For the list of one office's readings, newest first (the admin's change list).
            models.Index(fields=["province", "-created_at"], name="reading_prov_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="reading_text_not_blank"),
            models.CheckConstraint(
                condition=models.Q(url="")
                | models.Q(url__istartswith="http://")
                | models.Q(url__istartswith="https://"),
                name="reading_url_web_only",
            ),
            # Accepting makes or reuses the source the records cite: an accepted reading names it.
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(source__isnull=False),
                name="reading_accepted_has_source",
            ),
        ]

    def __str__(self):
        return self.title or self.text[:80]

    def get_absolute_url(self):
        return reverse("admin:reading_review", args=[self.pk])
