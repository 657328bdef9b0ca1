"""Template filters for Vietnamese forms of numbers, money and dates.

{% load vn %}
{{ project.committed_vnd|vnd }}            -> 134.525.000 ₫
{{ figure.value|amount:figure.unit }}      -> 224,5 triệu USD
{{ delegation.start_date|partial_date:delegation.date_precision }} -> tháng 10/2011
"""

from urllib.parse import urlsplit

from django import template

from common import formatting

register = template.Library()


@register.filter
def number(value):
    return formatting.number(value)


@register.filter
def vnd(value):
    return formatting.vnd(value)


@register.filter
def amount(value, currency):
    return formatting.large_amount(value, currency)


@register.filter
def partial_date(value, precision):
    return formatting.partial_date(value, precision)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None removes one):
    pagination and sort links keep the filters."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def safe_url(value):
    """A link target only if it is a web address or a path of this site, else
    "" (a stored ``javascript:`` or ``data:`` URL must never become a link)."""
    text = str(value or "").strip()
    if text.startswith("/") and not text.startswith("//"):
        return text
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return ""
    return text if scheme in {"http", "https"} else ""


@register.filter
def shown_to(obj, user):
    """``obj`` (a partner, unit, mechanism or source a record links to) when ``user``
    may see it, else None: ``{% with unit=delegation.host_unit|shown_to:request.user %}``."""
    from register.publishable import shown_to as visible

    return visible(user, obj)


@register.filter
def visible_to(objects, user):
    """The items of ``objects`` (a record's partners, prefetched) that ``user`` may
    see, in their order; no query."""
    from register.publishable import shown_to as visible

    return [obj for obj in objects if visible(user, obj) is not None]


@register.filter
def participants_visible_to(participants, user):
    """A project's participants whose partner or local unit ``user`` may see; no query."""
    from register.publishable import shown_to as visible

    return [p for p in participants if visible(user, p.partner or p.local_unit) is not None]


@register.filter
def province_name(code):
    """ "Cao Bằng" for "04": the name of the province of a record's ``province_id``, from the
    cached office profiles (offices/profile.py), without a query once read."""
    from offices.profile import profile_for

    profile = profile_for(code) if code else None
    return profile.province_name if profile is not None else code or ""


@register.filter
def person(user):
    """{{ user|person }} -> Nguyễn Thị Phương Thảo (family name first; the username when no name is recorded)."""
    return formatting.person_name(user)
