"""Agreements that expire soon, as due items of their province's staff, approvers
and officials, and agreements' signing and expiry days on the calendars
(duties/registry.py). One query each."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementStatus
from common.html_rows import detail_url
from common.partial_dates import DatePrecision
from duties.registry import CalendarEvent, DueItem
from offices.scope import records_of

# How far ahead an agreement's expiry is a due item (issue 19: "agreements expiring within 90 days").
EXPIRY_WARNING_DAYS = 90
# Lines at most: a national user reads every province's.
CAP = 200
KIND = _("Agreements expiring")
BINDING = (AgreementStatus.SIGNED, AgreementStatus.IN_FORCE)
# An expiry day on the calendar: not of one ended early (terminated, superseded).
EXPIRY_SHOWN = (*BINDING, AgreementStatus.EXPIRED)


def due_items(user, today):
    if not getattr(user, "is_authenticated", False) or not user.has_perm("agreements.view_agreement"):
        return []
    expiring = records_of(Agreement.objects.all(), user).filter(
        status__in=BINDING,
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=EXPIRY_WARNING_DAYS),
    )
    rows = expiring.order_by("expires_on", "pk").only("pk", "title", "expires_on", "province")[:CAP]
    return [
        DueItem(
            key=f"agreement:{agreement.pk}:expiry",
            kind=KIND,
            title=_gettext("Expires: %(title)s") % {"title": agreement.title},
            url=reverse("agreements:detail", args=[agreement.pk]),
            due_on=agreement.expires_on,
            stage="expiring",
            province=agreement.province_id,
        )
        for agreement in rows
    ]


def calendar_events(user, start, end):
    """The signing and the expiry of the agreements ``user`` may read (``None``: the
    published ones, of the province the page shows) that fall between ``start`` and ``end``."""
    if user is None:
        agreements = Agreement.objects.published()
    elif getattr(user, "is_authenticated", False) and user.has_perm("agreements.view_agreement"):
        agreements = records_of(Agreement.objects.all(), user)
    else:
        return []
    signed = agreements.filter(signed_on__gte=start, signed_on__lte=end, date_precision=DatePrecision.DAY)
    expiring = agreements.filter(expires_on__gte=start, expires_on__lte=end, status__in=EXPIRY_SHOWN)
    rows = (signed | expiring).only("pk", "title", "signed_on", "expires_on", "status", "province", "date_precision")
    events = []
    # One reverse for the thousand rows a feed may hold (each row's own took 0,1 ms).
    detail = detail_url("agreements:detail")
    for agreement in rows.order_by("pk")[: CAP * 5]:
        url = detail(agreement.pk)
        host = f"{agreement.province_id}.register"
        exact = agreement.signed_on is not None and agreement.date_precision == DatePrecision.DAY
        if exact and start <= agreement.signed_on <= end:
            events.append(
                CalendarEvent(
                    uid=f"agreement-{agreement.pk}-signed@{host}",
                    summary=_gettext("Agreement signed: %(title)s") % {"title": agreement.title},
                    start=agreement.signed_on,
                    end=agreement.signed_on,
                    url=url,
                    category="agreement",
                )
            )
        if agreement.expires_on and agreement.status in EXPIRY_SHOWN and start <= agreement.expires_on <= end:
            events.append(
                CalendarEvent(
                    uid=f"agreement-{agreement.pk}-expiry@{host}",
                    summary=_gettext("Agreement expires: %(title)s") % {"title": agreement.title},
                    start=agreement.expires_on,
                    end=agreement.expires_on,
                    url=url,
                    category="deadline",
                )
            )
    return events
