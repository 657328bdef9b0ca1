from django.urls import path

from agreements import views
from agreements.exports import AgreementExport

app_name = "agreements"

urlpatterns = [
    path("agreements/", views.ListPage.as_view(), name="list"),
    path("agreements/<int:pk>/", views.detail, name="detail"),
    path("agreements/export.csv", AgreementExport.as_view(file_format="csv"), name="export_csv"),
    path("agreements/export.xlsx", AgreementExport.as_view(file_format="xlsx"), name="export_xlsx"),
]
