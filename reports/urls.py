from django.urls import path

from reports import dashboard, dossier, period, search

app_name = "reports"

urlpatterns = [
    path("reports/period/", period.period_report, name="period"),
    path("search/", search.search, name="search"),
    path("partners/<int:pk>/", dossier.dossier, name="dossier"),
]

# The dashboard is the site's home page; lang_son_affairs.urls mounts it at "/".
home = dashboard.dashboard
