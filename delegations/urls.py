from django.urls import path

from delegations import views

app_name = "delegations"

urlpatterns = [
    path("delegations/", views.ListPage.as_view(), name="list"),
    path("delegations/<int:pk>/", views.detail, name="detail"),
]
