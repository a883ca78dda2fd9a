"""Evaluation, dashboard and portal pages over HTTP: who sees what, who is refused, queries
that do not grow with the government, the LKjIP PDF and the open data."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess

import pytest

from kinerja.accounts.models import Unit
from kinerja.dashboards.selectors import CSV_COLUMNS, OPEN_DATA_FORMAT
from kinerja.evaluation.models import IncentivePolicy, SakipEvaluation
from kinerja.monitoring import services as monitoring_services
from tests.evaluation.conftest import save_policy
from tests.evaluation.test_sakip_services import WORKSHEET
from tests.monitoring.conftest import enter
from tests.monitoring.test_rollup import _grow, _queries


def test_evaluation_pages_and_refusals(scored_2019):
    world = scored_2019
    save_policy(world)
    mayor = world.client("mayor")
    for url in [
        "/evaluasi/?tahun=2019",
        f"/evaluasi/pd/{world.unit_a.pk}/?tahun=2019",
        "/evaluasi/tpp/?tahun=2019",
        "/evaluasi/sakip/",
        "/evaluasi/lkjip/?tahun=2019",
        "/dasbor/?tahun=2019",
    ]:
        assert mayor.get(url).status_code == 200, url
    page = mayor.get("/evaluasi/?tahun=2019").content.decode()
    assert "100,00" in page and "90,00" in page
    # TPP per person is for the overseers; a unit's operator is refused, and so is the dashboard.
    assert world.client("operator_a").get("/evaluasi/tpp/?tahun=2019").status_code == 403
    assert world.client("operator_a").get("/dasbor/").status_code == 403
    assert world.client("anonymous").get("/dasbor/").status_code == 302
    assert world.client("other_gov").get(f"/evaluasi/pd/{world.unit_a.pk}/").status_code == 404
    # Only planning staff change the policy or close the year, through the page too.
    data = {
        "performance_share": "60",
        "warning_below": "75",
        "sanction_below": "60",
        "yearly_base_head": "1",
        "yearly_base_other": "1",
        "band_min_0": "0",
        "band_factor_0": "50",
    }
    assert world.client("mayor").post("/evaluasi/tpp/?tahun=2019", data).status_code == 403
    assert IncentivePolicy.objects.get(year=2019).performance_share == 70
    response = world.client("planner").post("/evaluasi/tpp/?tahun=2019", data)
    assert response.status_code == 302
    assert IncentivePolicy.objects.get(year=2019).performance_share == 60
    world.client("planner").post("/evaluasi/tpp/tutup/", {"tahun": "2019"})
    assert IncentivePolicy.objects.get(year=2019).is_closed
    page = world.client("planner").get("/evaluasi/tpp/?tahun=2019").content.decode()
    assert 'id="closed"' in page and 'id="policy-form"' not in page


def test_sakip_pages(world):
    inspector = world.client("inspector")
    response = world.client("planner").post(
        "/evaluasi/sakip/lke/unggah/",
        {"file": io.BytesIO(WORKSHEET.read_bytes())},
        format="multipart",
    )
    assert response.status_code == 302
    bad = io.BytesIO(b'{"format": "x"}')
    bad.name = "lke.json"
    world.client("planner").post("/evaluasi/sakip/lke/unggah/", {"file": bad})
    assert (
        world.client("operator_a")
        .post("/evaluasi/sakip/", {"year": "2021", "unit": ""})
        .status_code
        == 403
    )
    assert not SakipEvaluation.objects.exists()
    inspector.post("/evaluasi/sakip/", {"year": "2021", "unit": str(world.unit_b.pk)})
    evaluation = SakipEvaluation.objects.get()
    page = inspector.get(f"/evaluasi/sakip/{evaluation.pk}/").content.decode()
    assert page.count('<select name="answer_') == 48
    # The unit's own people may read it, another unit's may not; another government: 404.
    assert world.client("operator_b").get(f"/evaluasi/sakip/{evaluation.pk}/").status_code == 200
    assert world.client("operator_a").get(f"/evaluasi/sakip/{evaluation.pk}/").status_code == 403
    assert world.client("other_gov").get(f"/evaluasi/sakip/{evaluation.pk}/").status_code == 404
    assert world.client("planner").post(f"/evaluasi/sakip/{evaluation.pk}/", {}).status_code == 403
    criterion = evaluation.worksheet.components.first().subcomponents.first().criteria.first()
    response = inspector.post(
        f"/evaluasi/sakip/{evaluation.pk}/",
        {
            f"answer_{criterion.pk}": "Y",
            f"note_{criterion.pk}": "Ada",
            f"links_{criterion.pk}": "https://contoh.go.id/a.pdf",
        },
    )
    assert response.status_code == 302
    assert evaluation.answers.get().answer == "Y"


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


@pytest.mark.django_db
def test_lkjip_pdf_figures_match_the_achievement_pages(scored_2019):
    world = scored_2019
    client = world.client("mayor")
    overview = client.get("/pemantauan/?tahun=2019&tw=4").content.decode()
    missions = re.search(r'<table id="missions">.*?</table>', overview, re.S).group(0)
    page_figures = re.findall(r'class="achv">([\d.,]+%)<', missions)
    units = re.search(r'<table id="units">.*?</table>', overview, re.S).group(0)
    unit_figures = re.findall(r'class="achv">([\d.,]+%)<', units)
    assert page_figures and unit_figures
    response = client.get("/evaluasi/lkjip/unduh/?tahun=2019")
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    for figure in page_figures:
        assert figure in text
    assert "BAB III" in text and "Realisasi anggaran" in text
    # A unit's report for its own people; another unit's is refused.
    assert (
        world.client("operator_a")
        .get(f"/evaluasi/lkjip/unduh/?tahun=2019&pd={world.unit_a.pk}")
        .status_code
        == 200
    )
    assert (
        world.client("operator_a")
        .get(f"/evaluasi/lkjip/unduh/?tahun=2019&pd={world.unit_b.pk}")
        .status_code
        == 403
    )
