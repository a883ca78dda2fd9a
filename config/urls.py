from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from kinerja.api.api import api
from kinerja.api.api import urlpatterns as api_urlpatterns
from kinerja.documents import views as documents_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("kinerja.core.urls")),
    path("", include("kinerja.accounts.urls")),
    path("plan/", include("kinerja.planning.urls")),
    path("lelang/", include("kinerja.auction.urls")),
    path("verifikasi/", include("kinerja.documents.urls")),
    path("pk/", include("kinerja.agreements.urls")),
    path("pemantauan/", include("kinerja.monitoring.urls")),
    path("evaluasi/", include("kinerja.evaluation.urls")),
    path("", include("kinerja.dashboards.urls")),
    path("akun/sertifikat/", documents_views.my_certificate, name="my_certificate"),
    # Switching language must work before signing in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_urlpatterns(), "api"), namespace=api.urls_namespace)),
]

if settings.DEBUG:  # pragma: no cover - uploaded files are served by the web server in production
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
