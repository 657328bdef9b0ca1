"""What the review workflow keeps: every transition of a record's review
state (who, when, from what to what, why), and the unit a staff member is
limited to. The register's records themselves live in the record apps."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from lang_son_affairs.lib.models import ReviewState

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


class StaffProfile(models.Model):
    """Limits a staff member to the records of one local unit (and the units under it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="staff_profile"
    )
    unit = models.ForeignKey(
        "partners.LocalUnit",
        verbose_name=_("limited to the unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Blank: the staff member works on the records of every unit."),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return str(self.user)


class ProxySighting(models.Model):
    """One row, written when a request arrived through a proxy (it carried
    X-Forwarded-For) while DJANGO_PROXY_COUNT was 0: every visitor then shares
    the proxy's address for login throttling. `manage.py check --deploy`,
    which cannot see requests, warns from it (lang_son_affairs/checks.py)."""

    seen_at = models.DateTimeField(_("seen at"), auto_now=True)
    remote_addr = models.CharField(_("address of the proxy"), max_length=100, blank=True)
    forwarded_for = models.CharField(_("X-Forwarded-For header"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("request through an undeclared proxy")
        verbose_name_plural = _("requests through an undeclared proxy")

    def __str__(self):
        return f"{self.remote_addr} · {self.forwarded_for}"
