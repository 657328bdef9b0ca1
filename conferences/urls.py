from django.urls import path

from conferences import views
from conferences.exports import ConferenceExport

app_name = "conferences"

urlpatterns = [
    path("conferences/", views.ListPage.as_view(), name="list"),
    path("conferences/<int:pk>/", views.detail, name="detail"),
    path("conferences/export.csv", ConferenceExport.as_view(file_format="csv"), name="export_csv"),
    path("conferences/export.xlsx", ConferenceExport.as_view(file_format="xlsx"), name="export_xlsx"),
]
