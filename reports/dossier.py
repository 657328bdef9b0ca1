"""A partner's dossier: its names, its place in the hierarchy, and on one
timeline everything that involves it or any locality under it."""

from django.shortcuts import get_object_or_404, render
from django.utils.html import escape
from django.utils.translation import gettext as _

from common import html_rows
from partners.models import Partner
from register.templatetags.vn import safe_url
from reports.national import national_dates, national_view, partner_provinces
from reports.selectors_dossier import partner_dossier


def timeline_item(item, not_published):
    """One ``<li>`` of the timeline (a province's has 150: a template loop was a
    fifth of the page), each value escaped by the row writers."""
    badges = "".join(f" {html_rows.badge(label, modifier)}" for label, modifier in item.badges)
    if not item.is_published:
        badges += not_published
    url = safe_url(item.url)
    if url:
        title = html_rows.link(url, item.title, rel="noopener noreferrer" if item.kind == "figure" else "")
    else:
        title = escape(item.title)
    date = f'<span class="timeline__date">{escape(item.date_display)}</span>' if item.date else ""
    detail = f'\n<div class="timeline__detail muted">{escape(item.detail)}</div>' if item.detail else ""
    return (
        f'<li class="timeline__item timeline__item--{escape(item.kind)}">{date}\n'
        f"{html_rows.badge(item.kind_label, 'kind')}{badges}\n"
        f'<div class="timeline__title">{title}</div>{detail}</li>'
    )


def timeline(groups):
    """[(heading, the items' HTML)] for the template."""
    not_published = f" {html_rows.badge(_('Not published'), 'internal')}"
    return [
        (heading, html_rows.rows(timeline_item(item, not_published) for item in items)) for heading, items in groups
    ]


def dossier(request, pk):
    """A published partner's dossier opens for everyone, an unpublished one's for
    signed-in users only (a visitor gets 404); what it lists and counts is what
    the viewer may see. Queries: the partner, then the fifteen of
    partner_dossier()."""
    partner = get_object_or_404(Partner.objects.visible_to(request.user), pk=pk)
    record = partner_dossier(partner, request.user)
    context = {"partner": partner, "dossier": record, "timeline": timeline(record.groups)}
    if national_view(request.user):
        # The provinces that have records with it (reports/national.py).
        context.update(
            partner_provinces=partner_provinces(partner, request.user), **national_dates(request, None, None)
        )
    return render(request, "reports/dossier.html", context)
