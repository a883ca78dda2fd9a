from django.urls import path

from kinerja.evaluation import review_views, views

app_name = "evaluation"

urlpatterns = [
    path("", views.scorecards, name="scorecards"),
    path("pd/<int:pk>/", views.unit_scorecard, name="unit_scorecard"),
    path("tpp/", views.incentives, name="incentives"),
    path("tpp/tutup/", views.incentives_close, name="incentives_close"),
    path("sakip/", views.sakip_list, name="sakip"),
    path("sakip/<int:pk>/", review_views.sakip_evaluation, name="sakip_evaluation"),
    path("sakip/<int:pk>/kirim/", review_views.sakip_submit, name="sakip_submit"),
    path("sakip/<int:pk>/tetapkan/", review_views.sakip_finalize, name="sakip_finalize"),
    path(
        "sakip/<int:pk>/kriteria/<int:criterion>/bukti/",
        review_views.sakip_evidence,
        name="sakip_evidence",
    ),
    path("sakip/<int:pk>/lhe/", review_views.lhe_page, name="lhe"),
    path("sakip/<int:pk>/lhe/word/", review_views.lhe_word, name="lhe_word"),
    path(
        "sakip/<int:pk>/lhe/<int:item>/tindak-lanjut/",
        review_views.follow_up,
        name="follow_up",
    ),
    path("sakip/bukti/<int:pk>/", review_views.evidence_download, name="evidence_download"),
    path("sakip/tingkat/", review_views.sakip_tiers, name="sakip_tiers"),
    path("sakip/lke/unggah/", views.worksheet_upload, name="worksheet_upload"),
    path("sakip/lke/<int:pk>/", views.worksheet_detail, name="worksheet"),
    path("sakip/lke/<int:pk>/ekspor/", views.worksheet_export, name="worksheet_export"),
    path("sakip/lke/<int:pk>/salin/", views.worksheet_copy, name="worksheet_copy"),
    path("sakip/subkomponen/<int:sub>/kriteria/", views.criterion_edit, name="criterion_add"),
    path(
        "sakip/subkomponen/<int:sub>/kriteria/<int:pk>/",
        views.criterion_edit,
        name="criterion_edit",
    ),
    path("lkjip/", views.lkjip_page, name="lkjip"),
    path("lkjip/unduh/", views.lkjip_download, name="lkjip_download"),
    path("lkjip/analisis/", views.lkjip_analysis, name="lkjip_analysis"),
]
