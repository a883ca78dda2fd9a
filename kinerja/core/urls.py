from django.urls import path

from kinerja.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("riwayat/<str:model>/<int:pk>/", views.history, name="history"),
    path("healthz", views.healthz, name="healthz"),
]
