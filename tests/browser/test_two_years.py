"""Two years of a government's life, in the browser: the first year's agreement is signed and
its figures verified; then the planner starts the next term carrying the tree forward, a Lelang
Kinerja in that term is decided from a confirmation page that lists the years it changes and
the year it leaves, the contract PDF shows the plan's baseline and path, and the first year's
agreement and figures are exactly as they were."""

from __future__ import annotations

import datetime
import re
import subprocess
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, expect

from kinerja.accounts.models import Position, PositionAssignment
from kinerja.agreements.models import Agreement, BudgetApproval
from kinerja.agreements.services import agreement_draft, agreement_send, agreement_sign
from kinerja.auction.documents import contract_issue
from kinerja.auction.models import AuctionSession, Proposal, ProposedIndicator
from kinerja.auction.services import (
    offer_answer,
    offer_make,
    panel_set,
    proposal_save,
    proposal_submit,
    proposed_indicator_save,
    session_open,
    session_start_hearings,
)
from kinerja.core.numbers import format_decimal
from kinerja.monitoring.models import Realisation
from kinerja.planning.models import Indicator, Term
from kinerja.planning.services import indicator_targets_set
from tests.browser.test_hearing import signed_in
from tests.evaluation.conftest import year_verified
from tests.signing import passphrase

pytestmark = pytest.mark.browser


def _sign(world, unit, year: int) -> Agreement:  # type: ignore[no-untyped-def]
    u = world.users
    agreement = agreement_draft(government=world.gov, unit=unit, year=year, by=u["planner"])
    agreement = agreement_send(agreement=agreement, by=u["planner"])
    agreement_sign(agreement=agreement, by=u["head_a"], passphrase=passphrase(u["head_a"]))
    return agreement_sign(agreement=agreement, by=u["mayor"], passphrase=passphrase(u["mayor"]))


def _pdf_text(document, tmp_path, name: str) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    with document.latest_file.file.open("rb") as fh:
        path.write_bytes(fh.read())
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.django_db(transaction=True)
def test_two_years_of_a_governments_life(live_server, browser: Browser, world, tmp_path):
    u = world.users
    office = Position.objects.create(
        government=world.gov, kind="head_of_region", title="Wali Kota Uji"
    )
    PositionAssignment.objects.create(
        position=office, person=u["mayor"].person, start=datetime.date(2018, 9, 24)
    )
    for year in (2019, 2024):
        BudgetApproval.objects.create(
            government=world.gov, year=year, approved_on=datetime.date(year - 1, 12, 20)
        )

    # --- the first year: agreed and reported --------------------------------------------------
    first = _sign(world, world.unit_a, 2019)
    year_verified(world, world.indicator_a, "11")
    signed_sha = first.document.latest_file.sha256
    figures = list(
        Realisation.objects.filter(year=2019).order_by("pk").values_list("pk", "value", "status")
    )

    # --- the next term, carried forward by the planner ------------------------------------------
    planner = signed_in(browser, live_server.url, "uji-planner")
    planner.goto(f"{live_server.url}/plan/periode/baru/?sumber={world.term.pk}")
    planner.fill("#id_name", "RPJMD 2024–2028")
    expect(planner.locator("#id_first_year")).to_have_value("2024")
    expect(planner.locator("#id_last_year")).to_have_value("2028")
    expect(planner.locator("#id_make_current")).to_be_checked()
    planner.screenshot(path=str(tmp_path / "term-new.png"), full_page=True)
    planner.click("button:has-text('Buat periode')")
    expect(planner.locator(".messages")).to_contain_text("Periode baru dibuat")
    expect(planner.locator("p.lead")).to_contain_text("RPJMD 2024–2028")
    term = Term.objects.get(name="RPJMD 2024–2028")
    assert term.is_current
    carried = Indicator.objects.get(objective__term=term, code=world.indicator_a.code)
    assert carried.lineage == world.indicator_a.lineage

    # The 2024 target is set and the unit's 2024 agreement signed before the auction is
    # decided: 2024 is frozen.
    indicator_targets_set(
        indicator=carried, targets={2024: (Decimal("15.8"), None)}, by=u["planner"]
    )
    _sign(world, world.unit_a, 2024)

    # --- a Lelang Kinerja in the new term -------------------------------------------------------
    planner.goto(f"{live_server.url}/lelang/baru/")
    expect(planner.locator("#id_term option:checked")).to_have_text("RPJMD 2024–2028")
    planner.fill("#id_name", "Lelang Kinerja 2024")
    planner.fill("#id_scheduled_on", "2024-03-01")
    planner.fill("#id_venue", "Balai Kota")
    planner.click("button[type=submit]:has-text('Simpan')")
    session = AuctionSession.objects.get(name="Lelang Kinerja 2024")
    assert session.term == term
    panel_set(session=session, members=[u["mayor"], u["panel"]], chair=u["mayor"], by=u["planner"])
    session = session_open(session=session, by=u["planner"])
    proposal = proposal_save(
        proposal=Proposal(
            session=session,
            unit=world.unit_a,
            title="Percepatan",
            mission=carried.objective.serves.goal.mission,
            objective=carried.objective.serves,
        ),
        by=u["operator_a"],
    )
    bid = proposed_indicator_save(
        indicator=ProposedIndicator(
            proposal=proposal,
            plan_indicator=carried,
            name=carried.name,
            unit_of_measure=carried.unit_of_measure,
            polarity="higher",
            baseline_value=Decimal("15.5"),
            baseline_year=2023,
            baseline_source="Data terukur 2023",
            baseline_note="Angka terukur 2023 menggantikan target akhir periode lalu.",
            end_target=Decimal(20),
            end_year=2028,
        ),
        by=u["operator_a"],
    )
    proposal_submit(proposal=proposal, by=u["operator_a"])
    session_start_hearings(session=session, by=u["planner"])
    offer_make(indicator=bid, value=Decimal("21.5"), year=2027, by=u["panel"])
    offer_answer(indicator=bid, kind="accept", by=u["head_a"])

    # The confirmation lists the years it changes and the year it leaves, before writing.
    planner.goto(f"{live_server.url}/lelang/{session.pk}/")
    planner.click("a:has-text('Putuskan hasil')")
    expect(planner.locator("h1")).to_have_text("Putuskan hasil Lelang Kinerja")
    rows = planner.locator("table.decision tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.nth(0)).to_contain_text("2024")
    expect(rows.nth(0)).to_contain_text("dibiarkan")
    expect(rows.nth(0)).to_contain_text("Perjanjian Kinerja 2024 Dinas A")
    for n in range(1, 5):
        expect(rows.nth(n)).to_contain_text("diubah")
    planner.screenshot(path=str(tmp_path / "decision.png"), full_page=True)
    assert {t.year: t.value for t in carried.targets.all()} == {2024: Decimal("15.8")}
    planner.click("button:has-text('Ya, putuskan')")
    expect(planner.locator(".messages")).to_contain_text("Status sesi diperbarui")

    # --- the contract shows the plan's baseline and path --------------------------------------
    carried.refresh_from_db()
    plan_path = {t.year: t.value for t in carried.targets.all()}
    assert sorted(plan_path) == [2024, 2025, 2026, 2027, 2028]
    assert plan_path[2024] == Decimal("15.8")  # left alone: the signed 2024 agreement
    assert (carried.baseline_value, carried.baseline_year) == (Decimal("15.5"), 2023)
    session.refresh_from_db()
    assert session.status == AuctionSession.Status.DECIDED
    contract = contract_issue(session=session, unit=world.unit_a, by=u["planner"])
    text = _pdf_text(contract, tmp_path, "kontrak.pdf")
    row = next(line for line in text.splitlines() if "15,5 (2023)" in line)
    figures_in_row = re.findall(r"\d+(?:,\d+)?", row.split("15,5 (2023)", 1)[1])
    assert figures_in_row == [format_decimal(plan_path[y]) for y in sorted(plan_path)]

    # --- the first year did not move --------------------------------------------------------------
    first.refresh_from_db()
    assert first.status == Agreement.Status.SIGNED
    assert first.document.latest_file.sha256 == signed_sha
    assert (
        list(
            Realisation.objects.filter(year=2019)
            .order_by("pk")
            .values_list("pk", "value", "status")
        )
        == figures
    )
