"""The verification page's verdict on forged and incomplete files: only the document's final
signed file, byte for byte, with every signature intact, covering and trusted, is "Asli"."""

from __future__ import annotations

import datetime
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from kinerja.documents.services import verify_file
from tests.documents.conftest import stored_bytes

GENUINE = "Asli: diterbitkan oleh Kinerja dan tidak diubah"
EARLIER = "Tahap sebelumnya yang belum lengkap"
MODIFIED = "Berkas ini telah diubah"


def _page(client, data: bytes) -> str:
    response = client.post(
        "/verifikasi/", {"file": SimpleUploadedFile("berkas.pdf", data, "application/pdf")}
    )
    assert response.status_code == 200
    return response.content.decode()


def _stage(document, stage: int) -> bytes:
    with document.files.get(stage=stage).file.open("rb") as fh:
        return fh.read()


def _overlay(data: bytes) -> bytes:
    """An incremental update after signing that draws over the first page."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 720 Td (DIUBAH) Tj ET")
    ref = writer.add_object(stream)
    contents = page["/Contents"]
    page["/Contents"] = generic.ArrayObject(
        [*(contents if isinstance(contents, generic.ArrayObject) else [contents]), ref]
    )
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _foreign_signature(data: bytes) -> bytes:
    """A third signature appended with a self-made certificate."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kinerja Certificate Authority")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore(),
    )
    out = io.BytesIO()
    # pyHanko runs its own event loop; a browser test may have left one running in this
    # thread, so sign in a thread of its own (as the application does).
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(
            signers.sign_pdf,
            IncrementalPdfFileWriter(io.BytesIO(data)),
            signers.PdfSignatureMetadata(field_name="Palsu"),
            signer=signer,
            output=out,
        ).result()
    return out.getvalue()


@pytest.fixture
def signed(signed_pact):  # type: ignore[no-untyped-def]
    pact, _path = signed_pact
    return pact


def test_the_final_file_is_genuine(world, signed):
    result = verify_file(stored_bytes(signed))
    assert result.genuine and result.all_intact
    assert all(s.covers for s in result.signatures)
    page = _page(world.client("anonymous"), stored_bytes(signed))
    assert GENUINE in page


@pytest.mark.parametrize(("stage", "label"), [(0, "unsigned"), (1, "one of two signatures")])
def test_an_earlier_state_is_named_as_such(world, signed, stage, label):
    data = _stage(signed, stage)
    result = verify_file(data)
    assert result.issued_here and result.earlier_stage and not result.genuine, label
    page = _page(world.client("anonymous"), data)
    assert EARLIER in page and GENUINE not in page and signed.code in page


def test_a_file_cut_back_to_its_first_revision_is_not_genuine(world, signed):
    final = stored_bytes(signed)
    # The first signature's revision ends at the %%EOF before the second signature.
    first_revision_end = final.index(b"%%EOF", len(_stage(signed, 0))) + len(b"%%EOF\n")
    cut = final[:first_revision_end]
    result = verify_file(cut)
    assert not result.genuine
    page = _page(world.client("anonymous"), cut)
    assert GENUINE not in page


def test_an_overlay_after_signing_is_caught_and_the_signatures_say_so(world, signed):
    data = _overlay(stored_bytes(signed))
    result = verify_file(data)
    assert result.modified and not result.genuine
    assert any(s.intact and not s.covers for s in result.signatures)
    page = _page(world.client("anonymous"), data)
    assert MODIFIED in page and "diubah setelah ditandatangani" in page


def test_a_copy_resigned_with_a_foreign_certificate_is_not_genuine(world, signed):
    data = _foreign_signature(stored_bytes(signed))
    result = verify_file(data)
    assert result.modified and not result.genuine
    assert any(not s.trusted for s in result.signatures)
    page = _page(world.client("anonymous"), data)
    assert MODIFIED in page and "sertifikat tidak dipercaya" in page
