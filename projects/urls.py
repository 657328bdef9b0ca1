from django.urls import path

from projects import iati, views

app_name = "projects"

urlpatterns = [
    path("projects/", views.ListPage.as_view(), name="list"),
    path("projects/<int:pk>/", views.detail, name="detail"),
    path("projects/iati.xml", iati.activities_xml, name="iati"),
]
