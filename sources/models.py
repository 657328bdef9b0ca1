"""Where every fact comes from: a Source (article, report, decision), the
Citation that ties any record to the excerpt supporting it, and the
ReportedFigure, an aggregate as an official published it."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.files import validate_pdf
from common.partial_dates import DatePrecision, partial_date_constraints
from common.storage import generated_upload_path
from offices.records import ProvinceRecord
from partners.models import LocalUnit, Partner
from register.publishable import (
    PublishableQuerySet,
    ReviewedModel,
    SearchableModel,
    public_only_when_approved,
    published_q,
    review_state_constraint,
)

WEB_URL = URLValidator(schemes=["http", "https"])


class SourceKind(models.TextChoices):
    ARTICLE = "article", _("Newspaper article")
    REPORT = "report", _("Report")
    DECISION = "decision", _("Decision or official letter")
    OTHER = "other", _("Other")


def _source_upload(instance, filename):
    return generated_upload_path("sources", filename)


class Source(ProvinceRecord, SearchableModel, ReviewedModel):
    SEARCH_FIELDS = ("title", "publisher", "author", "body")
    APPROVAL_NEEDS_CITATION = False  # a source is what the others cite

    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices, default=SourceKind.ARTICLE)
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    # Only web addresses: a stored "javascript:..." would run when clicked.
    url = models.URLField(_("address (URL)"), max_length=500, blank=True, validators=[WEB_URL])
    reference = models.CharField(
        _("document number"), max_length=100, blank=True, help_text=_("For decisions and reports: 26-CT/TU.")
    )
    body = models.TextField(_("full text"), blank=True)
    file = models.FileField(
        _("file (PDF)"), upload_to=_source_upload, blank=True, validators=[validate_pdf], max_length=200
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]
        indexes = [
            # The admin index's queue (register/review.py waiting_counts): the sources in review,
            # counted from this small index however many sources the register cites.
            models.Index(
                fields=["review_state"],
                condition=models.Q(review_state__in=["draft", "submitted"]),
                name="source_in_review_idx",
            ),
            # The article reader's acceptance (reading/accept.py): the office's source with the same address.
            models.Index(fields=["province", "url"], condition=~models.Q(url=""), name="source_prov_url_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=SourceKind.values), name="source_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(url="")
                | models.Q(url__istartswith="http://")
                | models.Q(url__istartswith="https://"),
                name="source_url_web_only",
            ),
            review_state_constraint("source"),
            public_only_when_approved("source"),
        ]

    def __str__(self):
        if self.published_on:
            return f"{self.title} ({self.published_on:%d/%m/%Y})"
        return self.title


def _check_excerpt(source, excerpt, field):
    """An excerpt must be a verbatim quote when the source's full text is on file."""
    if source is not None and source.body and excerpt and excerpt not in source.body:
        raise ValidationError({field: _("The excerpt must be copied word for word from the source's full text.")})


class Citation(models.Model):
    """Any record -> the source and excerpt that support it."""

    content_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("record id"))
    content_object = GenericForeignKey("content_type", "object_id")
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations")
    excerpt = models.TextField(_("excerpt"), help_text=_("The words of the source that support the record."))
    locator = models.CharField(_("page or section"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["source__published_on", "pk"]
        indexes = [
            # For the citations of one record, on every detail page.
            models.Index(fields=["content_type", "object_id"], name="citation_record_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(excerpt=""), name="citation_excerpt_not_blank"),
        ]

    def __str__(self):
        return f"{self.source.title}: “{self.excerpt[:60]}”"

    def clean(self):
        super().clean()
        _check_excerpt(getattr(self, "source", None) if self.source_id else None, self.excerpt, "excerpt")


class Indicator(models.TextChoices):
    OUTBOUND_DELEGATIONS = "outbound_delegations", _("Outbound delegations")
    OUTBOUND_PERSONS = "outbound_persons", _("Outbound person-trips")
    INBOUND_DELEGATIONS = "inbound_delegations", _("Inbound delegations")
    INBOUND_PERSONS = "inbound_persons", _("Inbound persons")
    AGREEMENTS_SIGNED = "agreements_signed", _("International agreements signed")
    FDI_PROJECTS = "fdi_projects", _("FDI projects")
    FDI_CAPITAL = "fdi_capital", _("FDI registered capital")
    ODA_PROJECTS = "oda_projects", _("ODA projects")
    ODA_CAPITAL = "oda_capital", _("ODA capital")
    NGO_PROJECTS = "ngo_projects", _("Foreign NGO projects")
    NGO_COMMITTED = "ngo_committed", _("Foreign NGO committed value")
    NGO_PROJECTS_ACTIVE = "ngo_projects_active", _("Foreign NGO programmes under way")
    NGO_COMMITTED_ACTIVE = "ngo_committed_active", _("Committed value of NGO programmes under way")
    NGO_ORGANISATIONS = "ngo_organisations", _("Foreign NGOs active")
    AID_VALUE = "aid_value", _("Aid received (value)")
    # Gifts and sponsorships from NGOs and individuals, outside any project.
    NGO_AID_VALUE = "ngo_aid_value", _("Aid from foreign NGOs and individuals (value)")
    AID_GIFTS = "aid_gifts", _("Gift packages received")
    SPONSORED_PUPILS = "sponsored_pupils", _("Pupils sponsored")
    TWINNING_DISTRICT_PAIRS = "twinning_district_pairs", _("Twinned border district pairs")
    TWINNING_VILLAGE_PAIRS = "twinning_village_pairs", _("Twinned border village pairs")
    TWINNING_BORDER_POSTS = "twinning_border_posts", _("Border posts twinned with stations")
    KEY_TASKS = "key_tasks", _("Key tasks carried out")
    OTHER = "other", _("Other")


class Unit(models.TextChoices):
    COUNT = "count", _("count")
    PERSONS = "persons", _("persons")
    VND = "VND", _("đồng (VND)")
    USD = "USD", _("US dollars")


class Qualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    ABOUT = "about", _("nearly (gần)")
    OVER = "over", _("over (trên, hơn)")
    UNDER = "under", _("under (dưới)")


class ReportedFigureQuerySet(PublishableQuerySet):
    def published(self):
        """A figure a visitor may see: published itself, and so are the source it
        quotes, its scope and its partner (the report names all three beside it;
        without its source a figure rests on nothing a visitor can read)."""
        return (
            super()
            .published()
            .filter(published_q("source"), published_q("scope"))
            .filter(models.Q(partner__isnull=True) | published_q("partner"))
        )

    def involving(self, partner):
        """Figures that count ``partner`` or a locality under it."""
        return self.filter(partner__path__startswith=partner.path) if partner.path else self.filter(partner=partner)

    def in_country(self, code):
        """Figures that count a partner of the country (ISO 3166 code)."""
        return self.filter(partner__country=code.upper())

    def overlapping(self, start=None, end=None):
        """Figures whose period (from ``period_start``, or the "as of" date alone, to
        ``period_end``) meets the days from ``start`` to ``end`` (either may be None);
        an undated figure meets no bounded period."""
        queryset = self
        if start is not None:
            queryset = queryset.filter(period_end__gte=start)
        if end is not None:
            queryset = queryset.filter(
                models.Q(period_start__lte=end) | models.Q(period_start__isnull=True, period_end__lte=end)
            )
        return queryset

    def with_list_relations(self):
        """The scope, partner and source joined: the list's rows in one query."""
        return self.select_related("scope", "partner", "source")


class ReportedFigure(ProvinceRecord, ReviewedModel):
    """An official aggregate as published; set beside what the register holds."""

    APPROVAL_NEEDS_CITATION = False  # ``source`` and ``excerpt`` are required fields
    # Shown to the precision of ``period_precision`` (the admin, the history); the
    # start is the first day of its month or year, the end its last day ("2012" is
    # 01/01/2012 as a start, 31/12/2012 as an end).
    PARTIAL_DATES = ("period_start", "period_end")
    PARTIAL_DATE_ENDS = ("period_end",)
    DATE_PRECISION_FIELD = "period_precision"

    indicator = models.CharField(_("indicator"), max_length=32, choices=Indicator.choices)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    qualifier = models.CharField(_("qualifier"), max_length=5, choices=Qualifier.choices, default=Qualifier.EXACT)
    period_start = models.DateField(
        _("period start"), null=True, blank=True, help_text=_("Leave blank for a figure “as of” the period end.")
    )
    period_end = models.DateField(
        _("period end or “as of” date"),
        null=True,
        blank=True,
        help_text=_("Blank when the source gives no date (“đến nay” in an undated article)."),
    )
    period_precision = models.CharField(
        _("precision of the period"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    scope = models.ForeignKey(
        LocalUnit, verbose_name=_("scope"), on_delete=models.PROTECT, related_name="reported_figures"
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_figures",
        help_text=_("When the figure counts one partner only (5 of the 7 agreements were with Guangxi)."),
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="reported_figures"
    )
    excerpt = models.TextField(_("excerpt"))
    note = models.TextField(_("note"), blank=True)

    objects = ReportedFigureQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        ordering = ["-period_end", "indicator"]
        indexes = [
            # For the period report: the figures whose period overlaps the one asked.
            models.Index(fields=["period_end", "period_start"], name="figure_period_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gte=0), name="figure_value_not_negative"),
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="figure_period_in_order",
            ),
            models.CheckConstraint(condition=models.Q(indicator__in=Indicator.values), name="figure_indicator_valid"),
            models.CheckConstraint(condition=models.Q(unit__in=Unit.values), name="figure_unit_valid"),
            models.CheckConstraint(condition=models.Q(qualifier__in=Qualifier.values), name="figure_qualifier_valid"),
            models.CheckConstraint(condition=~models.Q(excerpt=""), name="figure_excerpt_not_blank"),
            *partial_date_constraints("figure", ("period_start",), "period_precision"),
            review_state_constraint("figure"),
            public_only_when_approved("figure"),
        ]

    def __str__(self):
        return (
            f"{self.get_indicator_display()}: {self.get_qualifier_display()} {self.value:n} {self.get_unit_display()}"
        )

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The end of the period cannot be before its start.")})
        if self.value is not None and self.value < 0:
            raise ValidationError({"value": _("The value cannot be negative.")})
        _check_excerpt(self.source if self.source_id else None, self.excerpt, "excerpt")
