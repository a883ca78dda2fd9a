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


@pytest.fixture
def hearing(world, auction):
    """The session in its hearings, unit A's proposal submitted."""
    session, proposal, indicator = auction
    proposal_submit(proposal=proposal, by=world.users["operator_a"])
    session_start_hearings(session=session, by=world.users["planner"])
    return session, proposal, indicator


@pytest.mark.django_db(transaction=True)
def test_offer_accepted_appears_on_the_projector_without_reload(
    live_server, browser: Browser, hearing
):
    session, proposal, indicator = hearing
    base = live_server.url

    screen = signed_in(browser, base, "uji-sekda")
    screen.goto(f"{base}/lelang/{session.pk}/layar/")
    expect(screen.locator(".screen-title")).to_contain_text("Menekan kematian ibu")
    expect(screen.locator(".badge.outcome")).to_have_count(0)
    screen.evaluate("window.notReloaded = true")

    panel = signed_in(browser, base, "uji-panel")
    panel.goto(f"{base}/lelang/usulan/{proposal.pk}/")
    # Scores: one field per criterion, sent at once.
    fields = panel.locator("#penilaian input[type=text][name^=c]")
    for i in range(fields.count()):
        fields.nth(i).fill(str(70 + i))
    panel.locator("#penilaian input[type=text][name^=k]").first.fill("Data dasarnya lengkap.")
    panel.click("button:has-text('Kirim nilai')")
    expect(panel.locator("#penilaian")).to_contain_text("Anda sudah menilai usulan ini.")
    # The offer: how much, and by when.
    panel.fill(f"#offer-{indicator.pk}-value", "7")
    panel.fill(f"#offer-{indicator.pk}-year", "2022")
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


def one_page(page: Page) -> None:
    """The live part was swapped in, not a second page: one header, one menu, one footer."""
    assert page.locator("header.topbar").count() == 1
    assert page.locator("nav.mainnav").count() == 1
    assert page.locator("footer").count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_invalid_hearing_entry_keeps_what_was_typed_in_one_page(
    live_server, browser: Browser, hearing
):
    _session, proposal, indicator = hearing
    base = live_server.url

    panel = signed_in(browser, base, "uji-panel")
    panel.goto(f"{base}/lelang/usulan/{proposal.pk}/")
    # A score out of range: refused beside the field, the typed scores kept.
    scores = panel.locator("#penilaian input[type=text][name^=c]")
    for i in range(scores.count()):
        scores.nth(i).fill("150" if i == 0 else "80")
    panel.locator("#penilaian input[type=text][name^=k]").first.fill("Terlalu optimistis.")
    panel.click("button:has-text('Kirim nilai')")
    expect(panel.locator("#penilaian .has-error").first).to_contain_text("100")
    expect(scores.nth(0)).to_have_value("150")
    expect(panel.locator("#penilaian input[type=text][name^=k]").first).to_have_value(
        "Terlalu optimistis."
    )
    one_page(panel)
    # An offer that is not a number: quoted exactly as typed, the year kept.
    panel.fill(f"#offer-{indicator.pk}-value", "sembilan puluh")
    panel.fill(f"#offer-{indicator.pk}-year", "2022")
    panel.click("button:has-text('Tawarkan')")
    error = panel.locator(f"#indikator-{indicator.pk} .has-error")
    expect(error).to_contain_text("“sembilan puluh” bukan angka")
    expect(panel.locator(f"#offer-{indicator.pk}-value")).to_have_value("sembilan puluh")
    expect(panel.locator(f"#offer-{indicator.pk}-year")).to_have_value("2022")
    one_page(panel)
    # Corrected: taken, the error gone, the step announced.
    panel.fill(f"#offer-{indicator.pk}-value", "7")
    panel.click("button:has-text('Tawarkan')")
    expect(panel.locator(".live-status")).to_have_text("Penawaran dicatat.")
    expect(panel.locator(".has-error")).to_have_count(0)
    expect(panel.locator("table.moves")).to_contain_text("Penawaran tim penilai")
    one_page(panel)

    # A counter-offer without a reason: refused in place, the counter-offer kept.
    head = signed_in(browser, base, "uji-head_a")
    head.goto(f"{base}/lelang/usulan/{proposal.pk}/")
    head.check("form.answer input[value=counter]")
    head.fill(f"#answer-{indicator.pk}-value", "8")
    head.fill(f"#answer-{indicator.pk}-year", "2023")
    head.click("button:has-text('Kirim jawaban')")
    expect(head.locator("form.answer .errorlist")).to_be_visible()
    expect(head.locator("form.answer input[value=counter]")).to_be_checked()
    expect(head.locator(f"#answer-{indicator.pk}-value")).to_have_value("8")
    expect(head.locator(f"#answer-{indicator.pk}-year")).to_have_value("2023")
    one_page(head)
    head.fill(f"#answer-{indicator.pk}-justification", "Anggaran 2023 belum pasti.")
    head.click("button:has-text('Kirim jawaban')")
    expect(head.locator(".live-status")).to_have_text("Jawaban dicatat.")
    expect(head.locator("form.answer .errorlist")).to_have_count(0)
    one_page(head)
