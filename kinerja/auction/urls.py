from django.urls import path

from kinerja.auction import views

app_name = "auction"
urlpatterns = [
    path("", views.session_list, name="sessions"),
    path("baru/", views.session_create, name="session_create"),
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/tim-penilai/", views.session_panel, name="session_panel"),
    path("<int:pk>/kriteria/", views.session_criteria, name="session_criteria"),
    path("<int:pk>/status/<slug:step>/", views.session_transition, name="session_transition"),
    path("<int:pk>/putuskan/", views.session_decide, name="session_decide"),
    path("<int:pk>/jadwal/", views.session_redate, name="session_redate"),
    path("<int:pk>/usulan/baru/", views.proposal_create, name="proposal_create"),
    path("<int:pk>/layar/", views.session_screen, name="screen"),
    path("<int:pk>/hasil/", views.results, name="results"),
    path("<int:pk>/dokumen/", views.documents_issue, name="documents_issue"),
    path("usulan/<int:pk>/", views.proposal_detail, name="proposal"),
    path("usulan/<int:pk>/ubah/", views.proposal_edit, name="proposal_edit"),
    path(
        "usulan/<int:proposal_pk>/indikator/baru/",
        views.proposed_indicator_edit,
        name="indicator_create",
    ),
    path("usulan/<int:pk>/ajukan/", views.proposal_submit, name="proposal_submit"),
    path("usulan/<int:pk>/langsung/", views.proposal_live, name="proposal_live"),
    path("usulan/<int:pk>/nilai/", views.score, name="score"),
    path("usulan/<int:pk>/buka-nilai/", views.reveal, name="reveal"),
    path("usulan/<int:pk>/tabel/", views.table_add, name="table_add"),
    path("usulan/<int:pk>/bukti/", views.evidence_add, name="evidence_add"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence"),
    path("indikator/<int:pk>/ubah/", views.proposed_indicator_edit, name="indicator_edit"),
    path("indikator/<int:pk>/tawar/", views.offer, name="offer"),
    path("indikator/<int:pk>/jawab/", views.answer, name="answer"),
    path("indikator/<int:pk>/terima-balik/", views.accept_counter, name="accept_counter"),
]
