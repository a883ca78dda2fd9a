from django.urls import path

from kinerja.agreements import cascade_views, views

app_name = "agreements"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("draf/", views.draft, name="draft"),
    path("semua/", views.batch_start, name="batch_start"),
    path("proses/<int:pk>/", views.batch, name="batch"),
    path("unduh.zip", views.download_zip, name="zip"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/perbarui/", views.refresh, name="refresh"),
    path("<int:pk>/kirim/", views.send, name="send"),
    path("<int:pk>/tarik/", views.recall, name="recall"),
    path("<int:pk>/tandatangani/", views.sign, name="sign"),
    path("<int:pk>/hapus/", views.delete, name="delete"),
    path("<int:pk>/revisi/", views.revise, name="revise"),
    path("<int:pk>/banding/<int:other>/", views.compare, name="compare"),
    path("jenjang/<int:pk>/", cascade_views.cascade_page, name="cascade"),
    path("jenjang/<int:pk>/draf/", cascade_views.cascade_draft_all, name="cascade_draft"),
    path("jenjang/<int:pk>/kirim/", cascade_views.cascade_send_all, name="cascade_send"),
    path(
        "jenjang/indikator/<int:pk>/hapus/",
        cascade_views.cascade_indicator_delete,
        name="cascade_indicator_delete",
    ),
]
