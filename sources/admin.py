"""Sources, the citations that tie any record to them, and reported figures."""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.partial_date_fields import PartialDatesAdminMixin
from common.partial_dates import format_partial_date
from register.record_admin import (
    REVIEW_FIELDSET,
    ClearConstraintMessagesForm,
    RegisterAdmin,
    ReviewMixin,
    format_number,
    register_record_inline,
)
from sources.models import Citation, ReportedFigure, Source, _check_excerpt


@register_record_inline
class CitationInline(GenericTabularInline):
    """The one citations inline, added to every cited record's admin
    (see ``register.record_admin.register_record_inline``)."""

    model = Citation
    form = ClearConstraintMessagesForm
    fields = ["source", "excerpt", "locator"]
    autocomplete_fields = ["source"]
    extra = 1
    formfield_overrides = {
        # Django's TextField widget sets 10 rows; an excerpt is a sentence or two.
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 80})},
    }

    def get_queryset(self, request):
        # The source of each row is shown by the autocomplete widget.
        return super().get_queryset(request).select_related("source")


class ReportedFigureFormSet(BaseInlineFormSet):
    """On a new source the figures have no saved source yet, so the model's own
    check of the excerpt against the full text is made here, with the text as typed."""

    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.has_changed() or form.instance.source_id is not None:
                continue
            try:
                _check_excerpt(self.instance, form.cleaned_data.get("excerpt"), "excerpt")
            except ValidationError as error:
                form.add_error(None, error)


class ReportedFigureInline(PartialDatesAdminMixin, admin.StackedInline):
    model = ReportedFigure
    form = ClearConstraintMessagesForm
    formset = ReportedFigureFormSet
    fields = [
        ("indicator", "qualifier", "value", "unit"),
        ("period_start", "period_end"),
        ("scope", "partner"),
        "excerpt",
        "note",
        ("review_state", "is_public"),
    ]
    # A figure added here starts as a draft; it is reviewed and published from its own page.
    readonly_fields = ["review_state", "is_public"]
    autocomplete_fields = ["scope", "partner"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("scope", "partner")


class SourceForm(ClearConstraintMessagesForm):
    def clean_body(self):
        """A corrected full text must still contain every excerpt quoted from it."""
        body = self.cleaned_data["body"]
        if self.instance.pk is None or not body:
            return body
        quoted = [c.excerpt for c in self.instance.citations.all()]
        quoted += [f.excerpt for f in self.instance.reported_figures.all()]
        lost = [excerpt for excerpt in quoted if excerpt not in body]
        if lost:
            raise ValidationError(
                ngettext(
                    "%(count)d excerpt quoted from this source is no longer in the full text: “%(first)s”.",
                    "%(count)d excerpts quoted from this source are no longer in the full text, such as “%(first)s”.",
                    len(lost),
                ),
                code="excerpt_lost",
                params={"count": len(lost), "first": lost[0][:120]},
            )
        return body


@admin.register(Source)
class SourceAdmin(ReviewMixin, RegisterAdmin):
    form = SourceForm
    list_display = ["title", "kind", "publisher", "published_on", "reference", "review_state", "is_public"]
    list_filter = ["kind", "review_state", "is_public"]
    search_fields = ["title", "publisher", "reference", "url"]
    date_hierarchy = "published_on"
    inlines = [ReportedFigureInline]
    readonly_fields = ["cited_by"]
    # Addresses typed without a scheme are read as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["kind", "title", "publisher", "author", "published_on", "url", "reference"]}),
        (_("Full text and file"), {"fields": ["body", "file"]}),
        (_("Notes"), {"classes": ["collapse"], "fields": ["notes"]}),
        (_("Where this source is cited"), {"classes": ["collapse"], "fields": ["cited_by"]}),
        REVIEW_FIELDSET,
    ]

    @admin.display(description=_("cited by"))
    def cited_by(self, obj):
        """The records citing this source, linked to their admin pages; one
        query for the citations and one per kind of record."""
        if obj is None or obj.pk is None:
            return "—"
        citations = obj.citations.select_related("content_type").prefetch_related("content_object")
        rows = []
        for citation in citations:
            record = citation.content_object
            if record is None:
                continue
            ct = citation.content_type
            try:
                url = reverse(f"admin:{ct.app_label}_{ct.model}_change", args=[record.pk])
            except NoReverseMatch:
                url = ""
            rows.append((url, record, citation.excerpt[:100]))
        if not rows:
            return _("Not cited yet.")
        return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a>: “{}”</li>', rows))


@admin.register(ReportedFigure)
class ReportedFigureAdmin(ReviewMixin, RegisterAdmin):
    list_display = ["indicator", "figure", "period", "scope", "partner", "source", "review_state", "is_public"]
    list_select_related = ["scope", "partner", "source"]
    list_filter = ["indicator", "unit", "qualifier", "review_state", "is_public"]
    search_fields = ["excerpt", "note", "source__title", "scope__name", "partner__name"]
    date_hierarchy = "period_end"
    autocomplete_fields = ["scope", "partner", "source"]
    fieldsets = [
        (None, {"fields": ["indicator", ("qualifier", "value", "unit")]}),
        (_("Period"), {"fields": [("period_start", "period_end")]}),
        (_("Scope"), {"fields": ["scope", "partner"]}),
        (_("Source"), {"fields": ["source", "excerpt", "note"]}),
        REVIEW_FIELDSET,
    ]

    @admin.display(description=_("figure"), ordering="value")
    def figure(self, obj):
        return f"{obj.get_qualifier_display()} {format_number(obj.value)} {obj.get_unit_display()}"

    @admin.display(description=_("period"), ordering="period_end")
    def period(self, obj):
        end = format_partial_date(obj.period_end, obj.period_precision)
        if obj.period_start:
            return f"{format_partial_date(obj.period_start, obj.period_precision)} – {end}"
        return end
