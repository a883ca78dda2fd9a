"""Two server processes on the suite's database: a change to one unit's figure, made by a
third (this test), is visible at once on the dashboard, the portal and the API of both; with
Redis as the cache, the other unit's entry computed before the change is the one still used.
With the process's memory as the cache (no Redis here), each server keeps its own, and the
test checks what can be seen from outside: the figures both serve."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from kinerja.accounts.services import api_token_create
from kinerja.api.base import pct
from kinerja.core.templatetags.kinerja import angka
from kinerja.monitoring import selectors
from kinerja.planning.models import YearPublication
from tests.monitoring.conftest import verified
from tests.monitoring.test_overview_cache import _correct

ROOT = Path(__file__).resolve().parents[2]
YEAR = 2019


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    """One gunicorn process (one sync worker) on the suite's database and cache."""

    def __init__(self) -> None:
        self.port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "KINERJA_CACHE_PREFIX": str(settings.CACHES["default"]["KEY_PREFIX"]),
            "KINERJA_WARM_UP": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.proc = subprocess.Popen(
            [str(gunicorn), "config.wsgi:application", "-w", "1", "-b", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(150):
            try:
                urllib.request.urlopen(self.url("/healthz"), timeout=1)  # noqa: S310 - loopback
                return
            except OSError:
                time.sleep(0.1)
        self.proc.kill()
        raise RuntimeError("gunicorn did not start")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str, headers: dict[str, str]) -> str:
        request = urllib.request.Request(self.url(path), headers=headers)  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            assert response.status == 200
            return str(response.read().decode())

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def _session(user) -> str:  # type: ignore[no-untyped-def]
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def _of_part(keys: set[str], scope: int) -> set[str]:
    """Keys of one part's figures ("…:figures:gov:year:quarter:published:plan:scope:marker")."""
    return {k for k in keys if int(k.rsplit(":", 2)[1]) == scope}


def _figures_keys() -> set[str]:
    """The shared cache's keys of computed figures (Redis only)."""
    client = cache._cache.get_client(write=False)  # type: ignore[attr-defined]
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    return {k.decode() for k in client.scan_iter(match=f"{prefix}:*:figures:*", count=1000)}


@pytest.mark.django_db(transaction=True)
def test_a_change_is_seen_at_once_by_every_worker(world):
    redis = str(settings.CACHES["default"]["BACKEND"]).endswith("RedisCache")
    head, planner = world.users["mayor"], world.users["planner"]
    r = verified(world, world.indicator_a, 1, "11")
    verified(world, world.indicator_b, 1, "7", by="operator_b")
    YearPublication.objects.create(
        government=world.gov,
        year=YEAR,
        quarter=1,
        published_at=timezone.now(),
        published_by=planner,
    )
    token = api_token_create(user=head, name="dua proses")[1]
    api = {"Authorization": f"Bearer {token}"}
    page = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={_session(head)}", "Accept-Language": "id"}
    paths = {
        "api": (f"/api/v1/achievements/units/{world.unit_a.pk}?year={YEAR}&quarter=1", api),
        "dashboard": (f"/dasbor/?tahun={YEAR}&tw=1", page),
        "portal": (f"/publik/{world.gov.slug}/pd/{world.unit_a.pk}/?tahun={YEAR}", {}),
    }
    workers = [Worker(), Worker()]
    try:
        before = selectors.compute_overview(world.gov, year=YEAR, as_of_quarter=1)
        old = before.statuses[world.indicator_a.pk].to_date.value
        for w in workers:
            for path, headers in paths.values():
                w.get(path, headers)  # each worker computes or reads, and keeps
        keys_before = _figures_keys() if redis else set()

        _correct(world, r, Decimal("22"))  # through the services, in this third process

        after = selectors.compute_overview(world.gov, year=YEAR, as_of_quarter=1)
        new = after.statuses[world.indicator_a.pk].to_date.value
        assert new is not None and old is not None and new == old * 2
        unit_a = next(n for n in after.units if n.obj.pk == world.unit_a.pk)
        assert (
            unit_a.to_date.value
            != next(n for n in before.units if n.obj.pk == world.unit_a.pk).to_date.value
        )
        for w in workers:
            body = json.loads(w.get(*paths["api"]))
            shown = [a for a in body["indicator_achievements"] if pct(new) in json.dumps(a)]
            assert shown, body
            assert angka(unit_a.to_date.value, 2) in w.get(*paths["dashboard"])
            assert angka(new, 2) in w.get(*paths["portal"])
        if redis:
            keys_after = _figures_keys()
            b_before = _of_part(keys_before, world.unit_b.pk)
            assert b_before and _of_part(keys_after, world.unit_b.pk) == b_before
            # Unit A's part was computed again, under its new marker; unit B's was not.
            assert _of_part(keys_after - keys_before, world.unit_a.pk)
    finally:
        for w in workers:
            w.stop()
