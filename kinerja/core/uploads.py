"""Uploaded files: their type decided by their content, never by their name; size limited."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
}
# Word documents: accepted only where a caller asks for them (SAKIP evidence).
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NAMES = {**TYPES, DOCX: "Word (.docx)"}


class UploadError(ValueError):
    """Refused upload; the message is for the user, the code for programs and tests."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are, among those we accept; None otherwise."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None


def check_upload(data: bytes, *, allowed: set[str] | None = None) -> str:
    """Refuse an empty, oversized or unexpected file; return its real content type."""
    limit = settings.KINERJA_MAX_UPLOAD_BYTES
    if not data:
        raise UploadError(_("Berkas kosong."), "upload_empty")
    if len(data) > limit:
        raise UploadError(
            _("Berkas terlalu besar: paling besar %(value)s MB.")
            % {"value": limit // (1024 * 1024)},
            "upload_too_large",
        )
    kind = sniff(data)
    allowed = allowed or set(TYPES)
    if kind not in allowed:
        names = ", ".join(NAMES[t] for t in sorted(allowed))
        raise UploadError(
            _("Jenis berkas tidak diterima (isi berkas bukan %(names)s).") % {"names": names},
            "upload_type",
        )
    return kind


def store_evidence(
    evidence: Any, data: bytes, filename: str, *, allowed: set[str] | None = None
) -> Any:
    """Check an uploaded file and save it on an evidence row (any model with `file`,
    `original_name`, `content_type`, `size` and `sha256`), stored under its hash and never
    under the name the user gave. A refusal is a ValidationError with the user's message."""
    try:
        content_type = check_upload(data, allowed=allowed)
    except UploadError as exc:
        raise ValidationError(str(exc), code=exc.code) from exc
    digest = hashlib.sha256(data).hexdigest()
    evidence.original_name = filename[:255]
    evidence.content_type = content_type
    evidence.size = len(data)
    evidence.sha256 = digest
    evidence.file.save(f"{digest}.bin", ContentFile(data), save=False)
    evidence.save()
    return evidence


def evidence_response(evidence: Any) -> HttpResponse:
    """A stored evidence row's file as a download: its checked content type, the name it was
    uploaded under (quoted safely), and no content sniffing by the browser. The caller has
    checked who is asking."""
    with evidence.file.open("rb") as fh:
        data = fh.read()
    response = HttpResponse(data, content_type=evidence.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=evidence.original_name or "bukti"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
