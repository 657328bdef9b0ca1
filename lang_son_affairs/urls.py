from django.contrib import admin
from django.urls import include, path

from operations.health import healthz
from register import media
from reports.urls import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Uploaded files, each by its record's visibility (never a raw folder listing).
    path("media/<path:path>", media.serve, name="media"),
    path("", include("reports.urls")),
    path("", include("delegations.urls")),
    path("", include("planning.urls")),
    path("", include("agreements.urls")),
    path("", include("projects.urls")),
    path("", include("conferences.urls")),
    path("", include("partners.urls")),
    path("", include("agreements.twinning_urls")),
    path("", include("sources.urls")),
    path("", include("duties.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler500 = "register.errors.server_error"
