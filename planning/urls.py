from django.urls import path

from planning import views

app_name = "planning"

urlpatterns = [
    path("plans/", views.plan_list, name="list"),
    path("plans/<int:pk>/", views.plan_detail, name="detail"),
    path("plans/<int:pk>/export.xlsx", views.plan_xlsx, name="export_xlsx"),
]
