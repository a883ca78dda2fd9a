"""A person signs in and opens the performance tree, in Debian's chromium."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kinerja.planning.models import Term
from kinerja.sampledata.demo import DEMO_PASSWORD, load_demo

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("KINERJA_SCREENSHOTS", "var/screenshots"))


def test_walikota_signs_in_and_opens_the_tree(live_server, page: Page, transactional_db):
    load_demo(with_documents=False)
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/masuk/\?next=/$"))
    expect(page.locator("h1")).to_have_text("Masuk ke Kinerja")
    page.fill("#id_username", "walikota")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]:has-text('Masuk')")
    expect(page.locator("h1")).to_contain_text("Selamat datang")

    page.click("text=Buka pohon kinerja")
    expect(page).to_have_url(re.compile(r"/plan/$"))
    # The current term by default; the earlier one on request.
    expect(page.locator("p.lead")).to_contain_text("RPJMD Kota Malang 2025–2029")
    expect(page.locator("#term option")).to_contain_text(["2025–2029", "2019–2023"])
    earlier = Term.objects.get(start_year=2018)
    page.goto(f"{live_server.url}/plan/?term={earlier.pk}")
    expect(page.locator("p.lead")).to_contain_text("RPJMD Kota Malang (2019–2023)")
    expect(page.locator("p.lead")).to_contain_text("arsip")
    expect(page.locator("details.mission")).to_have_count(4)
    expect(page.locator("#unit option")).to_have_count(15)  # all fourteen units, and "Semua"

    # Goals are folded: open Mission 1's first goal, then its health objective.
    page.locator("details.goal > summary", has_text="T1.1").click()
    objective = page.locator("details.objective > summary", has_text="S1.1.2")
    expect(objective).to_be_visible()
    objective.click()
    expect(
        page.locator("details.unitobj > summary", has_text="Menurunnya kematian ibu dan bayi")
    ).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "tree.png"), full_page=True)

    page.get_by_role("link", name=re.compile(r"Angka kematian ibu$")).first.click()
    expect(page.locator("h1")).to_contain_text("Angka kematian ibu")
    expect(page.locator("dl.facts")).to_contain_text("Semakin rendah semakin baik")
    expect(page.locator("dl.facts")).to_contain_text("74,51")
    page.screenshot(path=str(SHOTS / "indicator.png"), full_page=True)


def test_language_switch_to_english(live_server, page: Page, transactional_db):
    page.goto(live_server.url + "/masuk/")
    page.click("button[value=en]")
    expect(page.locator("h1")).to_have_text("Sign in to Kinerja")
    expect(page.locator("html")).to_have_attribute("lang", "en")
