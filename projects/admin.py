"""Projects with their participants (IATI roles), transactions and citations; exchange rates."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from common import formatting
from common.admin_lookups import StrictLookupsMixin
from common.partial_date_fields import PartialDatesAdminMixin
from projects.models import ExchangeRate, Project, ProjectParticipant, Transaction
from projects.resources import ProjectResource, TransactionResource
from register.import_admin import RecordImportMixin
from register.record_admin import ClearConstraintMessagesForm, PublishableRecordAdmin, format_number, year_filter


class ParticipantFormSet(BaseInlineFormSet):
    """No partner or unit twice in the same role. The database refuses it too
    (partial unique indexes); checking here turns an IntegrityError into a message."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or form.errors:
                continue
            party = data.get("partner") or data.get("local_unit")
            key = (type(party), getattr(party, "pk", None), data.get("role"))
            if key in seen:
                raise ValidationError(
                    _("%(party)s is listed twice in the same role."), code="duplicate_role", params={"party": party}
                )
            seen.add(key)


class ParticipantInline(admin.TabularInline):
    model = ProjectParticipant
    form = ClearConstraintMessagesForm
    formset = ParticipantFormSet
    fields = ["role", "partner", "local_unit"]
    autocomplete_fields = ["partner", "local_unit"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner", "local_unit")


def conversion_shown(obj):
    """The derived đồng value and how it came about (the rate and its date, or why
    there is none): read-only, the database derives it (projects/conversion_sql.py)."""
    if obj is None or obj.pk is None:
        return _("Derived on saving, from the exchange rate of the value date.")
    value = obj.amount_vnd if isinstance(obj, Transaction) else obj.committed_vnd
    shown = formatting.vnd(value) if value is not None else _("not converted")
    return f"{shown} — {obj.conversion}" if obj.conversion else shown


class TransactionInline(PartialDatesAdminMixin, admin.StackedInline):
    """Ten fields a transaction: stacked, a few to a line, so that the form stays
    within a 1280-px screen (as a table it was 2,400 px wide)."""

    model = Transaction
    form = ClearConstraintMessagesForm
    fieldsets = [
        (None, {"fields": [("kind", "date"), ("amount", "currency", "value_date"), "in_vnd"]}),
        (None, {"fields": [("provider", "receiver"), "description"]}),
    ]
    autocomplete_fields = ["provider", "receiver"]
    readonly_fields = ["in_vnd"]
    extra = 1

    @admin.display(description=_("in đồng"))
    def in_vnd(self, obj):
        return conversion_shown(obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("provider", "receiver")


@admin.register(Project)
class ProjectAdmin(RecordImportMixin, PublishableRecordAdmin):
    inlines = [ParticipantInline, TransactionInline]
    # A workbook with its transactions sheet, or a CSV of transactions alone.
    resource_classes = [ProjectResource, TransactionResource]

    # The register's admin layout for a 1280-px screen (static/css/admin.css).
    class Media:
        css = {"all": ["css/admin.css"]}

    # Seven columns: with the filters beside it, the list fits a 1280-px screen and the
    # title reads as a line (code, sector and the amount in its currency are on the form).
    list_display = ["title", "kind", "status", "committed_in_vnd", "start", "review_state", "is_public"]
    # By year rather than date_hierarchy, whose DISTINCT years scan every row (register/record_admin.py).
    list_filter = [
        year_filter("actual_start", _("year started")),
        "kind",
        "status",
        "sector",
        "currency",
        "review_state",
        "is_public",
    ]
    search_fields = ["title", "code"]
    autocomplete_fields = ["sector", "locations"]
    fieldsets = [
        (None, {"fields": ["kind", "code", "title", "sector", "status"]}),
        (
            _("Dates"),
            {"fields": [("planned_start", "planned_end"), ("actual_start", "actual_end")]},
        ),
        (_("Where and what"), {"fields": ["locations", "description", "outputs"]}),
        (_("Committed amount"), {"fields": [("committed_amount", "currency"), "committed_in_vnd_detail"]}),
        PublishableRecordAdmin.review_fieldset,
    ]

    readonly_fields = ["committed_in_vnd_detail"]

    @admin.display(description=_("in đồng"))
    def committed_in_vnd_detail(self, obj):
        return conversion_shown(obj)

    @admin.display(description=_("committed (đồng)"), ordering="committed_vnd")
    def committed_in_vnd(self, obj):
        if obj.committed_vnd is None and obj.committed_amount is not None:
            return _("not converted")  # the change page says why (conversion_shown)
        return format_number(obj.committed_vnd)

    @admin.display(description=_("start"), ordering="actual_start")
    def start(self, obj):
        return obj.start_display


@admin.register(ExchangeRate)
class ExchangeRateAdmin(StrictLookupsMixin, admin.ModelAdmin):
    form = ClearConstraintMessagesForm

    # The register's admin layout for a 1280-px screen (static/css/admin.css).
    class Media:
        css = {"all": ["css/admin.css"]}

    list_display = ["currency", "date", "vnd_per_unit", "source"]
    list_filter = ["currency"]
    search_fields = ["source"]
    date_hierarchy = "date"
