"""The cascade to people in the browser: the unit's operator cascades the unit head's
agreement to an administrator and a supervisor; the supervisor's staff member writes an SKP
whose result points at the supervisor's; the supervisor approves and rates it and the
predicate follows the matrix; the unit head's attempt to close a year whose distribution breaks
the rule is refused with the rule named."""

import datetime

import pytest
from playwright.sync_api import Browser, expect

from kinerja.accounts.models import Person, Position, PositionAssignment, Role, RoleAssignment, User
from kinerja.agreements.models import CascadeIndicator
from kinerja.employees import skp as service
from kinerja.employees.models import OrganisationRating, Skp
from tests.accounts.test_personnel import DOKTER, KABID, KASI, ROWS, imported
from tests.browser.test_hearing import signed_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

YEAR = 2019


def account(world, nip: str, username: str) -> User:  # type: ignore[no-untyped-def]
    person = Person.objects.get(nip=nip)
    user = User.objects.create_user(
        username=username, password=PASSWORD, government=world.gov, person=person
    )
    RoleAssignment.objects.create(user=user, role=Role.EMPLOYEE)
    return user


@pytest.mark.django_db(transaction=True)
def test_cascade_skp_rating_and_closing(live_server, browser: Browser, world):
    world.gov.current_year = YEAR
    world.gov.save()
    imported(world, ROWS)
    sekda_post = Position.objects.create(
        government=world.gov, kind="regional_secretary", title="Sekretaris Daerah Kota Uji"
    )
    PositionAssignment.objects.create(
        position=sekda_post, person=world.users["sekda"].person, start=datetime.date(2018, 1, 1)
    )
    kabid = account(world, KABID, "uji-kabid")
    kasi = account(world, KASI, "uji-kasi")
    dokter = account(world, DOKTER, "uji-dokter")
    base = live_server.url
    kabid_post = Position.objects.get(assignments__person__nip=KABID)
    kasi_post = Position.objects.get(assignments__person__nip=KASI)

    # 1. The operator cascades I1.A.1 of the unit head's agreement to the division's head,
    #    and the division's indicator to the section's head.
    page = signed_in(browser, base, "uji-operator_a")
    page.goto(f"{base}/pk/jenjang/{world.unit_a.pk}/?tahun={YEAR}")
    card = page.locator(f"#post-{kabid_post.pk}")
    card.locator("summary:has-text('Tambah indikator')").click()
    card.locator("select[name=supports]").select_option(index=2)
    card.locator("textarea[name=objective]").fill("Meningkatnya mutu pelayanan kesehatan dasar")
    card.locator("input[name=name]").fill("Persentase puskesmas terakreditasi paripurna")
    card.locator("input[name=unit_of_measure]").fill("%")
    card.locator("input[name=target]").fill("80")
    card.locator("button:has-text('Simpan indikator')").click()
    expect(page.locator(".messages")).to_contain_text("disimpan")
    admin_indicator = CascadeIndicator.objects.get(position=kabid_post)
    assert admin_indicator.supports_indicator == world.indicator_a
    card = page.locator(f"#post-{kasi_post.pk}")
    card.locator("summary:has-text('Tambah indikator')").click()
    card.locator("select[name=supports]").select_option(f"c{admin_indicator.pk}")
    card.locator("textarea[name=objective]").fill("Meningkatnya mutu layanan puskesmas")
    card.locator("input[name=name]").fill("Jumlah puskesmas dengan indeks kepuasan baik")
    card.locator("input[name=unit_of_measure]").fill("puskesmas")
    card.locator("input[name=target]").fill("14")
    card.locator("button:has-text('Simpan indikator')").click()
    expect(page.locator(f"#post-{kasi_post.pk}")).to_contain_text(
        "Persentase puskesmas terakreditasi paripurna"
    )
    assert CascadeIndicator.objects.get(position=kasi_post).supports == admin_indicator

    # The SKPs above the staff member: the head's from his agreement, the division's and the
    # section's each serving the one above (prepared by their owners).
    head_skp = service.skp_start(
        person=world.users["head_a"].person, year=YEAR, by=world.users["head_a"]
    )
    assert head_skp.results.count() == 2
    for user, serves, text in (
        (kabid, head_skp.results.last(), "Mutu layanan kesehatan meningkat"),
        (kasi, None, "Layanan puskesmas memuaskan"),
    ):
        skp = service.skp_start(person=user.person, year=YEAR, by=user)
        if serves is None:
            serves = Skp.objects.get(person__nip=KABID).results.get()
        result = service.skp_result_save(skp=skp, text=text, kind="main", serves=serves, by=user)
        service.skp_indicator_save(
            result=result, aspect="quality", name=text, target="100 %", by=user
        )
        service.skp_submit(skp=skp, by=user)
        approver = world.users["head_a"] if user == kabid else kabid
        service.skp_approve(skp=skp, by=approver)

    # 2. The doctor writes her SKP: one main result pointing at her section head's result.
    page = signed_in(browser, base, "uji-dokter")
    page.goto(f"{base}/skp/?tahun={YEAR}")
    page.click("button:has-text('Susun SKP 2019')")
    expect(page.locator("h1")).to_contain_text("SKP 2019 dr. Rina Puspita")
    form = page.locator("#result-form")
    form.locator("textarea[name=text]").fill("Pasien puskesmas terlayani sesuai standar")
    form.locator("select[name=serves]").select_option(label="Layanan puskesmas memuaskan")
    form.locator("button:has-text('Simpan hasil kerja')").click()
    expect(page.locator(".messages")).to_contain_text("Hasil kerja disimpan")
    page.locator("summary:has-text('Tambah indikator')").first.click()
    page.locator("select[name=aspect]").first.select_option("quantity")
    page.locator("input[name=name]").first.fill("Jumlah pasien terlayani")
    page.locator("input[name=target]").first.fill("2.400 pasien")
    page.locator("button:has-text('Simpan indikator')").first.click()
    expect(page.locator(".card").first).to_contain_text("Jumlah pasien terlayani")
    expect(page.locator("a:has-text('Layanan puskesmas memuaskan')")).to_be_visible()
    page.click("button:has-text('Ajukan ke pejabat penilai')")
    expect(page.locator("#skp-status")).to_have_text("Diajukan ke pejabat penilai")
    dokter_skp = Skp.objects.get(person=dokter.person)
    assert dokter_skp.results.get().serves == Skp.objects.get(person=kasi.person).results.get()

    # 3. The section head approves and rates the first quarter; the predicate follows the
    #    matrix (results above, behaviour as expected: Baik).
    page = signed_in(browser, base, "uji-kasi")
    page.goto(base + "/")
    page.click("a:has-text('Setujui SKP dr. Rina Puspita 2019')")
    page.click("button:has-text('Setujui SKP')")
    expect(page.locator("#skp-status")).to_have_text("Disetujui")
    form = page.locator("#assessment-form")
    form.locator("select[name=period]").select_option("1")
    form.locator("select[name=results_rating]").select_option("above")
    form.locator("select[name=behaviour_rating]").select_option("as_expected")
    form.locator("input[name=note_kolaboratif]").fill("Aktif dalam tim lintas program")
    form.locator("button:has-text('Simpan penilaian')").click()
    expect(page.locator("#assessments tbody tr").first).to_contain_text("Baik")
    expect(page.locator("#assessments tbody tr").first).to_contain_text("Di atas ekspektasi")
    # The year: above and above is Sangat Baik.
    form = page.locator("#assessment-form")
    form.locator("select[name=period]").select_option("0")
    form.locator("select[name=results_rating]").select_option("above")
    form.locator("select[name=behaviour_rating]").select_option("above")
    form.locator("button:has-text('Simpan penilaian')").click()
    expect(page.locator("#assessments tbody tr").last).to_contain_text("Sangat Baik")

    # 4. The organisation is rated Baik; the division's and section's heads are rated Baik for
    #    the year. Nobody is Butuh Perbaikan or Kurang: closing is refused, the rule named.
    service.organisation_rating_set(
        unit=world.unit_a, year=YEAR, predicate="baik", note="", by=world.users["mayor"]
    )
    for skp, by in (
        (Skp.objects.get(person=kabid.person), world.users["head_a"]),
        (Skp.objects.get(person=kasi.person), kabid),
    ):
        service.skp_assess(
            skp=skp,
            period=0,
            results_rating="as_expected",
            behaviour_rating="as_expected",
            notes={},
            feedback="",
            by=by,
        )
    page = signed_in(browser, base, "uji-head_a")
    page.goto(f"{base}/skp/unit/{world.unit_a.pk}/?tahun={YEAR}")
    expect(page.locator("#distribution-problems")).to_contain_text(
        "Butuh Perbaikan dan Kurang/Misconduct paling sedikit 1 orang"
    )
    page.click("#close-year")
    page.click("button:has-text('Ya, tutup tahun')")
    expect(page.locator(".messages")).to_contain_text(
        "Predikat organisasi Baik: Butuh Perbaikan dan Kurang/Misconduct paling sedikit 1 orang; "
        "perlu 1 dari 3 orang, ada 0."
    )
    assert OrganisationRating.objects.get().closed_at is None
