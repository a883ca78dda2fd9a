"""Every URL pattern of the project, taken from the resolver (so a new page is covered without
anyone remembering to add it), requested with hostile values in each path and query parameter
by four personas: no server error, and each answer in bounded time."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import World

# Values a hostile user types: huge, negative, zero, not a number, very long, unknown.
HOSTILE = ["99999999999999999999", "-1", "0", "abc", "x" * 10_000, "10000", "123456789"]
# Every query parameter a view reads (grep request.GET in kinerja/), each tried with each value.
QUERY = [
    "tahun",
    "tw",
    "pd",
    "unit",
    "term",
    "page",
    "sumber",
    "rencana",
    "objective",
    "mission",
    "kode",
    "v",
    "usulan",
    "layar",
    "beda",
    "expand",
    "q",
    "status",
]
PERSONAS = ["anonymous", "operator_a", "planner", "other_gov"]
SLOW_SECONDS = 2.0
# Files and streams answered as downloads; they are still requested (a 500 would show).
SKIP = {"admin"}


def _patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(route, name) of every pattern, with nested prefixes joined."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if any(route.startswith(s) for s in SKIP):
                continue
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.name or ""


PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def _fill(route: str, value_for: dict[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        conv = m.group("conv") or "str"
        return value_for.get(conv, "abc")

    path = PARAM.sub(sub, route).lstrip("^").rstrip("$")
    return "/" + path.replace("\\", "")


def _cases() -> list[str]:
    urls: set[str] = set()
    for route, _name in _patterns():
        if "(?P<" in route or route.startswith("static"):
            continue
        for value in ("99999999999999999999", "0", "123456789"):
            urls.add(_fill(route, {"int": value, "slug": "x" * 300, "str": "abc", "path": "a/b"}))
    return sorted(urls)


def _detail_pages(world: World) -> list[str]:
    """Pages of real objects, to try hostile query values where they are read."""
    return [
        f"/pemantauan/indikator/{world.indicator_a.pk}/",
        f"/pemantauan/pd/{world.unit_a.pk}/",
        f"/pemantauan/misi/{world.mission.pk}/",
        f"/pemantauan/sasaran/{world.objective.pk}/",
        f"/plan/indikator/{world.indicator_a.pk}/",
        f"/perangkat-daerah/{world.unit_a.pk}/",
        f"/evaluasi/pd/{world.unit_a.pk}/",
        f"/publik/{world.gov.slug}/",
        f"/publik/{world.gov.slug}/pd/{world.unit_a.pk}/",
    ]


@pytest.mark.django_db
def test_every_url_with_hostile_values(world: World):
    clients = {p: world.client(p) for p in PERSONAS}
    tried = 0
    errors: list[str] = []
    slow: list[str] = []
    plain = [u for u in _cases() if "99999999999999999999" not in u and "123456789" not in u]
    requests = [(url, "") for url in _cases()]
    # Every query parameter at once with each hostile value, on pages without ids and on
    # pages of real objects.
    for url in sorted(set(plain) | set(_detail_pages(world))):
        for value in HOSTILE:
            requests.append((url, "?" + "&".join(f"{name}={value}" for name in QUERY)))
    for url, query in requests:
        for persona, client in clients.items():
            started = time.perf_counter()
            try:
                status = client.get(url + query).status_code
            except Exception as exc:
                errors.append(f"{persona} {url}{query[:50]}: {type(exc).__name__}: {exc}"[:300])
                continue
            elapsed = time.perf_counter() - started
            tried += 1
            if status >= 500:
                errors.append(f"{persona} {url}{query[:50]} -> {status}")
            if elapsed > SLOW_SECONDS:
                slow.append(f"{persona} {url}{query[:50]} {elapsed:.1f}s")
    print(f"hostile URL cases tried: {tried}")
    assert tried > 1000
    assert not errors, "\n".join(errors[:80])
    assert not slow, "\n".join(slow[:30])


@pytest.mark.django_db
def test_the_urls_that_failed_answer_4xx_at_once(world: World):
    """The six URLs of the hardening report (a 20-digit year built a list of every year and
    took the process to 16 GB; the others answered 500)."""
    operator, planner = world.client("operator_a"), world.client("planner")
    huge = "99999999999999999999"
    cases = [
        (operator, f"/evaluasi/lkjip/unduh/?tahun={huge}"),
        (operator, f"/pemantauan/indikator/{world.indicator_a.pk}/?tahun={huge}"),
        (operator, f"/pemantauan/indikator/{world.indicator_a.pk}/?tahun=10000"),
        (operator, f"/pemantauan/indikator/{world.indicator_a.pk}/?tahun=0"),
        (planner, f"/pemantauan/terlambat/?tahun={huge}"),
        (planner, "/pemantauan/terlambat/?tahun=10000"),
        (planner, f"/pemantauan/verifikasi/?pd={huge}"),
    ]
    for client, url in cases:
        started = time.perf_counter()
        response = client.get(url)
        assert 400 <= response.status_code < 500, (url, response.status_code)
        assert time.perf_counter() - started < 1.0, url
    # A real unit's filter still works.
    assert planner.get(f"/pemantauan/verifikasi/?pd={world.unit_a.pk}").status_code == 200
