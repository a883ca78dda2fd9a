"""The plan pages: tree, indicator page, editing with validation in Indonesian, history."""

from decimal import Decimal

from kinerja.core.models import AuditEvent
from kinerja.planning.models import Indicator
from tests.conftest import World


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
    assert "Harus berupa angka" in body
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
    from kinerja.core.demo import load_demo

    client = world.client("mayor")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/plan/?expand=1")
    gov = load_demo()
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
