"""A SAKIP evaluation in the browser, through its stages: the unit answers with an evidence
file and sends it; the verifier changes one answer with a note and sends it on; the final
assessor finalises; the side-by-side page shows the self-assessed and the final answers."""

import pytest
from playwright.sync_api import Browser, expect

from kinerja.accounts.models import Role
from kinerja.evaluation import services
from kinerja.evaluation.models import SakipAnswer, SakipAnswerChange, SakipEvaluation
from tests.browser.test_hearing import signed_in
from tests.conftest import make_user
from tests.evaluation.test_sakip_services import WORKSHEET, criteria_of

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_unit_verifier_and_final_assessor_in_turn(live_server, browser: Browser, world, tmp_path):
    verifier = make_user(world.gov, "uji-verifikator", Role.INSPECTOR)
    services.tiers_save(
        government=world.gov,
        tiers=[("Verifikator", [verifier.pk]), ("Penilai akhir", [world.users["inspector"].pk])],
        by=world.users["inspector"],
    )
    worksheet = services.worksheet_load(
        government=world.gov, data=WORKSHEET.read_bytes(), by=world.users["planner"]
    )
    evaluation = services.evaluation_start(
        government=world.gov, year=2021, unit=world.unit_a, by=world.users["inspector"]
    )
    criteria = criteria_of(worksheet)
    first = criteria[0]
    url = f"{live_server.url}/evaluasi/sakip/{evaluation.pk}/"

    # The unit's operator: every answer chosen on the page, an evidence file for the first.
    page = signed_in(browser, live_server.url, "uji-operator_a")
    page.goto(live_server.url + "/")
    expect(page.locator("body")).to_contain_text("Isi penilaian mandiri SAKIP 2021")
    page.goto(url)
    expect(page.locator("#stages [aria-current=step]")).to_have_text("Penilaian mandiri")
    for c in criteria:
        page.select_option(f"select[name=answer_{c.pk}]", "Y" if c.answer_type == "yes_no" else "A")
    page.fill(f"textarea[name=note_{first.pk}]", "Pedoman ditetapkan dengan Perwali.")
    page.click("button:has-text('Simpan jawaban')")
    expect(page.locator(".messages")).to_contain_text("Jawaban disimpan.")
    page.click(f"#k{first.pk} a:has-text('Kelola bukti')")
    evidence_file = tmp_path / "perwali-pedoman.pdf"
    evidence_file.write_bytes(PDF)
    page.set_input_files("#id_file", str(evidence_file))
    page.select_option("#id_kind", "sk")
    page.fill("#id_title", "Perwali pedoman perencanaan kinerja")
    page.click("#upload-form button[type=submit]")
    expect(page.locator("#evidence")).to_contain_text("Perwali pedoman perencanaan kinerja")
    page.goto(url)
    expect(page.locator(f"#k{first.pk}")).to_contain_text("Perwali pedoman perencanaan kinerja")
    page.click("button:has-text('Kirim ke Verifikator')")
    page.click("button:has-text('Ya, kirim')")
    expect(page.locator("#stages [aria-current=step]")).to_have_text("Verifikator")
    expect(page.locator(f"select[name=answer_{first.pk}]")).to_have_count(0)  # sent: locked

    # The verifier changes the first answer; without a note the page refuses and keeps it.
    page = signed_in(browser, live_server.url, "uji-verifikator")
    page.goto(url)
    page.select_option(f"select[name=answer_{first.pk}]", "T")
    page.click("button:has-text('Simpan jawaban')")
    expect(page.locator(".messages")).to_contain_text("tulis catatan alasannya")
    expect(page.locator(f"select[name=answer_{first.pk}]")).to_have_value("T")
    page.fill(f"textarea[name=note_{first.pk}]", "Perwali belum diundangkan.")
    page.click("button:has-text('Simpan jawaban')")
    expect(page.locator(".messages")).to_contain_text("Jawaban disimpan.")
    expect(page.locator(f"#k{first.pk}")).to_contain_text("diubah dari Y")
    page.click("button:has-text('Kirim ke Penilai akhir')")
    page.click("button:has-text('Ya, kirim')")
    expect(page.locator("#stages [aria-current=step]")).to_have_text("Penilai akhir")

    # The final assessor finalises after the confirmation.
    page = signed_in(browser, live_server.url, "uji-inspector")
    page.goto(url)
    page.click("button:has-text('Tetapkan nilai dan predikat')")
    page.click("button:has-text('Ya, tetapkan')")
    expect(page.locator(".messages")).to_contain_text("Evaluasi ditetapkan.")

    # The side-by-side page, as the unit reads it, at phone width too.
    page = signed_in(browser, live_server.url, "uji-head_a")
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        row = page.locator(f"#k{first.pk}")
        expect(row.locator(".self-answer")).to_contain_text("Y")
        expect(row.locator(".self-answer")).to_contain_text("Pedoman ditetapkan dengan Perwali.")
        expect(row.locator(".current-answer")).to_contain_text("T")
        expect(row.locator(".current-answer")).to_contain_text("diubah dari Y")
        row.locator("details.history summary").click()
        expect(row).to_contain_text("Perwali belum diundangkan.")
        page.screenshot(path=str(tmp_path / f"sakip-{width}.png"), full_page=False)
    final = SakipEvaluation.objects.get(pk=evaluation.pk)
    assert final.status == "final" and final.score < final.self_score
    assert SakipAnswer.objects.get(evaluation=final, criterion=first, stage=2).answer == "T"
    assert SakipAnswerChange.objects.filter(evaluation=final, stage=1).get().note == (
        "Perwali belum diundangkan."
    )
