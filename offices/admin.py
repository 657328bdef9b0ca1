"""The office profiles in the admin, for administrators (the role that holds
the offices app's permissions, register/roles.py).

On a database without a profile the screen adds it; on a fresh database (no
local unit yet) adding it also sets the province up as ``start_province`` does:
its local units of the 2025 map. The province is fixed once the profile exists.
A database of one office shows its one screen; another province's office is
added by a national user (a superuser or the national role, offices/scope.py),
with its local units."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from offices import services
from offices.models import OfficeProfile, StaffProfile
from offices.scope import is_national

# Filled from the province when left blank on the add screen (services.defaults_for).
DERIVED = (
    "office_name",
    "office_name_en",
    "superior_body",
    "heading_name",
    "place",
    "report_symbol",
    "iati_org_name",
    "iati_org_ref",
    "site_title",
    "site_title_en",
)
FIELDSETS = [
    (None, {"fields": ["province_code", "office_name", "office_name_en", "site_title", "site_title_en", "emblem"]}),
    (
        _("Documents"),
        {"fields": ["superior_body", "heading_name", "place", "report_symbol", "signer_title", "report_recipients"]},
    ),
    (_("IATI reporting organisation"), {"fields": ["iati_org_name", "iati_org_ref", "iati_org_type"]}),
    (_("Footer"), {"fields": ["footer", "footer_en"]}),
]


class OfficeProfileForm(forms.ModelForm):
    class Meta:
        model = OfficeProfile
        fields = [name for _title, options in FIELDSETS for name in options["fields"]]
        widgets = {"superior_body": forms.TextInput(attrs={"size": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            for name in DERIVED:
                if name in self.fields:
                    self.fields[name].required = False
                    self.fields[name].help_text = format_blank_help(self.fields[name].help_text)

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("province_code")
        if self.instance.pk is None and code:
            province = services.find_province(code)  # a choice of the list: always found
            for name, value in services.defaults_for(province).items():
                if name in DERIVED and not cleaned.get(name):
                    cleaned[name] = value
        return cleaned


def format_blank_help(help_text):
    return _("%(help)s Blank: derived from the province.") % {"help": help_text}


@admin.register(OfficeProfile)
class OfficeProfileAdmin(SimpleHistoryAdmin):
    form = OfficeProfileForm
    list_display = ["office_name", "province_code", "updated_at"]
    fieldsets = FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        # Another province is another install: the province of a saved profile stays.
        return ["province_code"] if obj is not None else []

    def has_add_permission(self, request):
        # The first office, or (national users only) another province's.
        return super().has_add_permission(request) and (is_national(request.user) or not OfficeProfile.objects.exists())

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """A list of one: straight to the profile, or to the add screen when there is none.
        A list of several offices is a list."""
        offices = list(OfficeProfile.objects.all()[:2])
        profile = offices[0] if len(offices) == 1 else None
        if profile is not None and self.has_view_or_change_permission(request, profile):
            return redirect(reverse("admin:offices_officeprofile_change", args=[profile.pk]))
        if not offices and self.has_add_permission(request):
            return redirect(reverse("admin:offices_officeprofile_add"))
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        # Fresh: a database without records, or records held by the other offices (not this province's).
        fresh = not change and (not services.records_held() or OfficeProfile.objects.exists())
        super().save_model(request, obj, form, change)
        if fresh:
            # A fresh database: the province's local units too, as start_province adds them
            # (in the admin's transaction: the profile is not saved without them).
            created, _existing = services.add_local_units(obj.province)
            messages.info(
                request,
                gettext("%(count)s local units of %(province)s were added: the province and its communes and wards.")
                % {"count": created, "province": obj.province.full_name},
            )


# --- The user accounts (django.contrib.auth), with the staff profile's province and
# unit limit on the user's page, which only an administrator may see and set.

STAFF_PROFILE_PERMISSION = "offices.change_staffprofile"


def may_set_unit_limits(user):
    """Administrators (and superusers): the role that holds the staff profiles'
    permissions (register/roles.py). Staff and approvers never set
    their own limit."""
    return user.is_active and user.has_perm(STAFF_PROFILE_PERMISSION)


class StaffProfileForm(forms.ModelForm):
    class Meta:
        model = StaffProfile
        fields = ["province", "unit"]
        help_texts = {
            "unit": _(
                "Staff and approvers limited to a unit see, enter, submit and approve only the records of that "
                "unit and of the units under it. Blank: every unit."
            )
        }


class StaffProfileInline(admin.StackedInline):
    """The province and the unit limit, on the user's page. Shown to administrators only:
    anyone else allowed to open a user's page sees no trace of it."""

    model = StaffProfile
    form = StaffProfileForm
    autocomplete_fields = ["unit"]
    can_delete = False
    max_num = 1
    verbose_name = _("unit limit")
    verbose_name_plural = _("unit limit")

    def has_view_permission(self, request, obj=None):
        return may_set_unit_limits(request.user)

    def has_add_permission(self, request, obj=None):
        return may_set_unit_limits(request.user)

    def has_change_permission(self, request, obj=None):
        return may_set_unit_limits(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # a blank unit lifts the limit


class RegisterUserAdmin(UserAdmin):
    list_display = [*UserAdmin.list_display, "province", "unit_limit"]
    list_select_related = ["staff_profile__unit", "staff_profile__province"]
    inlines = [StaffProfileInline]

    @admin.display(description=_("province"), ordering="staff_profile__province")
    def province(self, user):
        profile = getattr(user, "staff_profile", None)
        return profile.province.province_name if profile is not None and profile.province_id else "—"

    @admin.display(description=_("limited to the unit"), ordering="staff_profile__unit__name")
    def unit_limit(self, user):
        profile = getattr(user, "staff_profile", None)
        return profile.unit if profile is not None and profile.unit_id else "—"


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, RegisterUserAdmin)
