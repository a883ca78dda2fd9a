from django.urls import path

from kinerja.dashboards import views

urlpatterns = [
    path("", views.home, name="home"),
    path("tugas/jumlah/", views.todo_count, name="todo_count"),
    path("perangkat-daerah/", views.unit_list, name="unit_list"),
    path("perangkat-daerah/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("publik/", views.portal_index, name="portal"),
    path("publik/<slug:slug>/", views.portal_government, name="portal_government"),
    path("publik/<slug:slug>/pd/<int:pk>/", views.portal_unit, name="portal_unit"),
    path(
        "publik/<slug:slug>/data/capaian-<int:year>.csv",
        views.open_data,
        {"fmt": "csv"},
        name="open_data_csv",
    ),
    path(
        "publik/<slug:slug>/data/capaian-<int:year>.json",
        views.open_data,
        {"fmt": "json"},
        name="open_data_json",
    ),
]
