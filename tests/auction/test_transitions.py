"""The auction's three workflows (session, proposal, negotiation): each step taken from the
right state writes its audit row; from a wrong state it is refused through the one mechanism."""

from decimal import Decimal

from kinerja.auction.models import AuctionSession, Move
from kinerja.auction.services import (
    counter_accept,
    offer_answer,
    offer_make,
    proposal_submit,
    session_close,
    session_decide,
    session_open,
    session_start_hearings,
)
from tests.refusals import audited, refused_for_state


def test_session_steps_only_from_their_state(world, auction):
    session, proposal, _indicator = auction
    planner = world.users["planner"]
    for step in (session_open, session_decide, session_close):  # the session is open
        with refused_for_state():
            step(session=session, by=planner)
    proposal_submit(proposal=proposal, by=world.users["operator_a"])
    session = audited(
        "auction.hearings", session, lambda: session_start_hearings(session=session, by=planner)
    )
    assert session.status == AuctionSession.Status.HEARINGS
    with refused_for_state():
        session_start_hearings(session=session, by=planner)


def test_a_draft_session_cannot_skip_to_hearings_or_close(world):
    session = AuctionSession.objects.create(
        government=world.gov, term=world.term, name="Draf", scheduled_on="2018-11-13"
    )
    for step in (session_start_hearings, session_decide, session_close):
        with refused_for_state():
            step(session=session, by=world.users["planner"])


def test_a_proposal_is_submitted_once(world, auction):
    _session, proposal, _indicator = auction
    operator = world.users["operator_a"]
    proposal = audited(
        "proposal.submit", proposal, lambda: proposal_submit(proposal=proposal, by=operator)
    )
    assert proposal.status == "submitted"
    with refused_for_state():
        proposal_submit(proposal=proposal, by=operator)


def test_the_negotiation_takes_each_move_in_turn(world, auction):
    session, proposal, indicator = auction
    u = world.users
    proposal_submit(proposal=proposal, by=u["operator_a"])
    session_start_hearings(session=session, by=u["planner"])
    with refused_for_state():  # nothing offered yet
        offer_answer(indicator=indicator, kind=Move.Kind.ACCEPT, by=u["head_a"])
    with refused_for_state():
        counter_accept(indicator=indicator, by=u["mayor"])
    audited(
        "move.offer",
        indicator,
        lambda: offer_make(indicator=indicator, value=Decimal(7), year=2022, by=u["panel"]),
    )
    with refused_for_state():  # one open offer at a time
        offer_make(indicator=indicator, value=Decimal(6), year=2022, by=u["panel"])
    audited(
        "move.accept",
        indicator,
        lambda: offer_answer(indicator=indicator, kind=Move.Kind.ACCEPT, by=u["head_a"]),
    )
    with refused_for_state():  # accepted: the negotiation is over
        offer_make(indicator=indicator, value=Decimal(6), year=2022, by=u["panel"])
