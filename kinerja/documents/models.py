"""Signed documents: the deployment's certificate authority, signers' certificates, documents,
their stored files (each kept once, by SHA-256, never changed) and signatures."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import Government, Person
from kinerja.core.models import TenantChild
from kinerja.core.workflow import Transition, Workflow


def new_code() -> str:
    # 12 characters from an unambiguous alphabet: printed under the QR code, typed by people.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class CertificateAuthority(models.Model):
    """The deployment's own CA, created on first use; one row."""

    name = models.CharField(max_length=200)
    certificate_pem = models.TextField()
    key_pem = models.TextField()  # PKCS#8, encrypted with the deployment's signing key
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class SignerCertificate(TenantChild):
    tenant_parent = "person"

    class Source(models.TextChoices):
        ISSUED = "issued", _("Diterbitkan CA Kinerja")
        UPLOADED = "uploaded", _("PKCS#12 dari penyelenggara lain")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="certificates")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ISSUED)
    certificate_pem = models.TextField()
    chain_pem = models.TextField(blank=True)
    key_pem = models.TextField()  # PKCS#8, encrypted at rest
    # True: the key is encrypted with a key derived from the signer's own passphrase, which the
    # server never stores; False (certificates from before passphrases): with the deployment's
    # key, until the signer sets a passphrase, which re-encrypts it. Only a protected key signs.
    protected = models.BooleanField(default=False)
    not_after = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_source_display()})"


class SigningSecret(TenantChild):
    """What a signer's passphrase protects: a salt for deriving the key that encrypts their
    private keys, and a password hash to tell them plainly when they mistype it. The passphrase
    itself is never stored."""

    tenant_parent = "person"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="signing_secret")
    salt = models.CharField(max_length=64)
    passphrase_hash = models.CharField(max_length=256)
    set_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.person}"


class Document(models.Model):
    class Kind(models.TextChoices):
        PACT = "pact", _("Pakta integritas kesanggupan")
        CONTRACT = "contract", _("Kontrak kinerja")
        AGREEMENT = "agreement", _("Perjanjian kinerja")
        LHE = "lhe", _("Laporan hasil evaluasi SAKIP")

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("Menunggu tanda tangan")
        SIGNED = "signed", _("Ditandatangani lengkap")

    # A document replaced by a newer one (superseded_by set) takes no more signatures.
    WORKFLOW = Workflow(
        what=_("dokumen"),
        states=[*Status.choices, ("superseded", _("Digantikan"))],
        state=lambda d: "superseded" if d.superseded_by_id else d.status,
        transitions={
            "sign": Transition(
                (Status.AWAITING,),
                None,
                _("menandatangani dokumen"),
                hints={
                    "superseded": _("Dokumen ini sudah digantikan versi yang lebih baru."),
                    Status.SIGNED: _("Dokumen ini sudah ditandatangani lengkap."),
                },
            ),
            "complete": Transition((Status.AWAITING,), Status.SIGNED, _("menandatangani dokumen")),
        },
    )

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=300)
    code = models.CharField(max_length=16, unique=True, default=new_code)
    # What the document is about, e.g. "auction.proposal:12" — a key, not a foreign key, so the
    # documents app serves every other app.
    subject = models.CharField(max_length=100, db_index=True)
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AWAITING)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "kind", "version"], name="document_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def latest_file(self) -> DocumentFile | None:
        return self.files.order_by("-stage").first()


class DocumentFile(TenantChild):
    """One stored state of the PDF: the unsigned original, then one more per signature."""

    tenant_parent = "document"

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="files")
    stage = models.PositiveSmallIntegerField()  # 0 unsigned, n after the n-th signature
    sha256 = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to="documents/")
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["document", "stage"], name="one_file_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.document.code}#{self.stage} {self.sha256[:12]}"


class SignatureSlot(TenantChild):
    """Who must sign, in which order, in which position; filled when they sign."""

    tenant_parent = "document"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="slots")
    order = models.PositiveSmallIntegerField()
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    position_title = models.CharField(max_length=200)
    party_label = models.CharField(max_length=100)  # "Pihak Pertama", "Ketua Tim Penilai", ...
    signed_at = models.DateTimeField(null=True, blank=True)
    certificate = models.ForeignKey(
        SignerCertificate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_file = models.OneToOneField(
        DocumentFile, on_delete=models.PROTECT, null=True, blank=True, related_name="slot"
    )

    class Meta:
        ordering = ["document", "order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "order"], name="one_slot_per_order")
        ]

    def __str__(self) -> str:
        return f"{self.document.code} #{self.order} {self.person}"

    @property
    def field_name(self) -> str:
        return f"Tandatangan{self.order}"
