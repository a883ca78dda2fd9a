"""The shared figures (kinerja.monitoring.figures): computed once per change, kept under the
markers of what they were computed from, recomputed only for the part a change touched."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.core.cache import cache

from kinerja.core.cache import LOCK_SECONDS, cache_clear, forget_local
from kinerja.monitoring import figures, selectors
from kinerja.monitoring.models import FigureGeneration
from kinerja.monitoring.services import realisation_correct, realisation_submit, realisation_verify
from kinerja.planning.models import Indicator
from tests.monitoring.conftest import verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(monkeypatch):
    """The parts each computation of figures covered, in order (the real computation runs)."""
    calls: list[list[int]] = []
    real = selectors._compute_groups

    def counting(government, structure, scopes, **kw):  # type: ignore[no-untyped-def]
        calls.append(sorted(scopes))
        return real(government, structure, scopes, **kw)

    monkeypatch.setattr(selectors, "_compute_groups", counting)
    return calls


def _part_keys(scope: int) -> list[str]:
    """Keys of the figures of one part kept in this process ("…:figures:…:scope:marker")."""
    return [
        k
        for k in figures.local.entries
        if k.split(":")[1] == "figures" and int(k.split(":")[-2]) == scope
    ]


def _correct(world, r, value: Decimal):  # type: ignore[no-untyped-def]
    ops, inspector = world.users["operator_a"], world.users["inspector"]
    fix = realisation_correct(realisation=r, by=ops, reason="salah ketik", value=value)
    fix = realisation_submit(realisation=fix, by=ops)
    return realisation_verify(realisation=fix, by=inspector)


def test_steady_pages_read_only_the_markers(world, computed, django_assert_max_num_queries):
    verified(world, world.indicator_a, 1, "11")
    first = selectors.overview(world.gov, year=2019, as_of_quarter=1)
    with django_assert_max_num_queries(1):  # the markers only
        again = selectors.overview(world.gov, year=2019, as_of_quarter=1)
    assert again is first
    assert len(computed) == 1


def test_a_change_recomputes_its_unit_only(world, computed):
    r = verified(world, world.indicator_a, 1, "11")
    verified(world, world.indicator_b, 1, "7", by="operator_b")
    first = selectors.overview(world.gov, year=2019, as_of_quarter=1)
    assert len(computed) == 1 and {world.unit_a.pk, world.unit_b.pk} <= set(computed[0])
    before_a = first.statuses[world.indicator_a.pk].to_date.value
    before_b = first.statuses[world.indicator_b.pk].to_date.value
    b_keys = _part_keys(world.unit_b.pk)
    assert len(b_keys) == 1 and cache.get(b_keys[0]) is not None

    _correct(world, r, Decimal("22"))
    after = selectors.overview(world.gov, year=2019, as_of_quarter=1)
    # Unit A's part only was computed again; unit B's entry is the one kept before.
    assert computed[1:] == [[world.unit_a.pk]]
    assert after.statuses[world.indicator_a.pk].to_date.value == before_a * 2
    assert after.statuses[world.indicator_b.pk].to_date.value == before_b
    assert _part_keys(world.unit_b.pk) == b_keys  # the same entry, in the shared cache too
    assert cache.get(b_keys[0]) is not None
    assert len(_part_keys(world.unit_a.pk)) == 2  # before and after the change
    # The government's roll-up follows the change at once.
    assert after.root.to_date.value != first.root.to_date.value or first.root.to_date.value is None


def test_the_shared_cache_serves_another_process(world, computed):
    """What a worker computed is read by the next one (its own memory empty) without
    computing again; with the process's memory as the cache, this process is its own next."""
    verified(world, world.indicator_a, 1, "11")
    first = selectors.overview(world.gov, year=2019, as_of_quarter=1)
    forget_local()  # as a fresh worker
    again = selectors.overview(world.gov, year=2019, as_of_quarter=1)
    assert again is not first
    assert len(computed) == 1
    assert again.root.to_date == first.root.to_date


def test_a_plan_change_recomputes_everything(world, computed):
    verified(world, world.indicator_a, 1, "11")
    first = selectors.overview(world.gov, year=2019, as_of_quarter=1)
    ind = Indicator.objects.get(pk=world.indicator_a.pk)
    ind.weight = Decimal(3)
    ind.save()  # a plan edit, even outside the services, makes new markers
    after = selectors.overview(world.gov, year=2019, as_of_quarter=1)
    assert after is not first
    assert len(computed) == 2 and set(computed[1]) == set(computed[0])
    assert after.statuses[world.indicator_a.pk].indicator.weight == Decimal(3)


def test_another_governments_change_keeps_this_ones(world, computed):
    verified(world, world.indicator_a, 1, "11")
    first = selectors.overview(world.gov, year=2019, as_of_quarter=1)
    other = Indicator.objects.get(pk=world.other_indicator.pk)
    other.weight = Decimal(2)
    other.save()
    assert selectors.overview(world.gov, year=2019, as_of_quarter=1) is first
    assert FigureGeneration.objects.filter(government=world.other_gov).exists()


def test_a_stampede_computes_once(world, computed):
    """While one worker computes a part, the others wait for its entry instead of computing
    it again (here the other worker is a thread that stores the entry after a moment)."""
    verified(world, world.indicator_a, 1, "11")
    view = selectors.overview(world.gov, year=2019, as_of_quarter=1, unit=world.unit_a)
    key = next(k for k in figures.local.entries if ":figures:" in k)
    entry = figures.local.get(key)
    cache_clear()
    lock = "lock:" + key
    assert cache.add(lock, "another-worker", LOCK_SECONDS)

    def other_worker() -> None:
        time.sleep(0.2)
        cache.set(key, entry, figures.TIMEOUT)
        cache.delete(lock)

    thread = threading.Thread(target=other_worker)
    thread.start()
    again = selectors.overview(world.gov, year=2019, as_of_quarter=1, unit=world.unit_a)
    thread.join()
    assert len(computed) == 1  # the first computation only: this call waited for the entry
    assert again.units[0].to_date == view.units[0].to_date


def test_off_computes_every_time(world, settings, computed):
    settings.KINERJA_OVERVIEW_CACHE = False
    one = selectors.overview(world.gov, year=2019)
    assert selectors.overview(world.gov, year=2019) is not one
    assert len(computed) == 2


def test_an_unreachable_cache_computes_instead_of_failing(world, settings, computed):
    """Redis down (nothing listens on port 1): pages compute their figures as without a
    cache, right, and keep nothing."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    verified(world, world.indicator_a, 1, "11")
    view = selectors.overview(world.gov, year=2019, as_of_quarter=1)
    expected = selectors.compute_overview(world.gov, year=2019, as_of_quarter=1)
    assert view.root.to_date == expected.root.to_date
    assert view.statuses[world.indicator_a.pk].to_date == (
        expected.statuses[world.indicator_a.pk].to_date
    )
    assert len(computed) == 2  # the page's, and the reference
