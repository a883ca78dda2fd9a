"""Who the caller is, and the government's units."""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Schema

from kinerja.accounts.access import get_unit_for_user, government_for, roles_of
from kinerja.accounts.models import Unit
from kinerja.api.base import Id, PageNumber, PageOut, PageSize, acting_user, paginate

router = Router(tags=["Perangkat daerah"])


class RoleOut(Schema):
    role: str
    unit_id: int | None


class MeOut(Schema):
    username: str
    name: str
    government: str
    government_slug: str
    roles: list[RoleOut]


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    parent_id: int | None


@router.get("/me", response=MeOut, summary="Pengguna yang memakai token ini")
def me(request: HttpRequest) -> dict[str, Any]:
    user = acting_user(request)
    government = government_for(user)
    return {
        "username": user.username,
        "name": user.display_name,
        "government": government.name,
        "government_slug": government.slug,
        "roles": [{"role": r, "unit_id": u} for r, u in sorted(roles_of(user), key=str)],
    }


class UnitFilter(Schema):
    kind: Literal["agency", "district", "secretariat"] | None = None
    q: str | None = None


@router.get("/units", response=PageOut[UnitOut], summary="Perangkat daerah")
def units(
    request: HttpRequest,
    filters: Query[UnitFilter],
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    user = acting_user(request)
    qs = Unit.objects.filter(government=government_for(user)).order_by("kind", "code")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        qs = qs.filter(
            Q(name__icontains=filters.q)
            | Q(code__icontains=filters.q)
            | Q(short_name__icontains=filters.q)
        )
    return paginate(qs, page, page_size)


@router.get("/units/{unit_id}", response=UnitOut, summary="Satu perangkat daerah")
def unit(request: HttpRequest, unit_id: Id) -> Unit:
    return get_unit_for_user(acting_user(request), unit_id)
