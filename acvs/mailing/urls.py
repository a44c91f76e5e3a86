from django.urls import path

from . import views

app_name = "mailing"

urlpatterns = [
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<id:pk>/", views.template_edit, name="template_edit"),
    path("templates/<id:pk>/delete/", views.template_delete, name="template_delete"),
    path("requests/<id:request_pk>/answer/", views.answer, name="answer"),
    path("requests/<id:request_pk>/answers/", views.answer_status, name="answer_status"),
    path("figures/", views.figures, name="figures"),
]
