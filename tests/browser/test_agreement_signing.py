"""Both parties sign a Perjanjian Kinerja in their browsers; the QR code printed on it leads a
signed-out visitor to the verification page, which confirms the document."""

import datetime
import subprocess

import pytest
from playwright.sync_api import Browser, expect

from kinerja.accounts.models import Position, PositionAssignment
from kinerja.agreements.models import BudgetApproval
from kinerja.agreements.services import agreement_draft, agreement_send
from tests.browser.test_hearing import signed_in

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_both_parties_sign_and_the_qr_code_opens_the_verification(
    live_server, browser: Browser, world, settings, tmp_path
):
    settings.KINERJA_PUBLIC_URL = live_server.url  # the address the QR code carries
    office = Position.objects.create(
        government=world.gov, kind="head_of_region", title="Wali Kota Uji"
    )
    PositionAssignment.objects.create(
        position=office, person=world.users["mayor"].person, start=datetime.date(2018, 9, 24)
    )
    BudgetApproval.objects.create(
        government=world.gov, year=2019, approved_on=datetime.date(2018, 12, 20)
    )
    agreement = agreement_send(
        agreement=agreement_draft(
            government=world.gov, unit=world.unit_a, year=2019, by=world.users["planner"]
        ),
        by=world.users["planner"],
    )

    for username in ("uji-head_a", "uji-mayor"):
        page = signed_in(browser, live_server.url, username)
        page.goto(f"{live_server.url}/pk/{agreement.pk}/")
        page.click("#sign")
        # The document itself, page by page, before anything is signed.
        expect(page.locator(".page-image img")).to_have_count(2)
        page.wait_for_function(
            "() => document.querySelector('.page-image img').naturalWidth > 500", timeout=15_000
        )
        # A first signature: the signer chooses a passphrase. Without the confirmation
        # nothing is signed, and the page says why.
        page.fill("#id_new_passphrase", "passphrase saya sendiri")
        page.fill("#id_repeat", "passphrase saya sendiri")
        page.click("#sign")
        expect(page.locator(".field.has-error")).to_contain_text("Centang pernyataan")
        assert agreement.document.files.count() == 1 + (username == "uji-mayor")
        page.fill("#id_new_passphrase", "passphrase saya sendiri")
        page.fill("#id_repeat", "passphrase saya sendiri")
        page.check("#id_confirm")
        page.click("#sign")
        expect(page.locator(".messages")).to_contain_text(
            "Perjanjian ditandatangani secara elektronik."
        )
    expect(page.locator("h1")).to_contain_text("Ditandatangani")

    # Read the QR code off the signature page, as a phone would.
    agreement.refresh_from_db()
    pdf = tmp_path / "pk.pdf"
    with agreement.document.latest_file.file.open("rb") as fh:
        pdf.write_bytes(fh.read())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "2", "-l", "2", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    (image,) = tmp_path.glob("page*.png")
    address = subprocess.run(
        ["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert address == f"{live_server.url}/verifikasi/{agreement.document.code}/"

    visitor = browser.new_context().new_page()  # signed out
    visitor.goto(address)
    verdict = visitor.locator("#hasil")
    expect(verdict).to_contain_text("Asli: diterbitkan oleh Kinerja dan tidak diubah")
    expect(verdict).to_contain_text("Pejabat uji-head_a")
    expect(verdict).to_contain_text("Pejabat uji-mayor")
    expect(verdict.locator(".badge.good", has_text="utuh")).to_have_count(2)
