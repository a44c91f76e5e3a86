from django.urls import path

from . import tracking_views, views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("calendar/", views.calendar, name="calendar"),
    path("new/", views.campaign_create, name="create"),
    path("<id:pk>/", views.campaign_detail, name="detail"),
    path("<id:pk>/edit/", views.campaign_edit, name="edit"),
    path("<id:pk>/returns/", views.returns_save, name="returns"),
    path("<id:pk>/blocks/", views.block_add, name="block_add"),
    path("<id:pk>/blocks/<id:block_pk>/delete/", views.block_delete, name="block_delete"),
    path("<id:pk>/blocks/<id:block_pk>/move/", views.block_move, name="block_move"),
    path("<id:pk>/preview/<slug:language>/", views.preview, name="preview"),
    path("<id:pk>/test/", views.send_test, name="send_test"),
    path("<id:pk>/schedule/", views.schedule, name="schedule"),
    path("<id:pk>/pause/", views.pause, name="pause"),
    path("<id:pk>/resume/", views.resume, name="resume"),
    path("<id:pk>/cancel/", views.cancel, name="cancel"),
    path("u/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("p/<str:token>/", views.preferences, name="preferences"),
    path("o/<str:token>/", tracking_views.open_pixel, name="open"),
    path("c/<id:pk>/<str:signature>/", tracking_views.click, name="click"),
    path("tracking/", tracking_views.office_tracking, name="office_tracking"),
]
