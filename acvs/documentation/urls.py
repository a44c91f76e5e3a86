from django.urls import path, re_path

from . import order_views, views

app_name = "documentation"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("new/", views.document_create, name="create"),
    path("<id:pk>/", views.document_detail, name="detail"),
    path("<id:pk>/edit/", views.document_edit, name="edit"),
    path("<id:pk>/movement/", views.movement_create, name="movement"),
    path("<id:pk>/move/", views.stock_move, name="move"),
    path("<id:pk>/threshold/", views.stock_setting, name="threshold"),
    path("pdf/<str:token>/", views.public_pdf, name="public_pdf"),
    path("stock/", views.stock, name="stock"),
    re_path(r"^stock/export\.(?P<fmt>csv|xlsx)$", views.stock_export, name="stock_export"),
    path("movements/", views.movement_list, name="movements"),
    re_path(r"^movements/export\.(?P<fmt>csv|xlsx)$", views.movement_export, name="movement_export"),
    path("handout/<id:request_pk>/", views.handout, name="handout"),
    path("orders/", order_views.order_list, name="orders"),
    path("orders/new/", order_views.order_create, name="order_create"),
    path("orders/<id:pk>/", order_views.order_detail, name="order"),
    path("orders/<id:pk>/<slug:step>/", order_views.order_step, name="order_step"),
]
