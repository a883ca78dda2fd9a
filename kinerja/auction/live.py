"""The live hearing's poll, answered cheaply: every participant's page asks every 2 s
whether anything changed, and almost always nothing did.

The page carries a poll token (signed: the proposal and the person, for ten minutes, made
afresh with every full render after the access check) and the version it shows. The version
of each proposal is kept in the cache for two seconds, so the database computes it at most
once per poll interval whatever the number of participants. A poll with a valid token and the
version in the cache is answered "204 nothing changed" by `PollMiddleware` before the session,
the sign-in and the database are read; anything else (no token, another proposal, an expired
token, a version changed or not in the cache) goes to the view, which checks access as every
page does. What a token could ever answer is "nothing changed": it shows nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from django.core import signing
from django.core.cache import cache
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from kinerja.auction.models import Move, Proposal, Score
from kinerja.core.cache import CACHE_ERRORS

SALT = "kinerja.auction.poll"
TOKEN_SECONDS = 600
VERSION_SECONDS = 2
POLL_VIEW = "auction:proposal_live"


def version_key(proposal_id: int) -> str:
    return f"hearing:version:{proposal_id}"


def version(proposal_id: int, government_id: int) -> str:
    """What the live part shows, in one query: the latest move, the number of scores, whether
    scores are revealed and the session's status. Kept for the poll interval."""
    # Each subquery names the government as a value: Citus answers a correlated subquery on
    # one shard only when every table in it is pinned to that shard.
    last_move = Move.objects.filter(
        government_id=government_id, indicator__proposal=OuterRef("pk")
    ).order_by("-pk")
    scores = (
        Score.objects.filter(government_id=government_id, proposal=OuterRef("pk"))
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last, count, revealed, status = (
        Proposal.objects.filter(pk=proposal_id, government_id=government_id)
        .annotate(
            last=Coalesce(Subquery(last_move.values("pk")[:1]), 0),
            n=Coalesce(Subquery(scores), 0),
        )
        .values_list("last", "n", "scores_revealed", "session__status")
        .get()
    )
    current = f"{last}-{count}-{int(revealed)}-{status}"
    with contextlib.suppress(*CACHE_ERRORS):  # no cache: every poll goes to the view
        cache.set(version_key(proposal_id), current, VERSION_SECONDS)
    return current


def poll_token(user_id: int, proposal_id: int) -> str:
    return signing.dumps([proposal_id, user_id], salt=SALT)


def unchanged(proposal_id: int, token: str, shown: str) -> bool:
    """Whether a poll can be answered "nothing changed" without reading anything else."""
    try:
        signed_for, _user = signing.loads(token, salt=SALT, max_age=TOKEN_SECONDS)
    except (signing.BadSignature, ValueError, TypeError):
        return False
    if signed_for != proposal_id:
        return False
    try:
        current = cache.get(version_key(proposal_id))
    except CACHE_ERRORS:
        return False  # no cache: the view answers
    return current is not None and current == shown


class PollMiddleware:
    """Answers an unchanged hearing poll before the rest of the stack (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and "t" in request.GET and "v" in request.GET:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and match.view_name == POLL_VIEW:
                pk = match.kwargs.get("pk")
                token, shown = request.GET["t"][:300], request.GET["v"][:100]
                if isinstance(pk, int) and unchanged(pk, token, shown):
                    response = HttpResponse(status=204)
                    response["Cache-Control"] = "no-store"
                    return response
        return self.get_response(request)
