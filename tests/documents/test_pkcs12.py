"""A signer brings their own certificate (PKCS#12 from an external provider)."""

import datetime
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.accounts.models import User
from kinerja.auction.documents import pact_issue
from kinerja.documents.models import SignerCertificate
from kinerja.documents.services import document_sign, verify_code
from tests.signing import passphrase


def _make_ca(name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=2))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(digital_signature=False, cert_sign=True), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _usage(*, digital_signature: bool, cert_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=digital_signature,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


# Another certification provider (think BSrE), and a forger's "Kinerja Certificate Authority".
PROVIDER = _make_ca("Penyelenggara Sertifikasi Lain")
FORGER = _make_ca("Kinerja Certificate Authority")


def external_p12(
    name: str,
    password: bytes,
    *,
    days: int = 365,
    without_key: bool = False,
    ca: tuple[ec.EllipticCurvePrivateKey, x509.Certificate] = PROVIDER,
    signing: bool = True,
) -> bytes:
    ca_key, ca_cert = ca
    now = datetime.datetime.now(datetime.UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=2))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(_usage(digital_signature=signing), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"signer",
        None if without_key else key,
        cert,
        [ca_cert],
        serialization.BestAvailableEncryption(password),
    )


@pytest.fixture
def provider_trusted(settings, tmp_path):
    """The operator added the other provider's root (KINERJA_TRUST_ROOTS)."""
    path = tmp_path / "akar.pem"
    path.write_bytes(PROVIDER[1].public_bytes(serialization.Encoding.PEM))
    settings.KINERJA_TRUST_ROOTS = [str(path)]
    return path


def upload(client, data, password):
    """Upload as the signed-in head_a, whose signing passphrase is PASSPHRASE."""
    head = User.objects.get(username="uji-head_a")
    return client.post(
        "/akun/sertifikat/",
        {
            "form": "upload",
            "file": SimpleUploadedFile("saya.p12", data),
            "password": password,
            "passphrase": passphrase(head),
        },
        follow=True,
    )


def test_uploaded_certificate_signs_and_is_reported_as_not_ours(
    world, decided, tmp_path, provider_trusted
):
    body = upload(
        world.client("head_a"), external_p12("Pejabat uji-head_a", b"rahasia"), "rahasia"
    ).content.decode()
    assert "Sertifikat disimpan" in body and "PKCS#12 dari penyelenggara lain" in body
    pact = pact_issue(session=decided, unit=world.unit_a, by=world.users["planner"])
    slot = document_sign(
        document=pact, by=world.users["head_a"], passphrase=passphrase(world.users["head_a"])
    )
    assert slot.certificate.source == SignerCertificate.Source.UPLOADED
    path = tmp_path / "pakta.pdf"
    with pact.latest_file.file.open("rb") as fh:
        path.write_bytes(fh.read())
    report = subprocess.run(
        ["pdfsig", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "Signature is Valid." in report
    (check,) = verify_code(pact.code).signatures
    assert check.intact and check.trusted  # a root the operator configured


@pytest.mark.parametrize(
    ("data", "password", "words"),
    [
        (lambda: external_p12("X", b"benar"), "salah", "tidak dapat dibuka"),
        (lambda: external_p12("X", b"benar", without_key=True), "benar", "tidak dapat dibuka"),
        (lambda: external_p12("X", b"benar", days=-1), "benar", "kedaluwarsa"),
        (lambda: b"bukan pkcs12", "", "tidak dapat dibuka"),
    ],
    ids=["wrong password", "certificate without its key", "expired", "not a p12"],
)
def test_bad_certificates_are_refused(world, data, password, words):
    body = upload(world.client("head_a"), data(), password).content.decode()
    assert words in body
    assert not SignerCertificate.objects.exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (
            lambda: external_p12("Pejabat uji-mayor", b"rahasia", ca=FORGER),
            "tidak diterbitkan oleh penyelenggara yang dipercaya",
        ),
        (lambda: external_p12("Pejabat uji-mayor", b"rahasia"), "bukan Pejabat uji-head_a"),
        (
            lambda: external_p12("Pejabat uji-head_a", b"rahasia", signing=False),
            "key usage",
        ),
    ],
    ids=["self-made CA in another's name", "trusted CA, another's name", "may not sign"],
)
def test_forged_or_foreign_certificates_are_refused(world, provider_trusted, data, words):
    body = upload(world.client("head_a"), data(), "rahasia").content.decode()
    assert words in body
    assert not SignerCertificate.objects.exists()


def test_a_certificate_is_refused_when_its_provider_is_not_configured(world, settings):
    settings.KINERJA_TRUST_ROOTS = []
    body = upload(
        world.client("head_a"), external_p12("Pejabat uji-head_a", b"rahasia"), "rahasia"
    ).content.decode()
    assert "tidak diterbitkan oleh penyelenggara yang dipercaya" in body
    assert not SignerCertificate.objects.exists()
