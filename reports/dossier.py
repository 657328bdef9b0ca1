"""A partner's dossier: its names, its place in the hierarchy, and on one
timeline everything that involves it or any locality under it."""

from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lang_son_affairs.templatetags.vn import safe_url
from partners.models import Partner
from reports.selectors_dossier import partner_dossier


def timeline_item(item, not_published):
    """One ``<li>`` of the timeline. Written in Python, not by a template loop: a
    province's timeline has 150 items and the loop was a fifth of the page."""
    badges = format_html_join("", ' <span class="badge badge--{}">{}</span>', ((m, label) for label, m in item.badges))
    if not item.is_published:
        badges += not_published
    url = safe_url(item.url)
    if url:
        rel = mark_safe(' rel="noopener noreferrer"') if item.kind == "figure" else ""
        title = format_html('<a href="{}"{}>{}</a>', url, rel, item.title)
    else:
        title = format_html("{}", item.title)
    return format_html(
        '<li class="timeline__item timeline__item--{}">{}\n<span class="badge badge--kind">{}</span>{}\n'
        '<div class="timeline__title">{}</div>{}</li>',
        item.kind,
        format_html('<span class="timeline__date">{}</span>', item.date_display) if item.date else "",
        item.kind_label,
        badges,
        title,
        format_html('\n<div class="timeline__detail muted">{}</div>', item.detail) if item.detail else "",
    )


def timeline(groups):
    """[(heading, the items' HTML)] for the template."""
    not_published = format_html(' <span class="badge badge--internal">{}</span>', _("Not published"))
    return [
        (heading, mark_safe("\n".join(timeline_item(item, not_published) for item in items)))  # noqa: S308 -- each item is built by format_html
        for heading, items in groups
    ]


def dossier(request, pk):
    """Partners are reference data: every dossier opens, but what it lists and
    counts is what the viewer may see. Queries: the partner, then the thirteen of
    partner_dossier()."""
    partner = get_object_or_404(Partner, pk=pk)
    record = partner_dossier(partner, request.user)
    return render(
        request,
        "reports/dossier.html",
        {"partner": partner, "dossier": record, "timeline": timeline(record.groups)},
    )
