"""Model pieces shared by every record app: dates of uneven precision,
the review state, visibility and the folded search column."""

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lang_son_affairs.lib.text import search_blob, search_terms


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def format_partial_date(value, precision):
    """'03/04/2024', 'tháng 10/2011' or 'năm 2010', following the precision."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return _("year %(year)s") % {"year": value.year}
    if precision == DatePrecision.MONTH:
        return _("month %(month)02d/%(year)s") % {"month": value.month, "year": value.year}
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def first_of_period_q(field, precision_field="date_precision"):
    """The stored convention of a partial date, as a condition: a month-only date
    is the 1st of its month, a year-only date 1 January (fixtures/articles.py)."""
    return (
        models.Q((f"{field}__isnull", True))
        | ~models.Q((f"{precision_field}__in", [DatePrecision.MONTH, DatePrecision.YEAR]))
        | models.Q((precision_field, DatePrecision.MONTH), (f"{field}__day", 1))
        | models.Q((precision_field, DatePrecision.YEAR), (f"{field}__month", 1), (f"{field}__day", 1))
    )


def partial_date_constraints(prefix, fields, precision_field="date_precision"):
    """One check per partial date that it keeps the convention of ``first_of_period_q``,
    whatever writes the row (the forms and the imports store it so)."""
    return [
        models.CheckConstraint(
            condition=first_of_period_q(field, precision_field), name=f"{prefix}_{field}_first_of_period"
        )
        for field in fields
    ]


def check_partial_dates(instance):
    """The model-level check of ``partial_date_constraints``, in words, for the
    model's ``clean()`` (an import validates without the constraints)."""
    from django.core.exceptions import ValidationError

    precision = getattr(instance, getattr(instance, "DATE_PRECISION_FIELD", "date_precision"), DatePrecision.DAY)
    errors = {}
    ends = getattr(instance, "PARTIAL_DATE_ENDS", ())
    for name in getattr(instance, "PARTIAL_DATES", ()):
        value = getattr(instance, name, None)
        if value is None or not hasattr(value, "day"):
            continue
        if name in ends:
            from lang_son_affairs.lib.partial_dates import format_partial_input, period_end

            if precision != DatePrecision.DAY and period_end((value, precision)) != value:
                errors[name] = _(
                    "The end of a period known only to the month or the year is kept as its last day: "
                    "write it as %(value)s."
                ) % {"value": format_partial_input(value, precision)}
        elif precision == DatePrecision.MONTH and value.day != 1:
            errors[name] = _("A date known to the month is kept as the 1st of the month: write it as %(month)s.") % {
                "month": f"{value.month:02d}/{value.year}"
            }
        elif precision == DatePrecision.YEAR and (value.month, value.day) != (1, 1):
            errors[name] = _("A date known to the year is kept as 1 January: write it as %(year)s.") % {
                "year": value.year
            }
    if errors:
        raise ValidationError(errors)


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


# Letters and digits of a folded Latin word; anything else ends a syllable.
# Spelt out rather than as a range, which a database may read by its collation.
_NOT_LATIN = "[^0123456789abcdefghijklmnopqrstuvwxyz]"


def search_filter(query, field="search_text"):
    """The condition a row's folded ``field`` meets when it has every term of
    ``query`` (lib/text.py search_terms(): whole syllables, the last word as a
    prefix). Each term is asked twice: ``LIKE '%vi%'``, which PostgreSQL's
    trigram index answers, and then a regular expression that the syllable
    starts (and ends) there, evaluated on the rows the first lets through; the
    same expression reads alike in SQLite's REGEXP (Python's re) and
    PostgreSQL's ``~``."""
    condition = models.Q()
    for term in search_terms(query):
        condition &= models.Q((f"{field}__contains", term.word))
        if term.bounded:
            end = "" if term.prefix else f"({_NOT_LATIN}|$)"
            condition &= models.Q((f"{field}__regex", f"(^|{_NOT_LATIN}){term.word}{end}"))
    return condition


class SearchableModel(models.Model):
    """Keeps ``search_text``, the folded form of ``SEARCH_FIELDS``, up to date on save."""

    SEARCH_FIELDS: tuple = ()

    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)

    # The audit trail (django-simple-history): every save and delete of every
    # record, with who and when. The folded search column is derived, not kept.
    # A model lists its many-to-many fields to keep in ``_history_m2m_fields``.
    history = HistoricalRecords(inherit=True, excluded_fields=["search_text"])

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
    (lang_son_affairs/review.py) is the only writer of both fields."""

    is_public = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Visible to the public once the record is also approved."),
    )
    review_state = models.CharField(
        _("review state"), max_length=12, choices=ReviewState.choices, default=ReviewState.DRAFT
    )

    objects = PublishableQuerySet.as_manager()

    # Approving needs at least one citation (lang_son_affairs/review.py missing_source);
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
