"""The auction through its pages: the whole flow over HTTP, live updates, and refusals."""

from decimal import Decimal

import pytest

from kinerja.auction.models import AuctionSession, Move, Proposal
from kinerja.auction.services import proposal_submit, session_start_hearings
from kinerja.core.models import AuditEvent
from tests.conftest import World


def hearings(world, auction):
    session, proposal, indicator = auction
    proposal_submit(proposal=proposal, by=world.users["operator_a"])
    session_start_hearings(session=session, by=world.users["planner"])
    return session, proposal, indicator


def test_planner_sets_up_and_opens_a_session(world: World):
    client = world.client("planner")
    response = client.post(
        "/lelang/baru/",
        {"name": "Lelang Kinerja 2019", "scheduled_on": "2019-11-12", "venue": "NCC"},
    )
    session = AuctionSession.objects.get(name="Lelang Kinerja 2019")
    assert response["Location"] == f"/lelang/{session.pk}/"
    assert session.criteria.count() == 5
    client.post(
        f"/lelang/{session.pk}/kriteria/",
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-name": "Data dasar",
            "form-0-weight": "40",
            "form-1-name": "Ambisi",
            "form-1-weight": "60",
        },
    )
    assert list(session.criteria.values_list("name", "weight")) == [
        ("Data dasar", Decimal(40)),
        ("Ambisi", Decimal(60)),
    ]
    # The picker names officials and their roles, not their logins.
    picker = client.get(f"/lelang/{session.pk}/tim-penilai/").content.decode()
    assert "Pejabat uji-panel — Tim penilai" in picker and ">uji-panel<" not in picker
    client.post(
        f"/lelang/{session.pk}/tim-penilai/",
        {
            "members": [world.users["mayor"].pk, world.users["panel"].pk],
            "chair": world.users["mayor"].pk,
        },
    )
    client.post(f"/lelang/{session.pk}/status/buka/", {"confirm": "yes"})
    session.refresh_from_db()
    assert session.status == "open"
    body = client.get(f"/lelang/{session.pk}/").content.decode()
    assert "Pejabat uji-mayor" in body and "ketua" in body


def test_a_refused_transition_is_explained_on_the_page(world: World):
    client = world.client("planner")
    client.post("/lelang/baru/", {"name": "S", "scheduled_on": "2019-11-12", "venue": ""})
    session = AuctionSession.objects.get(name="S")
    body = client.post(
        f"/lelang/{session.pk}/status/buka/", {"confirm": "yes"}, follow=True
    ).content.decode()
    assert "Tetapkan tim penilai dan ketuanya sebelum membuka sesi." in body
    body = client.post(
        f"/lelang/{session.pk}/status/putuskan/", {"confirm": "yes"}, follow=True
    ).content.decode()
    assert "sesi Lelang Kinerja berstatus “Draf”" in body


def test_unit_writes_and_submits_a_proposal(world: World, auction):
    session, _p, _i = auction
    client = world.client("head_a")
    response = client.post(
        f"/lelang/{session.pk}/usulan/baru/?unit={world.unit_a.pk}",
        {
            "title": "Posyandu digital",
            "description": "Pendataan ibu hamil per kelurahan.",
            "mission": world.mission.pk,
            "objective": world.objective.pk,
        },
    )
    proposal = Proposal.objects.get(title="Posyandu digital")
    assert response["Location"] == f"/lelang/usulan/{proposal.pk}/"
    body = client.get(f"/lelang/usulan/{proposal.pk}/").content.decode()
    assert "Usulan belum memiliki indikator." in body
    client.post(
        f"/lelang/usulan/{proposal.pk}/indikator/baru/",
        {
            "name": "Cakupan K4",
            "unit_of_measure": "%",
            "polarity": "higher",
            "baseline_value": "95,1",
            "baseline_year": "2018",
            "baseline_source": "PWS-KIA",
            "end_target": "100",
            "end_year": "2023",
            "history_text": "2016: 92,5\n2017: 93,8",
        },
    )
    ind = proposal.indicators.get()
    assert ind.history == {"2016": "92.5", "2017": "93.8"} and ind.baseline_value == Decimal("95.1")
    client.post(f"/lelang/usulan/{proposal.pk}/ajukan/", {"confirm": "yes"})
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    # Locked: the edit page now refuses, with a message.
    body = client.get(f"/lelang/indikator/{ind.pk}/ubah/", follow=True).content.decode()
    assert "terkunci" in body


def test_bad_history_lines_are_explained(world: World, auction):
    _s, _proposal, indicator = auction
    body = (
        world.client("operator_a")
        .post(
            f"/lelang/indikator/{indicator.pk}/ubah/",
            {
                "name": indicator.name,
                "unit_of_measure": "orang",
                "polarity": "lower",
                "baseline_value": "11",
                "baseline_year": "2018",
                "baseline_source": "x",
                "end_target": "8",
                "end_year": "2023",
                "history_text": "2016 empat belas",
            },
        )
        .content.decode()
    )
    assert "Baris 1: tulis &#x27;tahun: nilai&#x27;" in body


def test_hearing_over_http_with_live_updates(world: World, auction):
    _session, proposal, indicator = hearings(world, auction)
    panel, head, screen = world.client("panel"), world.client("head_a"), world.client("sekda")
    live_url = f"/lelang/usulan/{proposal.pk}/langsung/"

    first = screen.get(live_url + "?layar=1")
    version = first.content.decode().split('data-version="')[1].split('"')[0]
    assert screen.get(f"{live_url}?v={version}&layar=1").status_code == 204  # nothing changed

    body = panel.get(f"/lelang/usulan/{proposal.pk}/").content.decode()
    assert "Proyeksi tren" in body and "Tawarkan" in body
    response = panel.post(
        f"/lelang/indikator/{indicator.pk}/tawar/",
        {"value": "7", "year": "2022"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "Penawaran tim penilai" in response.content.decode()

    changed = screen.get(f"{live_url}?v={version}&layar=1")
    assert changed.status_code == 200 and "Penawaran tim penilai" in changed.content.decode()
    assert "Tawarkan" not in changed.content.decode()  # the screen has no forms

    assert "Kirim jawaban" in head.get(f"/lelang/usulan/{proposal.pk}/").content.decode()
    head.post(f"/lelang/indikator/{indicator.pk}/jawab/", {"kind": "accept"})
    last = indicator.moves.last()
    assert (last.kind, last.value, last.year, last.actor) == (
        "accept",
        Decimal(7),
        2022,
        world.users["head_a"],
    )
    assert "Sanggup" in screen.get(live_url + "?layar=1").content.decode()


def test_scores_hidden_until_revealed(world: World, auction):
    session, proposal, _i = hearings(world, auction)
    criteria = list(session.criteria.all())
    panel = world.client("panel")
    panel.post(f"/lelang/usulan/{proposal.pk}/nilai/", {f"c{c.pk}": "80" for c in criteria})
    assert proposal.scores.count() == 5
    mayor_view = world.client("mayor").get(f"/lelang/usulan/{proposal.pk}/").content.decode()
    assert "1 dari 2 anggota sudah menilai" in mayor_view and "Nilai tertimbang" not in mayor_view
    world.client("mayor").post(f"/lelang/usulan/{proposal.pk}/buka-nilai/")
    body = world.client("head_a").get(f"/lelang/usulan/{proposal.pk}/").content.decode()
    assert "Nilai tertimbang" in body and "80,00" in body


def test_invalid_score_is_refused_with_a_message(world: World, auction):
    session, proposal, _i = hearings(world, auction)
    body = (
        world.client("panel")
        .post(
            f"/lelang/usulan/{proposal.pk}/nilai/",
            {f"c{c.pk}": "120" for c in session.criteria.all()},
            follow=True,
        )
        .content.decode()
    )
    assert "lebih kecil dari atau sama dengan 100" in body
    assert proposal.scores.count() == 0


def test_results_rank_units(world: World, auction):
    session, proposal, indicator = hearings(world, auction)
    for who in ("panel", "mayor"):
        world.client(who).post(
            f"/lelang/usulan/{proposal.pk}/nilai/",
            {f"c{c.pk}": "70" for c in session.criteria.all()},
        )
    world.client("panel").post(
        f"/lelang/indikator/{indicator.pk}/tawar/", {"value": "7", "year": "2022"}
    )
    world.client("head_a").post(f"/lelang/indikator/{indicator.pk}/jawab/", {"kind": "refuse"})
    body = world.client("mayor").get(f"/lelang/{session.pk}/hasil/").content.decode()
    assert "Dinas A" in body and "70,00" in body


@pytest.mark.parametrize(
    ("persona", "url", "status"),
    [
        ("anonymous", lambda s, p, i: f"/lelang/{s.pk}/", 302),
        ("other_gov", lambda s, p, i: f"/lelang/{s.pk}/", 404),
        ("other_gov", lambda s, p, i: f"/lelang/usulan/{p.pk}/", 404),
        ("other_gov", lambda s, p, i: f"/lelang/usulan/{p.pk}/langsung/", 404),
        ("operator_b", lambda s, p, i: f"/lelang/usulan/{p.pk}/", 404),  # a draft of another unit
        ("operator_b", lambda s, p, i: f"/lelang/{s.pk}/usulan/baru/?unit={p.unit_id}", 403),
        ("panel", lambda s, p, i: f"/lelang/{s.pk}/tim-penilai/", 403),
        ("mayor", lambda s, p, i: f"/lelang/{s.pk}/kriteria/", 403),
        ("head_a", lambda s, p, i: "/lelang/baru/", 403),
        ("operator_a", lambda s, p, i: f"/lelang/usulan/{p.pk}/", 200),
        ("planner", lambda s, p, i: f"/lelang/usulan/{p.pk}/", 200),
    ],
)
def test_pages_refuse_the_wrong_persona(world: World, auction, persona, url, status):
    session, proposal, indicator = auction
    assert world.client(persona).get(url(session, proposal, indicator)).status_code == status


@pytest.mark.parametrize(
    ("persona", "path", "status"),
    [
        ("operator_b", "ajukan", 404),  # a draft of another unit is not revealed
        ("other_gov", "ajukan", 404),
        ("anonymous", "ajukan", 302),
    ],
)
def test_refused_submission_changes_nothing(world: World, auction, persona, path, status):
    _s, proposal, _i = auction
    before = AuditEvent.objects.count()
    assert world.client(persona).post(f"/lelang/usulan/{proposal.pk}/{path}/").status_code == status
    proposal.refresh_from_db()
    assert proposal.status == "draft" and AuditEvent.objects.count() == before


def test_another_unit_head_cannot_answer_over_http(world: World, auction):
    _s, _proposal, indicator = hearings(world, auction)
    world.client("panel").post(
        f"/lelang/indikator/{indicator.pk}/tawar/", {"value": "7", "year": "2022"}
    )
    from tests.conftest import make_user

    head_b = make_user(world.gov, "uji-head_b2", "unit_head", world.unit_b)
    from django.test import Client

    client = Client()
    client.force_login(head_b)
    assert (
        client.post(f"/lelang/indikator/{indicator.pk}/jawab/", {"kind": "accept"}).status_code
        == 403
    )
    assert list(Move.objects.values_list("kind", flat=True)) == ["offer"]


def test_trajectory_is_entered_and_shown(world: World, auction):
    _s, proposal, indicator = auction
    client = world.client("operator_a")
    client.post(
        f"/lelang/indikator/{indicator.pk}/ubah/",
        {
            "name": indicator.name,
            "unit_of_measure": "orang",
            "polarity": "lower",
            "baseline_value": "11",
            "baseline_year": "2018",
            "baseline_source": "PWS-KIA",
            "end_target": "8",
            "end_year": "2023",
            "history_text": "2016: 14\n2017: 12",
            "trajectory_text": "2019: 10\n2020: 9,5\n2023: 8",
        },
    )
    indicator.refresh_from_db()
    assert indicator.trajectory == {"2019": "10", "2020": "9.5", "2023": "8"}
    body = client.get(f"/lelang/usulan/{proposal.pk}/").content.decode()
    assert "Lintasan target yang diusulkan" in body and "9,5" in body


def test_projector_shows_the_supporting_data(world: World, auction):
    session, proposal, _i = auction
    world.client("operator_a").post(
        f"/lelang/usulan/{proposal.pk}/tabel/",
        {"name": "Ibu hamil per kelurahan", "pasted": "Kelurahan;Ibu hamil\nBareng;212"},
    )
    hearings(world, auction)
    body = world.client("sekda").get(f"/lelang/{session.pk}/layar/").content.decode()
    assert "Ibu hamil per kelurahan" in body and "<td>Bareng</td>" in body


def test_irreversible_steps_show_what_they_do_and_change_nothing_until_confirmed(
    world: World, auction
):
    """Submitting a proposal, starting the hearings and deciding: a post without the
    confirmation shows what the step will do and changes nothing."""
    from kinerja.core.models import AuditEvent
    from kinerja.planning.models import IndicatorTarget as Target

    session, proposal, indicator = auction
    operator, planner = world.client("operator_a"), world.client("planner")
    audit = AuditEvent.objects.count()

    preview = operator.post(f"/lelang/usulan/{proposal.pk}/ajukan/")
    body = preview.content.decode()
    assert preview.status_code == 200 and "Jumlah kematian ibu" in body
    assert "kondisi awal 11, target akhir 8 orang" in body and 'name="confirm"' in body
    proposal.refresh_from_db()
    assert proposal.status == "draft" and AuditEvent.objects.count() == audit
    operator.post(f"/lelang/usulan/{proposal.pk}/ajukan/", {"confirm": "yes"})
    proposal.refresh_from_db()
    assert proposal.status == "submitted"

    body = planner.post(f"/lelang/{session.pk}/status/paparan/").content.decode()
    assert "Menekan kematian ibu" in body  # the proposals that will be heard
    session.refresh_from_db()
    assert session.status == "open"
    planner.post(f"/lelang/{session.pk}/status/paparan/", {"confirm": "yes"})
    session.refresh_from_db()
    assert session.status == "hearings"

    world.client("panel").post(
        f"/lelang/indikator/{indicator.pk}/tawar/", {"value": "7", "year": "2022"}
    )
    world.client("head_a").post(f"/lelang/indikator/{indicator.pk}/jawab/", {"kind": "accept"})
    indicator.refresh_from_db()
    targets = list(Target.objects.order_by("pk").values_list("pk", "year", "value"))
    audit = AuditEvent.objects.count()
    # A decision without the confirmation: sent to the preview of the targets it will write.
    response = planner.post(f"/lelang/{session.pk}/status/putuskan/")
    assert response.status_code == 302
    assert response["Location"] == f"/lelang/{session.pk}/putuskan/"
    preview = planner.get(response["Location"]).content.decode()
    assert "Jumlah kematian ibu" in preview and 'name="confirm" value="yes"' in preview
    session.refresh_from_db()
    assert session.status == "hearings"
    assert list(Target.objects.order_by("pk").values_list("pk", "year", "value")) == targets
    assert AuditEvent.objects.count() == audit
    # The wrong person is refused before any preview.
    assert world.client("head_a").post(f"/lelang/{session.pk}/status/putuskan/").status_code == 403
    planner.post(f"/lelang/{session.pk}/status/putuskan/", {"confirm": "yes"})
    session.refresh_from_db()
    assert session.status == "decided"


def test_a_score_carries_a_comment_the_panel_reads_once_scores_are_open(world: World, auction):
    from kinerja.auction.selectors import hearing
    from kinerja.auction.services import proposal_submit, scores_reveal, session_start_hearings

    session, proposal, _indicator = auction
    proposal_submit(proposal=proposal, by=world.users["operator_a"])
    session_start_hearings(session=session, by=world.users["planner"])
    criteria = list(session.criteria.all())
    data = {f"c{c.pk}": "80" for c in criteria} | {f"k{criteria[0].pk}": "Data dasar lengkap."}
    world.client("panel").post(f"/lelang/usulan/{proposal.pk}/nilai/", data)
    assert hearing(proposal, world.users["panel"]).comments == []  # hidden until open
    scores_reveal(proposal=proposal, by=world.users["mayor"])
    proposal.refresh_from_db()
    (comment,) = hearing(proposal, world.users["mayor"]).comments
    assert comment[0] == "Pejabat uji-panel" and comment[3] == "Data dasar lengkap."
    assert hearing(proposal, world.users["head_a"]).comments == []  # the panel's, not the unit's
    page = world.client("mayor").get(f"/lelang/usulan/{proposal.pk}/").content.decode()
    assert "Data dasar lengkap." in page
    assert (
        "Data dasar lengkap."
        not in world.client("head_a").get(f"/lelang/usulan/{proposal.pk}/").content.decode()
    )
