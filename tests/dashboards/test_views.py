"""The head of region's dashboard and the public portal over HTTP: queries that do not grow
with the government, verified figures only, and the open data (CSV and JSON)."""

from __future__ import annotations

import csv
import io
import json

from kinerja.accounts.models import Unit
from kinerja.dashboards.selectors import CSV_COLUMNS, OPEN_DATA_FORMAT
from kinerja.monitoring import services as monitoring_services
from tests.evaluation.conftest import save_policy
from tests.monitoring.conftest import enter
from tests.monitoring.test_rollup import _grow, _queries


def test_dashboard_and_portal_queries_do_not_grow(scored_2019):
    world = scored_2019
    mayor, public = world.client("mayor"), world.client("anonymous")
    slug = world.gov.slug
    pages = [
        (mayor, "/dasbor/?tahun=2019"),
        (mayor, "/evaluasi/?tahun=2019"),
        (mayor, "/evaluasi/tpp/?tahun=2019"),
        (public, f"/publik/{slug}/?tahun=2019"),
        (public, f"/publik/{slug}/pd/{world.unit_a.pk}/?tahun=2019"),
        (public, f"/publik/{slug}/data/capaian-2019.json"),
    ]
    save_policy(world)
    _grow(world, units=2, periods=4)
    small = [_queries(client, url) for client, url in pages]
    _grow(world, units=20, periods=4)
    large = [_queries(client, url) for client, url in pages]
    assert Unit.objects.filter(government=world.gov).count() == 24
    assert small == large, dict(
        zip([u for _c, u in pages], zip(small, large, strict=True), strict=True)
    )
    assert max(large) <= 40
    assert "Dinas G23" in public.get(f"/publik/{slug}/?tahun=2019").content.decode()


def test_portal_shows_verified_figures_and_open_data(scored_2019):
    world = scored_2019
    public = world.client("anonymous")
    slug = world.gov.slug
    # A submitted 2020 figure is not published; 2019 is.
    draft = enter(world, world.indicator_a, 1, "5", year=2020, note="uji")
    monitoring_services.realisation_submit(realisation=draft, by=world.users["operator_a"])
    assert public.get(f"/publik/{slug}/?tahun=2020").status_code == 404
    page = public.get(f"/publik/{slug}/").content.decode()
    assert "2019" in page and "100,00%" in page and "90,00%" in page
    data = json.loads(public.get(f"/publik/{slug}/data/capaian-2019.json").content)
    assert (
        data["format"] == OPEN_DATA_FORMAT and data["year"] == 2019 and data["as_of_quarter"] == 4
    )
    units = {u["code"]: u for u in data["units"]}
    assert units["A"]["achievement_percent"] == "100" and units["A"]["rank"] == 1
    assert units["B"]["achievement_percent"] == "90" and units["B"]["rank"] == 2
    by_code = {i["code"]: i for i in data["indicators"]}
    assert by_code["I1.B.1"]["realisation_to_date"] == "12.1"
    assert by_code["I1.B.1"]["target"] == "11"
    response = public.get(f"/publik/{slug}/data/capaian-2019.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == CSV_COLUMNS
    assert {r[CSV_COLUMNS.index("indicator_code")] for r in rows[1:]} == set(by_code)
    # Another government's units are not reachable through this one's address.
    assert public.get(f"/publik/{slug}/pd/{world.other_unit.pk}/?tahun=2019").status_code == 404
    assert public.get("/publik/tidak-ada/").status_code == 404
