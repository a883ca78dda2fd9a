"""What was agreed or reported does not move: a frozen year's target refuses every write
path (the target form, the Excel import, the auction's decision, the Form E.81 import), names
the year and what froze it, and saves nothing; a revision of the year's agreement is the one
way to change it; a closed year never changes."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from kinerja.accounts.models import Position, PositionAssignment
from kinerja.agreements.models import BudgetApproval
from kinerja.agreements.services import (
    agreement_draft,
    agreement_revise,
    agreement_send,
    agreement_sign,
)
from kinerja.auction.models import ContractTarget
from kinerja.auction.selectors import decision_plan
from kinerja.auction.services import (
    offer_answer,
    offer_make,
    proposal_submit,
    session_decide,
    session_start_hearings,
)
from kinerja.core.models import AuditEvent
from kinerja.evaluation import selectors as evaluation
from kinerja.evaluation import services as evaluation_services
from kinerja.monitoring.e81 import e81_import
from kinerja.planning.excel import (
    FIRST_DATA_ROW,
    SHEET_TITLE,
    apply_plan_matrix,
    export_plan_matrix,
    headers_for,
    parse_plan_matrix,
)
from kinerja.planning.freeze import frozen_years
from kinerja.planning.models import Indicator, IndicatorTarget
from kinerja.planning.services import indicator_targets_set
from tests.conftest import World
from tests.evaluation.conftest import save_policy, year_verified
from tests.monitoring.conftest import verified
from tests.refusals import refused
from tests.signing import passphrase

E81 = Path(__file__).resolve().parents[1] / "data" / "e81-evaluasi-renja-2025-deli-serdang.xlsx"


def targets_of(indicator: Indicator) -> dict[int, tuple[Decimal, Decimal | None]]:
    return {
        t.year: (t.value, t.value_high) for t in IndicatorTarget.objects.filter(indicator=indicator)
    }


def all_targets(world: World) -> list[tuple[int, int, Decimal, Decimal | None, str]]:
    return list(
        IndicatorTarget.objects.filter(government=world.gov)
        .order_by("indicator_id", "year")
        .values_list("indicator_id", "year", "value", "value_high", "provenance")
    )


def _excel_with(world: World, indicator: Indicator, year: int, value: float) -> bytes:
    wb = load_workbook(io.BytesIO(export_plan_matrix(world.term)))
    ws = wb[SHEET_TITLE]
    column = headers_for(world.term).index(f"Target {year}") + 1
    row = next(
        r
        for r in range(FIRST_DATA_ROW, ws.max_row + 1)
        if ws.cell(row=r, column=2).value == indicator.code
    )
    ws.cell(row=row, column=column).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def region(world: World):
    office = Position.objects.create(
        government=world.gov, kind="head_of_region", title="Wali Kota Uji"
    )
    PositionAssignment.objects.create(
        position=office, person=world.users["mayor"].person, start=datetime.date(2018, 9, 24)
    )
    BudgetApproval.objects.create(
        government=world.gov, year=2019, approved_on=datetime.date(2018, 12, 20)
    )
    return office


def sign_unit_a_2019(world: World):
    u = world.users
    agreement = agreement_draft(government=world.gov, unit=world.unit_a, year=2019, by=u["planner"])
    agreement = agreement_send(agreement=agreement, by=u["planner"])
    agreement_sign(agreement=agreement, by=u["head_a"], passphrase=passphrase(u["head_a"]))
    return agreement_sign(agreement=agreement, by=u["mayor"], passphrase=passphrase(u["mayor"]))


# --- the service and the form --------------------------------------------------------------------


def test_a_verified_figure_freezes_its_year_and_nothing_is_saved(world: World):
    verified(world, world.indicator_a, 1, "11", year=2019)
    before = all_targets(world)
    with pytest.raises(ValidationError) as refused:
        indicator_targets_set(
            indicator=world.indicator_a,
            targets={2019: (Decimal(50), None), 2020: (Decimal(60), None)},
            by=world.users["planner"],
        )
    assert [e.code for e in refused.value.error_list] == ["target_frozen"]
    assert "2019" in refused.value.messages[0] and "diverifikasi" in refused.value.messages[0]
    assert all_targets(world) == before  # 2020 was not saved either
    # An open year still changes, and the same figure again is not a change.
    indicator_targets_set(
        indicator=world.indicator_a,
        targets={2019: (Decimal(11), None), 2020: (Decimal(60), None)},
        by=world.users["planner"],
    )
    assert targets_of(world.indicator_a)[2020] == (Decimal(60), None)
    # A figure only entered (not verified) freezes nothing.
    from tests.monitoring.conftest import enter

    enter(world, world.indicator_a, 1, "12", year=2021)
    assert frozen_years(world.indicator_a, [2021]) == {}


def test_the_target_form_shows_a_frozen_year_and_never_changes_it(world: World):
    verified(world, world.indicator_a, 1, "11", year=2019)
    client = world.client("planner")
    page = client.get(f"/plan/indikator/{world.indicator_a.pk}/target/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="y2019"' in html and "disabled" in html.split('name="y2019"')[1].split(">")[0]
    assert "dibekukan" in html
    data = {f"y{y}": "70" for y in world.term.target_years}
    response = client.post(f"/plan/indikator/{world.indicator_a.pk}/target/", data)
    assert response.status_code == 302
    targets = targets_of(world.indicator_a)
    assert targets[2019] == (Decimal(11), None)  # frozen: the posted 70 was ignored
    assert targets[2020] == (Decimal(70), None)


def test_the_wrong_persona_is_refused_the_target_form(world: World):
    assert (
        world.client("operator_b")
        .get(f"/plan/indikator/{world.indicator_a.pk}/target/")
        .status_code
        == 403
    )
    assert (
        world.client("other_gov").get(f"/plan/indikator/{world.indicator_a.pk}/target/").status_code
        == 404
    )


# --- the Excel import ---------------------------------------------------------------------------


def test_the_excel_import_refuses_a_frozen_year_in_the_preview_and_saves_nothing(world: World):
    verified(world, world.indicator_a, 1, "11", year=2019)
    content = _excel_with(world, world.indicator_a, 2019, 55)
    preview = parse_plan_matrix(content, world.term)
    assert not preview.ok
    assert any("2019" in e.message and world.indicator_a.code in e.message for e in preview.errors)
    before = all_targets(world)
    result = apply_plan_matrix(content=content, term=world.term, by=world.users["planner"])
    assert not result.ok
    assert all_targets(world) == before
    # The same file changing only an open year goes through.
    result = apply_plan_matrix(
        content=_excel_with(world, world.indicator_a, 2021, 55),
        term=world.term,
        by=world.users["planner"],
    )
    assert result.ok
    assert targets_of(world.indicator_a)[2021] == (Decimal(55), None)


# --- agreements: signing freezes, a revision opens ------------------------------------------------


def test_a_signed_agreement_freezes_its_targets_until_a_revision_is_open(world: World, region):
    agreement = sign_unit_a_2019(world)
    held = frozen_years(world.indicator_a, [2019, 2020])
    assert list(held) == [2019]
    assert held[2019][0].code == "agreement_signed" and "Dinas A" in held[2019][0].document
    # Unit B's indicators are not in unit A's agreement.
    assert frozen_years(world.indicator_b, [2019]) == {}
    with refused("target_frozen"):
        indicator_targets_set(
            indicator=world.indicator_a,
            targets={2019: (Decimal(30), None)},
            by=world.users["planner"],
        )
    # A revision with its reason opens the year; signing the revision freezes it again.
    revision = agreement_revise(
        agreement=agreement, reason="priority", note="Prioritas baru", by=world.users["planner"]
    )
    indicator_targets_set(
        indicator=world.indicator_a, targets={2019: (Decimal(30), None)}, by=world.users["planner"]
    )
    assert targets_of(world.indicator_a)[2019] == (Decimal(30), None)
    revision = agreement_draft(
        government=world.gov, unit=world.unit_a, year=2019, by=world.users["planner"]
    )
    assert any(row["target"] == "30" for row in revision.content["targets"])
    revision = agreement_send(agreement=revision, by=world.users["planner"])
    agreement_sign(
        agreement=revision, by=world.users["head_a"], passphrase=passphrase(world.users["head_a"])
    )
    agreement_sign(
        agreement=revision, by=world.users["mayor"], passphrase=passphrase(world.users["mayor"])
    )
    with pytest.raises(ValidationError):
        indicator_targets_set(
            indicator=world.indicator_a,
            targets={2019: (Decimal(31), None)},
            by=world.users["planner"],
        )


# --- the Form E.81 import -----------------------------------------------------------------------


def test_the_e81_import_into_a_frozen_year_is_refused_whole(world: World):
    # Deli Serdang's form is for 2025: the government closed 2025 (policy closed by hand:
    # this test is about the import, the closing has its own tests).
    from django.utils import timezone

    policy = save_policy(world, year=2025)
    policy.closed_at = timezone.now()
    policy.save(update_fields=["closed_at"])
    count = Indicator.objects.count()
    with pytest.raises(ValidationError) as refused:
        e81_import(
            unit=world.unit_a,
            serves=world.objective,
            term=world.term,
            data=E81.read_bytes(),
            filename=E81.name,
            by=world.users["planner"],
        )
    assert refused.value.error_list[0].code == "target_frozen"
    assert "2025" in refused.value.messages[0]
    assert Indicator.objects.count() == count


# --- the auction's decision --------------------------------------------------------------------


def test_the_decision_writes_only_open_years_and_says_so_first(world: World, auction):
    session, proposal, indicator = auction
    u = world.users
    # 2019 of the plan indicator has a verified figure: frozen.
    verified(world, world.indicator_a, 1, "11", year=2019)
    proposal_submit(proposal=proposal, by=u["operator_a"])
    session_start_hearings(session=session, by=u["planner"])
    offer_make(indicator=indicator, value=Decimal(7), year=2022, by=u["panel"])
    offer_answer(indicator=indicator, kind="accept", by=u["head_a"])
    before = targets_of(world.indicator_a)

    # The confirmation page lists each year: changed, or left alone and why; writes nothing.
    page = world.client("planner").get(f"/lelang/{session.pk}/putuskan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "dibiarkan" in html and "diverifikasi" in html and "2022" in html
    assert targets_of(world.indicator_a) == before
    assert world.client("operator_a").get(f"/lelang/{session.pk}/putuskan/").status_code == 403

    plan = decision_plan(session)
    [row] = plan
    assert [y.year for y in row.left] == [2019]
    assert [y.year for y in row.changes] == [2020, 2021, 2022, 2023]

    session_decide(session=session, by=u["planner"])
    after = targets_of(world.indicator_a)
    assert after[2019] == before[2019]  # left alone
    # Baseline 11 (2018), 7 by 2022: 10, 9, 8, 7, then 7 held.
    assert {y: after[y][0] for y in (2020, 2021, 2022, 2023)} == {
        2020: Decimal(9),
        2021: Decimal(8),
        2022: Decimal(7),
        2023: Decimal(7),
    }
    contract = ContractTarget.objects.get(session=session)
    assert contract.left_alone[0]["year"] == 2019
    # Each proposal shows its outcome once the session is decided.
    page = world.client("mayor").get(f"/lelang/{session.pk}/").content.decode()
    assert '<span class="badge">Disepakati</span>' in page
    # Plan, contract and pact agree on the baseline (the proposal's, 11 in 2018).
    world.indicator_a.refresh_from_db()
    assert (world.indicator_a.baseline_value, world.indicator_a.baseline_year) == (
        Decimal(11),
        2018,
    )
    assert (contract.baseline_value, contract.baseline_year) == (Decimal(11), 2018)
    assert {int(y): Decimal(v) for y, v in contract.path.items()} == {
        y: v for y, (v, _h) in after.items()
    }


# --- a closed year ------------------------------------------------------------------------------


def test_no_path_changes_a_closed_years_results(world: World, auction):
    session, proposal, indicator = auction
    u = world.users
    year_verified(world, world.indicator_a, "11")
    year_verified(world, world.gov_indicator, "11")
    year_verified(world, world.indicator_b, "12.1", by="operator_b")
    policy = save_policy(world)
    evaluation_services.incentive_year_close(policy=policy, by=u["planner"])

    def results():
        card = evaluation.scorecard(world.gov, 2019)
        return (
            [(r.unit.pk, r.score, r.rank, r.factor, r.consequence) for r in card.rows],
            [(p.person.pk, p.performance_part) for p in evaluation.person_allowances(card)],
        )

    closed = results()
    before = all_targets(world)
    # The form (service), on every indicator.
    for ind in (world.indicator_a, world.indicator_b, world.gov_indicator):
        with refused("target_frozen"):
            indicator_targets_set(
                indicator=ind, targets={2019: (Decimal(1), None)}, by=u["planner"]
            )
    # The Excel import.
    assert not apply_plan_matrix(
        content=_excel_with(world, world.indicator_b, 2019, 1), term=world.term, by=u["planner"]
    ).ok
    # The auction's decision.
    proposal_submit(proposal=proposal, by=u["operator_a"])
    session_start_hearings(session=session, by=u["planner"])
    offer_make(indicator=indicator, value=Decimal(7), year=2022, by=u["panel"])
    offer_answer(indicator=indicator, kind="accept", by=u["head_a"])
    session_decide(session=session, by=u["planner"])
    # The E.81 import for the closed year's unit (its form is for 2025; a 2019 form would be
    # refused the same way: the probe covers the unit's year).
    assert frozen_years(world.indicator_a, [2019])[2019][0].code == "year_closed"
    # The API: it writes no targets; a realisation entered or corrected in the closed year
    # through it moves the live pages only (decision 0007), never the stored results.
    from kinerja.accounts.services import api_token_create

    _token, raw = api_token_create(user=u["operator_b"], name="uji")
    corrected = world.client("anonymous").post(
        "/api/v1/realisations",
        {"indicator": world.indicator_b.pk, "year": 2019, "period": 1, "value": "30"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    # The figure is verified: the API refuses to overwrite it (a correction is the way).
    assert corrected.status_code == 400 and "terkunci" in corrected.json()["detail"]
    assert [t for t in all_targets(world) if t[1] == 2019] == [t for t in before if t[1] == 2019]
    assert results() == closed
    assert AuditEvent.objects.filter(action="evaluation.year_close").count() == 1
