"""Template filters for Vietnamese forms of numbers, money and dates.

{% load vn %}
{{ project.committed_vnd|vnd }}            -> 134.525.000 ₫
{{ figure.value|amount:figure.unit }}      -> 224,5 triệu USD
{{ delegation.start_date|partial_date:delegation.date_precision }} -> tháng 10/2011
"""

from urllib.parse import urlsplit

from django import template

from lang_son_affairs.lib import formatting

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
