"""The plan pages: tree, indicator page, editing with validation in Indonesian, history."""

from decimal import Decimal

import pytest

from kinerja.core.models import AuditEvent
from kinerja.planning.models import Indicator
from kinerja.planning.services import plan_object_save
from tests.conftest import World, make_user


def indicator_post(ind: Indicator, **changes: str) -> dict[str, str]:
    data = {
        "objective": str(ind.objective_id),
        "code": ind.code,
        "name": ind.name,
        "unit_of_measure": ind.unit_of_measure,
        "responsible_unit": str(ind.responsible_unit_id or ""),
        "polarity": ind.polarity,
        "lower_formula": ind.lower_formula,
        "aggregation": ind.aggregation,
        "frequency": ind.frequency,
        "baseline_value": "10,5",
        "baseline_year": str(ind.baseline_year),
        "definition": "",
        "formula": "",
        "data_source": "",
    }
    data.update(changes)
    return data


def test_edit_indicator_with_indonesian_decimal(world: World):
    client = world.client("operator_a")
    url = f"/plan/indikator/{world.indicator_a.pk}/ubah/"
    response = client.post(url, indicator_post(world.indicator_a, baseline_value="1.234,56"))
    assert response.status_code == 302
    world.indicator_a.refresh_from_db()
    assert world.indicator_a.baseline_value == Decimal("1234.56")
    assert AuditEvent.objects.filter(
        action="indicator.update", actor=world.users["operator_a"]
    ).exists()


def test_invalid_input_is_explained_in_indonesian_and_nothing_changes(world: World):
    client = world.client("planner")
    url = f"/plan/indikator/{world.indicator_a.pk}/ubah/"
    response = client.post(
        url,
        indicator_post(
            world.indicator_a,
            baseline_value="sepuluh",
            baseline_year="1890",
            unit_of_measure="",
            code="I1",
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "“sepuluh” bukan angka" in body
    assert "Tahun kondisi awal harus antara 2008 dan 2023" in body
    assert "Bidang ini tidak boleh kosong" in body
    assert "Kode I1 sudah dipakai di periode ini" in body
    # What the user typed is kept in the form.
    assert 'value="sepuluh"' in body
    world.indicator_a.refresh_from_db()
    assert world.indicator_a.baseline_value == Decimal("10.5")
    assert not AuditEvent.objects.exists()


def test_range_targets_need_both_bounds(world: World):
    world.indicator_a.polarity = "range"
    world.indicator_a.save()
    client = world.client("planner")
    url = f"/plan/indikator/{world.indicator_a.pk}/target/"
    response = client.post(url, {"y2019": "2,5", "y2019_high": "", "y2020": "5", "y2020_high": "4"})
    body = response.content.decode()
    assert "Isi batas bawah dan batas atas" in body
    assert "Batas atas harus lebih besar" in body
    response = client.post(url, {"y2019": "2,5", "y2019_high": "4,5"})
    assert response.status_code == 302
    target = world.indicator_a.targets.get(year=2019)
    assert (target.value, target.value_high) == (Decimal("2.5"), Decimal("4.5"))


def test_a_higher_indicator_takes_a_single_target_or_a_range(world: World):
    """On a higher- or lower-is-better indicator the upper bound is optional: a range that
    keeps the indicator's direction."""
    assert world.indicator_a.polarity == "higher"
    client = world.client("planner")
    url = f"/plan/indikator/{world.indicator_a.pk}/target/"
    form = client.get(url).content.decode()
    assert "opsional, target rentang" in form
    response = client.post(url, {"y2019": "", "y2019_high": "90"})
    assert "Isi target (batas bawah) lebih dulu" in response.content.decode()
    response = client.post(url, {"y2019": "80", "y2019_high": "90", "y2020": "85"})
    assert response.status_code == 302
    targets = {t.year: (t.value, t.value_high) for t in world.indicator_a.targets.all()}
    assert targets[2019] == (Decimal(80), Decimal(90))
    assert targets[2020] == (Decimal(85), None)
    detail = client.get(f"/plan/indikator/{world.indicator_a.pk}/").content.decode()
    assert "80 – 90" in detail


def test_tree_shows_missions_units_and_indicators(world: World, django_assert_max_num_queries):
    client = world.client("mayor")
    with django_assert_max_num_queries(13):
        body = client.get("/plan/?expand=1").content.decode()
    for text in [
        "Misi satu kota-uji",
        "Tujuan satu kota-uji",
        "Sasaran daerah kota-uji",
        "Sasaran A",
        "Sasaran B",
        "Indikator I1.A.1 kota-uji",
    ]:
        assert text in body
    assert "DA" in body and "KB" in body  # the responsible units


def test_tree_query_count_does_not_grow_with_the_plan(world: World, django_assert_num_queries):
    from kinerja.sampledata.demo import load_demo

    client = world.client("mayor")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/plan/?expand=1")
    gov = load_demo(with_documents=False)
    demo_client = world.client("mayor")
    demo_client.force_login(gov.users.get(username="walikota"))
    with CaptureQueriesContext(connection) as large:
        demo_client.get("/plan/?expand=1")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_indicator_page_shows_baseline_and_targets(world: World):
    body = world.client("panel").get(f"/plan/indikator/{world.indicator_b.pk}/").content.decode()
    assert "10,5" in body  # baseline, Indonesian decimal comma
    assert "Semakin rendah semakin baik" in body
    for year in range(2019, 2024):
        assert str(year) in body


def test_history_shows_who_changed_what(world: World):
    client = world.client("operator_a")
    client.post(
        f"/plan/indikator/{world.indicator_a.pk}/ubah/",
        indicator_post(world.indicator_a, name="Nama yang lebih jelas"),
    )
    body = (
        world.client("inspector")
        .get(f"/riwayat/indicator/{world.indicator_a.pk}/")
        .content.decode()
    )
    assert "Pejabat uji-operator_a" in body
    assert "Nama yang lebih jelas" in body
    assert "Indikator I1.A.1 kota-uji" in body  # the value before
    assert "nama indikator" in body  # the field's label, not its column name


def test_unit_page_lists_objectives_indicators_and_officials(world: World):
    body = world.client("operator_b").get(f"/perangkat-daerah/{world.unit_a.pk}/").content.decode()
    assert "Kepala Dinas A" in body
    assert "Pejabat uji-head_a" in body
    assert "Sasaran A" in body
    # operator_b may read unit A's plan but not edit it.
    assert "Tambah sasaran PD" not in body


def test_unit_list_filters(world: World):
    body = world.client("mayor").get("/perangkat-daerah/?kind=district").content.decode()
    assert "Kecamatan B" in body and "Dinas A" not in body
    body = world.client("mayor").get("/perangkat-daerah/?q=dinas").content.decode()
    assert "Dinas A" in body and "Kecamatan B" not in body


def test_planner_edits_a_mission_and_a_goal(world: World):
    client = world.client("planner")
    response = client.post(
        f"/plan/misi/{world.mission.pk}/ubah/",
        {"number": "1", "code": "M1", "title": "Misi yang dirumuskan ulang"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/plan/tujuan/{world.goal.pk}/ubah/",
        {"mission": world.mission.pk, "code": "T1", "title": "Tujuan baru"},
    )
    assert response.status_code == 302
    world.mission.refresh_from_db()
    world.goal.refresh_from_db()
    assert (world.mission.title, world.goal.title) == ("Misi yang dirumuskan ulang", "Tujuan baru")
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "mission.update",
        "goal.update",
    }


def test_duplicate_mission_code_is_refused(world: World):
    response = world.client("planner").post(
        "/plan/misi/baru/", {"number": "2", "code": "M1", "title": "Misi kembar"}
    )
    assert "Kode M1 sudah dipakai di periode ini" in response.content.decode()
    assert world.term.missions.count() == 1


def test_unit_operator_adds_a_programme_with_budgets(world: World):
    client = world.client("operator_a")
    data = {
        "kind": "activity",
        "parent": world.programme_a.pk,
        "code": "P.A.01.01",
        "name": "Kegiatan baru",
        "objectives": [world.objective_a.pk],
        "budget_2019": "250.000.000",
        "budget_2020": "275000000,50",
    }
    response = client.post(f"/plan/program/baru/?unit={world.unit_a.pk}", data)
    assert response.status_code == 302, response.content.decode()
    activity = world.programme_a.children.get()
    assert {b.year: b.amount for b in activity.budgets.all()} == {
        2019: Decimal("250000000"),
        2020: Decimal("275000000.50"),
    }
    event = AuditEvent.objects.get(action="programme.create")
    assert event.after["budgets"] == {"2019": "250000000", "2020": "275000000.5"}
    assert event.after["objectives"] == [world.objective_a.pk]


def test_programme_rules_are_explained(world: World):
    client = world.client("planner")
    data = {
        "kind": "sub_activity",
        "parent": "",
        "code": "P.X",
        "name": "Salah",
        "budget_2019": "-5",
    }
    body = client.post(f"/plan/program/baru/?unit={world.unit_a.pk}", data).content.decode()
    assert "sub kegiatan di bawah kegiatan" in body
    assert "lebih besar dari atau sama dengan 0" in body
    assert world.programme_a.children.count() == 0


def test_budget_change_is_audited_before_and_after(world: World):
    client = world.client("planner")
    data = {
        "kind": "programme",
        "parent": "",
        "code": "P.A.01",
        "name": world.programme_a.name,
        "objectives": [world.objective_a.pk],
        "budget_2019": "1.600.000.000",
    }
    assert client.post(f"/plan/program/{world.programme_a.pk}/ubah/", data).status_code == 302
    event = AuditEvent.objects.get(action="programme.update")
    assert event.before["budgets"] == {"2019": "1500000000"}
    assert event.after["budgets"] == {"2019": "1600000000"}
    body = (
        world.client("inspector")
        .get(f"/riwayat/programme/{world.programme_a.pk}/")
        .content.decode()
    )
    assert "1500000000" in body and "1600000000" in body


def grow(world: World, n: int) -> None:
    """Add n units, each with a head, an objective, two indicators, a programme with a budget,
    and audit rows by several people: everything the pages list."""
    import datetime

    from kinerja.accounts.models import Position, PositionAssignment, Unit
    from kinerja.planning.models import Budget, IndicatorTarget, Objective, Programme
    from kinerja.planning.services import plan_object_save

    gov, term = world.gov, world.term
    start = Unit.objects.filter(government=gov).count()
    for i in range(start, start + n):
        unit = Unit.objects.create(
            government=gov, kind="agency", code=f"G{i}", name=f"Dinas G{i}", short_name=f"G{i}"
        )
        pos = Position.objects.create(
            government=gov, unit=unit, kind="unit_head", title=f"Kepala G{i}"
        )
        head = make_user(gov, f"uji-head-g{i}", "unit_head", unit)
        PositionAssignment.objects.create(
            position=pos, person=head.person, start=datetime.date(2018, 1, 1)
        )
        obj = Objective.objects.create(
            government=gov,
            term=term,
            unit=unit,
            serves=world.objective,
            code=f"S1.G{i}",
            title=f"Sasaran G{i}",
        )
        for k in range(2):
            ind = Indicator.objects.create(
                government=gov,
                objective=obj,
                responsible_unit=unit,
                code=f"I1.G{i}.{k}",
                name=f"Indikator G{i}.{k}",
                unit_of_measure="%",
                baseline_value=Decimal(1),
                baseline_year=2018,
            )
            IndicatorTarget.objects.bulk_create(
                IndicatorTarget(government=gov, indicator=ind, year=y, value=Decimal(y))
                for y in term.target_years
            )
        prog = Programme.objects.create(
            government=gov,
            term=term,
            unit=unit,
            kind="programme",
            code=f"P.G{i}",
            name=f"Program G{i}",
        )
        prog.objectives.set([obj], through_defaults={"government_id": prog.government_id})
        Budget.objects.create(government=gov, programme=prog, year=2019, amount=Decimal(1000))
        obj.title = f"Sasaran G{i} (ubah)"
        plan_object_save(obj=obj, by=head)


PAGES = {
    "home": lambda w: "/",
    "tree": lambda w: "/plan/?expand=1",
    "unit list": lambda w: "/perangkat-daerah/",
    "unit page": lambda w: f"/perangkat-daerah/{w.unit_a.pk}/",
    "indicator page": lambda w: f"/plan/indikator/{w.indicator_a.pk}/",
    "objective history": lambda w: f"/riwayat/objective/{w.objective_a.pk}/",
}


@pytest.mark.parametrize("page", PAGES)
def test_page_queries_do_not_grow_with_the_data(world: World, page):
    """The same page costs the same number of queries with 2 units or with 42."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = PAGES[page](world)
    client = world.client("planner")
    grow(world, 1)
    for i in range(3):  # a few edits, so that histories have rows by several people
        world.objective_a.title = f"Sasaran A versi {i}"
        plan_object_save(obj=world.objective_a, by=world.users["operator_a" if i % 2 else "head_a"])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(world, 40)
    for i in range(6):
        world.objective_a.title = f"Sasaran A versi lanjut {i}"
        plan_object_save(
            obj=world.objective_a, by=world.users[["operator_a", "head_a", "planner"][i % 3]]
        )
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries), [
        q["sql"][:100] for q in large.captured_queries
    ]
    # The home page also lists the person's waiting work (Tugas saya, SKPs to approve among
    # it), the unit page the unit's action plans (late, red): a few queries more.
    bound = {"home": 25, "unit page": 21}.get(page, 16)
    assert len(large.captured_queries) <= bound
