"""Two panel members offer on the same indicator at the same moment: one wins, the other is told."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from kinerja.auction.models import Move, ProposedIndicator
from kinerja.auction.services import offer_make, proposal_submit, session_start_hearings


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_offers_one_wins_the_other_is_told(world, auction):
    session, proposal, indicator = auction
    proposal_submit(proposal=proposal, by=world.users["operator_a"])
    session_start_hearings(session=session, by=world.users["planner"])

    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def offer(who: str, value: int) -> None:
        try:
            barrier.wait(timeout=10)
            fresh = ProposedIndicator.objects.get(pk=indicator.pk)
            offer_make(indicator=fresh, value=Decimal(value), year=2022, by=world.users[who])
            outcomes[who] = "offered"
        except ValidationError as exc:
            outcomes[who] = exc.messages[0]
        except Exception as exc:
            outcomes[who] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=offer, args=args) for args in (("mayor", 6), ("panel", 5))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(v == "offered" for v in outcomes.values()) == [False, True], outcomes
    loser_message = next(v for v in outcomes.values() if v != "offered")
    assert "menunggu jawaban" in loser_message or "baru saja dicatat" in loser_message
    moves = list(Move.objects.filter(indicator=indicator))
    assert len(moves) == 1 and moves[0].seq == 1
