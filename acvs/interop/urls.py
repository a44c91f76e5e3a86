from django.urls import path

from . import views

app_name = "interop"
urlpatterns = [
    path("feeds/events.ics", views.events_ics, name="events_ics"),
]
