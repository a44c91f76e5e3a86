from django.urls import path

from . import views

app_name = "agenda"
urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("offers/<id:pk>/dates/", views.schedule_add, name="schedule_add"),
    path("offers/<id:pk>/dates/<id:schedule_pk>/delete/", views.schedule_delete, name="schedule_delete"),
    path("offers/<id:pk>/dates/<id:occurrence_pk>/places/", views.places_set, name="places"),
]
