from django.urls import path

from kinerja.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
