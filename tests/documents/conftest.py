import datetime
from decimal import Decimal

import pytest

from kinerja.accounts.models import Position, PositionAssignment
from kinerja.auction.services import (
    offer_answer,
    offer_make,
    proposal_submit,
    session_decide,
    session_start_hearings,
)


@pytest.fixture
def decided(world, auction):
    """The auction decided: unit A accepted 7 deaths by 2022. The mayor holds the head of
    region's office (and chairs the panel)."""
    session, proposal, indicator = auction
    u = world.users
    office = Position.objects.create(
        government=world.gov, kind="head_of_region", title="Wali Kota Uji"
    )
    PositionAssignment.objects.create(
        position=office, person=u["mayor"].person, start=datetime.date(2018, 9, 24)
    )
    proposal_submit(proposal=proposal, by=u["operator_a"])
    session_start_hearings(session=session, by=u["planner"])
    offer_make(indicator=indicator, value=Decimal(7), year=2022, by=u["panel"])
    offer_answer(indicator=indicator, kind="accept", by=u["head_a"])
    return session_decide(session=session, by=u["planner"])
