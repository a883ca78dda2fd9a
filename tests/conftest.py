"""Personas and a small plan, shared by the whole suite.

Two governments: "Kota Uji" with units A (Dinas A) and B (Kecamatan B), and "Kabupaten Lain".
Personas: a mayor, a regional secretary, a panel member, a planner, an inspector, the head and
the operator of unit A, the operator of unit B, and a planner of the other government.
"""

from __future__ import annotations

import datetime
import os
import time
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client

from kinerja.accounts.models import (
    Government,
    Person,
    Position,
    PositionAssignment,
    Role,
    RoleAssignment,
    Unit,
    User,
)
from kinerja.auction.models import Proposal, ProposedIndicator
from kinerja.auction.services import (
    offer_answer,
    offer_make,
    panel_set,
    proposal_save,
    proposal_submit,
    proposed_indicator_save,
    session_create,
    session_decide,
    session_open,
    session_start_hearings,
)
from kinerja.planning.models import (
    Budget,
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    Objective,
    Programme,
    Term,
)

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# there unless told that this is intended (it is: one thread, no concurrency).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "uji-kata-sandi-9"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Stored documents go to a directory of the test's own, never into var/.
    settings.MEDIA_ROOT = tmp_path / "media"


def pytest_report_header(config):
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    where = settings.CACHES["default"].get("LOCATION", "this process")
    return f"cache: {backend} ({where})"


@pytest.fixture(autouse=True)
def _live_requests_finished(request):
    """A test with a live server ends when the server has answered: a request the browser
    made last (an image, a fragment) may still be running in the server's thread when the
    test's last line passes, and the database must not be emptied under it. On PostgreSQL
    and Citus, wait (up to 30 s) until no other connection to the test database is busy;
    SQLite's live server shares the test's connection. Set up after pytest-django's
    database fixture, so torn down before it empties the database."""
    yield
    if "live_server" not in request.fixturenames:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
                "AND state IN ('active', 'idle in transaction') "
                "AND application_name NOT LIKE 'citus%'"
            )
            (busy,) = cursor.fetchone()
        if not busy:
            return
        time.sleep(0.2)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (its database is rolled back; the cache is not):
    the figures kept in this process, and the shared cache's keys of this run (the run's
    own prefix, so that a Redis shared with a demo keeps the demo's keys)."""
    from kinerja.core.cache import cache_clear

    cache_clear()
    yield
    cache_clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is deliberately slow; tests that check hashing ask for it explicitly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_government(name: str, slug: str) -> Government:
    return Government.objects.create(
        name=name, slug=slug, kind=Government.Kind.CITY, province="Jawa Timur", seat="Uji"
    )


def make_user(gov: Government, username: str, role: str, unit: Unit | None = None) -> User:
    person = Person.objects.create(government=gov, name=f"Pejabat {username}")
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        government=gov,
        person=person,
        email=f"{username}@uji.invalid",
    )
    RoleAssignment.objects.create(user=user, role=role, unit=unit)
    return user


@dataclass
class World:
    gov: Government
    other_gov: Government
    unit_a: Unit
    unit_b: Unit
    other_unit: Unit
    term: Term
    other_term: Term
    mission: Mission
    goal: Goal
    objective: Objective
    gov_indicator: Indicator
    objective_a: Objective
    indicator_a: Indicator
    objective_b: Objective
    indicator_b: Indicator
    other_indicator: Indicator
    programme_a: Programme
    users: dict[str, User]

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client


def _plan(gov: Government, unit_a: Unit, unit_b: Unit | None) -> dict[str, object]:
    term = Term.objects.create(
        government=gov,
        name="RPJMD",
        start_year=2018,
        end_year=2023,
        vision="Visi uji",
        is_current=True,
    )
    mission = Mission.objects.create(
        government=gov, term=term, number=1, code="M1", title=f"Misi satu {gov.slug}"
    )
    goal = Goal.objects.create(
        government=gov, mission=mission, code="T1", title=f"Tujuan satu {gov.slug}"
    )
    objective = Objective.objects.create(
        government=gov, term=term, goal=goal, code="S1", title=f"Sasaran daerah {gov.slug}"
    )

    def indicator(obj: Objective, code: str, unit: Unit | None, **kw: object) -> Indicator:
        ind = Indicator.objects.create(
            government=gov,
            objective=obj,
            responsible_unit=unit,
            code=code,
            name=f"Indikator {code} {gov.slug}",
            unit_of_measure="%",
            baseline_value=Decimal("10.5"),
            baseline_year=2018,
            **kw,
        )
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(government=gov, indicator=ind, year=y, value=Decimal(11 + i))
            for i, y in enumerate(term.target_years)
        )
        return ind

    gov_indicator = indicator(objective, "I1", unit_a, is_key=True)
    objective_a = Objective.objects.create(
        government=gov, term=term, unit=unit_a, serves=objective, code="S1.A", title="Sasaran A"
    )
    indicator_a = indicator(objective_a, "I1.A.1", unit_a)
    programme_a = Programme.objects.create(
        government=gov,
        term=term,
        unit=unit_a,
        kind=Programme.Kind.PROGRAMME,
        code="P.A.01",
        name=f"Program A {gov.slug}",
    )
    programme_a.objectives.set(
        [objective_a], through_defaults={"government_id": programme_a.government_id}
    )
    Budget.objects.create(
        government=gov, programme=programme_a, year=2019, amount=Decimal("1500000000")
    )
    result: dict[str, object] = dict(
        term=term,
        mission=mission,
        goal=goal,
        objective=objective,
        gov_indicator=gov_indicator,
        objective_a=objective_a,
        indicator_a=indicator_a,
        programme_a=programme_a,
    )
    if unit_b is not None:
        objective_b = Objective.objects.create(
            government=gov,
            term=term,
            unit=unit_b,
            serves=objective,
            code="S1.B",
            title="Sasaran B",
        )
        result["objective_b"] = objective_b
        result["indicator_b"] = indicator(objective_b, "I1.B.1", unit_b, polarity="lower")
    return result


@pytest.fixture
def world(db) -> World:
    gov = make_government("Pemerintah Kota Uji", "kota-uji")
    other = make_government("Pemerintah Kabupaten Lain", "kab-lain")
    unit_a = Unit.objects.create(
        government=gov, kind=Unit.Kind.AGENCY, code="A", name="Dinas A", short_name="DA"
    )
    unit_b = Unit.objects.create(
        government=gov, kind=Unit.Kind.DISTRICT, code="B", name="Kecamatan B", short_name="KB"
    )
    other_unit = Unit.objects.create(
        government=other, kind=Unit.Kind.AGENCY, code="A", name="Dinas Lain"
    )
    head_pos = Position.objects.create(
        government=gov, unit=unit_a, kind=Position.Kind.UNIT_HEAD, title="Kepala Dinas A"
    )
    users = {
        "mayor": make_user(gov, "uji-mayor", Role.HEAD_OF_REGION),
        "sekda": make_user(gov, "uji-sekda", Role.REGIONAL_SECRETARY),
        "panel": make_user(gov, "uji-panel", Role.PANEL_MEMBER),
        "planner": make_user(gov, "uji-planner", Role.PLANNER),
        "inspector": make_user(gov, "uji-inspector", Role.INSPECTOR),
        "head_a": make_user(gov, "uji-head_a", Role.UNIT_HEAD, unit_a),
        "operator_a": make_user(gov, "uji-operator_a", Role.UNIT_OPERATOR, unit_a),
        "operator_b": make_user(gov, "uji-operator_b", Role.UNIT_OPERATOR, unit_b),
        "other_gov": make_user(other, "uji-other_gov", Role.PLANNER),
    }
    PositionAssignment.objects.create(
        position=head_pos, person=users["head_a"].person, start=datetime.date(2018, 1, 1)
    )
    plan = _plan(gov, unit_a, unit_b)
    other_plan = _plan(other, other_unit, None)
    return World(
        gov=gov,
        other_gov=other,
        unit_a=unit_a,
        unit_b=unit_b,
        other_unit=other_unit,
        other_term=other_plan["term"],
        other_indicator=other_plan["indicator_a"],  # type: ignore[arg-type]
        users=users,
        **plan,  # type: ignore[arg-type]
    )


@pytest.fixture
def auction(world: World):
    """An open session: panel of the mayor (chair) and a panel member, one draft proposal of
    unit A with one complete indicator."""
    u = world.users
    session = session_create(
        term=world.term,
        name="Lelang Kinerja 2018",
        scheduled_on=datetime.date(2018, 11, 13),
        venue="Ngalam Command Center",
        by=u["planner"],
    )
    panel_set(session=session, members=[u["mayor"], u["panel"]], chair=u["mayor"], by=u["planner"])
    session = session_open(session=session, by=u["planner"])
    proposal = proposal_save(
        proposal=Proposal(
            session=session,
            unit=world.unit_a,
            title="Menekan kematian ibu",
            mission=world.mission,
            objective=world.objective,
        ),
        by=u["operator_a"],
    )
    indicator = proposed_indicator_save(
        indicator=ProposedIndicator(
            proposal=proposal,
            plan_indicator=world.indicator_a,
            name="Jumlah kematian ibu",
            unit_of_measure="orang",
            polarity="lower",
            baseline_value=Decimal(11),
            baseline_year=2018,
            baseline_source="Laporan PWS-KIA",
            baseline_note="Rencana memakai angka sementara 2018; PWS-KIA final mencatat 11.",
            end_target=Decimal(8),
            end_year=2023,
            history={"2016": "14", "2017": "12"},
        ),
        by=u["operator_a"],
    )
    return session, proposal, indicator


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
