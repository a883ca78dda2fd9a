from django.urls import path

from kinerja.employees import skp_views, views

app_name = "employees"
urlpatterns = [
    path("rencana-aksi/", views.overview, name="action_overview"),
    path("rencana-aksi/<int:pk>/", views.unit_plans, name="unit_plans"),
    path("rencana-aksi/<int:pk>/laporan/", views.quarter_report, name="quarter_report"),
    path("pohon-kinerja/<int:pk>/", views.people_tree, name="people_tree"),
    path("skp/", skp_views.my_skp, name="my_skp"),
    path("skp/kebijakan/", skp_views.policy, name="policy"),
    path("skp/<int:pk>/", skp_views.skp_detail, name="skp_detail"),
    path("skp/unit/<int:pk>/", skp_views.unit_skp, name="unit_skp"),
    path("skp/pegawai/<int:pk>/buka/", skp_views.start_for, name="skp_start_for"),
]
