from django.urls import path

from . import advice_views, settings_views, views

app_name = "desk"

urlpatterns = [
    path("", views.counter, name="counter"),
    path("settings/", settings_views.desk_settings_view, name="settings"),
    path("count/add/", views.count_increment, name="count_add"),
    path("count/remove/", views.count_decrement, name="count_remove"),
    path("count/set/", views.count_set, name="count_set"),
    path("requests/", views.request_list, name="list"),
    path("requests/new/", views.request_create, name="create"),
    path("requests/<int:pk>/", views.request_detail, name="detail"),
    path("requests/<int:pk>/edit/", views.request_edit, name="edit"),
    path("requests/<int:pk>/delete/", views.request_delete, name="delete"),
    path("requests/<int:pk>/advise/", advice_views.advise, name="advise"),
    path("requests/<int:pk>/suggest/", advice_views.suggest, name="suggest"),
    path("requests/<int:pk>/suggestions/<int:offer_pk>/remove/", advice_views.suggestion_remove, name="unsuggest"),
    path("requests/<int:pk>/missing-type/", advice_views.missing_type, name="missing_type"),
]
