from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("jobs/<id:pk>/", views.job_status, name="job"),
    path("jobs/<id:pk>/retry/", views.job_retry, name="job_retry"),
]
