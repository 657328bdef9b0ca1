"""The passports' admin: the register with its hand-outs on one screen, the
hand-outs' own list ("not returned"), the export, and the view log.

The number (personal data, passports/access.py) is on the form, the list, the
search, the history and the export only for who may read it; for everyone else
it is left off the form and shown as dots in the list. Each GET of a passport's
page or history is logged."""

import re

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from offices.scope import is_national, writing_province
from passports.access import HIDDEN_NUMBER, log_view, may_see_numbers
from passports.exports import workbook
from passports.models import (
    ALREADY_OUT,
    NUMBER_PATTERN,
    NUMBER_TAKEN,
    Passport,
    PassportLoan,
    PassportViewLog,
    ViewKind,
    months_after,
    normalise_number,
    warning_months,
)
from register.record_admin import ClearConstraintMessagesForm, RegisterAdmin


def day(value):
    return date_format(value, "SHORT_DATE_FORMAT") if value else "–"


class PassportForm(ClearConstraintMessagesForm):
    """The custodian's form: the number as typed, spaces and case put right before it is checked."""

    class Meta:
        model = Passport
        fields = "__all__"
        widgets = {"number": forms.TextInput(attrs={"size": 12, "autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "number" in self.fields:
            self.fields["number"].max_length = 30  # "C 123 4567" is 10 characters before it is normalised
            self.fields["number"].widget.attrs["maxlength"] = 30
            self.fields["number"].validators = []

    # The province the passport is entered in (set by PassportAdmin.get_form): the form has no province
    # field, so Django leaves the (province, number) constraint to the database; it is checked here.
    province_code = None

    def clean_number(self):
        number = normalise_number(self.cleaned_data.get("number"))
        province = self.instance.province_id if self.instance.pk else (self.province_code or self.instance.province_id)
        taken = Passport.objects.filter(province=province, number=number).exclude(pk=self.instance.pk)
        if number and taken.exists():
            raise forms.ValidationError(NUMBER_TAKEN, code="taken")
        return number


def office_users(request):
    """The office's people who may hand out or take back a passport: active admin users of the user's province."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True).order_by("username")
    if is_national(request.user):
        return users
    code = writing_province(request.user)
    return users.filter(Q(staff_profile__province=code) | Q(staff_profile__isnull=True))


class LoanFormsMixin:
    """The hand-out's two people: chosen among the office's users, the signed-in one by default."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("handed_out_by", "received_back_by"):
            kwargs["queryset"] = office_users(request)
            if db_field.name == "handed_out_by":
                kwargs["initial"] = request.user.pk
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def stamp_people(loan, user):
    """Who handed out and took back, when the form left them blank: the user who saved it."""
    if loan.handed_out_by_id is None:
        loan.handed_out_by = user
    if loan.returned_on is not None and loan.received_back_by_id is None:
        loan.received_back_by = user


class LoanFormSet(BaseInlineFormSet):
    """Two rows not returned in one save: each form alone passes the one-open-hand-out rule (the other is not
    saved yet), the database would refuse the pair; said here in words."""

    def clean(self):
        super().clean()
        open_rows = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk or form.has_changed())
            and not form.cleaned_data.get("returned_on")
        ]
        if len(open_rows) > 1:
            raise forms.ValidationError(ALREADY_OUT, code="twice_out")


class PassportLoanInline(LoanFormsMixin, admin.TabularInline):
    model = PassportLoan
    formset = LoanFormSet
    form = ClearConstraintMessagesForm
    extra = 0
    # The notes are on the hand-out's own page: the row stays within a laptop's screen.
    fields = ["delegation", "handed_out_on", "handed_out_by", "handed_to", "returned_on", "received_back_by"]
    autocomplete_fields = ["delegation"]
    formfield_overrides = {
        PassportLoan._meta.get_field("handed_to").__class__: {"widget": forms.TextInput(attrs={"size": 16})}
    }


class ExpiryFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [("soon", _("Expiring within the warning months")), ("expired", _("Past their expiry date"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "soon":
            return queryset.filter(expires_on__gte=today, expires_on__lte=months_after(today, warning_months()))
        if self.value() == "expired":
            return queryset.filter(expires_on__lt=today)
        return queryset


@admin.register(Passport)
class PassportAdmin(RegisterAdmin):
    form = PassportForm
    change_list_template = "admin/passports/passport_change_list.html"
    list_filter = ["kind", "kept_by_agency", ExpiryFilter]
    list_per_page = 100
    inlines = [PassportLoanInline]
    fieldsets = [
        (None, {"fields": ["holder_name", "holder_position", "kind", "number"]}),
        (_("Issue and validity"), {"fields": ["issued_on", "expires_on", "issued_by", "kept_by_agency"]}),
        (_("Notes"), {"classes": ["collapse"], "fields": ["notes"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_loan_state()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.province_code = writing_province(request.user)
        return form

    def get_list_display(self, request):
        number = "number" if may_see_numbers(request.user) else "hidden_number"
        return ["holder_name", "kind", number, "validity", "on_loan"]

    def get_search_fields(self, request):
        fields = ["holder_name", "holder_position"]
        return fields

    def get_search_results(self, request, queryset, search_term):
        # A number typed as it is printed ("C 123 4567"), for who may search by number.
        if may_see_numbers(request.user) and re.match(NUMBER_PATTERN, normalise_number(search_term)):
            return queryset.filter(number=normalise_number(search_term)), False
        return super().get_search_results(request, queryset, search_term)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if may_see_numbers(request.user):
            return fieldsets
        return [
            (title, {**options, "fields": [f for f in options["fields"] if f != "number"]})
            for title, options in fieldsets
        ]

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        return exclude if may_see_numbers(request.user) else [*exclude, "number"]

    @admin.display(description=_("passport number"))
    def hidden_number(self, obj):
        return HIDDEN_NUMBER

    @admin.display(description=_("date of expiry"), ordering="expires_on")
    def validity(self, obj):
        today = timezone.localdate()
        if obj.expires_on < today:
            return format_html('<strong class="errornote-inline">⚠ {} ({})</strong>', day(obj.expires_on), _("expired"))
        if obj.expires_soon(today):
            return format_html("<strong>⚠ {} ({})</strong>", day(obj.expires_on), _("expires soon"))
        return day(obj.expires_on)

    @admin.display(description=_("out"), boolean=True)
    def on_loan(self, obj):
        return obj.is_out

    def save_formset(self, request, form, formset, change):
        if formset.model is PassportLoan:
            for row in formset.forms:
                if row.has_changed():
                    stamp_people(row.instance, request.user)
        super().save_formset(request, form, formset, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            self._log(request, object_id, ViewKind.PAGE)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._log(request, object_id, ViewKind.HISTORY)
        response = super().history_view(request, object_id, extra_context)
        if not may_see_numbers(request.user) and hasattr(response, "context_data"):
            label = str(Passport._meta.get_field("number").verbose_name)
            for change in response.context_data.get("changes", ()):
                change.fields = [
                    (name, HIDDEN_NUMBER, HIDDEN_NUMBER) if str(name).lower() == label.lower() else (name, old, new)
                    for name, old, new in change.fields
                ]
        return response

    def _log(self, request, object_id, kind):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_view_or_change_permission(request, obj):
            log_view(request, kind, passport=obj)

    def get_urls(self):
        opts = self.model._meta
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name=f"{opts.app_label}_{opts.model_name}_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request):
        """A form ("include numbers", for who may) and, with ``download``, the XLSX of the user's province."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        numbers_allowed = may_see_numbers(request.user)
        if "download" not in request.GET:
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Export the passports"),
                "numbers_allowed": numbers_allowed,
            }
            return TemplateResponse(request, "admin/passports/passport_export.html", context)
        with_numbers = numbers_allowed and request.GET.get("numbers") == "1"
        content, by_province = workbook(self.get_queryset(request).order_by("holder_name", "pk"), with_numbers)
        # One line per province exported (a national user's workbook spans several), none when it is empty.
        for province, count in sorted(by_province.items()):
            log_view(
                request, ViewKind.EXPORT_NUMBERS if with_numbers else ViewKind.EXPORT, rows=count, province=province
            )
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        name = f"ho-chieu-{timezone.localdate():%Y-%m-%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class NotReturnedFilter(admin.SimpleListFilter):
    title = _("return")
    parameter_name = "returned"

    def lookups(self, request, model_admin):
        return [("no", _("Not returned")), ("yes", _("Returned"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(returned_on=None)
        if self.value() == "yes":
            return queryset.exclude(returned_on=None)
        return queryset


@admin.register(PassportLoan)
class PassportLoanAdmin(LoanFormsMixin, RegisterAdmin):
    list_display = ["passport", "delegation", "handed_out_on", "return_due", "returned_on"]
    list_select_related = ["passport", "delegation"]
    list_filter = [NotReturnedFilter]
    search_fields = ["passport__holder_name", "delegation__title", "handed_to"]
    autocomplete_fields = ["delegation"]
    fields = [
        "passport",
        "delegation",
        "handed_out_on",
        "handed_out_by",
        "handed_to",
        "returned_on",
        "received_back_by",
        "notes",
    ]

    @admin.display(description=_("to be returned by"))
    def return_due(self, obj):
        due = obj.return_due_on()
        if due is None:
            return "–"
        if obj.returned_on is None and due < timezone.localdate():
            return format_html("<strong>⚠ {} ({})</strong>", day(due), _("late"))
        return day(due)

    def save_model(self, request, obj, form, change):
        stamp_people(obj, request.user)
        super().save_model(request, obj, form, change)


@admin.register(PassportViewLog)
class PassportViewLogAdmin(RegisterAdmin):
    """Read by administrators only (register/roles.py gives no one else its view permission); written by nobody."""

    list_display = ["viewed_at", "username", "kind", "passport_label", "rows", "address"]
    list_filter = ["kind"]
    search_fields = ["username", "passport_label"]
    change_list_template = "admin/change_list.html"
    change_form_template = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
