from django.urls import path

from kinerja.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("indikator/baru/", views.indicator_edit, name="indicator_create"),
    path("indikator/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indikator/<int:pk>/ubah/", views.indicator_edit, name="indicator_edit"),
    path("indikator/<int:pk>/target/", views.indicator_targets, name="indicator_targets"),
    path("sasaran/baru/", views.objective_edit, name="objective_create"),
    path("sasaran/<int:pk>/ubah/", views.objective_edit, name="objective_edit"),
    path("misi/baru/", views.mission_edit, name="mission_create"),
    path("misi/<int:pk>/ubah/", views.mission_edit, name="mission_edit"),
    path("tujuan/baru/", views.goal_edit, name="goal_create"),
    path("tujuan/<int:pk>/ubah/", views.goal_edit, name="goal_edit"),
    path("program/baru/", views.programme_edit, name="programme_create"),
    path("program/<int:pk>/ubah/", views.programme_edit, name="programme_edit"),
    path("kalender/", views.calendar_page, name="calendar"),
    path("periode/", views.term_list, name="terms"),
    path("periode/baru/", views.term_create, name="term_create"),
    path("periode/<int:pk>/berjalan/", views.term_make_current, name="term_make_current"),
    path("excel/", views.excel, name="excel"),
    path("excel/ekspor/", views.export, name="export"),
    path("excel/impor/", views.import_upload, name="import_upload"),
    path("excel/impor/<int:pk>/", views.import_preview, name="import_preview"),
    path("excel/impor/<int:pk>/simpan/", views.import_confirm, name="import_confirm"),
]
