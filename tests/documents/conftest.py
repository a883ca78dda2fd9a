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


def stored_bytes(document) -> bytes:  # type: ignore[no-untyped-def]
    latest = document.latest_file
    with latest.file.open("rb") as fh:
        return fh.read()


@pytest.fixture
def signed_pact(world, decided, tmp_path):  # type: ignore[no-untyped-def]
    """A pact signed by both parties, with a copy of its final file on disk."""
    from kinerja.auction.documents import pact_issue
    from kinerja.documents.services import document_sign

    pact = pact_issue(session=decided, unit=world.unit_a, by=world.users["planner"])
    document_sign(document=pact, by=world.users["head_a"])
    document_sign(document=pact, by=world.users["mayor"])
    pact.refresh_from_db()
    path = tmp_path / "pakta.pdf"
    path.write_bytes(stored_bytes(pact))
    return pact, path
