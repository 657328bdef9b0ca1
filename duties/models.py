"""What the duties app keeps of its own: the reminders already mailed, and the
secret addresses of the users' calendar feeds."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderSent(models.Model):
    """One due item mailed to one user at one stage: ``send_reminders`` mails a
    (user, key, stage) once, whatever the day it runs again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="reminders_sent"
    )
    key = models.CharField(_("item"), max_length=200)
    stage = models.CharField(_("stage"), max_length=40)
    due_on = models.DateField(_("due on"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            # Its index also answers "which of today's items has this user been mailed about" (send_reminders).
            models.UniqueConstraint(fields=["user", "key", "stage"], name="remindersent_once_per_stage"),
        ]

    def __str__(self):
        return f"{self.key} · {self.stage}"


def new_token():
    return secrets.token_urlsafe(32)


class CalendarTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class CalendarToken(models.Model):
    """The secret in a user's calendar feed address (/calendar/<token>.ics): whoever
    holds it reads the user's calendar without signing in, until it is revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    # Unique, so the feed's lookup by token reads the constraint's index.
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = CalendarTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(token=""), name="calendartoken_token_not_blank"),
            # A user has at most one feed address in use; revoking it makes room for a new one.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="calendartoken_one_active_per_user"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.created:%d/%m/%Y}"
