from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja.evaluation import services
from kinerja.planning.services import year_publish
from tests.monitoring.conftest import verified


def year_verified(world, indicator, value: str, *, year: int = 2019, by: str = "operator_a"):  # type: ignore[no-untyped-def]
    """The same verified figure in each quarter (a 'last value' indicator: the year is it)."""
    for quarter in range(1, 5):
        verified(world, indicator, quarter, value, year=year, by=by)


@pytest.fixture
def scored_2019(world):  # type: ignore[no-untyped-def]
    """Targets 2019 are 11. Unit A: indicator_a 11 and gov_indicator 11 → 100 and 100 →
    score 100. Unit B: indicator_b (lower, mirror) 12,1 → (2 − 12,1/11) × 100 = 90."""
    year_verified(world, world.indicator_a, "11")
    year_verified(world, world.gov_indicator, "11")
    year_verified(world, world.indicator_b, "12.1", by="operator_b")
    # The planners published 2019 on the portal.
    year_publish(year=2019, quarter=4, by=world.users["planner"])
    return world


BANDS = [(Decimal(95), Decimal(100)), (Decimal(85), Decimal(80)), (Decimal(0), Decimal(40))]


def save_policy(world, year: int = 2019, by: str = "planner", **overrides):  # type: ignore[no-untyped-def]
    values = {
        "performance_share": Decimal(70),
        "warning_below": Decimal(95),
        "sanction_below": Decimal(80),
        "yearly_base_head": Decimal(120_000_000),
        "yearly_base_other": Decimal(60_000_000),
        "bands": BANDS,
        **overrides,
    }
    return services.incentive_policy_save(
        government=world.gov, year=year, by=world.users[by], **values
    )
