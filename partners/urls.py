from django.urls import path

from partners import views
from partners.exports import PartnerExport

app_name = "partners"

# A partner's own page is its dossier, which gathers every record app: see reports.urls.
urlpatterns = [
    path("partners/", views.ListPage.as_view(), name="list"),
    path("partners/export.csv", PartnerExport.as_view(file_format="csv"), name="export_csv"),
    path("partners/export.xlsx", PartnerExport.as_view(file_format="xlsx"), name="export_xlsx"),
]
