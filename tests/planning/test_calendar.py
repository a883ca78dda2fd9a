"""The government's calendar: the year a page shows is the government's setting, never the
newest figure; the portal shows only what the planners published."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kinerja.core.models import AuditEvent
from kinerja.planning import calendar
from kinerja.planning.models import YearPublication
from kinerja.planning.services import year_publish
from tests.conftest import World
from tests.monitoring.conftest import enter, verified


def shown_year(html: str) -> str:
    return re.search(r'class="active" aria-current="true">(\d{4})<', html).group(1)  # type: ignore[union-attr]


def test_defaults_follow_todays_date_until_the_government_sets_them(world: World):
    today = datetime.date(2026, 12, 1)
    assert calendar.current_year(world.gov, today) == 2026
    assert calendar.reporting_year(world.gov, today) == 2025
    assert calendar.default_quarter(world.gov, 2026, today) == 3
    assert calendar.default_quarter(world.gov, 2025, today) == 4
    assert calendar.default_quarter(world.gov, 2026, datetime.date(2026, 2, 1)) == 1
    world.gov.current_year, world.gov.reporting_year = 2021, 2020
    assert calendar.current_year(world.gov, today) == 2021
    assert calendar.reporting_year(world.gov, today) == 2020
    # The picker: the term's years up to the current year.
    assert calendar.years(world.gov, today) == [2019, 2020, 2021]
    # None given is the default; a year out of range or not a number is "not found" at once.
    assert calendar.year_from(None, world.gov, 2021, today)[0] == 2021
    assert calendar.year_from("2020", world.gov, 2021, today)[0] == 2020
    for hostile in ("99999999999999999999", "abc", "0", "-1", "2024", "10000"):
        with pytest.raises(Http404):
            calendar.year_from(hostile, world.gov, 2021, today)


def test_the_planner_sets_the_years_and_others_are_refused(world: World):
    client = world.client("planner")
    response = client.post("/plan/kalender/", {"current_year": "2021", "reporting_year": "2020"})
    assert response.status_code == 302
    world.gov.refresh_from_db()
    assert (world.gov.current_year, world.gov.reporting_year) == (2021, 2020)
    assert (
        AuditEvent.objects.filter(action="government.calendar", government=world.gov).count() == 1
    )
    # The header shows them on every page.
    page = client.get("/plan/kalender/").content.decode()
    assert "Tahun berjalan <strong>2021</strong>" in page
    # Reporting after the current year is refused with the reason; nothing changes.
    response = client.post("/plan/kalender/", {"current_year": "2021", "reporting_year": "2022"})
    assert "tidak boleh setelah" in response.content.decode()
    world.gov.refresh_from_db()
    assert world.gov.reporting_year == 2020
    # Out of range is a form error, not a 500.
    response = client.post("/plan/kalender/", {"current_year": "99999", "reporting_year": ""})
    assert response.status_code == 200
    for persona in ("operator_a", "mayor", "inspector"):
        assert (
            world.client(persona).post("/plan/kalender/", {"current_year": "2019"}).status_code
            == 403
        )
    world.gov.refresh_from_db()
    assert world.gov.current_year == 2021
    # Another government's planner changes only their own.
    world.client("other_gov").post("/plan/kalender/", {"current_year": "2019"})
    world.gov.refresh_from_db()
    assert world.gov.current_year == 2021


def test_entering_or_verifying_a_figure_never_switches_the_dashboard_year(world: World):
    world.gov.current_year = 2021
    world.gov.save()
    mayor = world.client("mayor")
    assert shown_year(mayor.get("/dasbor/").content.decode()) == "2021"
    # A figure for 2023, entered then verified: the dashboard stays on 2021.
    enter(world, world.indicator_a, 1, "12", year=2023)
    assert shown_year(mayor.get("/dasbor/").content.decode()) == "2021"
    verified(world, world.indicator_a, 2, "12", year=2023)
    assert shown_year(mayor.get("/dasbor/").content.decode()) == "2021"
    # The picker reaches the other years.
    assert shown_year(mayor.get("/dasbor/?tahun=2019").content.decode()) == "2019"
    assert mayor.get("/dasbor/?tahun=999999999999").status_code == 404
    # Scorecards default to the reporting year (2020), monitoring to the current year.
    assert "2020" in mayor.get("/evaluasi/").content.decode()


@pytest.mark.parametrize("step", ["enter", "verify"])
def test_the_portal_shows_only_what_was_published(world: World, step: str):
    verified(world, world.indicator_a, 1, "11", year=2019)
    public = world.client("anonymous")
    assert public.get(f"/publik/{world.gov.slug}/").status_code == 200
    assert YearPublication.objects.count() == 0
    assert public.get(f"/publik/{world.gov.slug}/?tahun=2019").status_code in (200, 404)
    year_publish(year=2019, quarter=4, by=world.users["planner"])
    page = public.get(f"/publik/{world.gov.slug}/").content.decode()
    assert "2019" in page
    # One figure of another year, entered or verified: the portal does not move to it.
    if step == "enter":
        enter(world, world.indicator_a, 1, "12", year=2021)
    else:
        verified(world, world.indicator_a, 1, "12", year=2021)
    assert public.get(f"/publik/{world.gov.slug}/?tahun=2021").status_code == 404
    assert public.get(f"/publik/{world.gov.slug}/data/capaian-2021.json").status_code == 404
    assert public.get(f"/publik/{world.gov.slug}/data/capaian-2019.json").status_code == 200
    # Publishing is the planners', audited; withdrawing too.
    with pytest.raises(PermissionDenied):
        year_publish(year=2021, quarter=2, by=world.users["operator_a"])
    year_publish(year=2021, quarter=2, by=world.users["planner"])
    assert (
        public.get(f"/publik/{world.gov.slug}/data/capaian-2021.json").json()["as_of_quarter"] == 2
    )
    year_publish(year=2021, quarter=None, by=world.users["planner"])
    assert public.get(f"/publik/{world.gov.slug}/data/capaian-2021.json").status_code == 404
    assert AuditEvent.objects.filter(action__startswith="publication.").count() == 3
