from django.urls import path

from sources import views
from sources.exports import FigureExport

# The figures' own namespace: the sources have no public pages of their own.
app_name = "figures"

urlpatterns = [
    path("figures/", views.FigureListPage.as_view(), name="list"),
    path("figures/export.csv", FigureExport.as_view(file_format="csv"), name="export_csv"),
    path("figures/export.xlsx", FigureExport.as_view(file_format="xlsx"), name="export_xlsx"),
]
