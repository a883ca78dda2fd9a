"""The synthetic data generator (for bench/) and the property the national benchmark relies
on: one government's pages cost the same number of queries however many governments share
the database."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.accounts.models import Government, Role, Unit, User
from kinerja.accounts.services import api_token_create
from kinerja.core.cache import cache_clear
from kinerja.dashboards.selectors import published_quarter, published_years
from kinerja.evaluation.selectors import national_grades
from kinerja.monitoring.models import Realisation
from kinerja.planning.models import Indicator, IndicatorTarget
from kinerja.sampledata import synthetic

pytestmark = pytest.mark.django_db


def _pages(gov: Government) -> dict[str, int]:
    head = User.objects.get(government=gov, roles__role=Role.HEAD_OF_REGION)
    unit = Unit.objects.filter(government=gov).order_by("pk").first()
    assert unit is not None
    token = api_token_create(user=head, name="uji")[1]
    client = Client()
    client.force_login(head)
    anonymous = Client()
    year = synthetic.YEARS[-1]
    bearer = {"Authorization": f"Bearer {token}"}
    pages = {
        "dashboard": lambda: client.get(f"/dasbor/?tahun={year}&tw=4"),
        "unit": lambda: client.get(f"/pemantauan/pd/{unit.pk}/?tahun={year}&tw=4"),
        "portal": lambda: anonymous.get(f"/publik/{gov.slug}/?tahun={year}"),
        "api_achievement": lambda: anonymous.get(
            f"/api/v1/achievements/units/{unit.pk}?year={year}", headers=bearer
        ),
        "api_government": lambda: anonymous.get(
            f"/api/v1/achievements/government?year={year}", headers=bearer
        ),
    }
    counts = {}
    # Each page computed from nothing (no cached figures), then served from what it kept.
    cache_clear()
    for when in ("cold", "warm"):
        for name, fetch in pages.items():
            with CaptureQueriesContext(connection) as ctx:
                response = fetch()
            assert response.status_code == 200, (name, response.status_code)
            counts[f"{name} {when}"] = len(ctx.captured_queries)
    return counts


def test_a_city_of_realistic_shape_and_pages_that_cost_the_same_in_a_bigger_database():
    out = io.StringIO()
    call_command("generate_data", "--scale", "city", stdout=out, stderr=io.StringIO())
    assert "1 dibuat" in out.getvalue()
    gov = Government.objects.get(slug="sint-0001")
    assert Unit.objects.filter(government=gov).count() == 45
    assert Indicator.objects.filter(government=gov).count() == 600
    assert IndicatorTarget.objects.filter(government=gov).count() == 600 * 5
    assert Realisation.objects.filter(government=gov).count() == 600 * 5 * 12
    assert not Realisation.objects.exclude(status="verified").exists()
    # Every unit answers for indicators.
    indicators = Indicator.objects.select_related("objective", "responsible_unit")
    owners = {i.owner_unit.pk for i in indicators if i.owner_unit}
    assert owners == set(Unit.objects.filter(government=gov).values_list("pk", flat=True))
    alone = _pages(gov)
    # Served from the figures kept, a page reads less than when it computes them.
    for page in ("dashboard", "portal"):  # the first to compute all figures, and published ones
        assert alone[f"{page} warm"] < alone[f"{page} cold"], page
    # One entry per year (the model's ordering once made DISTINCT return a row per figure).
    assert published_years(gov) == list(synthetic.YEARS)
    assert published_quarter(gov, synthetic.YEARS[-1]) == 4

    # A second government: the first one is not made again, and its pages cost the same.
    out = io.StringIO()
    call_command("generate_data", "--governments", "2", stdout=out, stderr=io.StringIO())
    assert "1 dibuat, 1 sudah ada" in out.getvalue()
    assert Government.objects.count() == 2
    assert _pages(gov) == alone
    assert _pages(Government.objects.get(slug="sint-0002")) == alone
    grades = national_grades(synthetic.YEARS[-1])
    assert len(grades.rows) == 2 and grades.missing == 0
    assert sum(grades.by_grade.values()) == 2
