from django.urls import path

from kinerja.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.verify, name="verify"),
    path("<str:code>/", views.verify_by_code, name="verify_code"),
    path("<str:code>/unduh/", views.download, name="download"),
    path("<str:code>/tandatangani/", views.sign, name="sign"),
    path("<str:code>/halaman/<int:page>.png", views.page_image, name="page_image"),
]
