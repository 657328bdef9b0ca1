"""The admin site's names; the record apps register their own admins."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Lạng Sơn foreign-affairs register")
admin.site.site_title = _("Lạng Sơn foreign-affairs register")
admin.site.index_title = _("Data entry")
