"""Tugas saya: each person sees the work that waits for them, and an item goes when it is done."""

from __future__ import annotations

from decimal import Decimal

from kinerja.agreements.services import agreement_draft, agreement_send
from kinerja.auction.documents import pact_issue
from kinerja.auction.models import Move
from kinerja.auction.services import (
    offer_answer,
    offer_make,
    proposal_submit,
    score_submit,
    session_start_hearings,
)
from kinerja.dashboards.todo import todo_for
from kinerja.documents.services import document_sign
from kinerja.evaluation import services as evaluation
from kinerja.evaluation.models import SakipEvaluation
from kinerja.monitoring import services as monitoring
from tests.evaluation.test_sakip_services import WORKSHEET
from tests.monitoring.conftest import enter
from tests.signing import passphrase


def kinds(world, persona: str) -> list[str]:
    return [item.kind for item in todo_for(world.users[persona])]


def test_a_draft_proposal_waits_for_its_unit_until_submitted(world, auction):
    _session, proposal, _indicator = auction
    assert "submit_proposal" in kinds(world, "operator_a")
    assert "submit_proposal" in kinds(world, "head_a")
    # Unit B has no proposal yet: its operator is asked to write one.
    assert "write_proposal" in kinds(world, "operator_b")
    for persona in ("panel", "inspector", "other_gov"):
        assert not {"submit_proposal", "write_proposal"} & set(kinds(world, persona))
    proposal_submit(proposal=proposal, by=world.users["operator_a"])
    assert "submit_proposal" not in kinds(world, "operator_a")


def test_panel_scores_and_the_unit_head_answers_offers(world, auction):
    session, proposal, indicator = auction
    u = world.users
    proposal_submit(proposal=proposal, by=u["operator_a"])
    session_start_hearings(session=session, by=u["planner"])
    assert kinds(world, "panel").count("score") == 1
    assert "score" in kinds(world, "mayor")  # the chair is a panelist too
    assert "score" not in kinds(world, "head_a")
    for criterion in session.criteria.all():
        score_submit(proposal=proposal, criterion=criterion, value=Decimal(80), by=u["panel"])
    assert "score" not in kinds(world, "panel")
    assert "score" in kinds(world, "mayor")

    assert "answer_offer" not in kinds(world, "head_a")
    offer_make(indicator=indicator, value=Decimal(7), year=2022, by=u["panel"])
    assert "answer_offer" in kinds(world, "head_a")
    assert "answer_offer" not in kinds(world, "operator_a")  # the head answers, not the operator
    offer_answer(indicator=indicator, kind=Move.Kind.ACCEPT, by=u["head_a"])
    assert "answer_offer" not in kinds(world, "head_a")


def test_a_document_waits_for_each_signer_in_turn(world, decided):
    pact = pact_issue(session=decided, unit=world.unit_a, by=world.users["planner"])
    assert "sign" in kinds(world, "head_a")
    assert "sign" not in kinds(world, "mayor")  # the unit head signs first
    document_sign(
        document=pact, by=world.users["head_a"], passphrase=passphrase(world.users["head_a"])
    )
    assert "sign" not in kinds(world, "head_a")
    item = next(i for i in todo_for(world.users["mayor"]) if i.kind == "sign")
    assert pact.code in item.url
    document_sign(
        document=pact, by=world.users["mayor"], passphrase=passphrase(world.users["mayor"])
    )
    assert "sign" not in kinds(world, "mayor")


def test_figures_to_verify_and_to_fix(world):
    operator = world.users["operator_a"]
    r = enter(world, world.indicator_a, 1, "10", note="uji")
    r = monitoring.realisation_submit(realisation=r, by=operator)
    assert "verify_figures" in kinds(world, "inspector")
    assert "verify_figures" in kinds(world, "planner")
    for persona in ("operator_a", "head_a", "mayor", "other_gov"):
        assert "verify_figures" not in kinds(world, persona)
    monitoring.realisation_return(realisation=r, by=world.users["inspector"], comment="Cek lagi")
    assert "verify_figures" not in kinds(world, "inspector")
    fix = [i for i in todo_for(operator) if i.kind == "fix_figure"]
    assert len(fix) == 1 and "Cek lagi" in fix[0].detail
    assert "fix_figure" not in kinds(world, "operator_b")
    monitoring.realisation_submit(realisation=r, by=operator)
    assert "fix_figure" not in kinds(world, "operator_a")


def test_the_home_page_lists_the_work_and_the_header_counts_it(world, auction):
    client = world.client("operator_a")
    page = client.get("/").content.decode()
    assert 'data-kind="submit_proposal"' in page
    count = len(todo_for(world.users["operator_a"]))
    # Every page's header asks for the count after loading; the answer is the list's length.
    assert (
        'hx-get="/tugas/jumlah/"' in world.client("operator_b").get("/pemantauan/").content.decode()
    )
    answer = client.get("/tugas/jumlah/").content.decode()
    assert count >= 1 and f"<strong>{count}</strong>" in answer
    assert world.client("anonymous").get("/tugas/jumlah/").status_code == 302


def _year(world, year: int) -> None:
    world.gov.current_year = year
    world.gov.save(update_fields=["current_year"])


def test_late_figures_come_first_for_their_unit(world):
    _year(world, 2019)  # every quarter of 2019 is past its deadline
    items = todo_for(world.users["operator_a"])
    assert items[0].kind == "enter_figures" and items[0].late
    assert str(world.unit_a.pk) in items[0].url
    assert "enter_figures" not in kinds(world, "planner")
    assert "enter_figures" not in kinds(world, "other_gov")


def test_agreements_to_prepare_until_sent(world, region):
    _year(world, 2019)
    assert "prepare_agreements" in kinds(world, "planner")
    assert "prepare_agreement" in kinds(world, "operator_a")
    draft = agreement_draft(
        government=world.gov, unit=world.unit_a, year=2019, by=world.users["operator_a"]
    )
    assert "prepare_agreement" in kinds(world, "operator_a")  # a draft still waits
    agreement_send(agreement=draft, by=world.users["operator_a"])
    assert "prepare_agreement" not in kinds(world, "operator_a")
    assert "prepare_agreement" in kinds(world, "operator_b")


def test_the_inspector_is_reminded_of_an_open_evaluation(world):
    evaluation.worksheet_load(
        government=world.gov, data=WORKSHEET.read_bytes(), by=world.users["planner"]
    )
    opened = evaluation.evaluation_start(
        government=world.gov, year=2021, unit=None, by=world.users["inspector"]
    )
    # The government assesses itself first (its planners), then the evaluators review.
    assert "answer_evaluation" in kinds(world, "planner")
    assert "answer_evaluation" not in kinds(world, "inspector")
    SakipEvaluation.objects.filter(pk=opened.pk).update(stage=1)
    assert "answer_evaluation" in kinds(world, "inspector")
    assert "answer_evaluation" not in kinds(world, "planner")
