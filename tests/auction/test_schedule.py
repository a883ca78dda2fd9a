"""A session's date holds: hearings do not start before it unless the session is re-dated,
with a reason, on the record; a session is created in a term chosen by the planner."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kinerja.auction.models import AuctionSession
from kinerja.auction.services import proposal_submit, session_redate, session_start_hearings
from kinerja.core.models import AuditEvent
from kinerja.planning.models import Term


def test_hearings_wait_for_the_sessions_date_unless_it_is_moved(world, auction):
    session, proposal, _indicator = auction
    u = world.users
    proposal_submit(proposal=proposal, by=u["operator_a"])
    in_a_week = timezone.localdate() + datetime.timedelta(days=8)
    AuctionSession.objects.filter(pk=session.pk).update(scheduled_on=in_a_week)
    session.refresh_from_db()
    with pytest.raises(ValidationError, match="ubah dulu jadwal"):
        session_start_hearings(session=session, by=u["planner"])
    session.refresh_from_db()
    assert session.status == AuctionSession.Status.OPEN
    # Moving the date needs a reason, the planner, and a session not yet in hearings.
    with pytest.raises(ValidationError):
        session_redate(
            session=session, scheduled_on=timezone.localdate(), reason=" ", by=u["planner"]
        )
    with pytest.raises(PermissionDenied):
        session_redate(
            session=session, scheduled_on=timezone.localdate(), reason="Maju", by=u["operator_a"]
        )
    session = session_redate(
        session=session,
        scheduled_on=timezone.localdate(),
        reason="Wali kota bertugas ke luar kota minggu depan",
        by=u["planner"],
    )
    event = AuditEvent.objects.get(action="auction.redate")
    assert event.before["scheduled_on"] == in_a_week.isoformat()
    assert "luar kota" in event.note
    session = session_start_hearings(session=session, by=u["planner"])
    assert session.status == AuctionSession.Status.HEARINGS
    with pytest.raises(ValidationError):
        session_redate(session=session, scheduled_on=in_a_week, reason="lagi", by=u["planner"])


def test_the_redate_page_is_the_planners(world, auction):
    session, _proposal, _indicator = auction
    url = f"/lelang/{session.pk}/jadwal/"
    assert world.client("operator_a").get(url).status_code == 403
    assert world.client("other_gov").get(url).status_code == 404
    response = world.client("planner").post(
        url, {"scheduled_on": "2018-11-20", "reason": "Ruang dipakai"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.scheduled_on == datetime.date(2018, 11, 20)


def test_a_session_is_created_in_the_chosen_term(world):
    later = Term.objects.create(
        government=world.gov, name="RPJMD 2025–2029", start_year=2024, end_year=2029
    )
    client = world.client("planner")
    page = client.get("/lelang/baru/").content.decode()
    assert "RPJMD 2025–2029" in page
    response = client.post(
        "/lelang/baru/",
        {
            "term": later.pk,
            "name": "Lelang Kinerja 2025",
            "scheduled_on": "2025-03-10",
            "venue": "NCC",
        },
    )
    assert response.status_code == 302
    assert AuctionSession.objects.get(name="Lelang Kinerja 2025").term == later
    # Another government's term is not offered, and posting it is refused.
    response = client.post(
        "/lelang/baru/",
        {
            "term": world.other_term.pk,
            "name": "Lelang X",
            "scheduled_on": "2025-03-10",
            "venue": "-",
        },
    )
    assert response.status_code == 200
    assert not AuctionSession.objects.filter(name="Lelang X").exists()
