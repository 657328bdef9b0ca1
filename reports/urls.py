from django.urls import path

from reports import dashboard, documents_dossier, documents_period, dossier, period, search
from reports.issued import views as issued_views

app_name = "reports"

urlpatterns = [
    path("reports/period/", period.period_report, name="period"),
    path("reports/period/export.xlsx", documents_period.period_xlsx, name="period_xlsx"),
    path("reports/period/export.docx", documents_period.period_docx, name="period_docx"),
    path("reports/issued/", issued_views.issued_list, name="issued"),
    path("reports/issued/<int:pk>/", issued_views.issued_detail, name="issued_detail"),
    path("reports/issued/<int:pk>/file.<str:kind>", issued_views.issued_file, name="issued_file"),
    path("search/", search.search, name="search"),
    path("partners/<int:pk>/", dossier.dossier, name="dossier"),
    path("partners/<int:pk>/dossier.docx", documents_dossier.dossier_docx, name="dossier_docx"),
]

# The dashboard is the site's home page; lang_son_affairs.urls mounts it at "/".
home = dashboard.dashboard
