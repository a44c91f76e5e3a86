from django.urls import path

from . import views

app_name = "booklet"

urlpatterns = [
    path("", views.booklet_list, name="list"),
    path("new/", views.booklet_new, name="new"),
    path("branding/", views.branding, name="branding"),
    path("from-request/<id:request_pk>/", views.booklet_from_request, name="from_request"),
    path("<id:pk>/", views.booklet_edit, name="edit"),
    path("<id:pk>/delete/", views.booklet_delete, name="delete"),
    path("<id:pk>/items/add/", views.item_add, name="item_add"),
    path("<id:pk>/items/<id:item_pk>/", views.item_update, name="item_update"),
    path("<id:pk>/items/<id:item_pk>/remove/", views.item_remove, name="item_remove"),
    path("<id:pk>/items/<id:item_pk>/move/", views.item_move, name="item_move"),
    path("<id:pk>/pdf/", views.booklet_pdf, name="pdf"),
    path("<id:pk>/print/", views.booklet_print, name="print"),
    path("<id:pk>/preview/", views.booklet_preview, name="preview"),
    path("<id:pk>/send/", views.booklet_send, name="send"),
    path("<id:pk>/sendings/", views.sending_status, name="sending_status"),
    path("b/<str:token>/", views.public, name="public"),
    path("b/<str:token>/colours.css", views.public_colours, name="public_colours"),
]
