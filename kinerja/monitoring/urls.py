from django.urls import path

from kinerja.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("misi/<int:pk>/", views.mission_detail, name="mission"),
    path("sasaran/<int:pk>/", views.objective_detail, name="objective"),
    path("pd/<int:pk>/", views.unit_detail, name="unit"),
    path("pd/<int:pk>/excel/", views.workbook_download, name="workbook_download"),
    path("pd/<int:pk>/excel/unggah/", views.workbook_upload, name="workbook_upload"),
    path("pd/<int:pk>/excel/simpan/", views.workbook_confirm, name="workbook_confirm"),
    path("pd/<int:pk>/ajukan-semua/", views.submit_all, name="submit_all"),
    path("indikator/<int:pk>/", views.indicator_detail, name="indicator"),
    path("indikator/<int:pk>/isi/", views.realisation_enter, name="enter"),
    path("realisasi/<int:pk>/ajukan/", views.realisation_submit, name="submit"),
    path("realisasi/<int:pk>/koreksi/", views.realisation_correct, name="correct"),
    path("realisasi/<int:pk>/bukti/", views.evidence_add, name="evidence_add"),
    path(
        "realisasi/<int:pk>/<str:decision>/",
        views.realisation_review,
        name="review",
    ),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence"),
    path("verifikasi/", views.review_queue, name="review_queue"),
    path("merah/", views.red_list, name="red"),
    path("terlambat/", views.late, name="late"),
    path("kebijakan/", views.policy, name="policy"),
    path("e81/", views.e81_import, name="e81"),
    path("e81/<int:pk>/", views.e81_report, name="e81_report"),
]
