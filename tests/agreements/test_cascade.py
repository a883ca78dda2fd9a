"""Agreements below the unit head: the administrator's and the supervisor's, each indicator
supporting one of the agreement above, budgets flagged when they do not add up, drafted and
sent in bulk for a unit, signed by the post's holder and the holder of the post above, and
checked as PDFs with poppler."""

from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.accounts.models import Person, Position, Role, RoleAssignment, User
from kinerja.agreements.cascade import (
    budget_flags,
    cascade_indicator_save,
    cascade_programmes_set,
    superior_post,
    upper_indicators,
)
from kinerja.agreements.models import Agreement, CascadeIndicator
from kinerja.agreements.services import agreement_sign, cascade_draft_all, cascade_send_all
from kinerja.core.models import AuditEvent
from kinerja.planning.models import Budget, Programme
from tests.accounts.test_personnel import KABID, KASI, ROWS, imported
from tests.refusals import refused
from tests.signing import passphrase

YEAR = 2019


def run(*args: str) -> str:
    return subprocess.run([*args], capture_output=True, text=True, check=True).stdout


def account(world, nip: str) -> User:  # type: ignore[no-untyped-def]
    person = Person.objects.get(nip=nip)
    user = User.objects.create_user(
        username=f"uji-{nip[-4:]}", password="x", government=world.gov, person=person
    )
    RoleAssignment.objects.create(user=user, role=Role.EMPLOYEE)
    return user


def programme(world, parent, kind, code, name, amount):  # type: ignore[no-untyped-def]
    p = Programme.objects.create(
        government=world.gov,
        term=world.term,
        unit=world.unit_a,
        kind=kind,
        parent=parent,
        code=code,
        name=name,
    )
    Budget.objects.create(government=world.gov, programme=p, year=YEAR, amount=Decimal(amount))
    return p


@pytest.fixture
def cascade(world):  # type: ignore[no-untyped-def]
    """Dinas A's people (a division with a section under it), its programme split into two
    activities (adding up) and the first activity into two sub-activities (not adding up)."""
    imported(world, ROWS)
    act1 = programme(
        world, world.programme_a, "activity", "P.A.01.1", "Kegiatan Pelayanan Primer", 900_000_000
    )
    act2 = programme(
        world, world.programme_a, "activity", "P.A.01.2", "Kegiatan Pelayanan Rujukan", 600_000_000
    )
    sub1 = programme(
        world, act1, "sub_activity", "P.A.01.1.1", "Sub Kegiatan Posyandu", 500_000_000
    )
    sub2 = programme(
        world, act1, "sub_activity", "P.A.01.1.2", "Sub Kegiatan Puskesmas", 300_000_000
    )
    kabid = Position.objects.get(assignments__person__nip=KABID)
    kasi = Position.objects.get(assignments__person__nip=KASI)
    return {"act1": act1, "act2": act2, "sub1": sub1, "sub2": sub2, "kabid": kabid, "kasi": kasi}


def fill(world, c):  # type: ignore[no-untyped-def]
    planner = world.users["operator_a"]
    upper = next(u for u in upper_indicators(c["kabid"], YEAR) if "I1.A.1" in u.label)
    admin_ind = cascade_indicator_save(
        position=c["kabid"],
        year=YEAR,
        supports=upper.key,
        objective="Meningkatnya mutu pelayanan kesehatan dasar",
        name="Persentase puskesmas terakreditasi paripurna",
        unit_of_measure="%",
        target=Decimal("80"),
        target_high=Decimal("90"),
        by=planner,
    )
    cascade_programmes_set(
        position=c["kabid"], year=YEAR, programmes=[c["act1"], c["act2"]], by=planner
    )
    (mine,) = upper_indicators(c["kasi"], YEAR)
    supervisor_ind = cascade_indicator_save(
        position=c["kasi"],
        year=YEAR,
        supports=mine.key,
        objective="Meningkatnya cakupan layanan kesehatan primer",
        name="Jumlah posyandu aktif purnama",
        unit_of_measure="posyandu",
        target=Decimal("120"),
        by=planner,
    )
    cascade_programmes_set(
        position=c["kasi"], year=YEAR, programmes=[c["sub1"], c["sub2"]], by=planner
    )
    return admin_ind, supervisor_ind


def test_the_posts_above_and_what_each_may_support(world, cascade):
    c = cascade
    assert superior_post(c["kabid"]).kind == "unit_head"
    assert superior_post(c["kasi"]) == c["kabid"]
    # The administrator supports the unit head's agreement: the unit's plan indicators of 2019.
    assert [u.label for u in upper_indicators(c["kabid"], YEAR)] == [
        "I1 Indikator I1 kota-uji",
        "I1.A.1 Indikator I1.A.1 kota-uji",
    ]
    assert upper_indicators(c["kasi"], YEAR) == []  # nothing to support until the kabid has
    admin_ind, _ = fill(world, c)
    assert [u.key for u in upper_indicators(c["kasi"], YEAR)] == [f"c{admin_ind.pk}"]


def test_refusals(world, cascade):
    c = cascade
    admin_ind, supervisor_ind = fill(world, c)
    operator = world.users["operator_a"]
    # A supervisor's indicator cannot skip the administrator to support the plan directly.
    with refused("indikator_atas_tidak_dikenal"):
        cascade_indicator_save(
            position=c["kasi"],
            year=YEAR,
            supports=f"i{world.indicator_a.pk}",
            objective="x",
            name="y",
            unit_of_measure="%",
            target=Decimal(1),
            by=operator,
        )
    # A sub-activity is not an administrator's to carry, and an activity has one post only.
    with refused("program_bukan_milik_jabatan"):
        cascade_programmes_set(position=c["kabid"], year=YEAR, programmes=[c["sub1"]], by=operator)
    sekretaris = Position.objects.get(sub_unit__name="Sekretariat")
    with refused("program_sudah_diampu"):
        cascade_programmes_set(position=sekretaris, year=YEAR, programmes=[c["act1"]], by=operator)
    # An indicator others support cannot go.
    from kinerja.agreements.cascade import cascade_indicator_delete

    with refused("indikator_masih_didukung"):
        cascade_indicator_delete(indicator=admin_ind, by=operator)
    # Another unit's operator and another government are refused.
    for persona in ("operator_b", "other_gov", "inspector"):
        with pytest.raises(PermissionDenied):
            cascade_programmes_set(
                position=c["kabid"], year=YEAR, programmes=[], by=world.users[persona]
            )
    assert world.client("operator_b").get(f"/pk/jenjang/{world.unit_a.pk}/").status_code == 403
    assert world.client("other_gov").get(f"/pk/jenjang/{world.unit_a.pk}/").status_code == 404
    # Nothing of a post's year changes once its agreement is sent.
    cascade_draft_all(unit=world.unit_a, year=YEAR, by=operator)
    cascade_send_all(unit=world.unit_a, year=YEAR, by=operator)
    with refused("wrong_state"):
        cascade_programmes_set(position=c["kasi"], year=YEAR, programmes=[c["sub1"]], by=operator)
    assert CascadeIndicator.objects.filter(position=c["kasi"]).count() == 1
    with pytest.raises(ValidationError):
        cascade_indicator_delete(indicator=supervisor_ind, by=operator)


def test_budgets_that_do_not_add_up_are_flagged(world, cascade):
    c = cascade
    fill(world, c)
    (flag,) = budget_flags(world.unit_a, YEAR)
    # The activities (900 + 600 million) make the programme's 1.5 billion; the sub-activities
    # carried (500 + 300 million) fall 100 million short of their activity's 900 million.
    assert flag.upper == c["act1"]
    assert (flag.upper_budget, flag.carried) == (Decimal(900_000_000), Decimal(800_000_000))
    page = world.client("operator_a").get(f"/pk/jenjang/{world.unit_a.pk}/?tahun={YEAR}")
    body = page.content.decode()
    assert "Anggaran yang tidak berjumlah sama" in body and "Rp 800.000.000" in body


def test_drafted_sent_and_signed_in_bulk_and_read_back_from_the_pdf(world, cascade, tmp_path):
    c = cascade
    fill(world, c)
    operator = world.users["operator_a"]
    drafted = cascade_draft_all(unit=world.unit_a, year=YEAR, by=operator)
    assert sorted(a.level for a in drafted) == ["administrator", "supervisor"]
    admin_agreement = next(a for a in drafted if a.position == c["kabid"])
    content = admin_agreement.content
    assert content["targets"] == [
        {
            "objective": "Meningkatnya mutu pelayanan kesehatan dasar",
            "indicator": "Persentase puskesmas terakreditasi paripurna",
            "unit_of_measure": "%",
            "target": "80 – 90",
            "supports": "I1.A.1 Indikator I1.A.1 kota-uji",
        }
    ]
    assert content["total"] == "1500000000"
    sent, refusals = cascade_send_all(unit=world.unit_a, year=YEAR, by=operator)
    assert len(sent) == 2 and refusals == []
    assert AuditEvent.objects.filter(action="agreement.send").count() == 2
    kabid_user, kasi_user = account(world, KABID), account(world, KASI)
    head = world.users["head_a"]
    supervisor_agreement = next(a for a in sent if a.position == c["kasi"])
    # Out of order: the administrator cannot sign the supervisor's before the supervisor.
    with refused("menunggu_tanda_tangan_lebih"):
        agreement_sign(
            agreement=supervisor_agreement, by=kabid_user, passphrase=passphrase(kabid_user)
        )
    for agreement, first, second in (
        (admin_agreement, kabid_user, head),
        (supervisor_agreement, kasi_user, kabid_user),
    ):
        agreement = Agreement.objects.get(pk=agreement.pk)
        agreement_sign(agreement=agreement, by=first, passphrase=passphrase(first))
        agreement = agreement_sign(agreement=agreement, by=second, passphrase=passphrase(second))
        assert agreement.status == "signed"
    for agreement, needles in (
        (
            admin_agreement,
            [
                "PERJANJIAN KINERJA TAHUN 2019",
                "Kepala Bidang Pelayanan Kesehatan",
                "dr. Bambang Wijaya",
                "Pejabat uji-head_a",
                "Sasaran program",
                "Persentase puskesmas terakreditasi paripurna",
                "Mendukung indikator atasan",
                "I1.A.1 Indikator I1.A.1 kota-uji",
                "Kegiatan Pelayanan Primer",
                "Kegiatan Pelayanan Rujukan",
                "Rp 1.500.000.000",
            ],
        ),
        (
            supervisor_agreement,
            [
                "Kepala Seksi Pelayanan Kesehatan Primer",
                "Dewi Anggraini, S.KM.",
                "dr. Bambang Wijaya",
                "Sasaran kegiatan",
                "Jumlah posyandu aktif purnama",
                "Persentase puskesmas terakreditasi paripurna",  # the indicator it supports
                "Sub Kegiatan Posyandu",
                "Rp 800.000.000",
            ],
        ),
    ):
        agreement.refresh_from_db()
        pdf = tmp_path / f"{agreement.pk}.pdf"
        pdf.write_bytes(agreement.document.files.order_by("-stage").first().file.read())
        report = run("pdfsig", str(pdf))
        assert report.count("Signature is Valid.") == 2, report
        # Reading order, not layout: a table cell's words wrap inside the cell.
        text = " ".join(run("pdftotext", str(pdf), "-").split())
        for needle in needles:
            assert needle in text, needle
    # The unit head's own agreement is untouched by the cascade: still none for 2019.
    assert not Agreement.objects.filter(unit=world.unit_a, position__isnull=True).exists()


def test_a_post_s_agreement_is_revised_like_every_agreement(world, cascade):
    from kinerja.agreements.services import agreement_revise

    c = cascade
    fill(world, c)
    operator = world.users["operator_a"]
    cascade_draft_all(unit=world.unit_a, year=YEAR, by=operator)
    sent, _refused = cascade_send_all(unit=world.unit_a, year=YEAR, by=operator)
    kasi_agreement = next(a for a in sent if a.position == c["kasi"])
    kabid_user, kasi_user = account(world, KABID), account(world, KASI)
    agreement_sign(agreement=kasi_agreement, by=kasi_user, passphrase=passphrase(kasi_user))
    signed = agreement_sign(
        agreement=Agreement.objects.get(pk=kasi_agreement.pk),
        by=kabid_user,
        passphrase=passphrase(kabid_user),
    )
    assert signed.status == "signed"
    # A signed post's year changes only through a revision; the revision is the post's.
    with refused("wrong_state"):
        cascade_programmes_set(position=c["kasi"], year=YEAR, programmes=[c["sub1"]], by=operator)
    revision = agreement_revise(
        agreement=signed, reason="programme", note="Sub kegiatan dialihkan", by=operator
    )
    assert (revision.version, revision.position, revision.level) == (2, c["kasi"], "supervisor")
    cascade_programmes_set(position=c["kasi"], year=YEAR, programmes=[c["sub1"]], by=operator)
    from kinerja.agreements.services import agreement_draft

    refreshed = agreement_draft(
        government=world.gov, unit=world.unit_a, year=YEAR, by=operator, position=c["kasi"]
    )
    assert refreshed == revision and refreshed.content["total"] == "500000000"
    # The signed version stays as it was signed.
    assert Agreement.objects.get(pk=signed.pk).content["total"] == "800000000"


def test_hostile_parameters_are_refused_plainly(world, cascade):
    client = world.client("operator_a")
    unit = world.unit_a.pk
    for url, status in [
        (f"/pk/jenjang/{unit}/?tahun=abc", 404),
        (f"/pk/jenjang/{unit}/?tahun=99999999999999999999", 404),
        (f"/rencana-aksi/{unit}/laporan/?tahun=2019&tw=9", 404),
        (f"/rencana-aksi/{unit}/laporan/?tahun=2019&tw=-1", 200),  # not a number: the default
        (f"/skp/unit/{unit}/?tahun=1800", 404),
        (f"/pegawai/?unit=99999999999999999999&hal=-5&kategori=x&q={'a' * 500}", 200),
        ("/pk/jenjang/99999999999999999999/", 404),
    ]:
        assert client.get(url).status_code == status, url
    response = client.post(
        f"/pk/jenjang/{unit}/?tahun={YEAR}",
        {"tahun": str(YEAR), "post": "abc", "programmes": "1"},
    )
    assert response.status_code == 404


def test_a_supervisor_is_offered_the_sub_activities_of_its_administrator(world, cascade):
    from kinerja.agreements.cascade import UnitCascade

    c = cascade
    fill(world, c)
    act3 = programme(world, world.programme_a, "activity", "P.A.01.3", "Kegiatan Lain", 1_000)
    sub3 = programme(world, act3, "sub_activity", "P.A.01.3.1", "Sub Kegiatan Lain", 1_000)
    offered = [p for p, _on in UnitCascade(world.unit_a, YEAR).programmes(c["kasi"])]
    assert c["sub1"] in offered and c["sub2"] in offered and sub3 not in offered
    body = world.client("operator_a").get(f"/pk/jenjang/{world.unit_a.pk}/?tahun={YEAR}")
    card = body.content.decode().split(f'id="post-{c["kasi"].pk}"')[1].split("</section>")[0]
    assert "Sub Kegiatan Posyandu" in card and "Sub Kegiatan Lain" not in card
