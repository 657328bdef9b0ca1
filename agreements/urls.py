from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("agreements/", views.ListPage.as_view(), name="list"),
    path("agreements/<int:pk>/", views.detail, name="detail"),
]
