"""The admin site's names; the record apps register their own admins.

An admin of another app is registered again here: django-axes' login
attempts, whose ``status`` and ``expiration`` columns carry no label of their
own and would show in English (axes' other words, which it ships no Vietnamese
for, are in our catalogue). The user accounts, with their province and unit
limit, are registered again in offices/admin.py.
"""

from axes.admin import AccessAttemptAdmin, IsLockedOutFilter
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from offices.profile import current_profile, only_office
from offices.site_scope import shown_profile
from register.models import SheetMapping

# The office profile's title (offices/profile.py, cached), read at each page in the reader's language.
admin.site.site_header = lazy(lambda: str(current_profile().shown_site_title), str)()
admin.site.site_title = admin.site.site_header
admin.site.index_title = _("Data entry")
_each_context = admin.site.each_context


def _office_context(request):
    """Every admin page titled with the office of the user's province (offices/site_scope.py):
    on a register of several offices, a Cao Bằng clerk's pages name Cao Bằng's register."""
    context = _each_context(request)
    if only_office() is None and getattr(request, "user", None) is not None:
        title = str(shown_profile(request.user).shown_site_title)
        context.update(site_header=title, site_title=title)
    return context


admin.site.each_context = _office_context


class LockStatusFilter(IsLockedOutFilter):
    # Lower case like every other filter title: "Theo tình trạng khóa".
    title = _("lock status")


class LoginAttemptAdmin(AccessAttemptAdmin):
    list_filter = [LockStatusFilter if f is IsLockedOutFilter else f for f in AccessAttemptAdmin.list_filter]

    @admin.display(description=_("expires at"))
    def expiration(self, obj):
        return super().expiration(obj)

    @admin.display(description=_("status"))
    def status(self, obj):
        return super().status(obj)


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, LoginAttemptAdmin)


@admin.register(SheetMapping)
class SheetMappingAdmin(admin.ModelAdmin):
    """The saved mappings of offices' lists, and the office import's pages
    (register/office_import/admin_views.py) under this admin's URLs."""

    list_display = ["name", "kind", "created_by", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    readonly_fields = ["signature", "columns", "values", "defaults", "created_by", "updated_at"]

    def has_add_permission(self, request):
        return False  # made on the import page, from a file's headings

    def get_urls(self):
        from django.urls import path

        from register.office_import import admin_views

        site = self.admin_site

        def wrap(view):
            def inner(request, *args, **kwargs):
                return view(request, site, *args, **kwargs)

            return site.admin_view(inner)

        return [
            path("import/", wrap(admin_views.upload_view), name="office_import"),
            path("import/template/<str:kind_key>/", wrap(admin_views.template_view), name="office_import_template"),
            path("import/<str:token>/", wrap(admin_views.preview_view), name="office_import_preview"),
            path("import/<str:token>/bad-rows/", wrap(admin_views.bad_rows_view), name="office_import_bad_rows"),
            path("import/<str:token>/done/", wrap(admin_views.done_view), name="office_import_done"),
            *super().get_urls(),
        ]
