"""The live hearing's poll (kinerja.auction.live): an unchanged poll with its token is
answered before the session and the database; anything else goes to the view and its
access check; a change is seen within one poll interval."""

from __future__ import annotations

import re
import time

from django.test import Client

from kinerja.auction import live
from tests.auction.test_views import hearings
from tests.conftest import World


def _poll_url(body: str) -> str:
    found = re.search(r'hx-get="([^"]*/langsung/[^"]*)"', body)
    assert found, body[:500]
    return found.group(1).replace("&amp;", "&")


def test_an_unchanged_poll_reads_nothing(world: World, auction, django_assert_num_queries):
    _session, proposal, _indicator = hearings(world, auction)
    panel = world.client("panel")
    url = _poll_url(panel.get(f"/lelang/usulan/{proposal.pk}/").content.decode())
    assert "t=" in url and "v=" in url
    with django_assert_num_queries(0):
        response = panel.get(url)
    assert response.status_code == 204
    assert response["Cache-Control"] == "no-store"


def test_a_change_is_seen_within_one_interval(world: World, auction):
    _session, proposal, indicator = hearings(world, auction)
    panel = world.client("panel")
    url = _poll_url(panel.get(f"/lelang/usulan/{proposal.pk}/").content.decode())
    assert panel.get(url).status_code == 204
    panel.post(f"/lelang/indikator/{indicator.pk}/tawar/", {"value": "7", "year": "2022"})
    time.sleep(live.VERSION_SECONDS + 0.2)
    changed = panel.get(url)
    assert changed.status_code == 200
    assert "Penawaran tim penilai" in changed.content.decode()


def test_a_poll_without_a_valid_token_goes_through_the_sign_in(world: World, auction):
    _session, proposal, _indicator = hearings(world, auction)
    panel = world.client("panel")
    url = _poll_url(panel.get(f"/lelang/usulan/{proposal.pk}/").content.decode())
    stranger = Client()
    assert stranger.get(url).status_code == 204  # "nothing changed" is all a token can say
    forged = re.sub(r"t=[^&]*", "t=" + live.poll_token(1, proposal.pk)[:-2] + "xx", url)
    assert stranger.get(forged).status_code == 302  # the view: sign in first
    assert stranger.get(url.split("&t=")[0]).status_code == 302
    # A token for another proposal says nothing about this one.
    other = re.sub(r"t=[^&]*", "t=" + live.poll_token(1, proposal.pk + 1), url)
    assert stranger.get(other).status_code == 302
    # The other government's planner, signed in, is refused by the view as before.
    assert world.client("other_gov").get(url.split("&t=")[0]).status_code == 404
