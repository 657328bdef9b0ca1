"""One search box over every kind of record: /search/?q=bang+tuong.

Each kind is searched on its folded ``search_text`` column (accent- and
case-insensitive alike on SQLite and PostgreSQL; a trigram index answers the
containment on PostgreSQL, see lang_son_affairs/migrations, and an FTS5 trigram
table on SQLite, see register/search_sql.py), over what the
viewer may see, in one query: the first rows and how many match. The count
stops at COUNT_CAP + 1 rows, so a word found in every one of a million
delegations costs a thousand rows, not a million; the page then says "more
than 1,000", which is true. Results come grouped by kind with the matched
words in <mark>. Terms match whole syllables, the last one as a prefix
(register/publishable.py search_filter()); a partner whose name starts with the query
brings the records linked to it and to the places under it (linked_group()).
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Agreement
from common.text import fold, highlight, search_phrase, search_terms
from conferences.models import Conference
from delegations.models import Delegation, Direction, Status
from partners.countries import country_name
from partners.models import CooperationMechanism, LocalUnit, Partner
from projects.models import Project, ProjectParticipant
from register.publishable import search_filter, shown_to
from sources.models import Source

MAX_QUERY_LENGTH = 200
PER_GROUP = 20
# When the search is narrowed to one kind (?kind=sources), that kind shows more.
PER_KIND = 100
SNIPPET_LENGTH = 220
# The most matches a kind counts; past it the page says "more than 1,000".
COUNT_CAP = 1000


class CappedCount(Subquery):
    """How many rows of ``queryset`` there are, counting no further than
    ``cap + 1``: ``(SELECT COUNT(*) FROM (SELECT id ... LIMIT cap + 1))``.

    Uncorrelated, so PostgreSQL runs it once per query (an InitPlan), and only
    when the outer query yields a row."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"

    def __init__(self, queryset, cap):
        super().__init__(queryset.order_by().values("pk")[: cap + 1], output_field=IntegerField())


@dataclass
class Hit:
    title: str
    url: str = ""
    meta: list = field(default_factory=list)
    badges: list = field(default_factory=list)
    names: str = ""
    snippet: str = ""


@dataclass
class Group:
    key: str
    label: str
    count: int
    hits: list
    more_url: str
    # True when more than ``count`` (= COUNT_CAP) records match.
    capped: bool = False
    # A line under the heading, saying why these records are here.
    note: str = ""
    # Records found through a partner (linked_group()): shown, not added to the total.
    linked: bool = False
    # The records behind the hits.
    records: list = field(default_factory=list, repr=False)

    @property
    def more(self):
        return self.count - len(self.hits)


class SearchKind:
    """How one kind of record is searched and shown; subclasses fill in the parts."""

    key = ""
    label = ""
    list_url_name = None
    title_field = "title"
    snippet_fields: tuple = ()

    def queryset(self, user, folded_query):
        raise NotImplementedError

    def url(self, obj):
        return obj.get_absolute_url()

    def meta(self, obj, user):
        return []

    def badges(self, obj, user):
        if user.is_authenticated and getattr(obj, "is_published", True) is False:
            return [("badge--internal", _("Internal"))]
        return []

    def names(self, obj, terms):
        return ""

    def search(self, user, query, limit):
        terms = search_terms(query)
        # What PublishableQuerySet.search() does, for every kind: local units,
        # mechanisms and sources have the column but no search() of their own.
        queryset = self.queryset(user, search_phrase(query)).filter(search_filter(query))
        rows = list(queryset.annotate(total=CappedCount(queryset, COUNT_CAP)).defer("search_text")[:limit])
        total = rows[0].total if rows else 0
        hits = [self.hit(obj, user, terms) for obj in rows]
        return Group(
            self.key,
            self.label,
            min(total, COUNT_CAP),
            hits,
            self.more_url(query),
            capped=total > COUNT_CAP,
            records=rows,
        )

    def hit(self, obj, user, terms):
        title = getattr(obj, self.title_field)
        return Hit(
            title=highlight(title, terms),
            url=self.url(obj),
            meta=[m for m in self.meta(obj, user) if m],
            badges=self.badges(obj, user),
            names=self.names(obj, terms),
            snippet=self.snippet(obj, title, terms),
        )

    def snippet(self, obj, title, terms):
        """Where the title lacks a term of the query: the first other field that has it."""
        missing = [t for t in terms if not t.found_in(fold(title))]
        if not missing:
            return ""
        for name in self.snippet_fields:
            value = getattr(obj, name) or ""
            if any(t.found_in(fold(value)) for t in missing):
                # Only the lines that hold a missing term are highlighted: highlight()
                # folds character by character, and a project's description can be
                # pages long, twenty times on one page of results.
                lines = [line.strip() for line in value.splitlines() if line.strip()]
                found = [line for line in lines if any(t.found_in(fold(line)) for t in missing)] or lines
                return highlight(_near_first(" · ".join(found), missing), terms, around=SNIPPET_LENGTH)
        return ""

    def more_url(self, query):
        if self.list_url_name:
            return f"{reverse(self.list_url_name)}?{urlencode({'q': query})}"
        return f"{reverse('reports:search')}?{urlencode({'q': query, 'kind': self.key})}"


def _near_first(text, terms):
    """A long ``text`` cut to a few snippet lengths around the first match of
    ``terms``, with "…" where it was cut, before highlight() folds it character
    by character; highlight() then picks its own window inside. Where folding
    changes the length (rare spellings), the text is left whole."""
    folded = fold(text)
    if len(text) <= 3 * SNIPPET_LENGTH or len(folded) != len(text):
        return text
    first = min((start for t in terms for start in t.starts(folded)), default=0)
    start, stop = max(0, first - SNIPPET_LENGTH), first + 2 * SNIPPET_LENGTH
    return ("…" if start else "") + text[start:stop] + ("…" if stop < len(text) else "")


class PartnerSearch(SearchKind):
    key = "partners"
    label = gettext_lazy("Partners")
    list_url_name = "partners:list"
    title_field = "name"
    snippet_fields = ("aliases",)

    def queryset(self, user, folded_query):
        # A partner with a name that starts with the query comes first: "bang tuong"
        # puts Bằng Tường before the border gate named after it, "quang tay" puts
        # Guangxi (alias Quảng Tây) first. search_text holds one folded name per line.
        starts_a_name = Q(search_text__startswith=folded_query) | Q(search_text__contains=f"\n{folded_query}")
        own_name_first = Case(When(starts_a_name, then=Value(0)), default=Value(1), output_field=IntegerField())
        return (
            Partner.objects.visible_to(user)
            .select_related("parent")
            .annotate(name_rank=own_name_first)
            .order_by("name_rank", "name_sort", "pk")
        )

    def meta(self, obj, user):
        # An unpublished parent is not named to a visitor.
        parent = shown_to(user, obj.parent)
        parent = _("part of %(parent)s") % {"parent": parent.name} if parent else ""
        return [obj.get_kind_display(), country_name(obj.country), parent]

    def names(self, obj, terms):
        return highlight(" · ".join(n for n in (obj.name_en, obj.name_native) if n), terms)


class LocalUnitSearch(SearchKind):
    key = "local_units"
    label = gettext_lazy("Our units")
    title_field = "name"
    snippet_fields = ("aliases",)

    def queryset(self, user, folded_query):
        return LocalUnit.objects.visible_to(user).order_by("name", "pk")

    def url(self, obj):
        return ""

    def meta(self, obj, user):
        ended = _("until %(date)s") % {"date": date_format(obj.valid_to, "SHORT_DATE_FORMAT")} if obj.valid_to else ""
        return [obj.get_kind_display(), ended]

    def names(self, obj, terms):
        return highlight(obj.name_en, terms)


class MechanismSearch(SearchKind):
    key = "mechanisms"
    label = gettext_lazy("Cooperation mechanisms")
    title_field = "name"
    snippet_fields = ("description",)

    def queryset(self, user, folded_query):
        return CooperationMechanism.objects.visible_to(user).order_by("name", "pk")

    def url(self, obj):
        return ""

    def meta(self, obj, user):
        return [] if obj.is_active else [_("no longer active")]

    def names(self, obj, terms):
        return highlight(obj.name_en, terms)


class DelegationSearch(SearchKind):
    key = "delegations"
    label = gettext_lazy("Delegations")
    list_url_name = "delegations:list"
    snippet_fields = ("leader_name", "leader_title", "places", "received_by", "decision_ref", "outcome")

    def queryset(self, user, folded_query):
        return Delegation.objects.visible_to(user).order_by(F("start_date").desc(nulls_last=True), "-pk")

    def meta(self, obj, user):
        status = obj.get_status_display() if obj.status != Status.COMPLETED else ""
        return [obj.date_display or _("undated"), status]

    def badges(self, obj, user):
        direction = {
            Direction.OUTBOUND: [("badge--out", _("Outbound"))],
            Direction.INBOUND: [("badge--in", _("Inbound"))],
            Direction.DOMESTIC: [("", _("Domestic"))],
            Direction.BORDER: [("badge--border", _("Border talks"))],
        }.get(obj.direction, [])
        return direction + super().badges(obj, user)


class AgreementSearch(SearchKind):
    key = "agreements"
    label = gettext_lazy("Agreements")
    list_url_name = "agreements:list"
    snippet_fields = ("code", "signed_place", "summary")

    def queryset(self, user, folded_query):
        return Agreement.objects.visible_to(user).order_by(F("signed_on").desc(nulls_last=True), "-pk")

    def meta(self, obj, user):
        return [obj.get_kind_display(), obj.signed_display, obj.get_status_display()]


class ProjectSearch(SearchKind):
    key = "projects"
    label = gettext_lazy("Projects")
    list_url_name = "projects:list"
    snippet_fields = ("code", "description", "outputs")

    def queryset(self, user, folded_query):
        return Project.objects.visible_to(user).order_by(F("actual_start").desc(nulls_last=True), "-pk")

    def meta(self, obj, user):
        return [obj.get_kind_display(), obj.code, obj.get_status_display() if obj.status else ""]


class ConferenceSearch(SearchKind):
    key = "conferences"
    label = gettext_lazy("Conferences and seminars")
    list_url_name = "conferences:list"
    snippet_fields = ("place", "co_organisers", "decision_number", "summary", "report_summary")

    def queryset(self, user, folded_query):
        return Conference.objects.visible_to(user).order_by(F("start_date").desc(nulls_last=True), "-pk")

    def meta(self, obj, user):
        return [obj.get_kind_display(), obj.date_display or _("undated"), obj.place]


class SourceSearch(SearchKind):
    key = "sources"
    label = gettext_lazy("Sources")
    snippet_fields = ("publisher", "author", "body")

    def queryset(self, user, folded_query):
        return Source.objects.visible_to(user).order_by(F("published_on").desc(nulls_last=True), "pk")

    def url(self, obj):
        return obj.url

    def meta(self, obj, user):
        published = date_format(obj.published_on, "SHORT_DATE_FORMAT") if obj.published_on else ""
        return [obj.get_kind_display(), obj.publisher, published]


# The newest records of each kind shown in the group of a partner's linked records.
LINKED_PER_KIND = 7


def linked_group(partner, user, terms):
    """The delegations, agreements and projects linked to ``partner`` or to a place
    under it (Pingxiang's border gates and towns), as ``user`` may see them: what
    someone who types the partner's English, Chinese or former name is looking
    for, though the records' titles spell it "Bằng Tường". None when there are none.

    Up to seven queries: the partner's subtree (its ids, as the dossier matches the link
    tables against them, see selectors_dossier._subtree), then for each kind its links
    (no more than COUNT_CAP + 1 of them) and, when there are any, its newest rows with how
    many there are. A partner with few links (most of them) has its records fetched by
    their numbers: an EXISTS over the links, ordered by date, made PostgreSQL walk a million
    delegations for the two it had (6 s)."""
    ids = list(Partner.objects.subtree_of(partner).values_list("pk", flat=True)) if partner.path else [partner.pk]
    delegation_links, agreement_links = Delegation.partners.through.objects, Agreement.partners.through.objects
    links = {
        "delegations": (delegation_links.filter(partner_id__in=ids), "delegation"),
        "agreements": (agreement_links.filter(partner_id__in=ids), "agreement"),
        "projects": (ProjectParticipant.objects.filter(partner_id__in=ids), "project"),
    }
    singular = {"delegations": _("Delegation"), "agreements": _("Agreement"), "projects": _("Project")}
    hits, count, capped = [], 0, False
    for key, (link_rows, record) in links.items():
        kind = KINDS[key]
        linked = list(link_rows.values_list(f"{record}_id", flat=True)[: COUNT_CAP + 1])
        if not linked:
            continue
        queryset = kind.queryset(user, "")
        if len(linked) <= COUNT_CAP:
            queryset = queryset.filter(pk__in=set(linked))
        else:
            queryset = queryset.filter(Exists(link_rows.filter(**{record: OuterRef("pk")})))
        rows = list(queryset.annotate(total=CappedCount(queryset, COUNT_CAP)).defer("search_text")[:LINKED_PER_KIND])
        total = rows[0].total if rows else 0
        count, capped = count + min(total, COUNT_CAP), capped or total > COUNT_CAP
        for obj in rows:
            hit = kind.hit(obj, user, terms)
            hit.meta.insert(0, singular[key])
            hits.append(hit)
    if not count:
        return None
    name = partner.name
    if partner.name_en and fold(partner.name_en) != fold(partner.name):
        name = f"{partner.name} ({partner.name_en})"
    return Group(
        "linked",
        _("Linked to %(partner)s") % {"partner": name},
        count,
        hits,
        partner.get_absolute_url(),
        capped=capped,
        note=_(
            "Delegations, agreements and projects with this partner or a place under it, "
            "whatever name their titles give it."
        ),
        linked=True,
    )


KINDS = {
    kind.key: kind
    for kind in (
        PartnerSearch(),
        DelegationSearch(),
        AgreementSearch(),
        ProjectSearch(),
        ConferenceSearch(),
        LocalUnitSearch(),
        MechanismSearch(),
        SourceSearch(),
    )
}


def search(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()
    notices = []
    if len(query) > MAX_QUERY_LENGTH:
        query = query[:MAX_QUERY_LENGTH].strip()
        notices.append(
            _("Your search was longer than %(max)s characters; only the first %(max)s were used.")
            % {"max": MAX_QUERY_LENGTH}
        )
    kind = request.GET.get("kind", "")
    if kind and kind not in KINDS:
        notices.append(_("There is no kind of record called “%(kind)s”; every kind was searched.") % {"kind": kind})
        kind = ""
    groups = []
    if search_phrase(query):
        kinds = [KINDS[kind]] if kind else KINDS.values()
        limit = PER_KIND if kind else PER_GROUP
        groups = [group for group in (k.search(request.user, query, limit) for k in kinds) if group.count]
        # A partner named by the query (its name, or an other name, starts with it)
        # brings the records linked to it, just after the partners.
        first = groups[0].records[0] if groups and groups[0].key == "partners" else None
        if not kind and first is not None and first.name_rank == 0:
            linked = linked_group(first, request.user, search_terms(query))
            if linked:
                groups.insert(1, linked)
    context = {
        "search_query": query,
        "kind": KINDS[kind] if kind else None,
        "notices": notices,
        "groups": groups,
        "total": sum(g.count for g in groups if not g.linked),
        # The total is then a floor: "more than 1,003 records match".
        "total_capped": any(g.capped for g in groups if not g.linked),
        "examples": ["bang tuong", "Pingxiang", "凭祥", "Quảng Tây"],
    }
    return render(request, "reports/search.html", context)
