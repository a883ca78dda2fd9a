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

from kinerja.auction.documents import pact_issue
from kinerja.documents.models import SignerCertificate
from kinerja.documents.services import document_sign, verify_code


def external_p12(
    name: str, password: bytes, *, days: int = 365, without_key: bool = False
) -> bytes:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Penyelenggara Sertifikasi Lain")])
    now = datetime.datetime.now(datetime.UTC)
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=2))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=2))
        .not_valid_after(now + datetime.timedelta(days=days))
        .sign(ca_key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"signer",
        None if without_key else key,
        cert,
        [ca],
        serialization.BestAvailableEncryption(password),
    )


def upload(client, data, password):
    return client.post(
        "/akun/sertifikat/",
        {"file": SimpleUploadedFile("saya.p12", data), "password": password},
        follow=True,
    )


def test_uploaded_certificate_signs_and_is_reported_as_not_ours(world, decided, tmp_path):
    body = upload(
        world.client("head_a"), external_p12("Pejabat uji-head_a", b"rahasia"), "rahasia"
    ).content.decode()
    assert "Sertifikat disimpan" in body and "PKCS#12 dari penyelenggara lain" in body
    pact = pact_issue(session=decided, unit=world.unit_a, by=world.users["planner"])
    slot = document_sign(document=pact, by=world.users["head_a"])
    assert slot.certificate.source == SignerCertificate.Source.UPLOADED
    path = tmp_path / "pakta.pdf"
    with pact.latest_file.file.open("rb") as fh:
        path.write_bytes(fh.read())
    report = subprocess.run(
        ["pdfsig", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "Signature is Valid." in report
    (check,) = verify_code(pact.code).signatures
    assert check.intact and not check.trusted  # intact, but not a certificate of our CA


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
