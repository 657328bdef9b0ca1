from django.urls import path

from delegations import views
from delegations.exports import DelegationExport

app_name = "delegations"

urlpatterns = [
    path("delegations/", views.ListPage.as_view(), name="list"),
    path("delegations/<int:pk>/", views.detail, name="detail"),
    path("delegations/export.csv", DelegationExport.as_view(file_format="csv"), name="export_csv"),
    path("delegations/export.xlsx", DelegationExport.as_view(file_format="xlsx"), name="export_xlsx"),
]
