"""The head of region's dashboard (as walikota) and the public portal (signed out) on the
demo government, in Debian's chromium; the same pages' queries counted and bounded."""

import json
import os
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from playwright.sync_api import Browser, expect

from kinerja.accounts.models import Government, User
from kinerja.sampledata.demo import DEMO_PASSWORD, load_demo

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("KINERJA_SCREENSHOTS", "var/screenshots"))
MAX_QUERIES = 30


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_dashboard_as_walikota_and_portal_signed_out(
    live_server, browser: Browser, transactional_db
):
    load_demo(with_documents=False)
    base = live_server.url
    slug = Government.objects.get().slug
    SHOTS.mkdir(parents=True, exist_ok=True)

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(base + "/masuk/")
    page.fill("#id_username", "walikota")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]:has-text('Masuk')")
    page.get_by_role("link", name="Dasbor").click()
    # The current year of the current term by default (the demo lives in the present) ...
    expect(page.locator("h1")).to_contain_text(f"Dasbor kepala daerah — {calendar_year()}")
    expect(page.locator(".yearpicker .term")).to_contain_text("2025–2029")
    page.screenshot(path=str(SHOTS / "dashboard-now.png"), full_page=True)
    # ... and the picker reaches the earlier term's years.
    expect(page.locator(".yearpicker a")).to_contain_text(["2019", "2020", "2021", "2022"])
    page.locator(".yearpicker a", has_text="2022").click()
    expect(page.locator("h1")).to_contain_text("Dasbor kepala daerah — 2022")
    expect(page.locator(".yearpicker .term")).to_contain_text("2019–2023")
    # The SAKIP grade went from BB (2021) to A (2022), as in the seed's city.
    expect(page.locator("#sakip-grade")).to_have_text("A")
    expect(page.locator("#key-figures")).to_contain_text("2021: BB")
    expect(page.locator("#ranking tbody tr")).to_have_count(14)
    expect(page.locator("#red tbody tr").first).to_contain_text("Dishub")
    expect(page.locator("svg.chart rect")).to_have_count(4)  # one bar per mission
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)
    # Each figure links to its detail: the last-ranked unit opens its achievement page.
    page.locator("#ranking tbody tr").last.locator("a").click()
    expect(page.locator("h1")).to_contain_text("Dinas Perhubungan")
    page.go_back()
    page.locator("#sakip-grade").click()
    expect(page.locator("#grades")).to_contain_text("BB → A")

    public = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    public.goto(base + "/publik/")
    public.get_by_role("link", name=re.compile("Kota Malang")).click()
    expect(public.locator("h1")).to_have_text("Pemerintah Kota Malang (demo)")
    expect(public.locator("#public-ranking tbody tr")).to_have_count(14)
    expect(public.locator("#public-grade")).to_have_text("A")
    expect(public.get_by_role("link", name="Keluar")).to_have_count(0)  # nobody signed in
    public.screenshot(path=str(SHOTS / "portal.png"), full_page=True)
    public.locator("#public-ranking tbody tr").first.locator("a").click()
    expect(public.locator("#public-indicators")).to_be_visible()
    public.go_back()
    json_url = public.locator("#json").get_attribute("href")
    data = json.loads(public.request.get(base + json_url).text())
    assert data["format"] == "kinerja-open-data/1" and len(data["units"]) == 14
    # Signed-out visitors reach no internal page.
    public.goto(base + "/dasbor/")
    expect(public).to_have_url(re.compile(r"/masuk/\?next=/dasbor/$"))

    # The same pages' queries, bounded.
    mayor = Client()
    mayor.force_login(User.objects.get(username="walikota"))
    counts = {
        "dashboard": _queries(mayor, "/dasbor/"),
        "portal": _queries(Client(), f"/publik/{slug}/"),
        "portal_unit": _queries(Client(), f"/publik/{slug}/pd/{_first_unit(slug)}/"),
    }
    assert max(counts.values()) <= MAX_QUERIES, counts


def calendar_year() -> int:
    """The demo's current year (kinerja.sampledata.demo_present: today's, within its term)."""
    from django.utils import timezone

    return min(max(timezone.localdate().year, 2026), 2029)


def _first_unit(slug: str) -> int:
    return Government.objects.get(slug=slug).units.order_by("code").first().pk
