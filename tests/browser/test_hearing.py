"""The live hearing in three browsers: panel member, unit head, projector screen."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from kinerja.auction.services import proposal_submit, session_start_hearings
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("KINERJA_SCREENSHOTS", "var/screenshots"))


def signed_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(base + "/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:has-text('Masuk')")
    expect(page.locator("h1")).to_contain_text("Selamat datang")
    return page


@pytest.mark.django_db(transaction=True)
def test_offer_accepted_appears_on_the_projector_without_reload(
    live_server, browser: Browser, world, auction
):
    session, proposal, indicator = auction
    proposal_submit(proposal=proposal, by=world.users["operator_a"])
    session_start_hearings(session=session, by=world.users["planner"])
    base = live_server.url

    screen = signed_in(browser, base, "uji-sekda")
    screen.goto(f"{base}/lelang/{session.pk}/layar/")
    expect(screen.locator(".screen-title")).to_contain_text("Menekan kematian ibu")
    expect(screen.locator(".badge.outcome")).to_have_count(0)
    screen.evaluate("window.notReloaded = true")

    panel = signed_in(browser, base, "uji-panel")
    panel.goto(f"{base}/lelang/usulan/{proposal.pk}/")
    # Scores: one field per criterion, sent at once.
    fields = panel.locator("#penilaian input[type=text]")
    for i in range(fields.count()):
        fields.nth(i).fill(str(70 + i))
    panel.click("button:has-text('Kirim nilai')")
    expect(panel.locator("#penilaian")).to_contain_text("Anda sudah menilai usulan ini.")
    # The offer: how much, and by when.
    panel.fill(f"#offer-value-{indicator.pk}", "7")
    panel.fill(f"#offer-year-{indicator.pk}", "2022")
    panel.click("button:has-text('Tawarkan')")
    expect(panel.locator("table.moves")).to_contain_text("Penawaran tim penilai")
    SHOTS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(SHOTS / "hearing-panel.png"), full_page=True)

    head = signed_in(browser, base, "uji-head_a")
    head.goto(f"{base}/lelang/usulan/{proposal.pk}/")
    expect(head.locator("form.answer")).to_contain_text("Tim penilai menawarkan 7 pada 2022")
    head.check("form.answer input[value=accept]")
    head.click("button:has-text('Kirim jawaban')")
    expect(head.locator(".badge.outcome")).to_have_text("Sanggup")

    # The projector updates itself within a few seconds, and was never reloaded.
    expect(screen.locator(".badge.outcome")).to_have_text("Sanggup", timeout=10_000)
    expect(screen.locator("table.moves")).to_contain_text("Pejabat uji-head_a")
    assert screen.evaluate("window.notReloaded") is True
    screen.screenshot(path=str(SHOTS / "hearing-screen.png"), full_page=True)
