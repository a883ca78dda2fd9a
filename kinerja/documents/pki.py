"""The deployment's certificate authority and its signers' keys.

Keys are ECDSA P-256 (fast, and read by poppler and Adobe alike), stored as PKCS#8 encrypted
with a key derived from settings.KINERJA_SIGNING_KEY. Nothing here talks to the network:
validation uses our CA as the only trust root, with fetching off.
"""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.sign import signers
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    InvalidCertificateError,
    PathBuildingError,
    PathValidationError,
)
from pyhanko_certvalidator.registry import SimpleCertificateStore

from kinerja.accounts.models import Person
from kinerja.documents.models import CertificateAuthority, SignerCertificate

CA_YEARS = 20
SIGNER_YEARS = 5


def _passphrase() -> bytes:
    """The deployment's key: it protects the CA's key, and the keys of signers who have not yet
    set a passphrase of their own."""
    return hashlib.sha256(("kinerja-keys:" + settings.KINERJA_SIGNING_KEY).encode()).digest()


def passphrase_key(passphrase: str, salt: bytes) -> bytes:
    """The key that protects a signer's private key, derived from the passphrase only they know
    (scrypt, memory-hard). Nothing stored on the server, the deployment's key included, yields
    it."""
    return hashlib.scrypt(
        passphrase.encode(), salt=salt, n=2**14, r=8, p=1, maxmem=64 * 1024 * 1024, dklen=32
    )


def _encrypt(key: PrivateKeyTypes, password: bytes | None = None) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password or _passphrase()),
    ).decode()


def _decrypt(pem: str, password: bytes | None = None) -> PrivateKeyTypes:
    """The private key; ValueError when the password does not open it."""
    return serialization.load_pem_private_key(pem.encode(), password=password or _passphrase())


def reencrypt(pem: str, *, old: bytes | None, new: bytes) -> str:
    """The same private key, protected by another password (old None: the deployment's key)."""
    return _encrypt(_decrypt(pem, old), new)


def _name(common_name: str, organisation: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "ID")]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]))
    return x509.Name(parts)


@transaction.atomic
def certificate_authority() -> CertificateAuthority:
    """The deployment's CA, created the first time it is needed."""
    existing = CertificateAuthority.objects.select_for_update().first()
    if existing:
        return existing
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("Kinerja Certificate Authority", "Kinerja")
    now = timezone.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return CertificateAuthority.objects.create(
        name="Kinerja Certificate Authority",
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
        key_pem=_encrypt(key),
    )


def ca_certificate() -> x509.Certificate:
    return x509.load_pem_x509_certificate(certificate_authority().certificate_pem.encode())


@transaction.atomic
def signer_certificate(person: Person, key_password: bytes) -> SignerCertificate:
    """The person's current certificate, issued by our CA when they have none valid; a new
    key is protected by key_password (from the signer's passphrase, `passphrase_key`)."""
    now = timezone.now()
    current = (
        SignerCertificate.objects.filter(person=person, revoked=False, not_after__gt=now)
        .order_by("-created_at")
        .first()
    )
    if current:
        return current
    ca = certificate_authority()
    ca_cert = x509.load_pem_x509_certificate(ca.certificate_pem.encode())
    ca_key = _decrypt(ca.key_pem)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    key = ec.generate_private_key(ec.SECP256R1())
    not_after = now + datetime.timedelta(days=365 * SIGNER_YEARS)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(person.name, person.government.name))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return SignerCertificate.objects.create(
        person=person,
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
        chain_pem=ca.certificate_pem,
        key_pem=_encrypt(key, key_password),
        protected=True,
        not_after=not_after,
    )


def import_pkcs12(
    *, person: Person, data: bytes, password: bytes | None, key_password: bytes
) -> SignerCertificate:
    """A certificate from an external provider (e.g. BSrE), kept with its key encrypted by
    key_password (from the signer's passphrase)."""
    key, cert, extra = pkcs12.load_key_and_certificates(data, password)
    if key is None or cert is None:
        raise ValueError("Berkas PKCS#12 tidak memuat kunci dan sertifikat.")
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(
        serialization.Encoding.DER, public
    ) != cert.public_key().public_bytes(serialization.Encoding.DER, public):
        raise ValueError("Kunci tidak cocok dengan sertifikatnya.")
    check_uploaded(cert, list(extra or []), person)
    pem_key = _encrypt(key, key_password)
    return SignerCertificate.objects.create(
        person=person,
        source=SignerCertificate.Source.UPLOADED,
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
        chain_pem="".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in extra or []),
        key_pem=pem_key,
        protected=True,
        not_after=cert.not_valid_after_utc,
    )


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def pyhanko_signer(certificate: SignerCertificate, key_password: bytes) -> signers.SimpleSigner:
    """A signer holding the certificate's private key, opened with key_password; a key still
    under the deployment's key (a signer who never set a passphrase) is refused."""
    if not certificate.protected:
        raise ValueError("key not protected by a passphrase")
    cert = x509.load_pem_x509_certificate(certificate.certificate_pem.encode())
    key = _decrypt(certificate.key_pem, key_password)
    chain = (
        x509.load_pem_x509_certificates(certificate.chain_pem.encode())
        if certificate.chain_pem
        else []
    )
    return signers.SimpleSigner(
        signing_cert=_asn1_cert(cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in chain]),
    )


def configured_roots() -> list[x509.Certificate]:
    """The trust roots the deployment added (e.g. the national BSrE root), from the PEM files
    named in KINERJA_TRUST_ROOTS; our own CA is always trusted besides."""
    roots: list[x509.Certificate] = []
    for path in settings.KINERJA_TRUST_ROOTS:
        roots.extend(x509.load_pem_x509_certificates(Path(path).read_bytes()))
    return roots


def validation_context() -> ValidationContext:
    """Our CA and the configured roots; never fetch anything (no network here)."""
    roots = [_asn1_cert(ca_certificate()), *(_asn1_cert(c) for c in configured_roots())]
    return ValidationContext(trust_roots=roots, allow_fetching=False)


def _plain_name(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


class CertificateRefused(ValueError):
    """An uploaded certificate that opens but may not sign here; the message says why."""


def check_uploaded(cert: x509.Certificate, chain: list[x509.Certificate], person: Person) -> None:
    """A signer's own certificate is accepted only when it chains to a trust root of this
    deployment, its key usage allows signing, and it names the signer (their name as common
    name, or their NIP/NIK as serial number). Raises CertificateRefused with the reason."""
    if cert.not_valid_after_utc <= timezone.now():
        raise CertificateRefused(_("Sertifikat ini sudah kedaluwarsa."))
    validator = CertificateValidator(
        _asn1_cert(cert),
        intermediate_certs=[_asn1_cert(c) for c in chain],
        validation_context=validation_context(),
    )
    try:
        # The validator is asynchronous; run it in a thread of its own, since this may be
        # called where an event loop already runs (an ASGI worker, a browser test).
        with ThreadPoolExecutor(max_workers=1) as worker:
            worker.submit(
                lambda: asyncio.run(validator.async_validate_usage(key_usage={"digital_signature"}))
            ).result()
    except InvalidCertificateError as exc:
        raise CertificateRefused(
            _("Kunci sertifikat ini tidak diizinkan untuk tanda tangan (key usage).")
        ) from exc
    except (PathBuildingError, PathValidationError) as exc:
        raise CertificateRefused(
            _(
                "Sertifikat ini tidak diterbitkan oleh penyelenggara yang dipercaya "
                "deployment ini (CA Kinerja atau akar yang ditambahkan operator)."
            )
        ) from exc
    names = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    serials = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)]
    by_name = any(_plain_name(str(n)) == _plain_name(person.name) for n in names)
    by_number = bool(person.nip) and any(person.nip in str(s) for s in serials)
    if not (by_name or by_number):
        raise CertificateRefused(
            _("Sertifikat ini atas nama %(value)s, bukan %(name)s.")
            % {"value": ", ".join(str(n) for n in names) or "(tanpa nama)", "name": person.name}
        )


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signer: str
    signed_at: datetime.datetime | None
    intact: bool
    trusted: bool
    # Whether the signature covers the whole file (the last one) or its whole revision with
    # nothing but form filling or signatures after it (pyHanko's coverage and modification
    # level); an overlay appended after signing leaves the signature intact but not covering.
    covers: bool = True
    coverage: str = ""
    modification: str = ""
