"""The twinning pairs' list and its files: a namespace of their own ("twinnings"),
so that the site's navigation marks them apart from the agreements."""

from django.urls import path

from agreements import views
from agreements.exports import PartnershipExport

app_name = "twinnings"

urlpatterns = [
    path("twinnings/", views.PartnershipListPage.as_view(), name="list"),
    path("twinnings/export.csv", PartnershipExport.as_view(file_format="csv"), name="export_csv"),
    path("twinnings/export.xlsx", PartnershipExport.as_view(file_format="xlsx"), name="export_xlsx"),
]
