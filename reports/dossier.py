"""A partner's dossier: its names, its place in the hierarchy, and on one
timeline everything that involves it or any locality under it."""

from django.shortcuts import get_object_or_404, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lang_son_affairs.templatetags.vn import safe_url
from partners.models import Partner
from reports.selectors_dossier import partner_dossier


def timeline_item(item, not_published):
    """One ``<li>`` of the timeline. Written in Python, not by a template loop: a
    province's timeline has 150 items and the loop was a fifth of the page. Every
    value is escaped here (``escape``), as the template would have."""
    badges = "".join(f' <span class="badge badge--{escape(m)}">{escape(label)}</span>' for label, m in item.badges)
    if not item.is_published:
        badges += not_published
    url = safe_url(item.url)
    if url:
        rel = ' rel="noopener noreferrer"' if item.kind == "figure" else ""
        title = f'<a href="{escape(url)}"{rel}>{escape(item.title)}</a>'
    else:
        title = escape(item.title)
    date = f'<span class="timeline__date">{escape(item.date_display)}</span>' if item.date else ""
    detail = f'\n<div class="timeline__detail muted">{escape(item.detail)}</div>' if item.detail else ""
    return (
        f'<li class="timeline__item timeline__item--{escape(item.kind)}">{date}\n'
        f'<span class="badge badge--kind">{escape(item.kind_label)}</span>{badges}\n'
        f'<div class="timeline__title">{title}</div>{detail}</li>'
    )


def timeline(groups):
    """[(heading, the items' HTML)] for the template."""
    not_published = f' <span class="badge badge--internal">{escape(_("Not published"))}</span>'
    return [
        (heading, mark_safe("\n".join(timeline_item(item, not_published) for item in items)))  # noqa: S308 -- escaped in timeline_item
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
