from django.urls import path

from projects import iati, views
from projects.exports import ProjectExport

app_name = "projects"

urlpatterns = [
    path("projects/", views.ListPage.as_view(), name="list"),
    path("projects/<int:pk>/", views.detail, name="detail"),
    path("projects/export.csv", ProjectExport.as_view(file_format="csv"), name="export_csv"),
    path("projects/export.xlsx", ProjectExport.as_view(file_format="xlsx"), name="export_xlsx"),
    path("projects/iati.xml", iati.activities_xml, name="iati"),
    path("projects/iati/left-out/", iati.left_out, name="iati_left_out"),
]
