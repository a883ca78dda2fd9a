"""The per-process cache of overviews: the same figures are served until the government's
data changes through a service (every service writes an audit row, the cache's key)."""

from __future__ import annotations

import pytest

from kinerja.accounts.services import api_token_create
from kinerja.monitoring import selectors
from kinerja.monitoring.services import realisation_correct, realisation_submit, realisation_verify
from tests.monitoring.conftest import verified

pytestmark = pytest.mark.django_db


def test_cached_until_the_next_audited_change(world, settings, django_assert_max_num_queries):
    settings.KINERJA_OVERVIEW_CACHE = True
    selectors.overview_cache_clear()
    r = verified(world, world.indicator_a, 1, "11")
    first = selectors.overview(world.gov, year=2019, as_of_quarter=1)
    with django_assert_max_num_queries(1):  # the revision only
        again = selectors.overview(world.gov, year=2019, as_of_quarter=1)
    assert again is first
    assert selectors.overview(world.gov, year=2019, as_of_quarter=1, unit=world.unit_a) is not first
    before = first.statuses[world.indicator_a.pk].to_date.value

    # A correction through the services: a new audit row, so new figures.
    ops, inspector = world.users["operator_a"], world.users["inspector"]
    fix = realisation_correct(realisation=r, by=ops, reason="salah ketik", value=r.value * 2)
    fix = realisation_submit(realisation=fix, by=ops)
    realisation_verify(realisation=fix, by=inspector)
    after = selectors.overview(world.gov, year=2019, as_of_quarter=1)
    assert after is not first
    assert after.statuses[world.indicator_a.pk].to_date.value == before * 2

    # Another government's change does not touch this one's entry.
    api_token_create(user=world.users["other_gov"], name="audited elsewhere")
    assert selectors.overview(world.gov, year=2019, as_of_quarter=1) is after


def test_off_computes_every_time(world, settings):
    settings.KINERJA_OVERVIEW_CACHE = False
    one = selectors.overview(world.gov, year=2019)
    assert selectors.overview(world.gov, year=2019) is not one
