"""The annual plans with their lines on one screen, the lines' search (for the
delegation form's autocomplete), and the office's rules on delegations, which
administrators alone edit (register/roles.py gives staff, approvers and officials
the plans only)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from common.formatting import vnd
from offices.admin_scope import ProvinceAdminMixin
from offices.scope import writing_province
from planning.models import AnnualPlan, DelegationRules, PlanLine, SizeLimit
from planning.rules import rules_for
from register.record_admin import ClearConstraintMessagesForm


class PlanLineInline(admin.TabularInline):
    model = PlanLine
    form = ClearConstraintMessagesForm
    fields = [
        "host_unit",
        "country",
        "partner",
        "purpose",
        "quarter",
        "size",
        "budget",
        "leader",
        "cancelled",
        "cancel_reason",
    ]
    autocomplete_fields = ["host_unit", "partner"]
    extra = 1


@admin.register(AnnualPlan)
class AnnualPlanAdmin(ProvinceAdminMixin, admin.ModelAdmin):
    form = ClearConstraintMessagesForm
    inlines = [PlanLineInline]
    list_display = ["title", "year", "decision_ref", "decision_date", "line_count"]
    search_fields = ["title", "decision_ref"]
    fields = ["year", "title", ("decision_ref", "decision_date"), "notes"]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(line_count=Count("lines"))

    @admin.display(description=_("lines"), ordering="line_count")
    def line_count(self, obj):
        return obj.line_count

    def view_on_site(self, obj):
        return obj.get_absolute_url()


@admin.register(PlanLine)
class PlanLineAdmin(ProvinceAdminMixin, admin.ModelAdmin):
    """The lines on their own: the delegation form's autocomplete searches here."""

    form = ClearConstraintMessagesForm
    list_display = ["__str__", "plan", "host_unit", "country", "quarter", "size", "budget_display", "cancelled"]
    list_filter = ["plan__year", "quarter", "cancelled"]
    list_select_related = ["plan", "host_unit", "partner"]
    search_fields = ["purpose", "leader", "country", "plan__title", "host_unit__name", "partner__name"]
    autocomplete_fields = ["plan", "host_unit", "partner"]

    @admin.display(description=_("budget (VND)"), ordering="budget")
    def budget_display(self, obj):
        return vnd(obj.budget) if obj.budget is not None else "—"

    def get_search_results(self, request, queryset, search_term):
        # The delegation form asks for the lines of its year first, the newest plans above.
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if request.resolver_match is not None and request.resolver_match.url_name == "autocomplete":
            queryset = queryset.filter(cancelled=False)  # a cancelled line is carried out by no delegation
        return queryset.select_related("plan", "partner").order_by("-plan__year", "quarter", "pk"), duplicates


class SizeLimitInline(admin.TabularInline):
    model = SizeLimit
    form = ClearConstraintMessagesForm
    fields = ["level", "max_size"]
    extra = 0


@admin.register(DelegationRules)
class DelegationRulesAdmin(ProvinceAdminMixin, admin.ModelAdmin):
    form = ClearConstraintMessagesForm
    inlines = [SizeLimitInline]
    list_display = ["__str__", "province", "report_due_days", "max_days", "max_countries", "max_trips_per_person"]
    fieldsets = [
        (None, {"fields": ["report_due_days"]}),
        (_("Limits"), {"fields": ["max_days", "max_countries", "max_trips_per_person", "key_leaders"]}),
        (_("Checks"), {"fields": ["require_decision", "warn_outside_plan"]}),
    ]

    def changelist_view(self, request, extra_context=None):
        # A province's rules exist from the first look: its defaults, ready to edit.
        code = writing_province(request.user)
        if code is not None and self.has_view_or_change_permission(request):
            rules_for(code)
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False  # one row per province, made with its defaults
