"""Every agreement `export_agreements` writes for the demo's 2019: every signature valid for
poppler and for pyHanko with our CA as trust root; every indicator and budget row in the text;
a one-byte change reported as modified by the verification page."""

import io
import subprocess
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from kinerja.agreements.exports import filename
from kinerja.agreements.models import Agreement
from kinerja.core.numbers import format_decimal
from kinerja.documents import pki
from kinerja.sampledata.demo import load_demo


@pytest.mark.django_db
def test_every_exported_agreement_is_signed_and_complete(tmp_path):
    load_demo()
    out = tmp_path / "pk"
    call_command("export_agreements", "--year", "2019", "--out", str(out))
    agreements = list(
        Agreement.objects.filter(year=2019, status="signed").select_related("document", "unit")
    )
    assert len(agreements) == 15 and len(list(out.rglob("*.pdf"))) == 15
    context = pki.validation_context()

    def pyhanko(data: bytes):
        reader = PdfFileReader(io.BytesIO(data))
        return [validate_pdf_signature(s, context) for s in reader.embedded_signatures]

    with ThreadPoolExecutor(1) as pool:  # pyHanko runs its own event loop
        for agreement in agreements:
            path = out / filename(agreement)
            parties = agreement.document.slots.count()
            assert parties == (2 if agreement.unit else 1)
            report = subprocess.run(
                ["pdfsig", str(path)], capture_output=True, text=True, check=True
            ).stdout
            assert report.count("Signature Validation: Signature is Valid.") == parties, path
            statuses = pool.submit(pyhanko, path.read_bytes()).result()
            assert [(s.intact, s.valid, s.trusted) for s in statuses] == [
                (True, True, True)
            ] * parties
            text = " ".join(
                subprocess.run(
                    ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
                ).stdout.split()
            )
            for row in agreement.content["targets"]:
                assert row["indicator"] in text, (path, row)
            # The official layout: No | Program | Anggaran | Keterangan, with the total.
            programmes = [r for r in agreement.content["programmes"] if r["kind"] == "programme"]
            for row in programmes:
                assert (
                    row["name"] in text
                    and "Rp " + format_decimal(Decimal(row["budget"]), 0) in text
                ), (path, row)
            total = sum((Decimal(r["budget"]) for r in programmes), Decimal(0))
            assert "Jumlah" in text and f"Rp {format_decimal(total, 0)}" in text, path
            assert "Keterangan" in text and "APBD 2019" in text

    changed = bytearray((out / filename(agreements[0])).read_bytes())
    spot = changed.index(b"stream", len(changed) // 4) + 20
    changed[spot] = (changed[spot] + 1) % 256
    upload = io.BytesIO(bytes(changed))
    upload.name = "pk.pdf"
    body = Client().post("/verifikasi/", {"file": upload}).content.decode()
    assert "Berkas ini telah diubah" in body and agreements[0].document.code in body
