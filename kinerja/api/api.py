"""Kinerja REST API v1 (django-ninja): `/api/v1/`, schema at `/api/v1/openapi.json`,
documentation at `/api/v1/docs`. Every error answers JSON `{"detail": …}`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaValidationError

from kinerja.api import accounts, agreements, auction, monitoring, planning
from kinerja.api.base import BearerToken, SessionCookie

api = NinjaAPI(
    title="Kinerja API",
    version="1",
    description=(
        "Rencana, realisasi, capaian, perjanjian kinerja dan hasil lelang kinerja satu "
        "pemerintah daerah. Autentikasi: token API pribadi (halaman Akun) sebagai "
        "`Authorization: Bearer …`. Angka dikirim sebagai string desimal yang eksak."
    ),
    auth=[BearerToken(), SessionCookie()],
    urls_namespace="api",
    docs_url="/docs",
)

api.add_router("", accounts.router)
api.add_router("", planning.router)
api.add_router("", monitoring.router)
api.add_router("", agreements.router)
api.add_router("", auction.router)


def _error(request: HttpRequest, status: int, detail: Any, code: str | None = None) -> HttpResponse:
    body = {"detail": detail} if code is None else {"detail": detail, "code": code}
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 401, "Token API tidak dikenal, sudah dicabut, atau tidak dikirim.")


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, str(exc) or "Anda tidak berwenang melakukan ini.")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    message = str(exc) if exc.args else ""
    return _error(request, 404, message or "Tidak ditemukan (atau bukan milik pemerintah Anda).")


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # The first refusal's stable code, for programs; the words are in the caller's language.
    code = next((e.code for e in getattr(exc, "error_list", []) if e.code), None)
    return _error(request, 400, " ".join(exc.messages), code)


@api.exception_handler(SchemaValidationError)
def malformed(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    return _error(request, 422, exc.errors)


def urlpatterns() -> list[URLPattern | URLResolver]:
    """The API's URLs. Django's LoginRequiredMiddleware would send an API client to the
    sign-in page; the API authenticates by itself (401 JSON), so its views are exempt."""
    patterns, _app, _namespace = api.urls  # a property: built anew on each read
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback.login_required = False  # type: ignore[attr-defined]
    return list(patterns)
