from django.urls import path, re_path

from . import advice_views, settings_views, tally_views, views

app_name = "desk"

urlpatterns = [
    path("", views.counter, name="counter"),
    path("quick/", views.quick_line, name="quick"),
    path("places/", views.places, name="places"),
    path("settings/", settings_views.desk_settings_view, name="settings"),
    path("themes/", advice_views.themes, name="themes"),
    path("count/add/", views.count_increment, name="count_add"),
    path("count/remove/", views.count_decrement, name="count_remove"),
    path("count/set/", views.count_set, name="count_set"),
    path("visitors/", tally_views.visitors, name="visitors"),
    re_path(r"^visitors/export\.(?P<fmt>csv|xlsx)$", tally_views.visitors_export, name="visitors_export"),
    path("requests/", views.request_list, name="list"),
    path("requests/new/", views.request_create, name="create"),
    path("requests/<id:pk>/", views.request_detail, name="detail"),
    path("requests/<id:pk>/edit/", views.request_edit, name="edit"),
    path("requests/<id:pk>/delete/", views.request_delete, name="delete"),
    path("requests/<id:pk>/advise/", advice_views.advise, name="advise"),
    path("requests/<id:pk>/suggest/", advice_views.suggest, name="suggest"),
    path("requests/<id:pk>/suggestions/<id:offer_pk>/remove/", advice_views.suggestion_remove, name="unsuggest"),
    path("requests/<id:pk>/missing-type/", advice_views.missing_type, name="missing_type"),
]
