from django.urls import path

from kinerja.employees import views

app_name = "employees"
urlpatterns = [
    path("rencana-aksi/", views.overview, name="action_overview"),
    path("rencana-aksi/<int:pk>/", views.unit_plans, name="unit_plans"),
    path("rencana-aksi/<int:pk>/laporan/", views.quarter_report, name="quarter_report"),
]
