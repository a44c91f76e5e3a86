from django.urls import path

from . import views

app_name = "booklet"

urlpatterns = [
    path("", views.booklet_list, name="list"),
    path("new/", views.booklet_new, name="new"),
    path("branding/", views.branding, name="branding"),
    path("from-request/<int:request_pk>/", views.booklet_from_request, name="from_request"),
    path("<int:pk>/", views.booklet_edit, name="edit"),
    path("<int:pk>/delete/", views.booklet_delete, name="delete"),
    path("<int:pk>/items/add/", views.item_add, name="item_add"),
    path("<int:pk>/items/<int:item_pk>/", views.item_update, name="item_update"),
    path("<int:pk>/items/<int:item_pk>/remove/", views.item_remove, name="item_remove"),
    path("<int:pk>/items/<int:item_pk>/move/", views.item_move, name="item_move"),
    path("<int:pk>/pdf/", views.booklet_pdf, name="pdf"),
    path("<int:pk>/print/", views.booklet_print, name="print"),
    path("<int:pk>/preview/", views.booklet_preview, name="preview"),
    path("<int:pk>/send/", views.booklet_send, name="send"),
    path("<int:pk>/sendings/", views.sending_status, name="sending_status"),
    path("b/<str:token>/", views.public, name="public"),
]
