"""The due list, the month calendar, the iCalendar feeds and the page where a
user makes and revokes their feed's secret address."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from duties import feeds, lines, month
from duties.models import CalendarToken
from duties.registry import calendar_events_for, due_items_for
from offices.site_scope import shown_profile


@login_required
@require_GET
def due_list(request):
    """Việc cần làm: what the signed-in user's role acts on in their province."""
    today = lines.today()
    shown = lines.due_lines_for(request.user, today)
    return render(
        request,
        "duties/due_list.html",
        {"groups": lines.grouped(shown), "count": len(shown), "today": today},
    )


@require_GET
def month_calendar(request):
    """A month's grid: a signed-in user's events and deadlines; a visitor's, the published events."""
    today = lines.today()
    first = month.parse_month(request.GET.get("month"), today)
    start, end = month.grid_bounds(first)
    user = request.user if request.user.is_authenticated else None
    events = calendar_events_for(user, start, end)
    if user is not None:
        events = feeds.with_deadlines(events, due_items_for(user, today), start, end)
    previous, following = month.neighbours(first)
    return render(
        request,
        "duties/month.html",
        {
            "first": first,
            "month_name": MONTHS[first.month],
            "weekdays": [WEEKDAYS[day] for day in range(7)],
            "weeks": month.weeks_of(first, events, today),
            "previous": previous,
            "following": following,
            "this_month": today.replace(day=1),
            "event_count": len(events),
        },
    )


def _ics_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def user_feed(request, token):
    """A user's calendar at its secret address; a revoked or unknown one is a 404."""
    found = CalendarToken.objects.active().select_related("user").filter(token=token).first()
    if found is None:
        raise Http404("No such calendar.")
    user = found.user
    events = feeds.user_events(user, lines.today())
    name = feeds.calendar_name(shown_profile(user), user)
    return _ics_response(feeds.ics(events, name, request.build_absolute_uri), "calendar.ics")


@require_GET
def public_feed(request):
    """The published upcoming records of the province the address shows (/p/<code>/calendar/public.ics).

    It is the same for every visitor of that province on a day, and the calendar programs subscribed
    to it ask again every few minutes, while writing it costs about a millisecond an event (the
    ``icalendar`` package; a national register's feed holds a thousand): a process keeps it for
    ``PUBLIC_FEED_CACHE_SECONDS``, by province, day, language and host (its links are full addresses)."""
    today = lines.today()
    profile = shown_profile(None)
    key = f"duties:public-feed:{profile.province_code}:{today}:{get_language()}:{request.get_host()}"
    body = cache.get(key)
    if body is None:
        name = feeds.calendar_name(profile)
        body = feeds.ics(feeds.public_events(today), name, request.build_absolute_uri)
        if settings.PUBLIC_FEED_CACHE_SECONDS > 0:
            cache.set(key, body, settings.PUBLIC_FEED_CACHE_SECONDS)
    response = _ics_response(body, "public.ics")
    # Published records only: any cache on the way may keep it as long as this process does.
    response["Cache-Control"] = f"public, max-age={settings.PUBLIC_FEED_CACHE_SECONDS}"
    return response


@login_required
@require_GET
def feed_settings(request):
    token = CalendarToken.objects.filter(user=request.user, revoked_at__isnull=True).first()
    feed_url = request.build_absolute_uri(reverse("duties:feed", args=[token.token])) if token else ""
    return render(
        request,
        "duties/feed_settings.html",
        {
            "token": token,
            "feed_url": feed_url,
            "public_url": request.build_absolute_uri(reverse("duties:public_feed")),
            "revoked": CalendarToken.objects.filter(user=request.user, revoked_at__isnull=False)[:10],
        },
    )


@login_required
@require_POST
def feed_create(request):
    """A new secret address; the one in use, if any, is revoked with it."""
    now = timezone.now()
    try:
        with transaction.atomic():
            CalendarToken.objects.filter(user=request.user, revoked_at__isnull=True).update(revoked_at=now)
            CalendarToken.objects.create(user=request.user)
    except IntegrityError:  # two clicks at once: the other one made it
        messages.error(request, _("The address was not made: try again."))
        return redirect("duties:feed_settings")
    messages.success(request, _("A new calendar address was made. Any older address no longer works."))
    return redirect("duties:feed_settings")


@login_required
@require_POST
def feed_revoke(request):
    revoked = CalendarToken.objects.filter(user=request.user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked:
        messages.success(request, _("The calendar address was revoked: calendars that read it get nothing more."))
    return redirect("duties:feed_settings")


def admin_lines(user, limit=10):
    """(the first ``limit`` lines, how many in all) for the admin's front page."""
    today = lines.today()
    shown = lines.lines_of(due_items_for(user, today), today)
    return shown[:limit], len(shown)
