"""The article reader in the admin: its readings' list (an office's own, newest first) and its
pages (reading/admin_views.py) under this admin's URLs. Who may open them is the reader's rule
(``may_read``: staff who may add what a reading makes), not permissions of the reading itself."""

from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from offices.scope import records_of
from reading import admin_views
from reading.models import ArticleReading


@admin.register(ArticleReading)
class ArticleReadingAdmin(admin.ModelAdmin):
    list_display = ["shown_title", "publisher", "published_on", "created_by", "created_at", "accepted_at"]
    list_display_links = None  # the title links to the review screen
    list_select_related = ["created_by"]
    date_hierarchy = "created_at"
    search_fields = ["title", "url", "publisher"]
    fields = ["title", "url", "publisher", "published_on", "file_name", "created_by", "created_at", "accepted_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return records_of(super().get_queryset(request), request.user)

    def has_module_permission(self, request):
        return admin_views.may_read(request.user)

    def has_view_permission(self, request, obj=None):
        return admin_views.may_read(request.user)

    def has_add_permission(self, request):
        return admin_views.may_read(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # the text read is the source's body: it is read again, not edited

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        return admin_views.read_view(request, self.admin_site)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return admin_views.review_view(request, self.admin_site, object_id)

    @admin.display(description=_("title"), ordering="title")
    def shown_title(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:reading_review", args=[obj.pk]), str(obj)[:120])

    def get_urls(self):
        site = self.admin_site

        def wrap(view):
            def inner(request, *args, **kwargs):
                return view(request, site, *args, **kwargs)

            return site.admin_view(inner)

        return [
            path("read/", wrap(admin_views.read_view), name="reading_read"),
            path("<int:pk>/review/", wrap(admin_views.review_view), name="reading_review"),
            path("<int:pk>/result/", wrap(admin_views.result_view), name="reading_result"),
            *super().get_urls(),
        ]
