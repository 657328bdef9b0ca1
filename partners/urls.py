from django.urls import path

from partners import views

app_name = "partners"

# A partner's own page is its dossier, which gathers every record app: see reports.urls.
urlpatterns = [
    path("partners/", views.ListPage.as_view(), name="list"),
]
