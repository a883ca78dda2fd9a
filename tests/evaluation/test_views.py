"""Evaluation pages over HTTP: who sees what, who is refused, and the LKjIP PDF."""

from __future__ import annotations

import io
import re
import subprocess

import pytest

from kinerja.evaluation.models import IncentivePolicy, SakipEvaluation
from tests.evaluation.conftest import save_policy
from tests.evaluation.test_sakip_services import WORKSHEET


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
    # Closing the year locks it: shown first, taken when confirmed; the planner's step only.
    assert world.client("mayor").post("/evaluasi/tpp/tutup/", {"tahun": "2019"}).status_code == (
        403
    )
    preview = world.client("planner").post("/evaluasi/tpp/tutup/", {"tahun": "2019"})
    assert preview.status_code == 200 and 'name="confirm"' in preview.content.decode()
    assert not IncentivePolicy.objects.get(year=2019).is_closed
    world.client("planner").post("/evaluasi/tpp/tutup/", {"tahun": "2019", "confirm": "yes"})
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
    # The unit's self-assessment first: its operator answers, the inspectorate reads.
    page = world.client("operator_b").get(f"/evaluasi/sakip/{evaluation.pk}/").content.decode()
    assert page.count('<select name="answer_') == 80  # the official worksheet
    read = inspector.get(f"/evaluasi/sakip/{evaluation.pk}/").content.decode()
    assert '<select name="answer_' not in read
    # The unit's own people may read it, another unit's may not; another government: 404.
    assert world.client("operator_a").get(f"/evaluasi/sakip/{evaluation.pk}/").status_code == 403
    assert world.client("other_gov").get(f"/evaluasi/sakip/{evaluation.pk}/").status_code == 404
    assert world.client("planner").post(f"/evaluasi/sakip/{evaluation.pk}/", {}).status_code == 403
    assert inspector.post(f"/evaluasi/sakip/{evaluation.pk}/", {}).status_code == 403
    criterion = evaluation.worksheet.components.first().subcomponents.first().criteria.first()
    response = world.client("operator_b").post(
        f"/evaluasi/sakip/{evaluation.pk}/",
        {
            f"answer_{criterion.pk}": "Y",
            f"note_{criterion.pk}": "Ada",
            f"links_{criterion.pk}": "https://contoh.go.id/a.pdf",
        },
    )
    assert response.status_code == 302
    assert evaluation.answers.get().answer == "Y"


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
