"""Every page refuses the wrong persona: anonymous users are sent to sign in, another
government's user gets 404 (nothing revealed), another unit's operator gets 403."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kinerja.core.models import AuditEvent
from tests.conftest import World

GOV_READERS = [
    "mayor",
    "sekda",
    "panel",
    "planner",
    "inspector",
    "head_a",
    "operator_a",
    "operator_b",
]
ALL = [*GOV_READERS, "other_gov", "anonymous"]

# (name, url builder, {persona: status}); personas not listed expect 200.
Page = tuple[str, Callable[[World], str], dict[str, int]]

UNIT_A_EDITORS_ONLY = {
    "mayor": 403,
    "sekda": 403,
    "panel": 403,
    "inspector": 403,
    "operator_b": 403,
    "other_gov": 404,
}
PLANNER_ONLY = {p: 403 for p in GOV_READERS if p != "planner"} | {"other_gov": 404}
HISTORY_OF_A = {"panel": 403, "operator_b": 403, "other_gov": 404}

PAGES: list[Page] = [
    ("home", lambda w: "/", {}),
    ("tree", lambda w: "/plan/", {}),
    ("tree, filtered by unit", lambda w: f"/plan/?unit={w.unit_a.pk}", {"other_gov": 404}),
    ("unit list", lambda w: "/perangkat-daerah/", {}),
    ("unit page", lambda w: f"/perangkat-daerah/{w.unit_a.pk}/", {"other_gov": 404}),
    ("indicator page", lambda w: f"/plan/indikator/{w.indicator_a.pk}/", {"other_gov": 404}),
    (
        "unit indicator edit",
        lambda w: f"/plan/indikator/{w.indicator_a.pk}/ubah/",
        UNIT_A_EDITORS_ONLY,
    ),
    (
        "unit indicator targets",
        lambda w: f"/plan/indikator/{w.indicator_a.pk}/target/",
        UNIT_A_EDITORS_ONLY,
    ),
    (
        "unit objective edit",
        lambda w: f"/plan/sasaran/{w.objective_a.pk}/ubah/",
        UNIT_A_EDITORS_ONLY,
    ),
    (
        "new unit objective for A",
        lambda w: f"/plan/sasaran/baru/?unit={w.unit_a.pk}",
        UNIT_A_EDITORS_ONLY,
    ),
    (
        "government indicator edit",
        lambda w: f"/plan/indikator/{w.gov_indicator.pk}/ubah/",
        PLANNER_ONLY,
    ),
    ("government objective edit", lambda w: f"/plan/sasaran/{w.objective.pk}/ubah/", PLANNER_ONLY),
    (
        "new indicator under A's objective",
        lambda w: f"/plan/indikator/baru/?objective={w.objective_a.pk}",
        UNIT_A_EDITORS_ONLY,
    ),
    ("new mission", lambda w: "/plan/misi/baru/", PLANNER_ONLY | {"other_gov": 200}),
    ("mission edit", lambda w: f"/plan/misi/{w.mission.pk}/ubah/", PLANNER_ONLY),
    ("new goal", lambda w: f"/plan/tujuan/baru/?mission={w.mission.pk}", PLANNER_ONLY),
    ("goal edit", lambda w: f"/plan/tujuan/{w.goal.pk}/ubah/", PLANNER_ONLY),
    (
        "new programme for A",
        lambda w: f"/plan/program/baru/?unit={w.unit_a.pk}",
        UNIT_A_EDITORS_ONLY,
    ),
    ("programme edit", lambda w: f"/plan/program/{w.programme_a.pk}/ubah/", UNIT_A_EDITORS_ONLY),
    ("indicator history", lambda w: f"/riwayat/indicator/{w.indicator_a.pk}/", HISTORY_OF_A),
    ("programme history", lambda w: f"/riwayat/programme/{w.programme_a.pk}/", HISTORY_OF_A),
    ("unit history", lambda w: f"/riwayat/unit/{w.unit_a.pk}/", HISTORY_OF_A),
    (
        "position history",
        lambda w: f"/riwayat/position/{w.unit_a.positions.get().pk}/",
        HISTORY_OF_A,
    ),
    (
        "term history",
        lambda w: f"/riwayat/term/{w.term.pk}/",
        {"panel": 403, "head_a": 403, "operator_a": 403, "operator_b": 403, "other_gov": 404},
    ),
    ("excel page", lambda w: f"/plan/excel/?term={w.term.pk}", PLANNER_ONLY),
    ("export", lambda w: f"/plan/excel/ekspor/?term={w.term.pk}", {"other_gov": 404}),
    ("unit export", lambda w: f"/plan/excel/ekspor/?unit={w.unit_a.pk}", {"other_gov": 404}),
]

CASES = [
    pytest.param(url, persona, expected.get(persona, 200), id=f"{name}-{persona}")
    for name, url, expected in PAGES
    for persona in ALL
]


@pytest.mark.parametrize(("url", "persona", "status"), CASES)
def test_get_page(world: World, url, persona, status):
    response = world.client(persona).get(url(world))
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/masuk/")
        return
    assert response.status_code == status
    if status == 200 and response["Content-Type"].startswith("text/html"):
        body = response.content.decode()
        # Nothing of the other government ever appears.
        forbidden = "kota-uji" if persona == "other_gov" else "kab-lain"
        assert forbidden not in body


# The same pages, written to: each refusal must leave the database unchanged.
POSTED = [
    "unit indicator edit",
    "unit indicator targets",
    "unit objective edit",
    "government indicator edit",
    "mission edit",
    "goal edit",
    "programme edit",
]
POSTS = [page for page in PAGES if page[0] in POSTED] + [
    ("import upload", lambda w: f"/plan/excel/impor/?term={w.term.pk}", PLANNER_ONLY),
]


@pytest.mark.parametrize(
    ("url", "persona", "status"),
    [
        pytest.param(url, p, expected[p], id=f"{name}-{p}")
        for name, url, expected in POSTS
        for p in ["operator_b", "mayor", "panel", "other_gov"]
        if p in expected
    ]
    + [pytest.param(url, "anonymous", 302, id=f"{name}-anonymous") for name, url, _e in POSTS],
)
def test_refused_writes_change_nothing(world: World, url, persona, status):
    audit_before = AuditEvent.objects.count()
    response = world.client(persona).post(
        url(world), {"code": "X", "title": "dibajak", "name": "dibajak", "y2019": "1"}
    )
    assert response.status_code == status
    assert AuditEvent.objects.count() == audit_before
    for obj in (world.indicator_a, world.objective_a, world.mission, world.goal, world.programme_a):
        obj.refresh_from_db()
    assert world.indicator_a.name != "dibajak" and world.programme_a.name != "dibajak"
    assert "dibajak" not in (world.objective_a.title, world.mission.title, world.goal.title)


def test_user_without_role_is_refused(world: World):
    from kinerja.accounts.models import User

    user = User.objects.create_user(username="tanpa-peran", password="x", government=world.gov)
    from django.test import Client

    client = Client()
    client.force_login(user)
    assert client.get("/plan/").status_code == 403
