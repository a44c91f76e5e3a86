from django.urls import path

from . import import_urls, views

app_name = "interop"
urlpatterns = [
    path("feeds/events.ics", views.events_ics, name="events_ics"),
    path("widget/", views.widget_builder, name="widget_builder"),
    path("widget/offers/", views.widget_offers, name="widget_offers"),
    path("widget/events/", views.widget_events, name="widget_events"),
    *import_urls.urlpatterns,
]
