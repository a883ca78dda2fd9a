"""Realisation: entry, numerator/denominator, submit, verify, return (with e-mail), the
lock on verified figures, corrections as versions, the red-needs-a-note rule, evidence, and
the refusals (another unit's operator, another government, disguised and oversized files)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.core.models import AuditEvent
from kinerja.monitoring import services
from kinerja.monitoring.models import Realisation, RealisationEvidence
from tests.monitoring.conftest import enter, verified
from tests.refusals import refused

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def test_entry_submit_verify_locks_the_figure(world):
    r = enter(world, world.indicator_a, 1, "12,5".replace(",", "."))
    assert r.status == Realisation.Status.DRAFT and r.version == 1
    r = services.realisation_submit(realisation=r, by=world.users["operator_a"])
    assert r.status == Realisation.Status.SUBMITTED and r.submitted_at
    r = services.realisation_verify(realisation=r, by=world.users["inspector"], comment="sesuai")
    r.refresh_from_db()
    assert r.status == Realisation.Status.VERIFIED
    assert r.reviewed_by == world.users["inspector"] and r.review_comment == "sesuai"
    # Locked: entering the same period again is refused and changes nothing.
    with refused("wrong_state"):
        enter(world, world.indicator_a, 1, "99")
    r.refresh_from_db()
    assert r.value == Decimal("12.5")
    actions = list(
        AuditEvent.objects.filter(object_id=str(r.pk), action__startswith="realisation.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["realisation.create", "realisation.submit", "realisation.verify"]


def test_correction_is_a_new_version_with_a_reason(world):
    first = verified(world, world.indicator_a, 2, "12")
    with refused("tuliskan_alasan_koreksi"):
        services.realisation_correct(
            realisation=first, by=world.users["operator_a"], reason=" ", value=Decimal(13)
        )
    second = services.realisation_correct(
        realisation=first, by=world.users["operator_a"], reason="Data BPS final", value=Decimal(13)
    )
    first.refresh_from_db()
    assert (first.is_current, first.status, first.value) == (False, "verified", Decimal(12))
    assert (second.version, second.is_current, second.status) == (2, True, "draft")
    assert second.correction_reason == "Data BPS final"
    # Only the verified current figure is corrected this way.
    with pytest.raises(ValidationError):
        services.realisation_correct(
            realisation=first, by=world.users["operator_a"], reason="lagi", value=Decimal(14)
        )


def test_rate_from_numerator_and_denominator_is_unrounded(world):
    # 40,900 poor residents of 865,011, as a percent: 4.7282635712147013159370227661844762...
    r = services.realisation_save(
        indicator=world.indicator_a,
        year=2019,
        period=1,
        by=world.users["operator_a"],
        numerator=Decimal(40900),
        denominator=Decimal(865011),
    )
    assert r.scale == 100
    assert r.value == Decimal("4.728264")  # the stored column, for lists
    assert str(r.exact_value)[:22] == "4.72826357121470131593"  # the arithmetic's figure
    assert r.exact_value != r.value


def test_rate_parts_are_checked(world):
    with refused("penyebut_tidak_boleh_nol"):
        services.realisation_save(
            indicator=world.indicator_a,
            year=2019,
            period=1,
            by=world.users["operator_a"],
            numerator=Decimal(1),
            denominator=Decimal(0),
        )
    with refused("isikan_pembilang_penyebut_sekaligus"):
        services.realisation_save(
            indicator=world.indicator_a,
            year=2019,
            period=1,
            by=world.users["operator_a"],
            numerator=Decimal(1),
        )
    world.indicator_a.unit_of_measure = "dokumen"
    world.indicator_a.save()
    with refused("indikator_bukan_rasio_satuan"):
        services.realisation_save(
            indicator=world.indicator_a,
            year=2019,
            period=1,
            by=world.users["operator_a"],
            numerator=Decimal(1),
            denominator=Decimal(2),
        )
    assert not Realisation.objects.exists()


def test_a_red_figure_needs_a_note(world):
    # Target 2019 is 12; 6 is 50%: red under the default thresholds (yellow from 75).
    r = enter(world, world.indicator_a, 1, "6")
    with refused("angka_membuat_indikator_berstatus"):
        services.realisation_submit(realisation=r, by=world.users["operator_a"])
    r.refresh_from_db()
    assert r.status == "draft"
    r = enter(world, world.indicator_a, 1, "6", note="Sekolah ditutup karena banjir.")
    r = services.realisation_submit(realisation=r, by=world.users["operator_a"])
    assert r.status == "submitted"
    # A green one needs none.
    g = enter(world, world.indicator_a, 2, "12")
    assert services.realisation_submit(realisation=g, by=world.users["operator_a"]).status == (
        "submitted"
    )


def test_return_notifies_the_operator_and_shows_who(world):
    """The notice and its e-mail from the queue: tests/accounts/test_notices.py."""
    from kinerja.accounts.models import Notice

    r = enter(world, world.indicator_a, 1, "12", by="head_a")
    r = services.realisation_submit(realisation=r, by=world.users["head_a"])
    r = services.realisation_return(
        realisation=r, by=world.users["planner"], comment="Lampirkan data Dapodik."
    )
    assert r.status == "returned" and r.reviewed_by == world.users["planner"]
    notices = Notice.objects.filter(kind="returned")
    assert {n.user.username for n in notices} == {"uji-head_a", "uji-operator_a"}
    assert all(
        "Lampirkan data Dapodik." in n.body and world.indicator_a.code in n.title for n in notices
    )
    # A comment is required; a returned figure can be corrected and submitted again.
    with pytest.raises(ValidationError):
        services.realisation_return(realisation=r, by=world.users["planner"], comment="")
    r = enter(world, world.indicator_a, 1, "12.2")
    assert services.realisation_submit(realisation=r, by=world.users["operator_a"]).status == (
        "submitted"
    )


def test_nobody_verifies_their_own_figure(world):
    r = enter(world, world.gov_indicator, 1, "12", by="operator_a")
    r = services.realisation_submit(realisation=r, by=world.users["operator_a"])
    with pytest.raises(PermissionDenied):
        services.realisation_verify(realisation=r, by=world.users["operator_a"])
    with pytest.raises(PermissionDenied):
        services.realisation_verify(realisation=r, by=world.users["mayor"])


def test_refused_operator_of_another_unit(world):
    with pytest.raises(PermissionDenied):
        enter(world, world.indicator_a, 1, "12", by="operator_b")
    with pytest.raises(PermissionDenied):
        enter(world, world.other_indicator, 1, "12", by="operator_a")
    assert not Realisation.objects.exists()
    # Through the pages: 403 for another unit, 404 for another government, nothing saved.
    data = {"tahun": 2019, "periode": 1, "value": "12"}
    url = f"/pemantauan/indikator/{world.indicator_a.pk}/isi/"
    assert world.client("operator_b").post(url, data).status_code == 403
    assert world.client("other_gov").post(url, data).status_code == 404
    assert world.client("mayor").post(url, data).status_code == 403
    assert not Realisation.objects.exists()
    r = enter(world, world.indicator_a, 1, "12")
    submit = f"/pemantauan/realisasi/{r.pk}/ajukan/"
    assert world.client("operator_b").post(submit).status_code == 403
    verify = f"/pemantauan/realisasi/{r.pk}/verifikasi/"
    assert world.client("operator_a").post(verify).status_code == 403
    assert world.client("other_gov").post(verify).status_code == 404
    r.refresh_from_db()
    assert r.status == "draft"


def test_refused_editing_a_verified_figure_through_the_page(world):
    r = verified(world, world.indicator_a, 1, "12")
    client = world.client("operator_a")
    response = client.post(
        f"/pemantauan/indikator/{world.indicator_a.pk}/isi/",
        {"tahun": 2019, "periode": 1, "value": "15"},
        follow=True,
    )
    assert "terkunci" in response.content.decode()
    r.refresh_from_db()
    assert r.value == Decimal(12) and r.status == "verified"


def test_evidence_is_checked_by_content_and_size(world, settings):
    r = enter(world, world.indicator_a, 1, "12")
    client = world.client("operator_a")
    url = f"/pemantauan/realisasi/{r.pk}/bukti/"
    from django.core.files.uploadedfile import SimpleUploadedFile

    # An executable named .pdf is refused by its bytes.
    response = client.post(
        url, {"file": SimpleUploadedFile("laporan.pdf", EXE, "application/pdf")}, follow=True
    )
    assert "Jenis berkas tidak diterima" in response.content.decode()
    with refused("upload_type"):
        services.evidence_add(
            realisation=r, data=EXE, filename="x.pdf", by=world.users["operator_a"]
        )
    # Oversized.
    settings.KINERJA_MAX_UPLOAD_BYTES = 1024
    big = PDF + b"0" * 2048
    response = client.post(
        url, {"file": SimpleUploadedFile("besar.pdf", big, "application/pdf")}, follow=True
    )
    assert "terlalu besar" in response.content.decode()
    with refused("upload_too_large"):
        services.evidence_add(
            realisation=r, data=big, filename="b.pdf", by=world.users["operator_a"]
        )
    assert not RealisationEvidence.objects.exists()
    # A real PDF goes in, stored under its hash, and is served to a reader of the government.
    settings.KINERJA_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
    client.post(url, {"file": SimpleUploadedFile("bukti.pdf", PDF, "application/pdf")})
    evidence = RealisationEvidence.objects.get()
    assert evidence.content_type == "application/pdf" and evidence.file.name.endswith(".bin")
    assert world.client("mayor").get(f"/pemantauan/bukti/{evidence.pk}/").content == PDF
    assert world.client("other_gov").get(f"/pemantauan/bukti/{evidence.pk}/").status_code == 404
    # Another unit's operator cannot add evidence.
    response = world.client("operator_b").post(
        url, {"file": SimpleUploadedFile("bukti.pdf", PDF, "application/pdf")}
    )
    assert response.status_code == 403
    assert RealisationEvidence.objects.count() == 1


def test_future_periods_are_refused(world):
    with refused("periode_belum_dimulai_realisasinya"):
        enter(world, world.indicator_a, 1, "12", year=2199)
    with refused("periode_tidak_dikenal_indikator"):
        enter(world, world.indicator_a, 5, "12")


def test_numbers_only_with_indonesian_commas(world):
    client = world.client("operator_a")
    url = f"/pemantauan/indikator/{world.indicator_a.pk}/isi/"
    response = client.post(url, {"tahun": 2019, "periode": 1, "value": "dua belas"}, follow=True)
    body = response.content.decode()
    # Quoted as typed, beside the field, which keeps it.
    assert "“dua belas” bukan angka" in body and 'value="dua belas"' in body
    assert not Realisation.objects.exists()
    client.post(url, {"tahun": 2019, "periode": 1, "value": "12,75"})
    assert Realisation.objects.get().value == Decimal("12.75")


def test_indicator_page_shows_who_verified_and_returned(world):
    r = verified(world, world.indicator_a, 1, "12")
    r2 = enter(world, world.indicator_a, 2, "12")
    r2 = services.realisation_submit(realisation=r2, by=world.users["operator_a"])
    services.realisation_return(realisation=r2, by=world.users["planner"], comment="Cek lagi")
    page = (
        world.client("mayor")
        .get(f"/pemantauan/indikator/{world.indicator_a.pk}/?tahun=2019")
        .content.decode()
    )
    assert "Diverifikasi oleh Pejabat uji-inspector" in page
    assert "Dikembalikan oleh Pejabat uji-planner" in page and "Cek lagi" in page
    assert r.pk


def test_evidence_goes_with_the_figure_in_one_step_or_not_at_all(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = world.client("operator_a")
    url = f"/pemantauan/indikator/{world.indicator_a.pk}/isi/"
    # A file refused by its bytes: nothing is saved, the typed figure comes back.
    refused_page = client.post(
        url,
        {
            "tahun": 2019,
            "periode": 1,
            "value": "12,5",
            "note": "Data Dapodik",
            "file": SimpleUploadedFile("laporan.pdf", EXE, "application/pdf"),
        },
        follow=True,
    ).content.decode()
    assert "Jenis berkas tidak diterima" in refused_page
    assert 'value="12,5"' in refused_page and "Data Dapodik" in refused_page
    assert "Pilih lagi berkas laporan.pdf" in refused_page
    assert not Realisation.objects.exists() and not RealisationEvidence.objects.exists()
    # The figure and its evidence together.
    client.post(
        url,
        {
            "tahun": 2019,
            "periode": 1,
            "value": "12,5",
            "file": SimpleUploadedFile("laporan.pdf", PDF, "application/pdf"),
        },
    )
    r = Realisation.objects.get()
    assert r.value == Decimal("12.5")
    assert [e.original_name for e in r.evidence.all()] == ["laporan.pdf"]
    actions = list(AuditEvent.objects.filter(object_id=str(r.pk)).values_list("action", flat=True))
    assert "realisation.create" in actions and "realisation.evidence" in actions


def test_the_value_understood_is_read_back_in_the_readers_language(world):
    from django.conf import settings

    client = world.client("operator_a")
    assert "2.874" in client.get("/angka/?value=2.874").content.decode()
    assert (
        "dua ribu delapan ratus tujuh puluh empat"
        in client.get("/angka/?value=2.874").content.decode()
    )
    assert "“12.5” bukan angka" in client.get("/angka/?value=12.5").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/angka/?value=2,874").content.decode()
    assert "2,874" in english and "two thousand, eight hundred and seventy-four" in english
    from django.test import Client

    assert Client().get("/angka/?value=1").status_code == 302  # signed in only


def test_reading_back_refuses_nothing_it_is_given(world):
    client = world.client("operator_a")
    for typed in ("9" * 5000, "%00%ff", "1e999", "-" * 70, "1.234.567.890.123.456.789"):
        assert client.get("/angka/", {"value": typed}).status_code == 200
