"""Reads for a partner's dossier: every delegation, agreement, twinning pair,
project, international conference and reported figure that involves the partner or any locality under
it, on one timeline, with the totals an official asks for first.

Everything is computed over what the viewer may see. Each kind is fetched
once with its relations, so the dossier costs the same number of queries
for a village with one visit and a country with thousands."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, F, OuterRef, Prefetch
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, Partnership
from common import formatting
from common.html_rows import detail_url
from common.partial_dates import format_partial_date
from conferences.models import Conference
from delegations.models import Delegation, Direction
from delegations.models import Status as DelegationStatus
from partners.countries import country_name
from partners.models import Partner, PartnerKind
from projects.models import Project, ProjectParticipant
from register.publishable import shown_to
from reports import partner_tally
from sources.models import ReportedFigure
from sources.selectors import citations_for, figure_period, figure_value

# The most rows of one kind the timeline shows; the totals always count them all,
# and past it the page links to the full list. Fifty a kind keeps the page of a
# province with a hundred thousand records under 100 kB and quick to render.
TIMELINE_LIMIT = 50

KIND_ORDER = ("delegation", "agreement", "partnership", "project", "conference", "figure")


@dataclass
class TimelineItem:
    kind: str  # one of KIND_ORDER
    kind_label: str
    date: date | None
    precision: str
    title: str
    url: str = ""
    detail: str = ""
    badges: list = field(default_factory=list)  # [(label, css modifier)]
    is_published: bool = True

    @property
    def date_display(self):
        return format_partial_date(self.date, self.precision)


@dataclass
class Dossier:
    partner: Partner
    ancestors: list
    children: list
    citations: list
    dated: list  # TimelineItem, newest first
    undated: list  # TimelineItem with no date, at the end
    totals: dict
    truncated: list  # kinds whose timeline rows stop at TIMELINE_LIMIT

    @property
    def groups(self):
        """[(heading, items)]: the dated items without a heading, then the undated ones."""
        groups = [("", self.dated)] if self.dated else []
        if self.undated:
            groups.append((_("Date not recorded"), self.undated))
        return groups

    @property
    def country_name(self):
        """The name of the country partner above (or being) this one, else the
        country's Vietnamese name (partners/countries.py), else the code."""
        for node in [self.partner, *self.ancestors]:
            if node.kind == PartnerKind.COUNTRY and node.country == self.partner.country:
                return node.name
        return country_name(self.partner.country)


def _labels(model, field):
    """A field's choices as {value: label}, translated once for the whole timeline
    (``get_FOO_display`` translates and hashes every choice on each call: a third
    of a province's dossier was spent there)."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def _display(labels, value):
    return labels.get(value, value)


# What the timeline shows of each record: reading the whole rows (their folded
# search text, summaries and notes) cost more than the rest of the dossier's rows.
DELEGATION_FIELDS = (
    "title",
    "start_date",
    "date_precision",
    "direction",
    "purpose",
    "status",
    "size",
    "is_public",
    "review_state",
)
AGREEMENT_FIELDS = ("title", "signed_on", "date_precision", "kind", "status", "is_public", "review_state")
PROJECT_FIELDS = (
    "title",
    "actual_start",
    "planned_start",
    "date_precision",
    "kind",
    "status",
    "committed_vnd",
    "is_public",
    "review_state",
)


def partner_names(user):
    """A record's partners ``user`` may see by name, prefetched into a plain list:
    reading a related manager builds a new manager object per row, a tenth of a
    large dossier."""
    partners = Partner.objects.visible_to(user).only("name").order_by("name_sort", "pk")
    return Prefetch("partners", queryset=partners, to_attr="partner_list")


# What a unit's visibility is read from, beside its name (shown_to()).
UNIT_VISIBILITY = ("is_public", "review_state")


def _names(partners):
    return ", ".join(p.name for p in partners)


def _join(*parts):
    return " · ".join(str(p) for p in parts if p)


# Delegations --------------------------------------------------------------

# Direction -> the badge modifier of site.css.
_DIRECTION_BADGES = {
    Direction.OUTBOUND: "out",
    Direction.INBOUND: "in",
    Direction.DOMESTIC: "internal",
    Direction.BORDER: "border",
}


def _delegation_items(delegations, user):
    """Two queries: the delegations with their host unit, then their partners."""
    rows = (
        delegations.select_related("host_unit")
        .only(*DELEGATION_FIELDS, "host_unit__name", *(f"host_unit__{f}" for f in UNIT_VISIBILITY))
        .prefetch_related(partner_names(user))
        .order_by(F("start_date").desc(nulls_last=True), "-pk")[:TIMELINE_LIMIT]
    )
    labels = {"out": _("Outbound"), "in": _("Inbound"), "internal": _("Domestic"), "border": _("Border talks")}
    statuses, purposes = _labels(Delegation, "status"), _labels(Delegation, "purpose")
    kind_label, persons = _("Delegation"), _("%(n)s persons")
    url = detail_url("delegations:detail")
    items = []
    for d in rows:
        modifier = _DIRECTION_BADGES.get(d.direction)
        badges = [(labels[modifier], modifier)] if modifier else []
        size = persons % {"n": formatting.number(d.size)} if d.size is not None else ""
        status = _display(statuses, d.status) if d.status != DelegationStatus.COMPLETED else ""
        items.append(
            TimelineItem(
                kind="delegation",
                kind_label=kind_label,
                date=d.start_date,
                precision=d.date_precision,
                title=d.title,
                url=url(d.pk),
                detail=_join(
                    _display(purposes, d.purpose),
                    d.host_unit.name if shown_to(user, d.host_unit) else "",
                    size,
                    _names(d.partner_list),
                    status,
                ),
                badges=badges,
                is_published=d.is_published,
            )
        )
    return items


# Agreements ---------------------------------------------------------------


def _agreement_items(agreements, today, user):
    """Two queries: the agreements with our signatory, then their partners.

    The newest are chosen in a subquery and only they are asked whether they are
    in force: over the whole set PostgreSQL would list every agreement in force in
    the country first (a hashed subplan) to answer it for fifty rows."""
    newest = F("signed_on").desc(nulls_last=True), "-pk"
    rows = (
        Agreement.objects.filter(pk__in=agreements.order_by(*newest).values("pk")[:TIMELINE_LIMIT])
        .select_related("local_signatory")
        .only(*AGREEMENT_FIELDS, "local_signatory__name", *(f"local_signatory__{f}" for f in UNIT_VISIBILITY))
        .prefetch_related(partner_names(user))
        .annotate(in_force_today=Exists(Agreement.objects.in_force_on(today).filter(pk=OuterRef("pk"))))
        .order_by(*newest)
    )
    kinds, statuses = _labels(Agreement, "kind"), _labels(Agreement, "status")
    kind_label, in_force = _("Agreement"), [(_("In force"), "in")]
    url = detail_url("agreements:detail")
    items = []
    for a in rows:
        items.append(
            TimelineItem(
                kind="agreement",
                kind_label=kind_label,
                date=a.signed_on,
                precision=a.date_precision,
                title=a.title,
                url=url(a.pk),
                detail=_join(
                    _display(kinds, a.kind),
                    _display(statuses, a.status),
                    a.local_signatory.name if shown_to(user, a.local_signatory) else "",
                    _names(a.partner_list),
                ),
                badges=in_force if a.in_force_today else [],
                is_published=a.is_published,
            )
        )
    return items


# Twinning pairs -----------------------------------------------------------


def _partnership_items(partnerships):
    """One query: the pairs with both sides and the founding agreement."""
    rows = partnerships.select_related("local_unit", "partner", "agreement").order_by(
        F("established_on").desc(nulls_last=True), "-pk"
    )
    items = []
    for pair in rows:
        items.append(
            TimelineItem(
                kind="partnership",
                kind_label=_("Twinning pair"),
                date=pair.established_on,
                precision=pair.date_precision,
                title=f"{pair.local_unit.name} – {pair.partner.name}",
                url=pair.agreement.get_absolute_url() if pair.agreement else "",
                detail=_join(pair.get_kind_display(), pair.note),
                is_published=pair.is_published,
            )
        )
    return items


# Projects -----------------------------------------------------------------


def _project_items(projects, user):
    """Two queries: the projects, then every participant with its partner or unit."""
    participants = (
        ProjectParticipant.objects.visible_to(user)
        .select_related("partner", "local_unit")
        .only("project_id", "role", "partner__name", "local_unit__name")
        .order_by("role", "pk")
    )
    rows = (
        projects.only(*PROJECT_FIELDS)
        .prefetch_related(Prefetch("participants", queryset=participants, to_attr="participant_list"))
        .annotate(start_on=Coalesce("actual_start", "planned_start"))
        .order_by(F("start_on").desc(nulls_last=True), "-pk")[:TIMELINE_LIMIT]
    )
    kinds, statuses = _labels(Project, "kind"), _labels(Project, "status")
    roles_of, kind_label = _labels(ProjectParticipant, "role"), _("Project")
    url = detail_url("projects:detail")
    items = []
    for p in rows:
        roles = "; ".join(f"{_display(roles_of, x.role)}: {x.party}" for x in p.participant_list)
        value = formatting.vnd(p.committed_vnd) if p.committed_vnd is not None else ""
        items.append(
            TimelineItem(
                kind="project",
                kind_label=kind_label,
                date=p.actual_start or p.planned_start,
                precision=p.date_precision,
                title=p.title,
                url=url(p.pk),
                detail=_join(_display(kinds, p.kind), _display(statuses, p.status) if p.status else "", value, roles),
                is_published=p.is_published,
            )
        )
    return items


# International conferences -----------------------------------------------

CONFERENCE_FIELDS = (
    "title",
    "start_date",
    "kind",
    "status",
    "place",
    "foreign_participants",
    "is_public",
    "review_state",
)


def _conference_items(conferences, user):
    """Two queries: the conferences with their organiser, then their partners. The
    partner took part in them or co-organised them."""
    rows = (
        conferences.select_related("organiser")
        .only(*CONFERENCE_FIELDS, "organiser__name", *(f"organiser__{f}" for f in UNIT_VISIBILITY))
        .prefetch_related(partner_names(user))
        .order_by(F("start_date").desc(nulls_last=True), "-pk")[:TIMELINE_LIMIT]
    )
    kinds, statuses = _labels(Conference, "kind"), _labels(Conference, "status")
    kind_label = _("Conference")
    url = detail_url("conferences:detail")
    items = []
    for c in rows:
        foreign = (
            _("%(n)s foreign participants") % {"n": formatting.number(c.foreign_participants)}
            if c.foreign_participants is not None
            else ""
        )
        items.append(
            TimelineItem(
                kind="conference",
                kind_label=kind_label,
                date=c.start_date,
                precision="day",
                title=c.title,
                url=url(c.pk),
                detail=_join(
                    _display(kinds, c.kind),
                    _display(statuses, c.status),
                    c.place,
                    c.organiser.name if shown_to(user, c.organiser) else "",
                    foreign,
                    _names(c.partner_list),
                ),
                is_published=c.is_published,
            )
        )
    return items


# Reported figures ---------------------------------------------------------


def _figure_items(figures, partner):
    """One query: the figures with their partner, scope and source."""
    rows = figures.select_related("partner", "scope", "source").order_by(
        F("period_end").desc(nulls_last=True), "indicator", "pk"
    )
    items = []
    for f in rows:
        items.append(
            TimelineItem(
                kind="figure",
                kind_label=_("Reported figure"),
                date=f.period_end,
                precision=f.period_precision,
                title=f"{f.get_indicator_display()}: {figure_value(f)}",
                url=f.source.url,
                detail=_join(
                    figure_period(f),
                    f.scope.name,
                    f.partner.name if f.partner_id != partner.pk else "",
                    f.source.title,
                ),
            )
        )
    return items


# The dossier --------------------------------------------------------------


def _subtree(partner):
    """The partner and every partner under it, by name: one query, which also
    gives the dossier its children.

    The record queries then match their link tables against this list of ids
    rather than against ``path LIKE '/24/26/%'`` in a subquery: PostgreSQL
    estimates a list from the link table's own statistics, while for the
    subquery it guesses from the partners table and, for a province whose
    localities are in a tenth of all delegations, expects ten times too few
    rows and picks plans that read the whole delegation table."""
    if not partner.path:  # unsaved: the partner alone (the rule of involving())
        return [partner]
    fields = ("pk", "parent", "name", "name_en", "path", "is_public", "review_state")
    return list(Partner.objects.subtree_of(partner).only(*fields).order_by("name_sort", "pk"))


def partner_dossier(partner, user, today=None):
    """The dossier of ``partner`` as ``user`` may see it. Fifteen queries whatever
    the number of records: the partner's subtree (which gives its children),
    ancestors, citations; the totals of every kind and the agreements in force
    (the partner tallies); for delegations, agreements, projects and international
    conferences their rows and related rows (a prefetch Django skips when there are
    no rows); twinning pairs; reported figures."""
    today = today or timezone.localdate()
    subtree = _subtree(partner)
    ids = [p.pk for p in subtree]
    delegations = Delegation.objects.visible_to(user).filter(
        Exists(Delegation.partners.through.objects.filter(delegation=OuterRef("pk"), partner_id__in=ids))
    )
    agreements = Agreement.objects.visible_to(user).filter(
        Exists(Agreement.partners.through.objects.filter(agreement=OuterRef("pk"), partner_id__in=ids))
    )
    projects = Project.objects.visible_to(user).filter(
        Exists(ProjectParticipant.objects.filter(project=OuterRef("pk"), partner_id__in=ids))
    )
    # The partners under it a visitor may not see are neither listed nor named; the
    # published records involving them still count, as the tally counts them.
    shown = [p for p in subtree if shown_to(user, p) is not None]
    partnerships = Partnership.objects.visible_to(user).filter(partner_id__in=ids)
    conferences = Conference.objects.visible_to(user).filter(
        Exists(Conference.partners.through.objects.filter(conference=OuterRef("pk"), partner_id__in=ids))
    )
    figures = ReportedFigure.objects.visible_to(user).filter(partner_id__in=ids)

    # The counts over the whole subtree come from the partner tally (one query of
    # a few dozen rows, where counting a province's delegations read 120.000).
    tallied = partner_tally.dossier_totals(partner, user)
    delegation_totals = tallied["delegations"]
    agreement_totals = {
        "total": tallied["agreements"],
        "in_force": partner_tally.agreements_in_force(partner, user, today),
    }
    project_totals = tallied["projects"]
    kinds = {
        "delegation": _delegation_items(delegations, user),
        "agreement": _agreement_items(agreements, today, user),
        "partnership": _partnership_items(partnerships),
        "project": _project_items(projects, user),
        "conference": _conference_items(conferences, user),
        "figure": _figure_items(figures, partner),
    }
    items = [item for kind in KIND_ORDER for item in kinds[kind]]
    dated = [item for item in items if item.date is not None]
    # Newest first; on the same day the kinds keep their order, then the titles.
    dated.sort(key=lambda item: (KIND_ORDER.index(item.kind), item.title))
    dated.sort(key=lambda item: item.date, reverse=True)
    undated = [item for item in items if item.date is None]

    counted = {
        "delegation": delegation_totals["total"] + delegation_totals["cancelled"],
        "agreement": agreement_totals["total"],
        "project": project_totals["total"],
    }
    return Dossier(
        partner=partner,
        ancestors=[a for a in partner.ancestors() if shown_to(user, a) is not None],
        children=[p for p in shown if p.parent_id == partner.pk],
        citations=citations_for(partner, user),
        dated=dated,
        undated=undated,
        totals={
            "delegations": delegation_totals,
            "agreements": agreement_totals,
            "projects": project_totals,
            "partnerships": len(kinds["partnership"]),
            # At most TIMELINE_LIMIT: past it the timeline says so and links to the list, and the
            # count reads "at least" (conferences_capped), never as the whole number.
            "conferences": len(kinds["conference"]),
            "conferences_capped": len(kinds["conference"]) >= TIMELINE_LIMIT,
            "figures": len(kinds["figure"]),
        },
        truncated=[kind for kind, total in counted.items() if total > TIMELINE_LIMIT]
        + (["conference"] if len(kinds["conference"]) >= TIMELINE_LIMIT else []),
    )
