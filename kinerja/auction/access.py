"""Access to auction objects. Pages and API handlers fetch through these only.

- Sessions: every role of the government may look; planners manage them.
- A draft proposal is seen only by its own unit and planning staff; once submitted it is seen
  by everyone in the government (the hearing is held before the panel and the units).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from kinerja.accounts.access import can_edit_government_plan, get_for_user, unit_ids_of
from kinerja.accounts.models import User
from kinerja.auction.models import AuctionSession, Proposal, ProposedIndicator


def get_session_for_user(user: User, pk: Any) -> AuctionSession:
    return get_for_user(user, AuctionSession.objects.select_related("term"), pk)


def can_see_proposal(user: User, proposal: Proposal) -> bool:
    if proposal.status == Proposal.Status.SUBMITTED or can_edit_government_plan(user):
        return True
    return proposal.unit_id in unit_ids_of(user)


def get_proposal_for_user(user: User, pk: Any) -> Proposal:
    proposal = get_for_user(
        user,
        Proposal.objects.select_related("session__term", "unit", "mission", "objective"),
        pk,
    )
    if not can_see_proposal(user, proposal):
        raise Http404
    return proposal


def get_proposed_indicator_for_user(user: User, pk: Any) -> ProposedIndicator:
    indicator = get_for_user(
        user,
        ProposedIndicator.objects.select_related("proposal__session__term", "proposal__unit"),
        pk,
    )
    if not can_see_proposal(user, indicator.proposal):
        raise Http404
    return indicator
