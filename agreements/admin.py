"""International agreements with their implementation updates, and twinning pairs."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementUpdate, Partnership
from agreements.resources import AgreementResource
from common.partial_date_fields import PartialDatesAdminMixin
from common.partial_dates import format_partial_date
from register.import_admin import RecordImportMixin
from register.record_admin import ClearConstraintMessagesForm, PublishableRecordAdmin, year_filter


class AgreementUpdateInline(PartialDatesAdminMixin, admin.TabularInline):
    model = AgreementUpdate
    form = ClearConstraintMessagesForm
    fields = ["date", "note"]
    extra = 1
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 80})}}


@admin.register(Agreement)
class AgreementAdmin(RecordImportMixin, PublishableRecordAdmin):
    inlines = [AgreementUpdateInline]
    resource_classes = [AgreementResource]

    # The register's admin layout for a 1280-px screen (static/css/admin.css).
    class Media:
        css = {"all": ["css/admin.css"]}

    # Seven columns: with the filters beside it, the list fits a 1280-px screen and the
    # title reads as a line (number, expiry and signatory are on the form and in the exports).
    list_display = ["title", "kind", "signed", "status", "partner_names", "review_state", "is_public"]
    list_prefetch_related = ["partners"]
    # By year rather than date_hierarchy, whose DISTINCT years scan every row (register/record_admin.py).
    list_filter = [
        year_filter("signed_on", _("year signed")),
        "kind",
        "regime",
        "status",
        "signing_level",
        "review_state",
        "is_public",
    ]
    search_fields = ["title", "code", "signed_place"]
    autocomplete_fields = ["local_signatory", "partners", "fields", "succeeded_by"]
    fieldsets = [
        (None, {"fields": ["title", "code", "kind", "regime", "status"]}),
        (_("Parties"), {"fields": ["signing_level", "local_signatory", "partners"]}),
        (
            _("Dates"),
            {"fields": ["signed_on", "signed_place", ("effective_on", "expires_on")]},
        ),
        (_("Content"), {"fields": ["fields", "summary", "document"]}),
        (
            _("Consultation of the Ministry of Foreign Affairs"),
            {"classes": ["collapse"], "fields": [("mofa_opinion_requested_on", "mofa_opinion_on")]},
        ),
        (_("Succession"), {"classes": ["collapse"], "fields": ["succeeded_by"]}),
        PublishableRecordAdmin.review_fieldset,
    ]

    @admin.display(description=_("signed"), ordering="signed_on")
    def signed(self, obj):
        return obj.signed_display

    @admin.display(description=_("partners"))
    def partner_names(self, obj):
        return ", ".join(partner.name for partner in obj.partners.all())


@admin.register(Partnership)
class PartnershipAdmin(PublishableRecordAdmin):
    # The register's admin layout for a 1280-px screen (static/css/admin.css).
    class Media:
        css = {"all": ["css/admin.css"]}

    list_display = ["local_unit", "partner", "kind", "established", "agreement", "review_state", "is_public"]
    list_select_related = ["local_unit", "partner", "agreement"]
    list_filter = ["kind", "review_state", "is_public"]
    search_fields = ["local_unit__name", "partner__name", "note"]
    date_hierarchy = "established_on"
    autocomplete_fields = ["local_unit", "partner", "agreement"]
    fieldsets = [
        (None, {"fields": ["local_unit", "partner", "kind"]}),
        (_("Established"), {"fields": ["established_on", "agreement"]}),
        (_("Note"), {"fields": ["note"]}),
        PublishableRecordAdmin.review_fieldset,
    ]

    @admin.display(description=_("established"), ordering="established_on")
    def established(self, obj):
        return format_partial_date(obj.established_on, obj.date_precision)
