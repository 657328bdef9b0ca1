"""What is due on international conferences (duties/registry.py): applications
whose deadline is near or past, consultations unanswered past their 15 days,
and post-event reports late or due within a week; and the conferences on the calendar.

Who gets items: the staff and approvers of the conference's province, who may
change conferences (and, for one limited to a unit, only that unit's: register/review.py
``unit_scope``). Officials only read, so they have nothing to do here; national users
and visitors neither. Four queries, whatever the number of conferences: the
user's unit (the staff profile), then one for each kind of item."""

import datetime

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from conferences import rules
from conferences.models import Authority, Conference, ConferenceStatus, Consultation
from duties.registry import CalendarEvent, DueItem
from offices.scope import is_national, office_of
from register.review import unit_scope

# The conferences the office no longer works on.
FINISHED = (ConferenceStatus.CANCELLED,)
# A post-event report is listed from this many days before it is due.
REPORT_WARNING_DAYS = 7


def _province_conferences(user):
    """The conferences ``user`` acts on, or None when they act on none."""
    if user is None or not user.is_authenticated or not user.is_active or is_national(user):
        return None
    if not user.has_perm("conferences.change_conference"):
        return None
    office = office_of(user)
    if office is None:
        return None
    conferences = Conference.objects.filter(province=office.province_code).exclude(status__in=FINISHED)
    units = unit_scope(user)
    if units is not None:
        conferences = conferences.filter(organiser__in=units)
    return conferences


def _day(value):
    return date_format(value, "SHORT_DATE_FORMAT")


def _application_items(conferences, today):
    """Conferences not yet opened with no application sent, whose deadline (30 days
    before the opening, 40 for the Prime Minister) is within the warning days or past."""
    warning = rules.days("CONFERENCE_APPLICATION_WARNING_DAYS")
    widest = max(rules.application_days(True), rules.application_days(False))
    rows = conferences.filter(
        application_date__isnull=True,
        start_date__gte=today,
        start_date__lte=today + datetime.timedelta(days=warning + widest),
    ).only("id", "title", "start_date", "authority", "province")
    items = []
    for conference in rows:
        deadline = conference.application_deadline
        if deadline > today + datetime.timedelta(days=warning):
            continue
        authority = _("the Prime Minister") if conference.authority == Authority.PRIME_MINISTER else _("the authority")
        items.append(
            DueItem(
                key=f"conference:{conference.pk}:application",
                kind=_("Conference application"),
                title=_("Send the application to %(authority)s: %(title)s (opens on %(opening)s)")
                % {"authority": authority, "title": conference.title, "opening": _day(conference.start_date)},
                url=conference.get_absolute_url(),
                due_on=deadline,
                stage="overdue" if deadline < today else "due_soon",
                province=conference.province_id,
            )
        )
    return items


def _consultation_items(conferences, today):
    """Consultations asked more than 15 days ago and still unanswered."""
    asked_by = today - datetime.timedelta(days=rules.days("CONFERENCE_CONSULTATION_DAYS") + 1)
    rows = (
        Consultation.objects.unanswered_since(asked_by)
        .filter(conference__in=conferences.values("pk"))
        .select_related("conference")
        .only("id", "agency", "asked_on", "conference__id", "conference__title", "conference__province")
        .order_by("asked_on", "pk")
    )
    return [
        DueItem(
            key=f"consultation:{consultation.pk}:answer",
            kind=_("Consultation on a conference"),
            title=_("No answer yet from %(agency)s, asked on %(asked)s: %(title)s")
            % {
                "agency": consultation.agency,
                "asked": _day(consultation.asked_on),
                "title": consultation.conference.title,
            },
            url=consultation.conference.get_absolute_url(),
            due_on=consultation.answer_deadline,
            stage="overdue",
            province=consultation.conference.province_id,
        )
        for consultation in rows
    ]


def _report_items(conferences, today):
    """Post-event reports not sent, due within a week or late, of the conferences whose
    application the office sent (those it followed through the procedure: a conference
    copied from an old article has no report to chase)."""
    report_days = rules.days("CONFERENCE_REPORT_DAYS")
    latest_end = today + datetime.timedelta(days=REPORT_WARNING_DAYS - report_days)
    ended = Q(end_date__isnull=False, end_date__lte=latest_end) | Q(end_date__isnull=True, start_date__lte=latest_end)
    rows = conferences.filter(ended, report_date__isnull=True, application_date__isnull=False).only(
        "id", "title", "start_date", "end_date", "province"
    )
    return [
        DueItem(
            key=f"conference:{conference.pk}:report",
            kind=_("Conference report"),
            title=_("Send the report on the event: %(title)s") % {"title": conference.title},
            url=conference.get_absolute_url(),
            due_on=conference.report_deadline,
            stage="overdue" if conference.report_deadline < today else "due_soon",
            province=conference.province_id,
        )
        for conference in rows
    ]


def due_items(user, today):
    conferences = _province_conferences(user)
    if conferences is None:
        return []
    return [
        *_application_items(conferences, today),
        *_consultation_items(conferences, today),
        *_report_items(conferences, today),
    ]


def calendar_events(user, start, end):
    """The conferences on at least one day of [start, end] that ``user`` may see
    (None: the public's, published ones only). One query."""
    conferences = Conference.objects.published() if user is None else Conference.objects.visible_to(user)
    rows = conferences.overlapping(start, end).exclude(status=ConferenceStatus.CANCELLED).order_by("start_date", "pk")
    return [
        CalendarEvent(
            uid=f"conference-{conference.pk}@{conference.province_id}.register",
            summary=conference.title,
            start=conference.start_date,
            end=conference.end_date or conference.start_date,
            url=conference.get_absolute_url(),
            description=conference.get_kind_display(),
            location=conference.place,
            category="conference",
        )
        for conference in rows.only("id", "title", "start_date", "end_date", "place", "kind", "province")
    ]
