"""A working day on the demo government, in Debian's chromium, as each of its people:

- every persona's home page lists what the demo holds for them (Tugas saya), and following
  one item to its page and doing it there removes it from the list;
- at a phone's 390×844, the pages used in the field (home, realisation entry, the hearing as a
  participant, signing, the public portal) never scroll sideways, and their main action button
  is visible and works;
- axe-core finds no serious or critical violation on the main page of every menu entry, the
  pages above and the public pages.

One demo load serves the three (loading it takes most of the time), so they are one test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from kinerja.accounts.models import User
from kinerja.agreements.models import Agreement
from kinerja.dashboards.todo import todo_for
from kinerja.sampledata.demo import DEMO_PASSWORD, DEMO_USERS, load_demo
from kinerja.sampledata.signing import DEMO_PASSPHRASE

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("KINERJA_SCREENSHOTS", "var/screenshots"))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
AXE = Axe()


def sign_in(browser: Browser, base: str, username: str, viewport: dict[str, int]) -> Page:
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(base + "/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.locator("h1")).to_contain_text("Selamat datang")
    return page


def todo_titles(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("#tugas .todo-item > a").all_inner_texts()]


def follow(page: Page, kind: str) -> str:
    """Open the first item of this kind; returns its title."""
    item = page.locator(f"#tugas .todo-item[data-kind={kind}] > a").first
    title = item.inner_text().strip()
    item.click()
    page.wait_for_load_state("networkidle")
    return title


def back_home(page: Page, base: str) -> list[str]:
    page.goto(base + "/")
    return todo_titles(page)


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def accessible(page: Page) -> None:
    violations = AXE.run(page).response["violations"]
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, (page.url, bad)


def score_all(page: Page) -> None:
    fields = page.locator("#penilaian input[type=text][name^=c]")
    for i in range(fields.count()):
        fields.nth(i).fill(str(75 + i))
    page.click("button:has-text('Kirim nilai')")
    expect(page.locator("#penilaian")).to_contain_text("Anda sudah menilai usulan ini.")


@pytest.mark.django_db(transaction=True)
def test_a_working_day_on_the_demo(live_server, browser: Browser):
    load_demo()
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)

    # --- every persona's list is what the demo holds for them, and is not empty -------------
    for username, *_rest in DEMO_USERS:
        page = sign_in(browser, base, username, DESKTOP)
        expected = [t.title for t in todo_for(User.objects.get(username=username))]
        assert expected, f"the demo holds nothing for {username}"
        assert todo_titles(page) == expected
        badge = page.locator(".todo-count")
        expect(badge).to_contain_text(str(len(expected)))
        accessible(page)
        page.context.close()

    # --- phones: the pages of the field, and their main action ------------------------------
    operator = sign_in(browser, base, "operator-dinkes", PHONE)
    no_sideways_scroll(operator)
    expect(operator.locator(".menu-toggle")).to_be_visible()
    expect(operator.locator("nav.mainnav")).to_be_hidden()  # folded
    operator.click(".menu-toggle")
    expect(operator.locator("nav.mainnav")).to_be_visible()
    operator.screenshot(path=str(SHOTS / "phone-home-operator.png"), full_page=True)
    # The returned figure: corrected and submitted again, from the phone.
    title = follow(operator, "fix_figure")
    no_sideways_scroll(operator)
    accessible(operator)
    returned_period = operator.locator(".badge.status-returned").first
    expect(returned_period).to_be_visible()
    row = operator.locator("tr", has=returned_period)
    value = row.locator("input[name=value]")
    value.fill("2.874")
    expect(row.locator("output.understood")).to_contain_text("2.874", timeout=5_000)
    expect(row.locator("output.understood")).to_contain_text("dua ribu delapan ratus")
    value.fill("76,4")
    expect(row.locator("output.understood")).to_contain_text("76,4", timeout=5_000)
    row.locator("textarea[name=note]").fill("Sesuai laporan PWS-KIA triwulan ini.")
    submit = row.locator("button[name=ajukan]")
    expect(submit).to_be_visible()
    operator.screenshot(path=str(SHOTS / "phone-realisation.png"), full_page=True)
    submit.click()
    expect(operator.locator(".messages")).to_contain_text("diajukan untuk diverifikasi")
    assert title not in back_home(operator, base)

    # The hearing, as a panel member on a phone: the scores are the main action.
    panel = sign_in(browser, base, "penilai2", PHONE)
    title = follow(panel, "score")
    no_sideways_scroll(panel)
    accessible(panel)
    panel.screenshot(path=str(SHOTS / "phone-hearing-panel.png"), full_page=True)
    score_all(panel)
    assert title not in back_home(panel, base)

    # The hearing as the unit head, a participant who answers the panel's offer, on a phone.
    head = sign_in(browser, base, "kadinkes", PHONE)
    title = follow(head, "answer_offer")
    no_sideways_scroll(head)
    accessible(head)
    answer = head.locator("form.answer")
    expect(answer).to_contain_text("Tim penilai menawarkan 85 pada 2023")
    answer.locator("input[value=accept]").check()
    send = answer.get_by_role("button", name="Kirim jawaban")
    expect(send).to_be_visible()
    head.screenshot(path=str(SHOTS / "phone-hearing-head.png"), full_page=True)
    send.click()
    expect(head.locator(".live-status")).to_have_text("Jawaban dicatat.")
    expect(head.locator(".badge.outcome")).to_have_text("Sanggup")
    no_sideways_scroll(head)
    assert title not in back_home(head, base)
    # Signing on a phone: the revised Perjanjian Kinerja waits for the head of Dinkes.
    title = follow(head, "sign")
    no_sideways_scroll(head)
    accessible(head)
    head.wait_for_function(
        "() => document.querySelector('.page-image img').naturalWidth > 0", timeout=15_000
    )
    head.fill("#id_passphrase", DEMO_PASSPHRASE)
    head.check("#id_confirm")
    head.screenshot(path=str(SHOTS / "phone-signing.png"), full_page=True)
    sign = head.locator("#sign")
    expect(sign).to_be_visible()
    sign.click()
    expect(head.locator(".messages")).to_contain_text("ditandatangani secara elektronik")
    assert title not in back_home(head, base)
    revised = Agreement.objects.filter(status="awaiting").get()
    assert revised.document.slots.filter(signed_at__isnull=False).count() == 1

    # The public portal on a phone: the year picker is its action.
    visitor = browser.new_context(viewport=PHONE).new_page()
    visitor.goto(base + "/publik/")
    no_sideways_scroll(visitor)
    accessible(visitor)
    visitor.locator("main a").first.click()
    no_sideways_scroll(visitor)
    accessible(visitor)
    visitor.screenshot(path=str(SHOTS / "phone-portal.png"), full_page=True)
    show = visitor.get_by_role("button", name="Tampilkan")
    expect(show).to_be_visible()
    show.click()
    expect(visitor.locator("h1")).to_be_visible()
    no_sideways_scroll(visitor)
    # A unit's public page, from the ranking.
    visitor.locator("#public-ranking tbody tr").first.locator("a").click()
    no_sideways_scroll(visitor)
    accessible(visitor)

    # --- desktop: the others do one item each; it leaves their list -------------------------
    mayor = sign_in(browser, base, "walikota", DESKTOP)
    # The head of Dinkes signed first: the mayor's signature is now due, beside the scores.
    assert any("Tanda tangani" in t for t in todo_titles(mayor))
    title = follow(mayor, "sign")
    mayor.fill("#id_passphrase", DEMO_PASSPHRASE)
    mayor.check("#id_confirm")
    mayor.click("#sign")
    expect(mayor.locator(".messages")).to_contain_text("ditandatangani secara elektronik")
    assert title not in back_home(mayor, base)
    revised.refresh_from_db()
    assert revised.status == "signed"

    for username in ("sekda", "penilai1", "walikota"):
        page = sign_in(browser, base, username, DESKTOP)
        title = follow(page, "score")
        score_all(page)
        assert title not in back_home(page, base)
        page.context.close()

    for username in ("inspektur", "perencana"):
        page = sign_in(browser, base, username, DESKTOP)
        items = page.locator("#tugas .todo-item[data-kind=verify_figures] > a")
        # The unit with the fewest figures waiting (the last item): verify them all.
        item = items.last
        title = item.inner_text().strip()
        item.click()
        accessible(page)
        while page.locator("#pending button:has-text('Verifikasi')").count():
            page.locator("#pending button:has-text('Verifikasi')").first.click()
            page.wait_for_load_state("networkidle")
        assert title not in back_home(page, base)
        page.context.close()

    # --- accessibility: the main page of every menu entry, as the planner (who has all) ----
    planner = sign_in(browser, base, "perencana", DESKTOP)
    entries = planner.locator("nav.mainnav a")
    addresses = [entries.nth(i).get_attribute("href") for i in range(entries.count())]
    assert len(addresses) >= 10
    for address in addresses:
        planner.goto(base + address)
        expect(planner.locator(f'nav.mainnav a[href="{address}"]')).to_have_attribute(
            "aria-current", "page"
        )
        accessible(planner)
    for address in ("/masuk/", "/verifikasi/", "/masuk/lupa/"):
        visitor.goto(base + address)
        accessible(visitor)
