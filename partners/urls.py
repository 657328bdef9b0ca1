from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("partners/", views.ListPage.as_view(), name="list"),
    path("partners/<int:pk>/", views.detail, name="detail"),
]
