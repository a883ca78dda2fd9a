from django.urls import path

from kinerja.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("angka/", views.read_number, name="read_number"),
]
