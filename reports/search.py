"""One search box over every kind of record: /search/?q=bang+tuong.

Each kind is searched on its folded ``search_text`` column (accent- and
case-insensitive alike on SQLite and PostgreSQL; a trigram index answers the
containment on PostgreSQL, see lang_son_affairs/migrations), over what the
viewer may see, in one query: the first rows and how many match. The count
stops at COUNT_CAP + 1 rows, so a word found in every one of a million
delegations costs a thousand rows, not a million; the page then says "more
than 1,000", which is true. Results come grouped by kind with the matched
words in <mark>.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Case, F, IntegerField, Q, Subquery, Value, When
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Agreement
from delegations.models import Delegation, Direction, Status
from lang_son_affairs.lib.models import search_words, shown_to
from lang_son_affairs.lib.text import fold, highlight
from partners.countries import country_name
from partners.models import CooperationMechanism, LocalUnit, Partner
from projects.models import Project
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

    def names(self, obj, query):
        return ""

    def search(self, user, query, limit):
        folded = fold(query)
        words = folded.split()
        queryset = self.queryset(user, folded)
        # What PublishableQuerySet.search() does, for every kind: local units,
        # mechanisms and sources have the column but no search() of their own.
        for word in search_words(query):
            queryset = queryset.filter(search_text__contains=word)
        rows = list(queryset.annotate(total=CappedCount(queryset, COUNT_CAP)).defer("search_text")[:limit])
        total = rows[0].total if rows else 0
        hits = [self.hit(obj, user, query, words) for obj in rows]
        return Group(self.key, self.label, min(total, COUNT_CAP), hits, self.more_url(query), capped=total > COUNT_CAP)

    def hit(self, obj, user, query, words):
        title = getattr(obj, self.title_field)
        return Hit(
            title=highlight(title, query),
            url=self.url(obj),
            meta=[m for m in self.meta(obj, user) if m],
            badges=self.badges(obj, user),
            names=self.names(obj, query),
            snippet=self.snippet(obj, title, query, words),
        )

    def snippet(self, obj, title, query, words):
        """Where the title lacks a word of the query: the first other field that has it."""
        missing = [w for w in words if w not in fold(title)]
        if not missing:
            return ""
        for name in self.snippet_fields:
            value = getattr(obj, name) or ""
            if any(w in fold(value) for w in missing):
                # Only the lines that hold a missing word are highlighted: highlight()
                # folds character by character, and a project's description can be
                # pages long, twenty times on one page of results.
                lines = [line.strip() for line in value.splitlines() if line.strip()]
                found = [line for line in lines if any(w in fold(line) for w in missing)] or lines
                return highlight(_near_first(" · ".join(found), missing), query, around=SNIPPET_LENGTH)
        return ""

    def more_url(self, query):
        if self.list_url_name:
            return f"{reverse(self.list_url_name)}?{urlencode({'q': query})}"
        return f"{reverse('reports:search')}?{urlencode({'q': query, 'kind': self.key})}"


def _near_first(text, words):
    """A long ``text`` cut to a few snippet lengths around the first of ``words``
    (folded), with "…" where it was cut, before highlight() folds it character
    by character; highlight() then picks its own window inside. Where folding
    changes the length (rare spellings), the text is left whole."""
    folded = fold(text)
    if len(text) <= 3 * SNIPPET_LENGTH or len(folded) != len(text):
        return text
    first = min((folded.find(w) for w in words if w in folded), default=0)
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
        return Partner.objects.visible_to(user).select_related("parent").order_by(own_name_first, "name_sort", "pk")

    def meta(self, obj, user):
        # An unpublished parent is not named to a visitor.
        parent = shown_to(user, obj.parent)
        parent = _("part of %(parent)s") % {"parent": parent.name} if parent else ""
        return [obj.get_kind_display(), country_name(obj.country), parent]

    def names(self, obj, query):
        return highlight(" · ".join(n for n in (obj.name_en, obj.name_native) if n), query)


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

    def names(self, obj, query):
        return highlight(obj.name_en, query)


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

    def names(self, obj, query):
        return highlight(obj.name_en, query)


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


KINDS = {
    kind.key: kind
    for kind in (
        PartnerSearch(),
        DelegationSearch(),
        AgreementSearch(),
        ProjectSearch(),
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
    if fold(query):
        kinds = [KINDS[kind]] if kind else KINDS.values()
        limit = PER_KIND if kind else PER_GROUP
        groups = [group for group in (k.search(request.user, query, limit) for k in kinds) if group.count]
    context = {
        "search_query": query,
        "kind": KINDS[kind] if kind else None,
        "notices": notices,
        "groups": groups,
        "total": sum(g.count for g in groups),
        # The total is then a floor: "more than 1,003 records match".
        "total_capped": any(g.capped for g in groups),
        "examples": ["bang tuong", "Pingxiang", "凭祥", "Quảng Tây"],
    }
    return render(request, "reports/search.html", context)
