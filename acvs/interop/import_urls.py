from django.urls import path

from . import import_views

urlpatterns = [
    path("imports/", import_views.import_start, name="import_start"),
    path("imports/<id:pk>/", import_views.import_run, name="import_run"),
    path("imports/<id:pk>/commit/", import_views.import_commit, name="import_commit"),
]
