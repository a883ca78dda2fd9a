"""Every page a person reaches from the demo's navigation, as each persona, answers and stays
within a bound on its database queries: a page whose queries grow with the data (one per row)
fails here, whichever page it is.

The crawl starts at the home page, follows every link on every HTML page it opens (within the
site, not the sign-out, language switch or static files) and every fragment a page loads with
htmx, and opens one address per route and set of query parameters: the pages differ in data,
not in shape."""

from __future__ import annotations

import html
import re
from collections import deque
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from kinerja.accounts.models import User
from kinerja.core import distribution
from kinerja.sampledata.demo import DEMO_USERS, load_demo
from tests import shards

# The busiest page of the demo needs 60 (a unit's scorecard with its trend over the years);
# a page that reads row by row needs far more (the demo has 14 units, 59 indicators in its
# current term, 100+ in all, and thousands of realisations).
MAX_QUERIES = 75
LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')
SKIP = ("/keluar/", "/i18n/", "/static/", "/admin/", "/api/v1/docs")
# Pages not of one government: a document verified by the public code printed on it, which
# anyone may hold; Citus asks every shard, each through an index on the code (decision 0018).
NATIONAL = ("/verifikasi/",)


def _key(url: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(url)
    return resolve(parts.path).route, tuple(sorted({k for k, _v in parse_qsl(parts.query)}))


def crawl(client: Client, wide: dict[str, list[str]] | None = None) -> dict[str, tuple[int, int]]:
    """Address → (status, queries) for one page per route reachable from the home page; with
    `wide` (on Citus), each address whose statements read more than one shard, and which."""
    seen: set[tuple[str, tuple[str, ...]]] = set()
    results: dict[str, tuple[int, int]] = {}
    queue = deque(["/"])
    while queue:
        url = queue.popleft()
        try:
            key = _key(url)
        except Resolver404:
            results[url] = (404, 0)
            continue
        if key in seen:
            continue
        seen.add(key)
        if wide is None:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            count = len(queries)
        else:
            response, statements, count = shards.wide(lambda url=url: client.get(url))
            if statements and not url.startswith(NATIONAL):
                wide[url] = statements
        results[url] = (response.status_code, count)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for link in LINK.findall(response.content.decode()):
                link = html.unescape(link)
                if not link.startswith(SKIP):
                    queue.append(link)
    return results


@pytest.mark.django_db
def test_every_page_of_the_demo_for_every_persona():
    load_demo()
    report = {}
    # On Citus, every statement of every page reads one government's shard (decision 0018).
    wide: dict[str, list[str]] | None = {} if distribution.is_citus(connection) else None
    for username, _role, _unit, _person in DEMO_USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        report[username] = crawl(client, wide)
    broken = {
        (who, url, status)
        for who, pages in report.items()
        for url, (status, _n) in pages.items()
        if status not in (200, 204)  # 204: a live fragment with nothing new
    }
    heavy = {
        (who, url, n)
        for who, pages in report.items()
        for url, (_status, n) in pages.items()
        if n > MAX_QUERIES
    }
    assert broken == set(), "a link in the navigation leads nowhere for its persona"
    assert heavy == set(), f"more than {MAX_QUERIES} queries"
    for url, statements in (wide or {}).items():
        print(url, *statements, sep="\n  ")  # shown when the assertion fails
    assert not wide, "statements that read more than one shard"
    # The crawl reached the pages each persona works in (not just the home page).
    routes = {who: {_key(url)[0] for url in pages} for who, pages in report.items()}
    assert "dasbor/" in routes["walikota"]
    assert "pemantauan/" in routes["operator-dinkes"]
    assert "evaluasi/sakip/" in routes["inspektur"]
    assert "plan/kalender/" in routes["perencana"]
    assert "lelang/" in routes["penilai1"]
    assert sum(len(r) for r in routes.values()) > 150
