"""A partner's dossier as a Word document: /partners/<pk>/dossier.docx.

It reads ``partner_dossier(partner, request.user)``, the page's own selector,
so a visitor's file lists and counts only published records."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common import docx_layout, formatting
from common.text import fold
from offices.site_scope import shown_profile
from partners.models import Partner
from reports.documents_period import scope_note, source_line
from reports.selectors_dossier import partner_dossier


def filename(partner):
    """ho-so-doi-tac-quang-tay-12.docx: ASCII, whatever the partner's name."""
    slug = "-".join("".join(ch if ch.isascii() and ch.isalnum() else " " for ch in fold(partner.name)).split())
    return f"ho-so-doi-tac-{slug[:60] or 'partner'}-{partner.pk}.docx"


def _names(document, dossier):
    partner = dossier.partner
    facts = [
        (_("Vietnamese usage"), partner.name),
        (_("English name").capitalize(), partner.name_en or "—"),
        (_("Native name"), partner.name_native or "—"),
    ]
    if partner.alias_list:
        facts.append((_("Other names"), "; ".join(partner.alias_list)))
    facts.append((_("Kind"), partner.get_kind_display()))
    if partner.country:
        facts.append((_("Country"), dossier.country_name))
    breadcrumb = " › ".join(a.name for a in dossier.ancestors) or _("Nothing above it")
    facts.append((_("Belongs to"), breadcrumb))
    children = ", ".join(c.name for c in dossier.children) or _("No partner recorded under it")
    facts.append((_("Under it"), children))
    docx_layout.data_table(document, [_("Item"), _("Details")], [list(f) for f in facts], [4.5, 11.5])


def _totals(document, totals):
    delegations, agreements, projects = totals["delegations"], totals["agreements"], totals["projects"]
    persons = _("out %(outbound)s, in %(inbound)s") % {
        "outbound": formatting.number(delegations["persons_out"] or 0),
        "inbound": formatting.number(delegations["persons_in"] or 0),
    }
    if delegations["without_size"]:
        unknown = ngettext(
            "%(n)s delegation has no recorded size",
            "%(n)s delegations have no recorded size",
            delegations["without_size"],
        ) % {"n": formatting.number(delegations["without_size"])}
        persons = f"{persons}; {unknown}"
    value = formatting.vnd(projects["value_vnd"]) if projects["value_vnd"] is not None else "—"
    rows = [
        [_("Outbound delegations"), formatting.number(delegations["outbound"])],
        [_("Inbound delegations"), formatting.number(delegations["inbound"])],
        [_("Domestic working visits"), formatting.number(delegations["domestic"])],
        [_("Border talks"), formatting.number(delegations["border"])],
        [(_("Person-trips"), persons), formatting.number(delegations["persons"] or 0)],
        [
            (
                _("Agreements in force today"),
                ngettext("of %(n)s agreement recorded", "of %(n)s agreements recorded", agreements["total"])
                % {"n": agreements["total"]},
            ),
            formatting.number(agreements["in_force"]),
        ],
        [_("Twinning pairs"), formatting.number(totals["partnerships"])],
        [
            _("International conferences"),
            _("at least %(n)s") % {"n": formatting.number(totals["conferences"])}
            if totals["conferences_capped"]
            else formatting.number(totals["conferences"]),
        ],
        [
            (
                _("Project value"),
                ngettext("%(n)s project", "%(n)s projects", projects["total"]) % {"n": projects["total"]},
            ),
            value,
        ],
        [_("Reported figures"), formatting.number(totals["figures"])],
    ]
    docx_layout.data_table(document, [_("Indicator"), _("Value")], rows, [11.0, 5.0], numeric={1})
    if delegations["cancelled"]:
        n = delegations["cancelled"]
        docx_layout.paragraph(
            document,
            ngettext(
                "%(n)s cancelled delegation is on the timeline but not counted.",
                "%(n)s cancelled delegations are on the timeline but not counted.",
                n,
            )
            % {"n": n},
            italic=True,
            size=12,
        )


def _timeline(document, dossier):
    truncated = {
        "delegation": _("Only the most recent delegations are shown here."),
        "agreement": _("Only the most recent agreements are shown here."),
        "project": _("Only the most recent projects are shown here."),
        "conference": _("Only the most recent conferences are shown here."),
    }
    for kind in dossier.truncated:
        docx_layout.paragraph(document, truncated[kind], italic=True, size=12)
    if not dossier.groups:
        docx_layout.paragraph(document, _("Nothing is recorded for this partner yet."), italic=True)
        return
    for heading, items in dossier.groups:
        if heading:
            docx_layout.heading(document, heading, level=3)
        rows = []
        for number, item in enumerate(items, start=1):
            title = item.title if item.is_published else f"{item.title} ({_('Not published')})"
            badges = ", ".join(label for label, _modifier in item.badges)
            kind = f"{item.kind_label}\n{badges}" if badges else item.kind_label
            rows.append([str(number), item.date_display, kind, (title, item.detail)])
        docx_layout.data_table(
            document, [_("No."), _("Date"), _("Kind"), _("Description")], rows, [1.0, 2.6, 2.8, 9.6], numeric={0}
        )


def _citations(document, citations):
    if not citations:
        return
    docx_layout.heading(document, _("Sources"))
    for number, citation in enumerate(citations, start=1):
        if citation.shown_source is None:
            # As on the page: a source not yet published, neither named nor quoted.
            docx_layout.paragraph(document, f"{number}. {_('A source not yet published.')}", size=11)
            continue
        line = source_line(citation.source)
        if citation.locator:
            line += f", {citation.locator}"
        para = docx_layout.paragraph(document, f"{number}. “{citation.excerpt}”", italic=True, size=12, space_after=0)
        para.paragraph_format.keep_with_next = True
        docx_layout.paragraph(document, line + (f" — {citation.source.url}" if citation.source.url else ""), size=11)


def dossier_document(dossier, user, today):
    partner = dossier.partner
    document = docx_layout.new_document()
    office = shown_profile(user)
    docx_layout.administrative_heading(document, today, issuer=office.issuer_lines(), place=office.place)
    names = " – ".join(name for name in (partner.name, partner.name_en, partner.name_native) if name)
    docx_layout.title(document, _("PARTNER DOSSIER"), [names])
    docx_layout.paragraph(document, scope_note(user), italic=True, indent=True)
    docx_layout.heading(document, _("1. Names and place in the hierarchy"))
    _names(document, dossier)
    if dossier.children:
        docx_layout.paragraph(
            document,
            _("The timeline and the totals include everything recorded for the partners under it."),
            italic=True,
            size=12,
        )
    docx_layout.heading(document, _("2. At a glance"))
    _totals(document, dossier.totals)
    docx_layout.heading(document, _("3. Timeline"))
    _timeline(document, dossier)
    _citations(document, dossier.citations)
    return document


def dossier_docx(request, pk):
    """Queries: the partner, then the fourteen of partner_dossier()."""
    partner = get_object_or_404(Partner.objects.visible_to(request.user), pk=pk)
    dossier = partner_dossier(partner, request.user)
    document = dossier_document(dossier, request.user, timezone.localdate())
    return docx_layout.docx_response(document, filename(partner))
