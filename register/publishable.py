"""Model pieces shared by every record app: the review state, visibility and
the folded search column (dates of uneven precision: common/partial_dates.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.partial_dates import check_partial_dates
from common.text import search_blob, search_terms
from register import search_sql  # noqa: F401 - registers the search_contains and search_syllable lookups


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")


def published_q(path=""):
    """The condition a visitor's rows meet, approved and marked public: on the row
    itself, or with ``path`` ("partner", "source") on the row it links to."""
    prefix = f"{path}__" if path else ""
    return models.Q((f"{prefix}is_public", True), (f"{prefix}review_state", ReviewState.APPROVED))


def counted_q(user, in_review=False, path=""):
    """The rows a report made by ``user`` counts: a visitor's, the published ones;
    a signed-in official's, the approved ones, public or internal, since a
    report sent up counts no draft; with ``in_review`` (the official asked for
    it, and the report then says so on every table) every row, drafts and
    records submitted for review included."""
    if not signed_in(user):
        return published_q(path)
    if in_review:
        return models.Q()
    prefix = f"{path}__" if path else ""
    return models.Q((f"{prefix}review_state", ReviewState.APPROVED))


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """What an anonymous visitor may see: approved and marked public (of the
        province the page shows, on a database of several: offices/site_scope.py)."""
        queryset, _internal = _province_view(self, None)
        return queryset.filter(published_q())

    def visible_to(self, user):
        """Signed-in officials see everything of their province; everyone else sees the published rows."""
        queryset, internal = _province_view(self, user)
        return queryset if internal else queryset.published()

    def counted_for(self, user, in_review=False):
        """What a report made by ``user`` counts (see ``counted_q``): a visitor's
        is ``published()``, with what a model adds to it (a figure's source)."""
        queryset, internal = _province_view(self, user)
        if not internal:
            return queryset.published()
        return queryset.filter(counted_q(user, in_review))

    def search(self, query):
        """Accent- and case-insensitive search on the folded search column: every
        term of the query must match, as whole syllables (search_filter())."""
        return self.filter(search_filter(query))


def _province_view(queryset, user):
    from offices.site_scope import province_view  # offices' models import this module

    return province_view(queryset, user)


def search_filter(query, field="search_text"):
    """The condition a row's folded ``field`` meets when it has every term of
    ``query`` (common/text.py search_terms(): whole syllables, the last word as a
    prefix). Each term is asked twice: ``LIKE '%vi%'``, which PostgreSQL's
    trigram index answers (on SQLite, a term of three letters or more asks the
    table's FTS5 trigram index instead: register/search_sql.py), and then a
    regular expression that the syllable starts (and ends) there, evaluated on
    the rows the first lets through; the same expression reads alike in
    SQLite's REGEXP (Python's re) and PostgreSQL's ``~``. On SQLite a query of
    Latin words is instead one match of the table's words index, whose tokens are
    the syllables (search_sql.SearchTerms)."""
    terms = search_terms(query)
    if not terms:
        return models.Q()
    # One condition for every word: one full-text match on SQLite (register/search_sql.py SearchTerms).
    return models.Q((f"{field}__search_terms", tuple((term.word, term.prefix) for term in terms)))


class AuditTrail(HistoricalRecords):
    """simple-history's records, whose excluded fields may name a field that only
    some of the inheriting models have (``audit_version``, register/versions.py):
    each historical model lists the excluded fields its own record has, as
    simple-history reads them back field by field when it rebuilds a record."""

    def create_history_model(self, model, inherited):
        history_model = super().create_history_model(model, inherited)
        names = {f.name for f in model._meta.local_fields + model._meta.local_many_to_many}
        history_model._history_excluded_fields = [name for name in self.excluded_fields if name in names]
        return history_model


class SearchableModel(models.Model):
    """Keeps ``search_text``, the folded form of ``SEARCH_FIELDS``, up to date on save."""

    SEARCH_FIELDS: tuple = ()

    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)

    # The audit trail (django-simple-history): every save and delete of every
    # record, with who and when. The folded search column is derived, not kept.
    # A model lists its many-to-many fields to keep in ``_history_m2m_fields``.
    # ``iati_lacks`` (a project's, projects/iati_lacks_sql.py) is derived by triggers too.
    history = AuditTrail(inherit=True, excluded_fields=["search_text", "audit_version", "iati_lacks"])

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def build_search_text(self):
        parts = []
        for name in self.SEARCH_FIELDS:
            value = getattr(self, name, "")
            parts.append(value if isinstance(value, str) else str(value or ""))
        return search_blob(*parts)


class ReviewedModel(models.Model):
    """Anything visitors may see only once it is approved and marked public:
    the records, and since issue 13 the sources, reported figures, partners,
    local units and mechanisms they rest on. The review workflow
    (register/review.py) is the only writer of both fields."""

    is_public = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Visible to the public once the record is also approved."),
    )
    review_state = models.CharField(
        _("review state"), max_length=12, choices=ReviewState.choices, default=ReviewState.DRAFT
    )

    objects = PublishableQuerySet.as_manager()

    # Approving needs at least one citation (register/review.py missing_source);
    # a source, and a figure naming its source in a required field, say False.
    APPROVAL_NEEDS_CITATION = True

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.is_public and self.review_state == ReviewState.APPROVED

    def clean(self):
        super().clean()
        check_partial_dates(self)
        if self.is_public and self.review_state != ReviewState.APPROVED:
            from django.core.exceptions import ValidationError

            raise ValidationError({"is_public": _("Only an approved record can be published.")})


class PublishableModel(SearchableModel, ReviewedModel):
    """A record that visitors may see once it is approved and marked public."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True


def shown_to(user, obj):
    """``obj`` when ``user`` may see it, else None: a published record's link to
    an unpublished partner, unit, mechanism or source is left out for a visitor
    (templates: the ``shown_to`` filter of the ``vn`` tags)."""
    if obj is None or not isinstance(obj, ReviewedModel) or obj.is_published or signed_in(user):
        return obj
    return None


def hide_unseen(user, records, *fields):
    """``records`` (a list) with each foreign key in ``fields`` that ``user`` may
    not see set to None, in memory only: a visitor's page then shows a published
    record without naming its unpublished unit or mechanism. No query when the
    related rows were joined (select_related)."""
    if not signed_in(user):
        for record in records:
            for name in fields:
                if shown_to(user, getattr(record, name)) is None:
                    setattr(record, name, None)
    return records


def signed_in(user):
    """Officials and staff: they see everything, published or not."""
    return user is not None and user.is_authenticated and user.is_active


def review_state_constraint(prefix):
    """The review state is one of the known values, whatever writes the row."""
    return models.CheckConstraint(
        condition=models.Q(review_state__in=ReviewState.values),
        name=f"{prefix}_review_state_valid",
    )


def public_only_when_approved(prefix):
    """Only an approved record may be marked public, whatever writes the row:
    "published" can never show a draft to visitors."""
    return models.CheckConstraint(
        condition=models.Q(is_public=False) | models.Q(review_state=ReviewState.APPROVED),
        name=f"{prefix}_public_only_when_approved",
    )
