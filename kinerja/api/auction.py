"""Lelang Kinerja results: sessions, and per unit the panel score and the targets agreed."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from kinerja.accounts.access import government_for
from kinerja.api.base import Id, acting_user, dec, pct
from kinerja.auction.access import get_session_for_user
from kinerja.auction.models import AuctionSession, Move
from kinerja.auction.selectors import session_results

router = Router(tags=["Lelang kinerja"])


class SessionOut(Schema):
    id: int
    name: str
    scheduled_on: datetime.date
    status: str
    term_id: int


class OutcomeOut(Schema):
    indicator: str
    unit_of_measure: str
    baseline_value: str | None
    proposed_end_target: str | None
    outcome: str = Field(description="accept, refuse atau open.")
    agreed_value: str | None
    agreed_year: int | None


class ProposalOut(Schema):
    id: int
    title: str
    indicators: list[OutcomeOut]


class UnitResultOut(Schema):
    rank: int
    unit_id: int
    unit_name: str
    score: str | None
    accepted: int
    refused: int
    open: int
    mean_stretch_percent: str | None
    proposals: list[ProposalOut]


@router.get("/auctions", response=list[SessionOut], summary="Sesi lelang kinerja")
def sessions(request: HttpRequest) -> list[AuctionSession]:
    government = government_for(acting_user(request))
    return list(
        AuctionSession.objects.filter(government=government).order_by("-scheduled_on", "pk")
    )


def _outcome(ind: Any) -> dict[str, Any]:
    moves = list(ind.moves.all())
    last = moves[-1] if moves else None
    kind = last.kind if last and last.kind in (Move.Kind.ACCEPT, Move.Kind.REFUSE) else "open"
    return {
        "indicator": ind.name,
        "unit_of_measure": ind.unit_of_measure,
        "baseline_value": dec(ind.baseline_value),
        "proposed_end_target": dec(ind.end_target),
        "outcome": kind,
        "agreed_value": dec(last.value) if kind == Move.Kind.ACCEPT and last else None,
        "agreed_year": last.year if kind == Move.Kind.ACCEPT and last else None,
    }


@router.get(
    "/auctions/{session_id}/results",
    response=list[UnitResultOut],
    summary="Hasil lelang: peringkat PD dan target yang disanggupi",
)
def results(request: HttpRequest, session_id: Id) -> list[dict[str, Any]]:
    session = get_session_for_user(acting_user(request), session_id)
    return [
        {
            "rank": rank,
            "unit_id": r.unit.pk,
            "unit_name": r.unit.name,
            "score": dec(r.score),
            "accepted": r.accepted,
            "refused": r.refused,
            "open": r.open,
            "mean_stretch_percent": pct(r.mean_stretch),
            "proposals": [
                {
                    "id": p.pk,
                    "title": p.title,
                    "indicators": [_outcome(i) for i in p.indicators.all()],
                }
                for p in r.proposals
            ],
        }
        for rank, r in enumerate(session_results(session), start=1)
    ]
