"""Perjanjian Kinerja: drafted from the plan, sent, signed by both parties in order, checked
with poppler; revisions as versions; each refusal."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from kinerja.accounts.models import PositionAssignment
from kinerja.agreements.models import Agreement
from kinerja.agreements.selectors import due_date, year_overview
from kinerja.agreements.services import (
    agreement_draft,
    agreement_recall,
    agreement_revise,
    agreement_send,
    agreement_sign,
)
from kinerja.core.models import AuditEvent
from kinerja.documents.services import verify_code
from kinerja.planning.services import indicator_targets_set
from tests.refusals import refused
from tests.signing import passphrase


def run(*args) -> str:
    return subprocess.run([*args], capture_output=True, text=True, check=True).stdout


def signed(world, unit=None):
    u = world.users
    agreement = agreement_draft(
        government=world.gov, unit=unit or world.unit_a, year=2019, by=u["planner"]
    )
    agreement = agreement_send(agreement=agreement, by=u["planner"])
    agreement_sign(agreement=agreement, by=u["head_a"], passphrase=passphrase(u["head_a"]))
    return agreement_sign(agreement=agreement, by=u["mayor"], passphrase=passphrase(u["mayor"]))


def test_draft_holds_the_units_targets_and_budget_for_the_year(world, region):
    agreement = agreement_draft(
        government=world.gov, unit=world.unit_a, year=2019, by=world.users["operator_a"]
    )
    targets = agreement.content["targets"]
    assert [t["indicator"] for t in targets] == [
        "I1 Indikator I1 kota-uji",
        "I1.A.1 Indikator I1.A.1 kota-uji",
    ]
    assert {t["target"] for t in targets} == {"11"}
    assert agreement.content["programmes"] == [
        {
            "code": "P.A.01",
            "name": "Program A kota-uji",
            "kind": "programme",
            "budget": "1500000000",
        }
    ]


def test_signed_by_both_parties_and_exported(world, region, tmp_path):
    agreement = signed(world)
    assert agreement.status == "signed"
    call_command("export_agreements", "--year", "2019", "--out", str(tmp_path / "pk"))
    (pdf,) = (tmp_path / "pk").rglob("*.pdf")
    report = run("pdfsig", str(pdf))
    assert report.count("Signature is Valid.") == 2, report
    text = " ".join(run("pdftotext", "-layout", str(pdf), "-").split())
    for needle in [
        "PERJANJIAN KINERJA TAHUN 2019",
        "Pihak Pertama",
        "Pihak Kedua",
        "Pejabat uji-head_a",
        "Wali Kota Uji",
        "Indikator I1.A.1 kota-uji",
        "Indikator I1 kota-uji",
        "Program A kota-uji",
        "Rp 1.500.000.000",
    ]:
        assert needle in text, needle
    verification = verify_code(agreement.document.code)
    assert verification.all_intact and not verification.modified


def test_head_of_region_agreement_has_one_signatory(world, region):
    agreement = agreement_draft(
        government=world.gov, unit=None, year=2019, by=world.users["planner"]
    )
    assert [t["indicator"] for t in agreement.content["targets"]] == [
        "I1 Indikator I1 kota-uji"
    ]  # the key indicator
    agreement = agreement_send(agreement=agreement, by=world.users["planner"])
    assert agreement.document.slots.count() == 1
    agreement = agreement_sign(
        agreement=agreement, by=world.users["mayor"], passphrase=passphrase(world.users["mayor"])
    )
    assert agreement.status == "signed"


def test_signing_out_of_order_is_refused(world, region):
    agreement = agreement_send(
        agreement=agreement_draft(
            government=world.gov, unit=world.unit_a, year=2019, by=world.users["planner"]
        ),
        by=world.users["planner"],
    )
    with refused("menunggu_tanda_tangan_lebih"):
        agreement_sign(
            agreement=agreement,
            by=world.users["mayor"],
            passphrase=passphrase(world.users["mayor"]),
        )


def test_signing_by_someone_no_longer_holding_the_position_is_refused(world, region):
    agreement = agreement_send(
        agreement=agreement_draft(
            government=world.gov, unit=world.unit_a, year=2019, by=world.users["planner"]
        ),
        by=world.users["planner"],
    )
    # The head's assignment ended yesterday; a Plt now holds the office.
    holder = PositionAssignment.objects.get(person=world.users["head_a"].person)
    holder.end = datetime.date.today() - datetime.timedelta(days=1)
    holder.save()
    with refused("tidak_memegang_jabatan_perjanjian"):
        agreement_sign(
            agreement=agreement,
            by=world.users["head_a"],
            passphrase=passphrase(world.users["head_a"]),
        )
    with pytest.raises(PermissionDenied):
        agreement_sign(
            agreement=agreement,
            by=world.users["operator_a"],
            passphrase=passphrase(world.users["operator_a"]),
        )
    assert agreement.document.files.count() == 1


def test_signing_a_draft_that_changed_since_it_was_sent_is_refused(world, region):
    agreement = agreement_send(
        agreement=agreement_draft(
            government=world.gov, unit=world.unit_a, year=2019, by=world.users["planner"]
        ),
        by=world.users["planner"],
    )
    indicator_targets_set(
        indicator=world.indicator_a,
        targets={2019: (Decimal("11.5"), None)},
        by=world.users["planner"],
    )
    with refused("isi_perjanjian_berubah_sejak"):
        agreement_sign(
            agreement=agreement,
            by=world.users["head_a"],
            passphrase=passphrase(world.users["head_a"]),
        )
    # Recalled, refreshed and sent again, it can be signed; the first document is superseded.
    first_document = agreement.document
    agreement_recall(agreement=agreement, by=world.users["planner"])
    agreement = agreement_draft(
        government=world.gov, unit=world.unit_a, year=2019, by=world.users["planner"]
    )
    agreement = agreement_send(agreement=agreement, by=world.users["planner"])
    first_document.refresh_from_db()
    assert first_document.superseded_by == agreement.document
    agreement_sign(
        agreement=agreement, by=world.users["head_a"], passphrase=passphrase(world.users["head_a"])
    )
    assert {t["target"] for t in agreement.content["targets"]} == {"11", "11.5"}


def test_a_signed_version_cannot_be_edited_only_revised(world, region):
    agreement = signed(world)
    with refused("wrong_state"):
        agreement_draft(
            government=world.gov, unit=world.unit_a, year=2019, by=world.users["planner"]
        )
    with refused("pilih_alasan_revisi_pergantian"):
        agreement_revise(agreement=agreement, reason="", note="", by=world.users["planner"])
    revision = agreement_revise(
        agreement=agreement, reason="programme", note="APBD perubahan", by=world.users["planner"]
    )
    assert (revision.version, revision.status, revision.reason) == (2, "draft", "programme")
    agreement.refresh_from_db()
    assert agreement.status == "signed"  # the signed version stays as it was
    revision = agreement_send(agreement=revision, by=world.users["planner"])
    assert verify_code(agreement.document.code).superseded
    assert Agreement.objects.filter(unit=world.unit_a, year=2019).count() == 2


def test_another_unit_cannot_draft_or_send(world, region):
    with pytest.raises(PermissionDenied):
        agreement_draft(
            government=world.gov, unit=world.unit_a, year=2019, by=world.users["operator_b"]
        )
    agreement = agreement_draft(
        government=world.gov, unit=world.unit_a, year=2019, by=world.users["operator_a"]
    )
    with pytest.raises(PermissionDenied):
        agreement_send(agreement=agreement, by=world.users["operator_b"])
    with pytest.raises(PermissionDenied):
        agreement_draft(government=world.gov, unit=None, year=2019, by=world.users["head_a"])


def test_due_date_and_late_units(world, region):
    assert due_date(world.gov, 2019) == datetime.date(2019, 1, 20)
    signed(world)
    rows = {r.name: r for r in year_overview(world.gov, 2019, today=datetime.date(2019, 2, 1))}
    assert rows["Kecamatan B"].late and rows["Kepala Daerah"].late
    # Unit A signed today, long after 20 January 2019: late too, but signed.
    assert rows["Dinas A"].agreement.status == "signed" and rows["Dinas A"].late
    early = {r.name: r for r in year_overview(world.gov, 2019, today=datetime.date(2019, 1, 5))}
    assert not early["Kecamatan B"].late


def test_every_step_is_audited(world, region):
    signed(world)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "agreement.draft",
        "agreement.send",
        "agreement.sign",
        "document.issue",
        "document.sign",
    } <= actions
