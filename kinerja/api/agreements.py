"""Performance agreements: metadata, and the stored (signed) PDF byte for byte."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from kinerja.accounts.access import get_for_user, government_for
from kinerja.agreements.models import Agreement
from kinerja.api.base import Id, PageNumber, PageOut, PageSize, acting_user, paginate
from kinerja.documents.views import stored_pdf

router = Router(tags=["Perjanjian kinerja"])


class AgreementOut(Schema):
    id: int
    year: int
    unit_id: int | None = Field(description="Kosong: perjanjian kepala daerah.")
    unit_name: str | None
    level: str = Field(
        description="region, unit (the unit head's), administrator or supervisor (below the head)."
    )
    position_title: str | None = Field(description="The post of an agreement below the head.")
    version: int
    status: str
    reason: str
    signed_at: datetime.datetime | None
    document_code: str | None
    verify_url: str | None
    pdf_sha256: str | None
    targets: int


def agreement_out(a: Agreement) -> dict[str, Any]:
    doc = a.document
    latest = doc.latest_file if doc else None
    return {
        "id": a.pk,
        "year": a.year,
        "unit_id": a.unit_id,
        "unit_name": a.unit.name if a.unit else None,
        "level": a.level,
        "position_title": a.position.title if a.position else None,
        "version": a.version,
        "status": a.status,
        "reason": a.reason,
        "signed_at": a.signed_at,
        "document_code": doc.code if doc else None,
        "verify_url": reverse("documents:verify_code", args=[doc.code]) if doc else None,
        "pdf_sha256": latest.sha256 if latest else None,
        "targets": len(a.content.get("targets", [])),
    }


def _queryset() -> Any:
    return Agreement.objects.select_related("unit", "document", "position").prefetch_related(
        "document__files"
    )


class AgreementFilter(Schema):
    year: int | None = Field(None, ge=1900, le=2200)
    unit: Id | None = None
    status: Literal["draft", "awaiting", "signed"] | None = None


@router.get("/agreements", response=PageOut[AgreementOut], summary="Perjanjian kinerja")
def agreements(
    request: HttpRequest,
    filters: Query[AgreementFilter],
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    user = acting_user(request)
    qs = (
        _queryset()
        .filter(government=government_for(user))
        .order_by("year", "unit_id", "version", "pk")
    )
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.unit is not None:
        qs = qs.filter(unit_id=filters.unit)
    if filters.status:
        qs = qs.filter(status=filters.status)
    result = paginate(qs, page, page_size)
    result["items"] = [agreement_out(a) for a in result["items"]]
    return result


@router.get("/agreements/{agreement_id}", response=AgreementOut, summary="Satu perjanjian")
def agreement(request: HttpRequest, agreement_id: Id) -> dict[str, Any]:
    return agreement_out(get_for_user(acting_user(request), _queryset(), agreement_id))


@router.get(
    "/agreements/{agreement_id}/pdf",
    response={200: bytes},
    summary="PDF perjanjian yang tersimpan (bertanda tangan bila sudah ditandatangani)",
    openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}},
)
def agreement_pdf(request: HttpRequest, agreement_id: Id) -> HttpResponse:
    a = get_for_user(acting_user(request), _queryset(), agreement_id)
    if a.document is None:
        raise Http404(_("Perjanjian ini belum memiliki dokumen."))
    return stored_pdf(a.document, disposition="attachment", version=a.version)
