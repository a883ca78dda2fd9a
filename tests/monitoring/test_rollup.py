"""Achievement at every level, computed by hand; the early warning; and the government's
roll-up page in a number of queries that does not grow with units or periods."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.accounts.models import Role, Unit
from kinerja.monitoring import figures, services
from kinerja.monitoring.models import MonitoringPolicy, Realisation
from kinerja.monitoring.selectors import overview
from kinerja.planning.models import Indicator, IndicatorTarget, Objective
from tests.conftest import make_user
from tests.monitoring.conftest import enter


def submitted(world, indicator, period, value, by="operator_a"):  # type: ignore[no-untyped-def]
    r = enter(world, indicator, period, value, by=by, note="uji")
    return services.realisation_submit(realisation=r, by=world.users[by])


def first_quarter(world) -> None:  # type: ignore[no-untyped-def]
    # Targets 2019 are all 11.
    submitted(world, world.indicator_a, 1, "8.25")  # higher: 8.25/11 = 75%
    submitted(world, world.gov_indicator, 1, "11")  # 100%
    submitted(world, world.indicator_b, 1, "13.75", by="operator_b")  # lower: (2 - 13.75/11) = 75%


def test_roll_ups_by_hand(world):
    first_quarter(world)
    view = overview(world.gov, year=2019, as_of_quarter=1)
    s = view.statuses
    assert s[world.indicator_a.pk].to_date.value == Decimal(75)
    assert s[world.gov_indicator.pk].to_date.value == Decimal(100)
    assert s[world.indicator_b.pk].to_date.value == Decimal(75)
    assert view.objectives[world.objective_a.pk].to_date.value == Decimal(75)
    # Mission: its government objective (100) and the two unit objectives serving it (75, 75).
    mission = view.missions[0]
    assert mission.to_date.value == Decimal(250) / 3
    assert view.root.to_date.value == Decimal(250) / 3
    units = {n.obj.pk: n for n in view.units}
    # Unit A answers for indicator_a (its own objective) and gov_indicator (named on it).
    assert units[world.unit_a.pk].to_date.value == Decimal("87.5")
    assert units[world.unit_b.pk].to_date.value == Decimal(75)
    # Warnings from the forecast: 75 is yellow (yellow from 75), 100 green.
    assert s[world.indicator_a.pk].warning == "yellow"
    assert s[world.gov_indicator.pk].warning == "green"
    # A draft does not count; nothing reported is explained, not zero.
    enter(world, world.indicator_a, 2, "1")
    view = overview(world.gov, year=2019, as_of_quarter=2)
    assert view.statuses[world.indicator_a.pk].to_date.value == Decimal(75)  # Q1 still last
    empty = overview(world.gov, year=2020, as_of_quarter=1)
    assert empty.root.to_date.value is None
    assert "Realisasi belum" in empty.statuses[world.indicator_a.pk].to_date.reason


def test_the_cap_and_the_weighting_are_the_government_s(world):
    first_quarter(world)
    MonitoringPolicy.objects.create(government=world.gov, achievement_cap=Decimal(80))
    submitted(world, world.gov_indicator, 2, "14")  # 127.27% before the cap
    view = overview(world.gov, year=2019, as_of_quarter=2)
    assert view.objectives[world.objective.pk].to_date.value == Decimal(80)
    # Unit A's Q2: indicator_a has nothing new (last value 9: 75%), gov indicator capped at 80.
    units = {n.obj.pk: n for n in view.units}
    assert units[world.unit_a.pk].to_date.value == Decimal("77.5")
    # Weighting by indicator weights: give gov_indicator weight 3.
    Indicator.objects.filter(pk=world.gov_indicator.pk).update(weight=Decimal(3))
    MonitoringPolicy.objects.filter(government=world.gov).update(weighting="indicators")
    figures.bump_all(world.gov.pk)  # written past the ORM's save(): mark it
    view = overview(world.gov, year=2019, as_of_quarter=2)
    # Mission: S1 (80, weight 3), S1.A (75, weight 1), S1.B (75, weight 1) -> 390/5.
    assert view.missions[0].to_date.value == Decimal(78)


def test_red_list_and_cumulative_forecast(world):
    Indicator.objects.filter(pk=world.indicator_a.pk).update(aggregation="cumulative")
    figures.bump_all(world.gov.pk)  # written past the ORM's save(): mark it
    # Cumulative, target 11 for the year: Q1 = 1.1 against 2.75 to date (40%); at that pace
    # 4.4 by December, 40% of the year's target: red.
    submitted(world, world.indicator_a, 1, "1.1")
    view = overview(world.gov, year=2019, as_of_quarter=1)
    status = view.statuses[world.indicator_a.pk]
    assert status.to_date_target == Decimal("2.75")
    assert status.to_date.value == Decimal(40)
    assert status.forecast_value == Decimal("4.4")
    assert status.forecast.value == Decimal(40)
    assert status.warning == "red"
    assert [s.indicator for s in view.red] == [world.indicator_a]
    page = world.client("mayor").get("/pemantauan/merah/?tahun=2019&tw=1").content.decode()
    assert world.indicator_a.code in page


def test_a_range_target_keeps_the_direction_through_monitoring(world):
    """80–90 on a higher-is-better stock indicator: 92 reported scores 92/90 (exceeded), not a
    shortfall; on a cumulative one both bounds are brought to date."""
    IndicatorTarget.objects.filter(indicator=world.indicator_a, year=2019).update(
        value=Decimal(80), value_high=Decimal(90)
    )
    figures.bump_all(world.gov.pk)  # written past the ORM's save(): mark it
    submitted(world, world.indicator_a, 1, "92")
    status = overview(world.gov, year=2019, as_of_quarter=1).statuses[world.indicator_a.pk]
    assert status.to_date.value == Decimal(92) / Decimal(90) * 100
    assert status.forecast.value == Decimal(92) / Decimal(90) * 100
    assert status.warning == "green"
    Indicator.objects.filter(pk=world.indicator_a.pk).update(aggregation="cumulative")
    # To date after one quarter the range is 20–22,5, and 21 is inside; at that pace the year
    # ends at 84, inside 80–90: 100.
    Realisation.objects.filter(indicator=world.indicator_a).delete()
    figures.bump_all(world.gov.pk)  # written past the ORM's save(): mark it
    submitted(world, world.indicator_a, 1, "21")
    status = overview(world.gov, year=2019, as_of_quarter=1).statuses[world.indicator_a.pk]
    assert status.to_date.value == Decimal(100)
    assert status.forecast_value == Decimal(84)
    assert status.forecast.value == Decimal(100)


def _grow(world, units: int, periods: int) -> None:  # type: ignore[no-untyped-def]
    """More units, each with an objective, two indicators and `periods` quarters reported."""
    start = Unit.objects.filter(government=world.gov).count()
    for n in range(start, start + units):
        unit = Unit.objects.create(
            government=world.gov, kind=Unit.Kind.AGENCY, code=f"G{n}", name=f"Dinas G{n}"
        )
        operator = make_user(world.gov, f"uji-op-{n}", Role.UNIT_OPERATOR, unit)
        objective = Objective.objects.create(
            government=world.gov,
            term=world.term,
            unit=unit,
            serves=world.objective,
            code=f"S1.G{n}",
            title=f"Sasaran G{n}",
        )
        for k in range(2):
            ind = Indicator.objects.create(
                government=world.gov,
                objective=objective,
                code=f"I.G{n}.{k}",
                name=f"Indikator G{n}.{k}",
                unit_of_measure="%",
                baseline_value=Decimal(1),
                baseline_year=2018,
            )
            IndicatorTarget.objects.create(
                government=world.gov, indicator=ind, year=2019, value=Decimal(10)
            )
            Realisation.objects.bulk_create(
                Realisation(
                    government=world.gov,
                    indicator=ind,
                    year=2019,
                    periods_in_year=4,
                    period=p,
                    value=Decimal(9 + p),
                    status="verified",
                    entered_by=operator,
                )
                for p in range(1, periods + 1)
            )


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_units_or_periods(world):
    first_quarter(world)
    client = world.client("mayor")
    pages = [
        "/pemantauan/?tahun=2019&tw=4",
        "/pemantauan/merah/?tahun=2019&tw=4",
        f"/pemantauan/misi/{world.mission.pk}/?tahun=2019&tw=4",
        f"/pemantauan/sasaran/{world.objective.pk}/?tahun=2019&tw=4",
        f"/pemantauan/pd/{world.unit_a.pk}/?tahun=2019&tw=4",
        "/pemantauan/terlambat/?tahun=2019&tw=4",
    ]
    _grow(world, units=2, periods=1)
    small = [_queries(client, url) for url in pages]
    _grow(world, units=20, periods=4)
    large = [_queries(client, url) for url in pages]
    assert Unit.objects.filter(government=world.gov).count() == 24
    assert small == large, dict(zip(pages, zip(small, large, strict=True), strict=True))
    assert max(large) <= 25
    page = client.get("/pemantauan/?tahun=2019&tw=4").content.decode()
    assert "Dinas G23" in page


def test_pages_are_refused_to_others(world):
    assert world.client("anonymous").get("/pemantauan/").status_code == 302
    assert world.client("other_gov").get(f"/pemantauan/pd/{world.unit_a.pk}/").status_code == 404
    assert world.client("other_gov").get(f"/pemantauan/misi/{world.mission.pk}/").status_code == 404
    assert world.client("operator_a").get("/pemantauan/verifikasi/").status_code == 403
    assert world.client("inspector").get("/pemantauan/verifikasi/").status_code == 200
    # Policy: readable by all roles, written by planning staff only.
    assert world.client("mayor").get("/pemantauan/kebijakan/").status_code == 200
    data = {
        "achievement_cap": "120",
        "green_from": "90",
        "yellow_from": "75",
        "report_deadline_days": "10",
        "weighting": "equal",
    }
    assert world.client("mayor").post("/pemantauan/kebijakan/", data).status_code == 403
    assert not MonitoringPolicy.objects.exists()
    world.client("planner").post("/pemantauan/kebijakan/", data)
    assert MonitoringPolicy.objects.get().achievement_cap == Decimal(120)
    bad = {**data, "yellow_from": "95"}
    response = world.client("planner").post("/pemantauan/kebijakan/", bad)
    assert MonitoringPolicy.objects.get().yellow_from == Decimal(75)
    assert response.status_code == 200
