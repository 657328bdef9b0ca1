"""The daily digest of due items by e-mail (``manage.py send_reminders``).

Each user with an e-mail address gets at most one mail a day, listing the due
items they have not been mailed about at their present stage. The
``ReminderSent`` rows of a digest are written in the transaction that sends
it, before the mail leaves: a mail that fails to go rolls them back (it is
tried again on the next run), and a second run, even at the same time,
finds them (the unique constraint refuses a second row) and mails nothing."""

import dataclasses

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext

from duties.lines import grouped, lines_of
from duties.models import ReminderSent
from duties.registry import due_items_for
from offices.scope import office_of


@dataclasses.dataclass
class Digest:
    user: object
    lines: list

    @property
    def items(self):
        return [line.item for line in self.lines]


def recipients():
    """Active users with an e-mail address, in a stable order (one query)."""
    return get_user_model().objects.filter(is_active=True).exclude(email="").order_by("pk")


def digest_for(user, today):
    """The lines not yet mailed to ``user`` (the providers' queries, and one for what was sent)."""
    items = due_items_for(user, today)
    if not items:
        return None
    sent = set(ReminderSent.objects.filter(user=user, key__in=[item.key for item in items]).values_list("key", "stage"))
    fresh = [item for item in items if (item.key, item.stage) not in sent]
    # The same (key, stage) twice in one list (two providers' lines cannot share a key; a guard all the same).
    unique = list({(item.key, item.stage): item for item in fresh}.values())
    return Digest(user, lines_of(unique, today)) if unique else None


def message_for(digest, today, absolute):
    """The digest as a mail, in Vietnamese (the site's language), plain text and HTML."""
    office = office_of(digest.user)
    with translation.override(settings.LANGUAGE_CODE):
        count = len(digest.lines)
        subject = ngettext("[Work due] %(n)s item on %(date)s", "[Work due] %(n)s items on %(date)s", count) % {
            "n": count,
            "date": today.strftime("%d/%m/%Y"),
        }
        context = {
            "user": digest.user,
            "groups": [
                (kind, [(line, absolute(line.item.url)) for line in lines]) for kind, lines in grouped(digest.lines)
            ],
            "today": today,
            "office_name": office.shown_office_name if office is not None else "",
            "due_list_url": absolute("/due/"),
        }
        text = render_to_string("duties/reminder_email.txt", context)
        html = render_to_string("duties/reminder_email.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [digest.user.email])
    message.attach_alternative(html, "text/html")
    return message


def send_digest(digest, today, absolute):
    """Record the digest's items as mailed and send it, all or nothing."""
    with transaction.atomic():
        ReminderSent.objects.bulk_create(
            [
                ReminderSent(user=digest.user, key=item.key, stage=item.stage, due_on=item.due_on)
                for item in digest.items
            ]
        )
        message_for(digest, today, absolute).send(fail_silently=False)


def site_address():
    """The address links in a mail start with (settings.SITE_URL), without a trailing slash."""
    return settings.SITE_URL.rstrip("/")


def describe(digest):
    return f"{digest.user.get_username()} <{digest.user.email}>: {len(digest.lines)} items"
