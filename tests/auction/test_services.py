"""The Lelang Kinerja workflow through its services, and each refusal."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.auction.models import AuctionSession, Move, ProposedIndicator
from kinerja.auction.services import (
    counter_accept,
    criteria_set,
    negotiation_open,
    offer_answer,
    offer_make,
    proposal_save,
    proposal_submit,
    proposed_indicator_save,
    score_submit,
    scores_reveal,
    session_close,
    session_decide,
    session_start_hearings,
)
from kinerja.core.models import AuditEvent
from tests.conftest import World
from tests.refusals import refused


def start_hearings(world, session, proposal):
    proposal_submit(proposal=proposal, by=world.users["operator_a"])
    return session_start_hearings(session=session, by=world.users["planner"])


def test_the_whole_flow(world: World, auction):
    session, proposal, indicator = auction
    u = world.users
    start_hearings(world, session, proposal)

    # The panel offers 6 deaths by 2022; the head counters 7 by 2023, with reasons;
    # the panel offers 7 by 2022; the head accepts.
    offer_make(indicator=indicator, value=Decimal(6), year=2022, by=u["panel"])
    offer_answer(
        indicator=indicator,
        kind="counter",
        value=Decimal(7),
        year=2023,
        justification="Dua puskesmas PONED baru selesai 2022.",
        by=u["head_a"],
    )
    offer_make(indicator=indicator, value=Decimal(7), year=2022, by=u["mayor"])
    accepted = offer_answer(indicator=indicator, kind="accept", by=u["head_a"])
    assert (accepted.value, accepted.year) == (Decimal(7), 2022)
    assert list(indicator.moves.values_list("seq", "kind")) == [
        (1, "offer"),
        (2, "counter"),
        (3, "offer"),
        (4, "accept"),
    ]
    assert not negotiation_open(indicator)

    session = session_decide(session=session, by=u["planner"])
    session = session_close(session=session, by=u["planner"])
    assert session.status == AuctionSession.Status.CLOSED
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    for expected in [
        "auction.create",
        "auction.panel",
        "auction.open",
        "proposal.create",
        "proposal.indicator.create",
        "proposal.submit",
        "auction.hearings",
        "move.offer",
        "move.counter",
        "move.accept",
        "auction.decided",
        "auction.closed",
    ]:
        assert expected in actions


def test_panel_accepts_a_counter_offer(world: World, auction):
    session, proposal, indicator = auction
    start_hearings(world, session, proposal)
    offer_make(indicator=indicator, value=Decimal(5), year=2023, by=world.users["panel"])
    offer_answer(
        indicator=indicator,
        kind="counter",
        value=Decimal(7),
        year=2023,
        justification="Data 2017 menunjukkan 12 kasus.",
        by=world.users["head_a"],
    )
    move = counter_accept(indicator=indicator, by=world.users["mayor"])
    assert (move.kind, move.value, move.year) == ("accept", Decimal(7), 2023)


@pytest.mark.parametrize(
    ("service", "needed"),
    [
        (session_start_hearings, AuctionSession.Status.OPEN),
        (session_decide, AuctionSession.Status.HEARINGS),
        (session_close, AuctionSession.Status.DECIDED),
    ],
)
def test_a_move_from_the_wrong_state_is_refused(world: World, service, needed):
    session = AuctionSession.objects.create(
        government=world.gov, term=world.term, name="Draf", scheduled_on="2018-11-13"
    )
    with refused("wrong_state") as caught:
        service(session=session, by=world.users["planner"])
    # The refusal names the state the step needs.
    assert f"“{needed.label}”" in caught.value.messages[0]
    session.refresh_from_db()
    assert session.status == "draft"


def test_criteria_are_editable_only_in_draft(world: World, auction):
    session, _p, _i = auction
    with refused("wrong_state"):
        criteria_set(session=session, criteria=[("Data", Decimal(1))], by=world.users["planner"])


def test_an_incomplete_proposal_cannot_be_submitted(world: World, auction):
    _s, proposal, indicator = auction
    indicator.baseline_source = ""
    indicator.end_target = None
    proposed_indicator_save(indicator=indicator, by=world.users["operator_a"])
    with pytest.raises(ValidationError) as exc:
        proposal_submit(proposal=proposal, by=world.users["operator_a"])
    assert "belum ada sumber data kondisi awal, target akhir" in str(exc.value)


def test_a_submitted_proposal_is_locked(world: World, auction):
    _s, proposal, indicator = auction
    proposal_submit(proposal=proposal, by=world.users["operator_a"])
    proposal.title = "Diubah setelah diajukan"
    with refused("wrong_state"):
        proposal_save(proposal=proposal, by=world.users["operator_a"])
    indicator.end_target = Decimal(1)
    with refused("wrong_state"):
        proposed_indicator_save(indicator=indicator, by=world.users["head_a"])


def test_another_units_people_cannot_touch_the_proposal(world: World, auction):
    _s, proposal, _i = auction
    with pytest.raises(PermissionDenied):
        proposal_submit(proposal=proposal, by=world.users["operator_b"])


def test_a_unit_head_cannot_answer_for_another_unit(world: World, auction):
    session, proposal, indicator = auction
    start_hearings(world, session, proposal)
    offer_make(indicator=indicator, value=Decimal(6), year=2022, by=world.users["panel"])
    from tests.conftest import make_user

    head_b = make_user(world.gov, "uji-head_b", "unit_head", world.unit_b)
    for intruder in (head_b, world.users["operator_a"], world.users["mayor"]):
        with pytest.raises(PermissionDenied):
            offer_answer(indicator=indicator, kind="accept", by=intruder)
    assert indicator.moves.count() == 1


def test_an_offer_on_a_closed_session_is_refused(world: World, auction):
    session, proposal, indicator = auction
    start_hearings(world, session, proposal)
    offer_make(indicator=indicator, value=Decimal(6), year=2022, by=world.users["panel"])
    offer_answer(indicator=indicator, kind="refuse", by=world.users["head_a"])
    session_decide(session=session, by=world.users["planner"])
    session_close(session=session, by=world.users["planner"])
    with refused("wrong_state"):
        offer_make(indicator=indicator, value=Decimal(5), year=2022, by=world.users["panel"])


def test_a_second_offer_while_one_is_open_is_refused(world: World, auction):
    session, proposal, indicator = auction
    start_hearings(world, session, proposal)
    offer_make(indicator=indicator, value=Decimal(6), year=2022, by=world.users["panel"])
    with refused("wrong_state"):
        offer_make(indicator=indicator, value=Decimal(5), year=2022, by=world.users["mayor"])
    assert list(indicator.moves.values_list("kind", flat=True)) == ["offer"]


def test_offer_terms_are_checked(world: World, auction):
    session, proposal, indicator = auction
    start_hearings(world, session, proposal)
    with refused("tahun_pencapaian_paling_lambat"):
        offer_make(indicator=indicator, value=Decimal(6), year=2025, by=world.users["panel"])
    offer_make(indicator=indicator, value=Decimal(6), year=2022, by=world.users["panel"])
    with refused("penawaran_balik_disertai_alasan"):
        offer_answer(
            indicator=indicator,
            kind="counter",
            value=Decimal(7),
            year=2023,
            by=world.users["head_a"],
        )


def test_outsiders_cannot_offer_or_score(world: World, auction):
    session, proposal, indicator = auction
    start_hearings(world, session, proposal)
    criterion = session.criteria.first()
    for outsider in ("sekda", "planner", "head_a", "other_gov"):
        with pytest.raises(PermissionDenied):
            offer_make(indicator=indicator, value=Decimal(6), year=2022, by=world.users[outsider])
        with pytest.raises(PermissionDenied):
            score_submit(
                proposal=proposal, criterion=criterion, value=Decimal(80), by=world.users[outsider]
            )
    assert not Move.objects.exists()


def test_scores_are_given_once_and_revealed_only_by_the_chair(world: World, auction):
    session, proposal, _i = auction
    start_hearings(world, session, proposal)
    criterion = session.criteria.first()
    score_submit(
        proposal=proposal, criterion=criterion, value=Decimal("82.5"), by=world.users["panel"]
    )
    with refused("memberi_nilai"):
        score_submit(
            proposal=proposal, criterion=criterion, value=Decimal(90), by=world.users["panel"]
        )
    with refused("nilai_antara"):
        score_submit(
            proposal=proposal,
            criterion=session.criteria.last(),
            value=Decimal(101),
            by=world.users["panel"],
        )
    with pytest.raises(PermissionDenied, match="ketua"):
        scores_reveal(proposal=proposal, by=world.users["panel"])
    scores_reveal(proposal=proposal, by=world.users["mayor"])
    proposal.refresh_from_db()
    assert proposal.scores_revealed


def test_decision_waits_for_every_answer(world: World, auction):
    session, proposal, indicator = auction
    start_hearings(world, session, proposal)
    offer_make(indicator=indicator, value=Decimal(6), year=2022, by=world.users["panel"])
    with refused("negotiations_open"):
        session_decide(session=session, by=world.users["planner"])


def test_proposal_needs_a_government_objective_under_its_mission(world: World, auction):
    session, _p, _i = auction
    from kinerja.auction.models import Proposal

    bad = Proposal(
        session=session,
        unit=world.unit_a,
        title="X",
        mission=world.mission,
        objective=world.objective_a,
    )
    with refused("pilih_sasaran_daerah_bawah"):
        proposal_save(proposal=bad, by=world.users["operator_a"])
    assert ProposedIndicator.objects.count() == 1


def test_deciding_writes_accepted_targets_into_the_plan_with_provenance(world: World, auction):
    from kinerja.auction.models import ContractTarget
    from kinerja.planning.models import Indicator

    session, proposal, indicator = auction
    # A second indicator that the plan does not have yet.
    new = proposed_indicator_save(
        indicator=ProposedIndicator(
            proposal=proposal,
            name="Ibu hamil KEK mendapat PMT",
            unit_of_measure="%",
            polarity="higher",
            baseline_value=Decimal("71.5"),
            baseline_year=2018,
            baseline_source="Laporan gizi",
            end_target=Decimal(90),
            end_year=2023,
        ),
        by=world.users["operator_a"],
    )
    start_hearings(world, session, proposal)
    u = world.users
    offer_make(indicator=indicator, value=Decimal(7), year=2022, by=u["panel"])
    offer_answer(indicator=indicator, kind="accept", by=u["head_a"])
    offer_make(indicator=new, value=Decimal(95), year=2023, by=u["panel"])
    offer_answer(indicator=new, kind="accept", by=u["head_a"])
    session_decide(session=session, by=u["planner"])

    # 11 deaths in 2018, 7 agreed by 2022: 10, 9, 8, 7, 7 in the plan.
    targets = {t.year: t for t in world.indicator_a.targets.all()}
    assert {y: t.value for y, t in targets.items()} == {
        2019: 10,
        2020: 9,
        2021: 8,
        2022: 7,
        2023: 7,
    }
    assert all(
        t.provenance.startswith("Lelang Kinerja: Lelang Kinerja 2018; DA; langkah #2 sanggup")
        for t in targets.values()
    )
    # The new indicator joined unit A's objective that serves the proposal's objective.
    added = Indicator.objects.get(name="Ibu hamil KEK mendapat PMT")
    assert added.objective == world.objective_a and added.responsible_unit == world.unit_a
    assert added.targets.get(year=2023).value == 95
    assert ContractTarget.objects.filter(session=session).count() == 2
    event = AuditEvent.objects.filter(
        action="indicator.targets", object_id=str(world.indicator_a.pk)
    ).get()
    assert event.note.startswith("Lelang Kinerja")


def test_refused_targets_stay_out_of_the_plan(world: World, auction):
    session, proposal, indicator = auction
    before = {t.year: t.value for t in world.indicator_a.targets.all()}
    start_hearings(world, session, proposal)
    offer_make(indicator=indicator, value=Decimal(5), year=2021, by=world.users["panel"])
    offer_answer(indicator=indicator, kind="refuse", by=world.users["head_a"])
    session_decide(session=session, by=world.users["planner"])
    assert {t.year: t.value for t in world.indicator_a.targets.all()} == before
    assert not world.indicator_a.targets.exclude(provenance="").exists()


def test_a_later_hand_edit_clears_the_provenance(world: World, auction):
    from kinerja.planning.services import indicator_targets_set

    session, proposal, indicator = auction
    start_hearings(world, session, proposal)
    offer_make(indicator=indicator, value=Decimal(7), year=2022, by=world.users["panel"])
    offer_answer(indicator=indicator, kind="accept", by=world.users["head_a"])
    session_decide(session=session, by=world.users["planner"])
    indicator_targets_set(
        indicator=world.indicator_a, targets={2023: (Decimal(6), None)}, by=world.users["planner"]
    )
    assert world.indicator_a.targets.get(year=2023).provenance == ""
    assert world.indicator_a.targets.get(year=2022).provenance.startswith("Lelang Kinerja")
