from django.urls import path

from . import views

app_name = "availability"

urlpatterns = [
    path("offers/<int:offer_pk>/", views.section, name="section"),
    path("offers/<int:offer_pk>/set/", views.availability_set, name="set"),
]
