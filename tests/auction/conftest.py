import datetime
from decimal import Decimal

import pytest

from kinerja.auction.models import Proposal, ProposedIndicator
from kinerja.auction.services import (
    panel_set,
    proposal_save,
    proposed_indicator_save,
    session_create,
    session_open,
)
from tests.conftest import World


@pytest.fixture
def auction(world: World):
    """An open session: panel of the mayor (chair) and a panel member, one draft proposal of
    unit A with one complete indicator."""
    u = world.users
    session = session_create(
        term=world.term,
        name="Lelang Kinerja 2018",
        scheduled_on=datetime.date(2018, 11, 13),
        venue="Ngalam Command Center",
        by=u["planner"],
    )
    panel_set(session=session, members=[u["mayor"], u["panel"]], chair=u["mayor"], by=u["planner"])
    session = session_open(session=session, by=u["planner"])
    proposal = proposal_save(
        proposal=Proposal(
            session=session,
            unit=world.unit_a,
            title="Menekan kematian ibu",
            mission=world.mission,
            objective=world.objective,
        ),
        by=u["operator_a"],
    )
    indicator = proposed_indicator_save(
        indicator=ProposedIndicator(
            proposal=proposal,
            plan_indicator=world.indicator_a,
            name="Jumlah kematian ibu",
            unit_of_measure="orang",
            polarity="lower",
            baseline_value=Decimal(11),
            baseline_year=2018,
            baseline_source="Laporan PWS-KIA",
            end_target=Decimal(8),
            end_year=2023,
            history={"2016": "14", "2017": "12"},
        ),
        by=u["operator_a"],
    )
    return session, proposal, indicator
