"""Issuing, signing and verifying documents. One transaction each, audited.

A document is rendered once (stage 0). Each signatory then signs in order; each signature is
an incremental update, stored as a new file with its SHA-256, so earlier signatures stay
intact and every stored file stays exactly as it was.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import secrets
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle

from kinerja.accounts.models import Government, Notice, Person, User
from kinerja.accounts.notices import notify
from kinerja.core import counters
from kinerja.core.audit import record
from kinerja.documents import pki
from kinerja.documents.models import (
    Document,
    DocumentFile,
    SignatureSlot,
    SignerCertificate,
    SigningSecret,
    new_code,
)
from kinerja.documents.pdf import box_points, render_pdf
from kinerja.documents.routes import sign_url

T = TypeVar("T")


_WORKER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pyhanko")


def _without_event_loop(fn: Callable[[], T]) -> T:
    """pyHanko's synchronous calls start their own asyncio loop, which fails in a thread that
    already runs one (an ASGI worker, or a test driving a browser). Run them in a thread of
    their own; they touch no database."""
    return _WORKER.submit(fn).result()


@dataclass(frozen=True)
class Signatory:
    person: Person
    position_title: str
    party_label: str


def _store(document: Document, stage: int, data: bytes) -> DocumentFile:
    digest = hashlib.sha256(data).hexdigest()
    stored = DocumentFile(document=document, stage=stage, sha256=digest, size=len(data))
    stored.file.save(f"{document.code}-{stage}-{digest[:16]}.pdf", ContentFile(data), save=False)
    stored.save()
    return stored


@transaction.atomic
def document_issue(
    *,
    government: Government,
    kind: str,
    subject: str,
    title: str,
    template: str,
    context: dict[str, Any],
    signatories: Sequence[Signatory],
    place_and_date: str,
    by: User,
    announce: bool = True,
) -> Document:
    """Render the document and wait for its signatures. A new version of the same subject and
    kind supersedes the previous one, which stays readable. The first signatory is told
    (`announce`; a caller that links the document first announces it itself, with
    `announce_next_signer`)."""
    if not 1 <= len(signatories) <= 2:
        raise ValidationError(
            _("Dokumen ditandatangani oleh satu atau dua pihak."),
            code="dokumen_ditandatangani_satu_dua",
        )
    previous = (
        Document.objects.select_for_update()
        .filter(government=government, subject=subject, kind=kind, superseded_by__isnull=True)
        .order_by("-version")
        .first()
    )
    document = Document.objects.create(
        government=government,
        kind=kind,
        subject=subject,
        title=title,
        code=new_code(),
        version=(previous.version + 1) if previous else 1,
        created_by=by,
    )
    slots = [
        SignatureSlot.objects.create(
            document=document,
            order=i,
            person=s.person,
            position_title=s.position_title,
            party_label=s.party_label,
        )
        for i, s in enumerate(signatories, start=1)
    ]
    pdf = render_pdf(
        template,
        {**context, "government": government, "title": title, "place_and_date": place_and_date},
        code=document.code,
        slots=[
            {
                "party_label": s.party_label,
                "position_title": s.position_title,
                "name": s.person.name,
                "nip": s.person.nip,
            }
            for s in slots
        ],
    )
    _store(document, 0, pdf)
    if previous:
        previous.superseded_by = document
        previous.save(update_fields=["superseded_by"])
    if announce:
        announce_next_signer(document)
    record(
        actor=by,
        action="document.issue",
        obj=document,
        before=None,
        after={
            "code": document.code,
            "kind": kind,
            "version": document.version,
            "subject": subject,
        },
        government=government,
    )
    return document


def _latin1(text: str) -> str:
    # The stamp uses a standard PDF font; keep what it can draw.
    return text.encode("latin-1", "replace").decode("latin-1")


PASSPHRASE_MIN = 8
PASSPHRASE_MAX = 128
# Wrong passphrases a signer may type before signing pauses for them (per person, in the cache).
PASSPHRASE_FAILURE_LIMIT = 5
PASSPHRASE_FAILURE_SECONDS = 15 * 60


def _failures_key(person_id: int) -> str:
    return f"kinerja:passphrase-failures:{person_id}"


def signing_key_password(*, person: Person, passphrase: str) -> bytes:
    """The key that opens the person's private keys, from the passphrase they typed. Refused,
    with a code, when they have none yet (`passphrase_not_set`), typed none
    (`passphrase_required`), typed a wrong one (`passphrase_wrong`), or typed too many wrong
    ones lately (`passphrase_paused`)."""
    secret = SigningSecret.objects.filter(person=person).first()
    if secret is None:
        raise ValidationError(
            _("Buat dulu passphrase tanda tangan Anda."), code="passphrase_not_set"
        )
    if not passphrase:
        raise ValidationError(
            _("Ketik passphrase tanda tangan Anda untuk menandatangani."),
            code="passphrase_required",
        )
    key = _failures_key(person.pk)
    if counters.count(key) >= PASSPHRASE_FAILURE_LIMIT:
        raise ValidationError(
            _(
                "Terlalu banyak passphrase salah. Coba lagi dalam %(minutes)s menit, atau atur "
                "ulang passphrase di halaman sertifikat Anda."
            ),
            code="passphrase_paused",
            params={"minutes": PASSPHRASE_FAILURE_SECONDS // 60},
        )
    if len(passphrase) > PASSPHRASE_MAX or not check_password(passphrase, secret.passphrase_hash):
        counters.add_one(key, PASSPHRASE_FAILURE_SECONDS)
        raise ValidationError(_("Passphrase tanda tangan salah."), code="passphrase_wrong")
    cache.delete(key)
    return pki.passphrase_key(passphrase, bytes.fromhex(secret.salt))


def _check_new_passphrase(user: User, passphrase: str, repeat: str) -> None:
    if not PASSPHRASE_MIN <= len(passphrase) <= PASSPHRASE_MAX:
        raise ValidationError(
            _("Passphrase tanda tangan %(low)s sampai %(high)s karakter."),
            code="passphrase_length",
            params={"low": PASSPHRASE_MIN, "high": PASSPHRASE_MAX},
        )
    if passphrase != repeat:
        raise ValidationError(
            _("Kedua passphrase yang diketik tidak sama."), code="passphrase_mismatch"
        )
    if user.check_password(passphrase):
        raise ValidationError(
            _("Passphrase tanda tangan harus berbeda dari kata sandi masuk."),
            code="passphrase_is_password",
        )


@transaction.atomic
def signing_passphrase_set(
    *, user: User, passphrase: str, repeat: str, current: str = ""
) -> SigningSecret:
    """Set the signer's passphrase (first use) or change it (with the current one). Every
    private key they hold is re-encrypted with a key derived from the new passphrase, keys
    still under the deployment's key included: from now on only the passphrase opens them."""
    person = user.person
    if person is None:
        raise ValidationError(
            _("Akun Anda belum terhubung dengan data pejabat."), code="akun_belum_terhubung_data"
        )
    secret = SigningSecret.objects.select_for_update().filter(person=person).first()
    old = signing_key_password(person=person, passphrase=current) if secret else None
    _check_new_passphrase(user, passphrase, repeat)
    salt = secrets.token_bytes(16)
    new = pki.passphrase_key(passphrase, salt)
    for certificate in SignerCertificate.objects.select_for_update().filter(
        person=person, revoked=False
    ):
        certificate.key_pem = pki.reencrypt(
            certificate.key_pem, old=old if certificate.protected else None, new=new
        )
        certificate.protected = True
        certificate.save(update_fields=["key_pem", "protected"])
    if secret is None:
        secret = SigningSecret(person=person)
    secret.salt = salt.hex()
    secret.passphrase_hash = make_password(passphrase)
    secret.save()
    cache.delete(_failures_key(person.pk))
    record(
        actor=user,
        action="signing_passphrase.change" if old else "signing_passphrase.set",
        obj=person,
        before=None,
        after={"person": person.name},
        government=user.government,
    )
    return secret


@transaction.atomic
def signing_passphrase_forget(*, user: User, password: str) -> int:
    """A signer who forgot their passphrase: with their sign-in password, their certificates
    are revoked (nobody can open those keys any more) and the passphrase removed; the next
    signature sets a new one and is made with a new certificate. Documents already signed stay
    valid. Returns how many certificates were revoked."""
    person = user.person
    if person is None:
        raise ValidationError(
            _("Akun Anda belum terhubung dengan data pejabat."), code="akun_belum_terhubung_data"
        )
    if not user.check_password(password):
        raise ValidationError(_("Kata sandi masuk salah."), code="password_wrong")
    revoked = SignerCertificate.objects.filter(person=person, revoked=False).update(revoked=True)
    SigningSecret.objects.filter(person=person).delete()
    cache.delete(_failures_key(person.pk))
    record(
        actor=user,
        action="signing_passphrase.forget",
        obj=person,
        before=None,
        after={"person": person.name, "revoked": revoked},
        government=user.government,
    )
    return revoked


@transaction.atomic
def document_sign(
    *, document: Document, by: User, passphrase: str, on: datetime.date | None = None
) -> SignatureSlot:
    """The signed-in user signs their slot: in order, as the person in that slot, on a
    document nobody has superseded, with their passphrase (which alone opens their private
    key). The new file is stored beside the old one."""
    document = Document.objects.select_for_update().get(
        pk=document.pk, government_id=document.government_id
    )
    slots = list(document.slots.select_for_update().order_by("order"))
    open_slots = [s for s in slots if s.signed_at is None]
    signed_mine = [
        s for s in slots if s.signed_at is not None and by.person_id and s.person_id == by.person_id
    ]
    if signed_mine and not any(s.person_id == by.person_id for s in open_slots):
        # A second click on "sign" (or a page left open): already done, said plainly.
        raise ValidationError(
            _("Anda sudah menandatangani dokumen ini pada %(when)s.")
            % {"when": f"{timezone.localtime(signed_mine[0].signed_at):%d-%m-%Y %H:%M}"},
            code="already_signed",
        )
    Document.WORKFLOW.check(document, "sign")
    slot = open_slots[0]
    mine = [s for s in open_slots if by.person_id and s.person_id == by.person_id]
    if not mine:
        raise PermissionDenied(_("Anda bukan penanda tangan dokumen ini."))
    if mine[0] != slot:
        raise ValidationError(
            _("Menunggu tanda tangan %(party_label)s (%(name)s) lebih dulu."),
            code="menunggu_tanda_tangan_lebih",
            params={"party_label": slot.party_label, "name": slot.person.name},
        )
    latest = document.latest_file
    assert latest is not None
    with latest.file.open("rb") as fh:
        current = fh.read()
    if hashlib.sha256(current).hexdigest() != latest.sha256:
        raise ValidationError(
            _("Berkas tersimpan tidak cocok dengan sidik jarinya; penandatanganan dihentikan."),
            code="berkas_tersimpan_tidak_cocok",
        )
    key_password = signing_key_password(person=slot.person, passphrase=passphrase)
    certificate = pki.signer_certificate(slot.person, key_password)
    signed_at = timezone.localtime()
    meta = signers.PdfSignatureMetadata(
        field_name=slot.field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=_latin1(slot.person.name),
        reason=_latin1(f"{slot.party_label}: {document.title}")[:200],
        location=_latin1(document.government.seat or document.government.name),
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=pki.pyhanko_signer(certificate, key_password),
        stamp_style=TextStampStyle(
            stamp_text="Ditandatangani secara elektronik\n%(name)s\n%(position)s\n%(when)s",
            border_width=0,
        ),
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=slot.field_name, on_page=-1, box=box_points(len(slots), slot.order - 1)
        ),
    )
    out = io.BytesIO()
    params = {
        "name": _latin1(slot.person.name),
        "position": _latin1(slot.position_title)[:60],
        "when": signed_at.strftime("%d-%m-%Y %H:%M WIB"),
    }
    _without_event_loop(
        lambda: pdf_signer.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(current)), output=out, appearance_text_params=params
        )
    )
    stored = _store(document, latest.stage + 1, out.getvalue())
    slot.signed_at = signed_at
    slot.certificate = certificate
    slot.signed_file = stored
    slot.save(update_fields=["signed_at", "certificate", "signed_file"])
    record(
        actor=by,
        action="document.sign",
        obj=document,
        before=None,
        after={"slot": slot.order, "person": slot.person.name, "sha256": stored.sha256},
        government=document.government,
    )
    if all(s.signed_at for s in document.slots.all()):
        Document.WORKFLOW.apply(document, "complete", by=by, action="document.complete")
    others = [s.person_id for s in slots if s.pk != slot.pk and s.signed_at is not None]
    notify(
        [*User.objects.filter(person_id__in=others), document.created_by],
        government=document.government,
        kind=Notice.Kind.SIGNED,
        title=f"Ditandatangani oleh {slot.person.name}: {document.title}",
        url=reverse("documents:verify_code", args=[document.code]),
    )
    announce_next_signer(document)
    return slot


def announce_next_signer(document: Document) -> None:
    """Tell the signatory whose turn it is, with the page where they sign."""
    slot = document.slots.filter(signed_at__isnull=True).order_by("order").first()
    if slot is None:
        return
    notify(
        User.objects.filter(person_id=slot.person_id),
        government=document.government,
        kind=Notice.Kind.SIGN_WAITING,
        title=f"Menunggu tanda tangan Anda: {document.title}",
        body=f"Sebagai {slot.party_label} ({slot.position_title}).",
        url=sign_url(document),
    )


@dataclass
class Verification:
    """What the verification page says about a file or a code."""

    document: Document | None = None
    known_file: DocumentFile | None = None
    modified: bool = False
    signatures: list[pki.SignatureCheck] = field(default_factory=list)
    problem: str = ""

    @property
    def issued_here(self) -> bool:
        return self.known_file is not None

    @property
    def superseded(self) -> bool:
        return bool(self.document and self.document.superseded_by_id)

    @property
    def all_intact(self) -> bool:
        return bool(self.signatures) and all(
            s.intact and s.trusted and s.covers for s in self.signatures
        )

    @property
    def earlier_stage(self) -> bool:
        """A file this system issued, but not the document's latest: a state before its
        last signature (an unsigned or partly signed copy)."""
        if self.known_file is None or self.document is None:
            return False
        latest = self.document.latest_file
        return latest is not None and latest.pk != self.known_file.pk

    @property
    def genuine(self) -> bool:
        """ "Asli": byte for byte the document's latest file as issued here, and every
        signature in it intact, covering what it claims, and from a trusted root."""
        return (
            self.issued_here
            and not self.modified
            and not self.earlier_stage
            and all(s.intact and s.trusted and s.covers for s in self.signatures)
        )


# Where a file names its document even after tampering: the Subject ("Kinerja CODE", from the
# template) or the first file identifier, which we set to the code.
_CODE_PATTERNS = [
    re.compile(rb"\(Kinerja ([A-Z2-9]{12})\)"),
    re.compile(rb"/ID\s*\[\s*\(([A-Z2-9]{12})\)"),
]
_HEX_ID = re.compile(rb"/ID\s*\[\s*<([0-9a-fA-F]{24})>")


def claimed_code(data: bytes) -> str | None:
    for pattern in _CODE_PATTERNS:
        match = pattern.search(data)
        if match:
            return match.group(1).decode()
    for match in _HEX_ID.finditer(data):
        candidate = bytes.fromhex(match.group(1).decode()).decode("latin-1")
        if re.fullmatch(r"[A-Z2-9]{12}", candidate):
            return candidate
    return None


def check_signatures(data: bytes) -> list[pki.SignatureCheck]:
    context = pki.validation_context()  # reads the CA from the database: before the thread
    return _without_event_loop(lambda: _check_signatures(data, context))


def _check_signatures(data: bytes, context: Any) -> list[pki.SignatureCheck]:
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    checks = []
    for embedded in reader.embedded_signatures:
        coverage = modification = ""
        covers = False
        try:
            status = validate_pdf_signature(embedded, context)
            intact, trusted = bool(status.intact and status.valid), bool(status.trusted)
            level = status.modification_level
            coverage = status.coverage.name if status.coverage else ""
            modification = level.name if level else ""
            covers = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
                status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
                and level is not None
                and level <= ModificationLevel.FORM_FILLING
            )
        except Exception:
            intact = trusted = False
        cert = embedded.signer_cert
        checks.append(
            pki.SignatureCheck(
                field=embedded.field_name,
                signer=cert.subject.native.get("common_name", "") if cert else "",
                signed_at=embedded.self_reported_timestamp,
                intact=intact,
                trusted=trusted,
                covers=covers,
                coverage=coverage,
                modification=modification,
            )
        )
    return checks


def verify_file(data: bytes) -> Verification:
    """Did this system issue this exact file, who signed it, and are the signatures intact?"""
    digest = hashlib.sha256(data).hexdigest()
    known = DocumentFile.objects.select_related("document").filter(sha256=digest).first()
    result = Verification(known_file=known, document=known.document if known else None)
    if known is None:
        code = claimed_code(data)
        if code:
            result.document = Document.objects.filter(code=code).first()
        result.modified = result.document is not None
    try:
        result.signatures = check_signatures(data)
    except Exception:
        result.problem = "Berkas ini bukan PDF yang dapat dibaca."
        result.modified = result.document is not None
        return result
    if any(not (s.intact and s.covers) for s in result.signatures):
        result.modified = True
    return result


def verify_code(code: str) -> Verification:
    document = Document.objects.filter(code=code.strip().upper()).first()
    if document is None:
        return Verification(problem="Kode ini tidak dikenal: dokumen bukan terbitan Kinerja.")
    latest = document.latest_file
    assert latest is not None
    with latest.file.open("rb") as fh:
        data = fh.read()
    result = Verification(document=document, known_file=latest)
    result.modified = hashlib.sha256(data).hexdigest() != latest.sha256
    result.signatures = check_signatures(data)
    return result


@transaction.atomic
def certificate_upload(
    *, user: User, data: bytes, password: str, passphrase: str
) -> pki.SignerCertificate:
    """A signer's own certificate from an external provider (PKCS#12), used for their next
    signatures instead of one from our CA. Checked: it opens, holds a key that matches its
    certificate, is valid today, chains to a trust root of this deployment, may sign, and
    names the signer (pki.check_uploaded). Its key is kept under their signing passphrase."""
    if user.person is None:
        raise ValidationError(
            _("Akun Anda belum terhubung dengan data pejabat."), code="akun_belum_terhubung_data"
        )
    key_password = signing_key_password(person=user.person, passphrase=passphrase)
    try:
        certificate = pki.import_pkcs12(
            person=user.person,
            data=data,
            password=password.encode() or None,
            key_password=key_password,
        )
    except pki.CertificateRefused as exc:
        raise ValidationError(str(exc), code="certificate_refused") from exc
    except ValueError as exc:
        raise ValidationError(
            _(
                "Berkas PKCS#12 tidak dapat dibuka: periksa kata sandinya, atau bahwa "
                "berkas berisi kunci dan sertifikat."
            ),
            code="berkas_pkcs_tidak_dapat",
        ) from exc
    now = timezone.now()
    if certificate.not_after <= now:
        raise ValidationError(_("Sertifikat ini sudah kedaluwarsa."), code="sertifikat_kedaluwarsa")
    record(
        actor=user,
        action="certificate.upload",
        obj=user.person,
        before=None,
        after={"source": certificate.source, "not_after": certificate.not_after.isoformat()},
        government=user.government,
    )
    return certificate
