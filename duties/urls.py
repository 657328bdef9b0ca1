from django.urls import path

from duties import views

app_name = "duties"

urlpatterns = [
    path("due/", views.due_list, name="due"),
    path("calendar/", views.month_calendar, name="month"),
    path("calendar/feed/", views.feed_settings, name="feed_settings"),
    path("calendar/feed/new/", views.feed_create, name="feed_create"),
    path("calendar/feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/public.ics", views.public_feed, name="public_feed"),
    path("calendar/<str:token>.ics", views.user_feed, name="feed"),
]
