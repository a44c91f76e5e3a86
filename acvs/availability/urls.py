from django.urls import path

from . import views

app_name = "availability"

urlpatterns = [
    path("offers/<id:offer_pk>/", views.section, name="section"),
    path("offers/<id:offer_pk>/set/", views.availability_set, name="set"),
]
