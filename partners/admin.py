"""Partners and their hierarchy, the province's own units, cooperation mechanisms, sectors."""

from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from common.admin_lookups import StrictLookupsMixin
from common.partial_dates import format_partial_date
from partners.models import CooperationMechanism, LocalUnit, Partner, Sector
from partners.resources import PartnerResource
from register.import_admin import RecordImportMixin
from register.record_admin import REVIEW_FIELDSET, CitedRecordAdmin
from register.review_admin import ReviewMixin


@admin.register(Partner)
class PartnerAdmin(RecordImportMixin, ReviewMixin, CitedRecordAdmin):
    resource_classes = [PartnerResource]

    # The register's admin layout for a 1280-px screen (static/css/admin.css).
    class Media:
        css = {"all": ["css/admin.css"]}

    list_display = ["name_in_order", "name_en", "name_native", "kind", "country", "parent", "review_state", "is_public"]
    list_select_related = ["parent"]
    list_filter = ["kind", "country", "review_state", "is_public"]
    search_fields = ["name", "name_en", "name_native", "aliases"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["hierarchy"]
    fieldsets = [
        (_("Names"), {"fields": ["name", "name_en", "name_native", "aliases"]}),
        (_("Place in the hierarchy"), {"fields": ["kind", "country", "parent", "hierarchy"]}),
        (_("Identifiers"), {"fields": ["iati_ref"]}),
        (_("Coordinates"), {"classes": ["collapse"], "fields": [("latitude", "longitude")]}),
        (_("Notes"), {"classes": ["collapse"], "fields": ["notes"]}),
        REVIEW_FIELDSET,
    ]

    @admin.display(description=_("name"), ordering="name_sort")
    def name_in_order(self, obj):
        """The name, its column sorted in Vietnamese order ("Đức" after "Dương")."""
        return obj.name

    @admin.display(description=_("hierarchy"))
    def hierarchy(self, obj):
        """The chain from the country down to this partner, each part linked;
        costs one query (``Partner.ancestors``)."""
        if obj is None or obj.pk is None:
            return _("Shown once the partner is saved.")
        parts = [(reverse("admin:partners_partner_change", args=[a.pk]), a.name) for a in obj.ancestors()]
        if not parts:
            return obj.name
        return format_html("{} › {}", format_html_join(" › ", '<a href="{}">{}</a>', parts), obj.name)


class ValidityFilter(admin.SimpleListFilter):
    """Districts were abolished on 01/07/2025; old records keep the unit they had."""

    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [("current", _("Still exists")), ("ended", _("No longer exists"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        if self.value() == "ended":
            return queryset.filter(valid_to__lt=today)
        return queryset


@admin.register(LocalUnit)
class LocalUnitAdmin(ReviewMixin, CitedRecordAdmin):
    # The register's admin layout for a 1280-px screen (static/css/admin.css).
    class Media:
        css = {"all": ["css/admin.css"]}

    list_display = [
        "name",
        "kind",
        "code",
        "parent",
        "valid_from",
        "valid_to",
        "successor",
        "review_state",
        "is_public",
    ]
    list_select_related = ["parent", "successor"]
    list_filter = ["kind", ValidityFilter, "review_state", "is_public"]
    search_fields = ["name", "name_en", "code", "aliases"]
    autocomplete_fields = ["parent", "successor"]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "aliases", "kind", "code", "parent"]}),
        (_("Validity"), {"fields": [("valid_from", "valid_to"), "successor"]}),
        (_("Notes"), {"classes": ["collapse"], "fields": ["notes"]}),
        REVIEW_FIELDSET,
    ]


@admin.register(CooperationMechanism)
class CooperationMechanismAdmin(ReviewMixin, CitedRecordAdmin):
    # The register's admin layout for a 1280-px screen (static/css/admin.css).
    class Media:
        css = {"all": ["css/admin.css"]}

    list_display = ["name", "established", "is_active", "foreign_side", "vietnamese_side", "review_state", "is_public"]
    list_prefetch_related = ["partners", "local_units"]
    list_filter = ["is_active", "review_state", "is_public"]
    search_fields = ["name", "name_en"]
    autocomplete_fields = ["partners", "local_units"]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "description", "is_active"]}),
        (_("Sides"), {"fields": ["partners", "local_units"]}),
        (_("Established"), {"fields": ["established_on"]}),
        REVIEW_FIELDSET,
    ]

    @admin.display(description=_("established"), ordering="established_on")
    def established(self, obj):
        return format_partial_date(obj.established_on, obj.established_precision)

    @admin.display(description=_("foreign side"))
    def foreign_side(self, obj):
        return ", ".join(p.name for p in obj.partners.all())

    @admin.display(description=_("Vietnamese side"))
    def vietnamese_side(self, obj):
        return ", ".join(u.name for u in obj.local_units.all())


@admin.register(Sector)
class SectorAdmin(StrictLookupsMixin, admin.ModelAdmin):
    # The register's admin layout for a 1280-px screen (static/css/admin.css).
    class Media:
        css = {"all": ["css/admin.css"]}

    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]
