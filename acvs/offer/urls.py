from django.urls import path

from . import export_views, provider_views, thumbnail_views, views

app_name = "offer"
urlpatterns = [
    path("", views.search, name="search"),
    path("facets/", views.facets, name="facets"),
    path("export/<slug:fmt>/", export_views.export_search, name="export"),
    path("new/", views.create, name="create"),
    path("types/", views.type_tree, name="types"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/export/<slug:fmt>/", export_views.export_offer, name="export_one"),
    path("<id:pk>/verify/", views.verify, name="verify"),
    path("<id:pk>/photos/", views.photo_add, name="photo_add"),
    path("<id:pk>/photos/<id:photo_pk>/delete/", views.photo_delete, name="photo_delete"),
    path("photos/thumbnails/", thumbnail_views.thumbnails_page, name="thumbnails"),
    path("providers/", provider_views.provider_list, name="providers"),
    path("providers/new/", provider_views.provider_create, name="provider_create"),
    path("providers/<id:pk>/", provider_views.provider_detail, name="provider_detail"),
    path("providers/<id:pk>/edit/", provider_views.provider_edit, name="provider_edit"),
]
