"""Issuing, signing and verifying through the pages; the verification page needs no sign-in."""

import io

from django.test import Client

from kinerja.documents.models import Document
from tests.signing import sign_form


def issue_all(world, decided):
    url = f"/lelang/{decided.pk}/dokumen/"
    assert 'name="confirm"' in world.client("planner").post(url).content.decode()
    assert not Document.objects.exists()  # nothing issued without the confirmation
    response = world.client("planner").post(url, {"confirm": "yes"})
    assert response.status_code == 302
    return {d.kind: d for d in Document.objects.all()}


def test_planner_issues_and_signatories_sign_from_the_session_page(world, decided):
    docs = issue_all(world, decided)
    assert set(docs) == {"pact", "contract"}
    page = world.client("head_a").get(f"/lelang/{decided.pk}/").content.decode()
    assert page.count("Tanda tangani") == 2
    for kind in ("pact", "contract"):
        world.client("head_a").post(
            f"/verifikasi/{docs[kind].code}/tandatangani/",
            {"next": f"/lelang/{decided.pk}/", **sign_form(world.users["head_a"])},
        )
        world.client("mayor").post(
            f"/verifikasi/{docs[kind].code}/tandatangani/", sign_form(world.users["mayor"])
        )
        docs[kind].refresh_from_db()
        assert docs[kind].status == "signed"
    assert (
        "Tanda tangani" not in world.client("mayor").get(f"/lelang/{decided.pk}/").content.decode()
    )


def test_signing_out_of_turn_is_explained(world, decided):
    pact = issue_all(world, decided)["pact"]
    body = (
        world.client("mayor")
        .post(f"/verifikasi/{pact.code}/tandatangani/", sign_form(world.users["mayor"]))
        .content.decode()
    )
    assert "Menunggu tanda tangan Yang menyatakan" in body
    assert pact.files.count() == 1


def test_wrong_people_cannot_sign(world, decided):
    pact = issue_all(world, decided)["pact"]
    assert (
        world.client("operator_b").post(f"/verifikasi/{pact.code}/tandatangani/").status_code == 403
    )
    assert (
        world.client("other_gov").post(f"/verifikasi/{pact.code}/tandatangani/").status_code == 404
    )
    assert (
        world.client("anonymous").post(f"/verifikasi/{pact.code}/tandatangani/").status_code == 302
    )
    assert world.client("head_a").post("/verifikasi/TIDAKADA2345/tandatangani/").status_code == 404
    assert pact.files.count() == 1


def test_public_verification_by_code_and_by_file(world, decided):
    pact = issue_all(world, decided)["pact"]
    world.client("head_a").post(
        f"/verifikasi/{pact.code}/tandatangani/", sign_form(world.users["head_a"])
    )
    world.client("mayor").post(
        f"/verifikasi/{pact.code}/tandatangani/", sign_form(world.users["mayor"])
    )
    public = Client()
    body = public.get(f"/verifikasi/{pact.code}/").content.decode()
    assert "Asli: diterbitkan oleh Kinerja dan tidak diubah" in body
    assert "Pejabat uji-head_a" in body and "Tidak ada: ini versi yang berlaku" in body
    pdf = public.get(f"/verifikasi/{pact.code}/unduh/")
    assert pdf["Content-Type"] == "application/pdf"
    data = pdf.content

    upload = io.BytesIO(data)
    upload.name = "pakta.pdf"
    assert "Asli" in public.post("/verifikasi/", {"file": upload}).content.decode()

    changed = bytearray(data)
    spot = changed.index(b"stream", len(changed) // 4) + 20
    changed[spot] = (changed[spot] + 1) % 256
    upload = io.BytesIO(bytes(changed))
    upload.name = "pakta.pdf"
    body = public.post("/verifikasi/", {"file": upload}).content.decode()
    assert "Berkas ini telah diubah" in body and pact.code in body

    assert "tidak dikenal" in public.get("/verifikasi/ABCDEFGHJKLM/").content.decode()
    not_pdf = io.BytesIO(b"MZ\x90\x00 executable")
    not_pdf.name = "pakta.pdf"
    assert "bukan PDF" in public.post("/verifikasi/", {"file": not_pdf}).content.decode()


def test_a_superseded_pact_says_so(world, decided):
    from kinerja.auction.documents import pact_issue

    first = issue_all(world, decided)["pact"]
    newer = pact_issue(session=decided, unit=world.unit_a, by=world.users["planner"])
    body = Client().get(f"/verifikasi/{first.code}/").content.decode()
    assert newer.code in body and "Tidak ada: ini versi yang berlaku" not in body
