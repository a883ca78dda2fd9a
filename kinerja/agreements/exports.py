"""Signed agreements as files: a directory of PDFs (the command) or one zip (the page)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.utils.text import slugify

from kinerja.accounts.models import Government
from kinerja.agreements.models import Agreement


def signed_agreements(
    *, year: int, government_slug: str | None = None, government: Government | None = None
) -> list[Agreement]:
    """The latest signed version of each unit's (and the head of region's) agreement."""
    qs = Agreement.objects.filter(year=year, status=Agreement.Status.SIGNED).select_related(
        "government", "unit", "document"
    )
    if government is not None:
        qs = qs.filter(government=government)
    elif government_slug:
        qs = qs.filter(government__slug=government_slug)
    newest: dict[tuple[int, int | None], Agreement] = {}
    for a in qs.order_by("version"):
        newest[(a.government_id, a.unit_id)] = a
    return sorted(newest.values(), key=lambda a: (a.government.slug, a.unit.code if a.unit else ""))


def filename(agreement: Agreement) -> str:
    who = (
        slugify(agreement.unit.short_name or agreement.unit.name)
        if agreement.unit
        else "kepala-daerah"
    )
    return f"{agreement.government.slug}/pk-{agreement.year}-{who}-v{agreement.version}.pdf"


def _bytes(agreement: Agreement) -> bytes:
    assert agreement.document is not None
    latest = agreement.document.latest_file
    assert latest is not None
    with latest.file.open("rb") as fh:
        return fh.read()


def write_agreements(agreements: list[Agreement], out: Path) -> list[Path]:
    written = []
    for agreement in agreements:
        path = out / filename(agreement)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_bytes(agreement))
        written.append(path)
    return written


def zip_agreements(agreements: list[Agreement]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for agreement in agreements:
            archive.writestr(filename(agreement).split("/", 1)[1], _bytes(agreement))
    return buffer.getvalue()
