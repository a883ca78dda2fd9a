"""The API's shared pieces: authentication, error bodies, pagination and the user a handler
acts for. Handlers go through the same access helpers as the pages (kinerja.accounts.access)
and call the same services and selectors; nothing here holds a business rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import Field

from kinerja.accounts.access import signed_in_user
from kinerja.accounts.models import User
from kinerja.accounts.services import api_token_user
from kinerja.core.numbers import plain_decimal

T = TypeVar("T")

MAX_PAGE_SIZE = 200
# Identifiers are positive 64-bit integers; a larger number is refused by the schema (422)
# before it reaches the database, which would refuse it with an error of its own.
MAX_ID = 2**63 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PageNumber = Annotated[int, Field(ge=1, le=100_000, description="Halaman, mulai 1.")]
PageSize = Annotated[
    int, Field(ge=1, le=MAX_PAGE_SIZE, description=f"Baris per halaman (1–{MAX_PAGE_SIZE}).")
]


class BearerToken(HttpBearer):
    """`Authorization: Bearer knj_…`: a personal token created on the user's page."""

    openapi_description = "Token API pribadi (halaman Akun); dikirim sebagai Bearer."

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class SessionCookie(APIKeyCookie):
    """The browser session of a signed-in user (reads only need no CSRF token; writes
    check it, as the pages do)."""

    param_name = "sessionid"
    openapi_description = "Sesi peramban pengguna yang sudah masuk."

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


def acting_user(request: HttpRequest) -> User:
    """The token's or session's user, refused (403) without a government and a role."""
    return signed_in_user(request)


class ErrorOut(Schema):
    detail: Any = Field(description="Pesan kesalahan (bahasa Indonesia) atau daftar kesalahan.")
    code: str | None = Field(
        default=None,
        description="Kode penolakan yang tetap (mis. wrong_state) untuk program, bila ada.",
    )


class PageOut(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    items: list[T]


def paginate(queryset: QuerySet[Any], page: int, page_size: int) -> dict[str, Any]:
    """One page of a query (two queries: the count and the rows)."""
    start = (page - 1) * page_size
    return {
        "count": queryset.count(),
        "page": page,
        "page_size": page_size,
        "items": list(queryset[start : start + page_size]),
    }


ACHIEVEMENT_PLACES = 4  # as in the open data (docs/open-data.md)


def dec(value: Decimal | None) -> str | None:
    """Exact figures travel as decimal strings (as in the open data), never as floats."""
    return plain_decimal(value)


def pct(value: Decimal | None) -> str | None:
    """An achievement percentage, to four places."""
    return plain_decimal(value, ACHIEVEMENT_PLACES)
