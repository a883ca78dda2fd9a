"""Terms: a new term carrying the tree forward, the earlier one left whole, one current."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.core.models import AuditEvent
from kinerja.planning.models import Goal, Indicator, IndicatorTarget, Mission, Objective, Term
from kinerja.planning.terms import Carry, term_create, term_make_current
from tests.conftest import World


def dump(term: Term) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = [("M", m.code, m.title) for m in term.missions.all()]
    rows += [("O", o.code, o.title, o.unit_id) for o in term.objectives.all()]
    rows += [
        ("I", i.code, i.name, i.baseline_value, i.lineage)
        for i in Indicator.objects.filter(objective__term=term)
    ]
    rows += [
        ("T", t.indicator.code, t.year, t.value)
        for t in IndicatorTarget.objects.filter(indicator__objective__term=term).select_related(
            "indicator"
        )
    ]
    return sorted(rows, key=str)


def test_a_new_term_carries_what_the_planner_chose(world: World):
    before = dump(world.term)
    term, carried = term_create(
        name="RPJMD 2025–2029",
        first_year=2025,
        last_year=2029,
        vision="Kota yang maju",
        carry=Carry(source=world.term, indicators={world.indicator_a.pk}),
        make_current=True,
        by=world.users["planner"],
    )
    assert (term.start_year, term.end_year, term.target_years) == (
        2024,
        2029,
        [2025, 2026, 2027, 2028, 2029],
    )
    assert str(term) == "RPJMD 2025–2029"
    # The indicator brings its objective, the objective it serves, its goal and mission.
    assert (carried.missions, carried.goals, carried.objectives, carried.indicators) == (1, 1, 2, 1)
    new = Indicator.objects.get(objective__term=term)
    assert new.code == world.indicator_a.code and new.name == world.indicator_a.name
    assert new.lineage == world.indicator_a.lineage and new.carried_from == world.indicator_a
    assert new.responsible_unit == world.unit_a and new.objective.unit == world.unit_a
    assert new.objective.serves.term == term and new.objective.serves.goal.mission.term == term
    # Baseline: the earlier term's end target (2023: 15), marked to be replaced; no targets.
    assert (new.baseline_value, new.baseline_year) == (15, 2023)
    assert "ganti dengan angka terukur" in new.data_source
    assert not new.targets.exists()
    # Only one current term; the earlier one is whole.
    world.term.refresh_from_db()
    assert term.is_current and not world.term.is_current
    assert dump(world.term) == before
    assert AuditEvent.objects.filter(action="term.create").count() == 1
    assert AuditEvent.objects.filter(action="term.make_current").count() == 1
    # Other indicators were not carried; a fresh indicator starts its own lineage.
    assert Indicator.objects.filter(objective__term=term).count() == 1
    assert world.indicator_b.lineage != world.indicator_a.lineage


def test_the_tree_shows_the_current_term_and_the_other_on_request(world: World):
    term, _c = term_create(
        name="RPJMD 2025–2029",
        first_year=2025,
        last_year=2029,
        vision="",
        carry=Carry(source=world.term, missions={world.mission.pk}),
        make_current=True,
        by=world.users["planner"],
    )
    client = world.client("mayor")
    page = client.get("/plan/").content.decode()
    assert "RPJMD 2025–2029" in page and world.indicator_a.name not in page
    old = client.get(f"/plan/?term={world.term.pk}").content.decode()
    assert world.indicator_a.name in old and "arsip" in old
    assert world.client("other_gov").get(f"/plan/?term={term.pk}").status_code == 404
    # The unit page offers both terms; the carried indicator's page names where it came from.
    unit_page = client.get(f"/perangkat-daerah/{world.unit_a.pk}/").content.decode()
    assert f"?term={world.term.pk}" in unit_page and f"?term={term.pk}" in unit_page
    old_unit = client.get(f"/perangkat-daerah/{world.unit_a.pk}/?term={world.term.pk}")
    assert world.indicator_a.code in old_unit.content.decode()
    term_make_current(term=world.term, by=world.users["planner"])
    assert world.indicator_a.name in client.get("/plan/").content.decode()


@pytest.mark.parametrize(
    ("first", "last", "code"),
    [
        (2021, 2025, "term_overlap"),
        (2029, 2025, "term_years_order"),
        (2025, 2040, "term_too_long"),
        (1999, 2003, "term_year_range"),
    ],
)
def test_bad_years_are_refused_and_nothing_is_made(world: World, first: int, last: int, code: str):
    with pytest.raises(ValidationError) as refused:
        term_create(
            name="X", first_year=first, last_year=last, vision="", by=world.users["planner"]
        )
    assert refused.value.error_list[0].code == code
    assert Term.objects.filter(government=world.gov).count() == 1


def test_only_planners_and_only_their_own_terms(world: World):
    with pytest.raises(PermissionDenied):
        term_create(
            name="X", first_year=2025, last_year=2029, vision="", by=world.users["operator_a"]
        )
    with pytest.raises(PermissionDenied):
        term_create(
            name="X",
            first_year=2025,
            last_year=2029,
            vision="",
            carry=Carry(source=world.other_term),
            by=world.users["planner"],
        )
    with pytest.raises(ValidationError):
        term_create(
            name="X",
            first_year=2025,
            last_year=2029,
            vision="",
            carry=Carry(source=world.term, indicators={world.other_indicator.pk}),
            by=world.users["planner"],
        )
    assert not Mission.objects.filter(term__name="X").exists()
    with pytest.raises(PermissionDenied):
        term_make_current(term=world.other_term, by=world.users["planner"])
    for persona in ("operator_a", "mayor"):
        assert world.client(persona).get("/plan/periode/baru/").status_code == 403
        assert (
            world.client(persona).post(f"/plan/periode/{world.term.pk}/berjalan/").status_code
            == 403
        )


def test_the_term_pages(world: World):
    client = world.client("planner")
    page = client.get(f"/plan/periode/baru/?sumber={world.term.pk}").content.decode()
    assert 'value="2024"' in page  # the year after the earlier term's last target year
    assert re.search(rf'name="indikator"\s+value="{world.indicator_b.pk}"', page)
    response = client.post(
        "/plan/periode/baru/",
        {
            "sumber": world.term.pk,
            "name": "RPJMD 2024–2028",
            "first_year": "2024",
            "last_year": "2028",
            "vision": "",
            "make_current": "on",
            "sasaran": [world.objective_b.pk],
            "indikator": [world.indicator_b.pk],
        },
    )
    assert response.status_code == 302
    term = Term.objects.get(name="RPJMD 2024–2028")
    assert term.is_current
    assert list(Indicator.objects.filter(objective__term=term).values_list("code", flat=True)) == [
        "I1.B.1"
    ]
    assert Goal.objects.filter(mission__term=term).count() == 1
    assert Objective.objects.filter(term=term).count() == 2
    listing = client.get("/plan/periode/").content.decode()
    assert "RPJMD 2024–2028" in listing and "jadikan berjalan" in listing
    # Hostile ids are refused, not a 500.
    bad = client.post(
        "/plan/periode/baru/",
        {
            "sumber": world.term.pk,
            "name": "Y",
            "first_year": "2030",
            "last_year": "2031",
            "indikator": ["x"],
        },
    )
    assert bad.status_code == 404
    bad = client.post(
        "/plan/periode/baru/",
        {
            "sumber": world.term.pk,
            "name": "Y",
            "first_year": "2030",
            "last_year": "2031",
            "indikator": ["99999999999999999999999"],
        },
    )
    assert bad.status_code == 404
    assert not Term.objects.filter(name="Y").exists()


def test_a_carried_indicators_series_runs_across_terms(world: World):
    from decimal import Decimal

    from kinerja.monitoring.selectors import lineage_series
    from kinerja.planning.services import indicator_targets_set
    from tests.evaluation.conftest import year_verified

    year_verified(world, world.indicator_a, "11", year=2019)
    year_verified(world, world.indicator_a, "13", year=2021)
    term, _c = term_create(
        name="RPJMD 2025–2029",
        first_year=2025,
        last_year=2029,
        vision="",
        carry=Carry(source=world.term, indicators={world.indicator_a.pk}),
        make_current=True,
        by=world.users["planner"],
    )
    new = Indicator.objects.get(objective__term=term)
    indicator_targets_set(
        indicator=new,
        targets={2025: (Decimal(20), None), 2026: (Decimal(21), None)},
        by=world.users["planner"],
    )
    year_verified(world, new, "22", year=2025)
    world.gov.current_year = 2026
    world.gov.save()
    series = lineage_series(new, upto=2026)
    assert [p.year for p in series] == [2019, 2020, 2021, 2022, 2023, 2025, 2026]
    by_year = {p.year: p for p in series}
    assert by_year[2019].indicator == world.indicator_a and by_year[2025].indicator == new
    assert by_year[2019].achievement == 100  # 11 of 11
    assert by_year[2021].value == 13 and by_year[2021].target == 13
    assert by_year[2025].achievement == 110  # 22 of 20
    assert by_year[2026].value is None
    # The same series from the old indicator's page, and on the page itself as one chart.
    assert [p.year for p in lineage_series(world.indicator_a, upto=2026)] == [
        p.year for p in series
    ]
    plan_page = world.client("mayor").get(f"/plan/indikator/{new.pk}/").content.decode()
    assert (
        "Dilanjutkan dari" in plan_page and f"/plan/indikator/{world.indicator_a.pk}/" in plan_page
    )
    page = world.client("mayor").get(f"/pemantauan/indikator/{new.pk}/").content.decode()
    assert (
        "lintas periode" in page
        and page.count("<svg") >= 1
        and "2019" in page
        and "RPJMD 2025–2029" in page
    )
    # The LKjIP of 2025 compares the carried indicator with its earlier years.
    from kinerja.evaluation.lkjip import report_context

    context = report_context(world.gov, 2025, unit=world.unit_a)
    lines = [
        line
        for g in context["goals"]
        for o in g.objectives
        for line in o.lines
        if line.status.indicator == new
    ]
    assert dict(lines[0].earlier)[2021] == 100  # 13 of 13, from the earlier term
    # An earlier year's overview reads that year's term, not the current one.
    unit_b = f"/pemantauan/pd/{world.unit_b.pk}/"
    assert "I1.B.1" in world.client("mayor").get(unit_b + "?tahun=2019&tw=4").content.decode()
    assert "I1.B.1" not in world.client("mayor").get(unit_b + "?tahun=2025&tw=4").content.decode()


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999999999999999999", "1e3"])
def test_hostile_term_ids_are_not_found(world: World, value: str):
    client = world.client("planner")
    assert client.get(f"/plan/?term={value}").status_code == 404
    assert client.get(f"/perangkat-daerah/{world.unit_a.pk}/?term={value}").status_code == 404
    assert client.get(f"/plan/periode/baru/?sumber={value}").status_code == 404
    assert client.post(f"/plan/periode/{value}/berjalan/").status_code in (404,)
