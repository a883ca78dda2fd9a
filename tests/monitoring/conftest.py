from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja.monitoring import services
from kinerja.monitoring.models import Realisation


def enter(
    world, indicator, period: int, value: str, *, year: int = 2019, by: str = "operator_a", **kw
) -> Realisation:  # type: ignore[no-untyped-def]
    return services.realisation_save(
        indicator=indicator,
        year=year,
        period=period,
        by=world.users[by],
        value=Decimal(value),
        **kw,
    )


def verified(
    world, indicator, period: int, value: str, *, year: int = 2019, by: str = "operator_a"
) -> Realisation:  # type: ignore[no-untyped-def]
    r = enter(world, indicator, period, value, year=year, by=by, note="uji")
    r = services.realisation_submit(realisation=r, by=world.users[by])
    return services.realisation_verify(realisation=r, by=world.users["inspector"])


@pytest.fixture
def mail_now(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    return django_capture_on_commit_callbacks
