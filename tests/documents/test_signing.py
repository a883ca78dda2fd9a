"""Pacts and contracts as signed PDFs, checked with the real tools: poppler's pdfsig and
pdftotext, pyHanko with our CA as the trust root, and NSS trusting our CA."""

import io
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from kinerja.auction.documents import contract_issue, pact_issue
from kinerja.documents import pki
from kinerja.documents.services import document_sign, verify_file
from tests.documents.conftest import stored_bytes
from tests.refusals import refused
from tests.signing import passphrase


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_pact_rows_and_both_signatures_are_valid(world, signed_pact, tmp_path):
    pact, path = signed_pact
    assert pact.status == "signed"
    text = run("pdftotext", "-layout", str(path), "-")
    for expected in [
        "PAKTA INTEGRITAS KESANGGUPAN",
        "Jumlah kematian ibu",
        "Sanggup",
        "LEMBAR PENGESAHAN",
        "Pejabat uji-head_a",
        "Pejabat uji-mayor",
        pact.code,
    ]:
        assert expected in text, expected
    assert (
        "7 (2022)" in text and "11 (2018)" in text and "8 (2023)" in text
    )  # final, baseline, proposal

    report = run("pdfsig", str(path))
    assert report.count("Signature Validation: Signature is Valid.") == 2, report
    assert "Pejabat uji-head_a" in report and "Pejabat uji-mayor" in report

    # With our CA trusted in an NSS database, poppler trusts the certificates too.
    nss = tmp_path / "nss"
    nss.mkdir()
    run("certutil", "-N", "-d", f"sql:{nss}", "--empty-password")
    ca = tmp_path / "ca.pem"
    ca.write_text(pki.certificate_authority().certificate_pem)
    run("certutil", "-A", "-d", f"sql:{nss}", "-n", "kinerja-ca", "-t", "CT,C,C", "-i", str(ca))
    trusted = run("pdfsig", "-nssdir", f"sql:{nss}", str(path))
    assert trusted.count("Certificate Validation: Certificate is Trusted.") == 2, trusted

    # pyHanko, with our CA as the only trust root: intact, valid and trusted.
    # (In a thread of its own: pyHanko runs its own event loop, and the browser tests leave one
    # running in this thread.)
    context = pki.validation_context()

    def validate():
        reader = PdfFileReader(io.BytesIO(path.read_bytes()))
        return [validate_pdf_signature(s, context) for s in reader.embedded_signatures]

    with ThreadPoolExecutor(1) as pool:
        statuses = pool.submit(validate).result()
    assert [(s.intact, s.valid, s.trusted) for s in statuses] == [(True, True, True)] * 2


def test_every_stored_file_is_kept_with_its_hash(signed_pact):
    import hashlib

    pact, _path = signed_pact
    files = list(pact.files.order_by("stage"))
    assert [f.stage for f in files] == [0, 1, 2]
    for f in files:
        with f.file.open("rb") as fh:
            assert hashlib.sha256(fh.read()).hexdigest() == f.sha256


def test_one_changed_byte_is_reported_as_modified(signed_pact):
    pact, path = signed_pact
    data = bytearray(path.read_bytes())
    original = verify_file(bytes(data))
    assert original.issued_here and not original.modified and original.all_intact
    # Change one byte inside the signed content (a digit of the page text stream).
    position = data.index(b"stream", len(data) // 4) + 20
    data[position] = (data[position] + 1) % 256
    result = verify_file(bytes(data))
    assert result.modified and not result.issued_here
    assert result.document == pact  # it still names the document it pretends to be


def test_signing_out_of_order_or_by_someone_else_is_refused(world, decided):
    pact = pact_issue(session=decided, unit=world.unit_a, by=world.users["planner"])
    with refused("menunggu_tanda_tangan_lebih"):
        document_sign(
            document=pact, by=world.users["mayor"], passphrase=passphrase(world.users["mayor"])
        )
    for intruder in ("operator_a", "panel", "planner"):
        with pytest.raises(PermissionDenied):
            document_sign(
                document=pact,
                by=world.users[intruder],
                passphrase=passphrase(world.users[intruder]),
            )
    assert pact.files.count() == 1


def test_a_new_version_supersedes_and_the_old_one_cannot_be_signed(world, decided):
    first = pact_issue(session=decided, unit=world.unit_a, by=world.users["planner"])
    second = pact_issue(session=decided, unit=world.unit_a, by=world.users["planner"])
    first.refresh_from_db()
    assert (first.version, second.version, first.superseded_by) == (1, 2, second)
    with refused("wrong_state"):
        document_sign(
            document=first, by=world.users["head_a"], passphrase=passphrase(world.users["head_a"])
        )


def test_a_stored_file_that_changed_is_not_signed(world, decided):
    pact = pact_issue(session=decided, unit=world.unit_a, by=world.users["planner"])
    stored = pact.latest_file
    Path(stored.file.path).write_bytes(Path(stored.file.path).read_bytes() + b"%")
    with refused("berkas_tersimpan_tidak_cocok"):
        document_sign(
            document=pact, by=world.users["head_a"], passphrase=passphrase(world.users["head_a"])
        )


def test_contract_has_the_yearly_targets_and_two_valid_signatures(world, decided, tmp_path):
    contract = contract_issue(session=decided, unit=world.unit_a, by=world.users["planner"])
    document_sign(
        document=contract, by=world.users["head_a"], passphrase=passphrase(world.users["head_a"])
    )
    document_sign(
        document=contract, by=world.users["mayor"], passphrase=passphrase(world.users["mayor"])
    )
    path = tmp_path / "kontrak.pdf"
    path.write_bytes(stored_bytes(contract))
    text = run("pdftotext", "-layout", str(path), "-")
    assert "KONTRAK KINERJA" in text and "Pihak Pertama" in text and "Pihak Kedua" in text
    # 11 in 2018, 7 agreed by 2022: 10, 9, 8, 7, 7.
    assert " ".join(["10", "9", "8", "7", "7"]) in " ".join(text.split())
    assert run("pdfsig", str(path)).count("Signature is Valid.") == 2


def test_a_document_before_the_decision_is_refused(world, auction):
    session, _p, _i = auction
    with refused("wrong_state"):
        pact_issue(session=session, unit=world.unit_a, by=world.users["planner"])
