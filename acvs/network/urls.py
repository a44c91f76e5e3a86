from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("switch/", views.switch_office, name="switch_office"),
    path("offices/", views.office_list, name="offices"),
]
