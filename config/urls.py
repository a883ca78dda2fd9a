from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from kinerja.api.api import api
from kinerja.api.api import urlpatterns as api_urlpatterns
from kinerja.documents import views as documents_views
from kinerja.planning import views as planning_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("kinerja.core.urls")),
    path("", include("kinerja.accounts.urls")),
    path("plan/", include("kinerja.planning.urls")),
    path("lelang/", include("kinerja.auction.urls")),
    path("verifikasi/", include("kinerja.documents.urls")),
    path("pk/", include("kinerja.agreements.urls")),
    path("pemantauan/", include("kinerja.monitoring.urls")),
    path("evaluasi/", include("kinerja.evaluation.urls")),
    path("", include("kinerja.employees.urls")),
    path("", include("kinerja.dashboards.urls")),
    path("akun/sertifikat/", documents_views.my_certificate, name="my_certificate"),
    path("riwayat/<str:model>/<int:pk>/", planning_views.history, name="history"),
    # Switching language must work before signing in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_urlpatterns(), "api"), namespace=api.urls_namespace)),
]

# Stored files (evidence, signed documents) are never served from a public folder, not even in
# development: every download goes through a view that checks who is asking (docs/deployment.md).
