"""International conferences and seminars, with the agencies consulted on each."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from conferences.models import Conference, Consultation
from conferences.resources import ConferenceResource
from register.import_admin import RecordImportMixin
from register.record_admin import ClearConstraintMessagesForm, PublishableRecordAdmin, year_filter


class ConsultationInline(admin.TabularInline):
    model = Consultation
    form = ClearConstraintMessagesForm
    fields = ["agency", "asked_on", "answered_on", "answer"]
    extra = 1
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}


@admin.register(Conference)
class ConferenceAdmin(RecordImportMixin, PublishableRecordAdmin):
    inlines = [ConsultationInline]
    resource_classes = [ConferenceResource]

    # The register's admin layout for a 1280-px screen (static/css/admin.css).
    class Media:
        css = {"all": ["css/admin.css"]}

    list_display = ["title", "kind", "dates", "authority", "deadline", "status", "review_state", "is_public"]
    list_select_related = ["organiser"]
    # By year rather than date_hierarchy, whose DISTINCT years scan every row (register/record_admin.py).
    list_filter = [
        year_filter("start_date", _("year held")),
        "kind",
        "authority",
        "status",
        "foreign_funded",
        "review_state",
        "is_public",
    ]
    search_fields = ["title", "place", "decision_number"]
    autocomplete_fields = ["organiser", "partners"]
    fieldsets = [
        (None, {"fields": ["title", "kind", "status"]}),
        (_("Organisers and participants"), {"fields": ["organiser", "co_organisers", "partners"]}),
        (
            _("Dates and place"),
            {"fields": [("start_date", "end_date"), "place", ("total_participants", "foreign_participants")]},
        ),
        (_("Funding"), {"fields": [("foreign_funded", "funding")]}),
        (
            _("Application and decision"),
            {
                "fields": [
                    ("authority", "application_date"),
                    ("decision_number", "decision_date"),
                    "decision_file",
                ]
            },
        ),
        (_("Content and report"), {"fields": ["summary", "report_date", "report_summary", "report_file"]}),
        PublishableRecordAdmin.review_fieldset,
    ]

    @admin.display(description=_("dates"), ordering="start_date")
    def dates(self, obj):
        return obj.date_display

    @admin.display(description=_("application due by"))
    def deadline(self, obj):
        deadline = obj.application_deadline
        return date_format(deadline, "SHORT_DATE_FORMAT") if deadline else "—"
