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
from tests.refusals import refused


def test_hearings_wait_for_the_sessions_date_unless_it_is_moved(world, auction):
    session, proposal, _indicator = auction
    u = world.users
    proposal_submit(proposal=proposal, by=u["operator_a"])
    in_a_week = timezone.localdate() + datetime.timedelta(days=8)
    AuctionSession.objects.filter(pk=session.pk).update(scheduled_on=in_a_week)
    session.refresh_from_db()
    with refused("before_scheduled_date"):
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


def test_a_plan_indicator_fills_the_proposal_and_a_different_baseline_is_explained(world, auction):
    from decimal import Decimal

    from kinerja.auction.models import ProposedIndicator
    from kinerja.auction.services import proposed_indicator_save

    _session, proposal, _indicator = auction
    client = world.client("operator_a")
    # Chosen from the plan: the form opens with the plan's name, unit, polarity and baseline.
    page = client.get(
        f"/lelang/usulan/{proposal.pk}/indikator/baru/?rencana={world.gov_indicator.pk}"
    ).content.decode()
    assert world.gov_indicator.name in page and 'value="10,5"' in page
    # Another unit's or government's plan indicator is not offered.
    assert (
        client.get(
            f"/lelang/usulan/{proposal.pk}/indikator/baru/?rencana={world.indicator_b.pk}"
        ).status_code
        == 404
    )
    # Left empty, the fields come from the plan; the same baseline needs no explanation.
    filled = proposed_indicator_save(
        indicator=ProposedIndicator(
            proposal=proposal,
            plan_indicator=world.gov_indicator,
            end_target=Decimal(20),
            end_year=2023,
        ),
        by=world.users["operator_a"],
    )
    assert (filled.name, filled.unit_of_measure, filled.polarity) == (
        world.gov_indicator.name,
        "%",
        "higher",
    )
    assert (filled.baseline_value, filled.baseline_year) == (Decimal("10.5"), 2018)
    # A different baseline without a reason is refused, with the plan's figure named.
    with pytest.raises(ValidationError) as refused:
        proposed_indicator_save(
            indicator=ProposedIndicator(
                proposal=proposal,
                plan_indicator=world.gov_indicator,
                baseline_value=Decimal(9),
                baseline_year=2018,
                end_target=Decimal(20),
                end_year=2023,
            ),
            by=world.users["operator_a"],
        )
    assert "10,5" in str(refused.value) and refused.value.error_dict["baseline_note"]
    # The panel reads the explanation on the hearing page.
    from kinerja.auction.services import proposal_submit, session_start_hearings

    filled.delete()
    proposal_submit(proposal=proposal, by=world.users["operator_a"])
    session_start_hearings(session=_session, by=world.users["planner"])
    panel_page = world.client("panel").get(f"/lelang/usulan/{proposal.pk}/").content.decode()
    assert "PWS-KIA final mencatat 11" in panel_page


def test_documents_carry_the_day_they_were_issued_and_the_session(world, decided, tmp_path):
    import subprocess

    from kinerja.auction.documents import pact_issue

    u = world.users
    session = decided
    pact = pact_issue(
        session=session, unit=world.unit_a, by=u["planner"], on=datetime.date(2018, 12, 8)
    )
    assert pact.title == "Pakta Integritas Kesanggupan Dinas A, Lelang Kinerja 2018"
    path = tmp_path / "pakta.pdf"
    with pact.latest_file.file.open("rb") as fh:
        path.write_bytes(fh.read())
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "8 Desember 2018" in text and "13 November 2018" not in text.split("Uji,")[-1][:40]
