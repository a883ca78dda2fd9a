"""SKP: results linked to the superior's, agreed and rated by the superior, the predicate from
the official matrix, the unit head's rating of results from the organisation's predicate, the
distribution checked at closing; the e-Kinerja export and import; who may do what."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from kinerja.accounts.models import Person, Position, PositionAssignment, Role, RoleAssignment, User
from kinerja.core.models import AuditEvent
from kinerja.employees import skp as service
from kinerja.employees.models import OrganisationRating, Skp, SkpResult
from tests.accounts.test_personnel import DOKTER, KABID, KADIS, KASI, ROWS, STAF_BIDANG, imported
from tests.refusals import refused

YEAR = 2019


def account(world, nip: str) -> User:  # type: ignore[no-untyped-def]
    person = Person.objects.get(nip=nip)
    if person.pk == world.users["head_a"].person_id:
        return world.users["head_a"]
    user = User.objects.create_user(
        username=f"uji-{nip[-4:]}", password="x", government=world.gov, person=person
    )
    RoleAssignment.objects.create(user=user, role=Role.EMPLOYEE)
    return user


@pytest.fixture
def people(world):  # type: ignore[no-untyped-def]
    imported(world, ROWS)
    sekda_post = Position.objects.create(
        government=world.gov, kind="regional_secretary", title="Sekretaris Daerah Kota Uji"
    )
    PositionAssignment.objects.create(
        position=sekda_post, person=world.users["sekda"].person, start=datetime.date(2018, 1, 1)
    )
    return {nip: account(world, nip) for nip in (KADIS, KABID, KASI, DOKTER, STAF_BIDANG)}


def plan(world, people, nip: str, serves: SkpResult | None, text: str, year: int = YEAR) -> Skp:  # type: ignore[no-untyped-def]
    user = people[nip]
    skp = service.skp_start(person=user.person, year=year, by=user)
    if not skp.is_head:
        result = service.skp_result_save(skp=skp, text=text, kind="main", serves=serves, by=user)
        service.skp_indicator_save(
            result=result, aspect="quantity", name=f"Indikator {text}", target="100 %", by=user
        )
    service.skp_submit(skp=skp, by=user)
    evaluator = next(u for u in User.objects.filter(person=skp.evaluator))
    return service.skp_approve(skp=skp, by=evaluator)


def cascade(world, people):  # type: ignore[no-untyped-def]
    head = plan(world, people, KADIS, None, "")
    kabid = plan(world, people, KABID, head.results.last(), "Mutu layanan meningkat")
    kasi = plan(world, people, KASI, kabid.results.get(), "Cakupan layanan primer")
    dokter = plan(world, people, DOKTER, kasi.results.get(), "Pasien terlayani")
    return head, kabid, kasi, dokter


def test_results_link_to_the_superior_s_and_the_head_s_are_the_agreement(world, people):
    head, kabid, kasi, dokter = cascade(world, people)
    # The unit head's results are his agreement's indicators, each with its target.
    assert [r.source_indicator for r in head.results.all()] == [
        world.gov_indicator,
        world.indicator_a,
    ]
    assert head.results.last().indicators.get().target == "11 %"
    assert head.evaluator == world.users["sekda"].person
    # Each result points at the superior's result it serves: a link, not text.
    assert dokter.results.get().serves == kasi.results.get()
    assert kasi.results.get().serves == kabid.results.get()
    assert kabid.results.get().serves.source_indicator == world.indicator_a
    assert (dokter.evaluator.nip, kasi.evaluator.nip) == (KASI, KABID)
    # Serving another official's result is refused; so is a main result serving nothing.
    siti = service.skp_start(person=people[STAF_BIDANG].person, year=YEAR, by=people[STAF_BIDANG])
    with refused("rhk_atasan_bukan_milik_penilai"):
        service.skp_result_save(
            skp=siti, text="x", kind="main", serves=kasi.results.get(), by=people[STAF_BIDANG]
        )
    with refused("rhk_utama_perlu_atasan"):
        service.skp_result_save(
            skp=siti, text="x", kind="main", serves=None, by=people[STAF_BIDANG]
        )
    extra = service.skp_result_save(
        skp=siti, text="Tugas tambahan", kind="additional", serves=None, by=people[STAF_BIDANG]
    )
    assert extra.serves is None
    # An approved SKP does not change.
    with refused("wrong_state"):
        service.skp_result_save(
            skp=dokter, text="y", kind="additional", serves=None, by=people[DOKTER]
        )


@pytest.mark.parametrize(
    ("results", "behaviour", "predicate"),
    [
        ("above", "above", "sangat_baik"),
        ("above", "below", "kurang_misconduct"),
        ("as_expected", "above", "baik"),
        ("below", "below", "sangat_kurang"),
        ("below", "as_expected", "butuh_perbaikan"),
    ],
)
def test_the_evaluator_rates_and_the_predicate_follows_the_matrix(
    world, people, results, behaviour, predicate
):
    _head, _kabid, _kasi, dokter = cascade(world, people)
    rated = service.skp_assess(
        skp=dokter,
        period=1,
        results_rating=results,
        behaviour_rating=behaviour,
        notes={"akuntabel": "Laporan tepat waktu", "bukan_nilai": "dibuang"},
        feedback="Pertahankan.",
        by=people[KASI],
    )
    assert rated.predicate == predicate
    assert rated.behaviour_notes == {"akuntabel": "Laporan tepat waktu"}
    assert AuditEvent.objects.filter(action="skp.assess").count() == 1


def test_only_the_evaluator_approves_and_rates(world, people):
    _head, kabid, _kasi, dokter = cascade(world, people)
    for persona in (people[DOKTER], people[KABID], world.users["operator_a"], world.users["mayor"]):
        with pytest.raises(PermissionDenied):
            service.skp_assess(
                skp=dokter,
                period=1,
                results_rating="above",
                behaviour_rating="above",
                notes={},
                feedback="",
                by=persona,
            )
    with pytest.raises(PermissionDenied):
        service.skp_result_save(
            skp=kabid, text="x", kind="additional", serves=None, by=world.users["operator_b"]
        )
    with pytest.raises(PermissionDenied):
        service.skp_start(person=people[DOKTER].person, year=YEAR, by=world.users["other_gov"])
    # Pages: the person, the evaluator and the unit see it; another unit and government do not.
    url = f"/skp/{dokter.pk}/"
    assert world.client("operator_a").get(url).status_code == 200
    assert world.client("operator_b").get(url).status_code == 403
    assert world.client("other_gov").get(url).status_code == 404


def test_the_head_s_rating_of_results_is_the_unit_s_predicate(world, people):
    head, *_rest = cascade(world, people)
    sekda = world.users["sekda"]
    with refused("predikat_organisasi_belum_ada"):
        service.skp_assess(
            skp=head,
            period=0,
            results_rating="above",
            behaviour_rating="above",
            notes={},
            feedback="",
            by=sekda,
        )
    with pytest.raises(PermissionDenied):
        service.organisation_rating_set(
            unit=world.unit_a, year=YEAR, predicate="baik", note="", by=world.users["planner"]
        )
    service.organisation_rating_set(
        unit=world.unit_a, year=YEAR, predicate="baik", note="Capaian 98%", by=world.users["mayor"]
    )
    rated = service.skp_assess(
        skp=head,
        period=0,
        results_rating="above",  # ignored: the unit's predicate decides
        behaviour_rating="above",
        notes={},
        feedback="",
        by=sekda,
    )
    assert (rated.results_rating, rated.predicate) == ("as_expected", "baik")


def test_a_distribution_that_breaks_the_rule_is_refused_at_closing(world, people):
    _head, kabid, kasi, dokter = cascade(world, people)
    service.organisation_rating_set(
        unit=world.unit_a, year=YEAR, predicate="baik", note="", by=world.users["mayor"]
    )

    def annual(skp, by, results, behaviour):  # type: ignore[no-untyped-def]
        return service.skp_assess(
            skp=skp,
            period=0,
            results_rating=results,
            behaviour_rating=behaviour,
            notes={},
            feedback="",
            by=by,
        )

    annual(kabid, world.users["head_a"], "as_expected", "as_expected")  # Baik
    with refused("skp_belum_dinilai"):
        service.year_close(unit=world.unit_a, year=YEAR, by=world.users["head_a"])
    annual(kasi, people[KABID], "as_expected", "above")  # Baik
    annual(dokter, people[KASI], "above", "above")  # Sangat Baik
    # Baik: 2 of 3 (66,7 %) is within 70 %, but nobody is Butuh Perbaikan or Kurang.
    with pytest.raises(ValidationError) as refusal:
        service.year_close(unit=world.unit_a, year=YEAR, by=world.users["head_a"])
    (message,) = refusal.value.messages
    assert message == (
        "Predikat organisasi Baik: Butuh Perbaikan dan Kurang/Misconduct paling sedikit 1 "
        "orang; perlu 1 dari 3 orang, ada 0."
    )
    assert OrganisationRating.objects.get().closed_at is None
    # Corrected: the doctor's year was below expectation after all.
    annual(dokter, people[KASI], "below", "as_expected")
    closed = service.year_close(unit=world.unit_a, year=YEAR, by=world.users["head_a"])
    assert closed.closed_at is not None
    with refused("tahun_sudah_ditutup"):
        annual(dokter, people[KASI], "above", "above")


def test_ekinerja_export_and_the_predicates_back(world, people):
    _head, _kabid, _kasi, dokter = cascade(world, people)
    ws = load_workbook(io.BytesIO(service.ekinerja_export(world.unit_a, YEAR))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("NIP", "Nama", "Jabatan", "NIP Pejabat Penilai")
    mine = [r for r in rows if r[0] == DOKTER]
    assert mine == [
        (
            DOKTER,
            "dr. Rina Puspita",
            "Dokter Ahli Muda",
            KASI,
            "Utama",
            None,
            "Pasien terlayani",
            "Cakupan layanan primer",
            "Kuantitas",
            "Indikator Pasien terlayani",
            "100 %",
        )
    ]

    def workbook(data):  # type: ignore[no-untyped-def]
        wb = Workbook()
        sheet = wb.active
        for row in data:
            sheet.append(row)
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()

    with pytest.raises(ValidationError) as refusal:
        service.ekinerja_import(
            unit=world.unit_a,
            year=YEAR,
            content=workbook(
                [["NIP", "Predikat"], [DOKTER, "Baik"], ["1" * 18, "Baik"], [KASI, "Hebat"]]
            ),
            by=world.users["operator_a"],
        )
    assert len(refusal.value.messages) == 2
    assert "Baris 3, kolom NIP" in refusal.value.messages[0]
    assert "Baris 4, kolom Predikat" in refusal.value.messages[1]
    dokter.refresh_from_db()
    assert dokter.ekinerja_predicate == ""
    count = service.ekinerja_import(
        unit=world.unit_a,
        year=YEAR,
        content=workbook([["NIP", "Predikat"], [DOKTER, "Sangat Baik"]]),
        by=world.users["operator_a"],
    )
    dokter.refresh_from_db()
    assert (count, dokter.ekinerja_predicate) == (1, "sangat_baik")


def test_the_allowance_per_person_follows_the_predicate(world, people):
    """TPP 2023: 60 million a year for a non-head post, 70 % of it for performance. The
    government pays 100 % of the performance share for Sangat Baik, 90 % for Baik."""
    from decimal import Decimal

    from kinerja.evaluation import selectors as evaluation
    from kinerja.evaluation.services import incentive_policy_save

    year = 2023
    head = plan(world, people, KADIS, None, "", year)
    kabid = plan(world, people, KABID, head.results.last(), "Mutu layanan", year)
    kasi = plan(world, people, KASI, kabid.results.get(), "Cakupan layanan", year)
    for skp, by, rating in (
        (kabid, world.users["head_a"], "as_expected"),
        (kasi, people[KABID], "above"),
    ):
        service.skp_assess(
            skp=skp,
            period=0,
            results_rating=rating,
            behaviour_rating=rating,
            notes={},
            feedback="",
            by=by,
        )
    incentive_policy_save(
        government=world.gov,
        year=year,
        by=world.users["planner"],
        performance_share=Decimal(70),
        warning_below=Decimal(75),
        sanction_below=Decimal(60),
        yearly_base_head=Decimal(120_000_000),
        yearly_base_other=Decimal(60_000_000),
        bands=[(Decimal(0), Decimal(50))],
        predicate_factors={"sangat_baik": Decimal(100), "baik": Decimal(90)},
    )
    rows = {
        r.person.nip: r for r in evaluation.person_allowances(evaluation.scorecard(world.gov, year))
    }
    kasi_row, kabid_row = rows[KASI], rows[KABID]
    assert (kasi_row.predicate, kasi_row.factor, kasi_row.days_held) == ("sangat_baik", 100, 365)
    assert kasi_row.performance_part == Decimal(42_000_000)  # 60 m × 70 % × 100 %
    assert kasi_row.discipline_part == Decimal(18_000_000)
    assert (kabid_row.predicate, kabid_row.factor) == ("baik", 90)
    assert kabid_row.performance_part == Decimal(37_800_000)  # 60 m × 70 % × 90 %
    # Without a predicate, the unit's factor (its band), as before the cascade.
    unit_factor = next(
        r.factor for r in evaluation.scorecard(world.gov, year).rows if r.unit == world.unit_a
    )
    sekretaris = next(r for r in rows.values() if r.position_title == "Sekretaris Dinas A")
    assert (sekretaris.predicate, sekretaris.factor) == ("", unit_factor)
    page = world.client("planner").get(f"/evaluasi/tpp/?tahun={year}").content.decode()
    assert "Sangat Baik" in page


def test_the_tree_down_to_people(world, people):
    """Unit → unit head's indicators → the division's agreement → the section's → each
    person's results, with the achievement (or the predicate) at each node."""
    from decimal import Decimal

    from kinerja.agreements.cascade import cascade_indicator_save, upper_indicators
    from kinerja.employees.actionplans import action_plan_report, action_plan_save
    from kinerja.employees.tree import unit_tree

    kabid_post = Position.objects.get(assignments__person__nip=KABID)
    kasi_post = Position.objects.get(assignments__person__nip=KASI)
    operator = world.users["operator_a"]
    upper = next(u for u in upper_indicators(kabid_post, YEAR) if "I1.A.1" in u.label)
    admin = cascade_indicator_save(
        position=kabid_post,
        year=YEAR,
        supports=upper.key,
        objective="Mutu",
        name="Akreditasi",
        unit_of_measure="%",
        target=Decimal(80),
        by=operator,
    )
    cascade_indicator_save(
        position=kasi_post,
        year=YEAR,
        supports=f"c{admin.pk}",
        objective="Layanan",
        name="Puskesmas memuaskan",
        unit_of_measure="puskesmas",
        target=Decimal(14),
        by=operator,
    )
    plan_ = action_plan_save(subject=admin, year=YEAR, targets={1: Decimal(80)}, by=operator)
    action_plan_report(
        plan=plan_,
        period=1,
        value=Decimal(60),
        supporting="",
        hindering="",
        follow_up="",
        by=operator,
    )
    _head, _kabid, _kasi, dokter = cascade(world, people)
    service.skp_assess(
        skp=dokter,
        period=1,
        results_rating="above",
        behaviour_rating="above",
        notes={},
        feedback="",
        by=people[KASI],
    )
    tree = unit_tree(world.unit_a, YEAR, datetime.date(2019, 5, 1))
    assert [i.label for i in tree.head_indicators] == [
        "I1 Indikator I1 kota-uji",
        "I1.A.1 Indikator I1.A.1 kota-uji",
    ]
    division = next(n for n in tree.posts if n.post == kabid_post)
    assert division.indicators[0].achievement == 75  # 60 of 80 in the first quarter
    assert division.achievement == 75
    (section,) = [n for n in division.children if n.post == kasi_post]
    assert section.holder.nip == KASI
    (doctor,) = [p for p in section.people if p.person.nip == DOKTER]
    assert doctor.results == ["Pasien terlayani"] and doctor.predicate == "Sangat Baik"
    page = world.client("operator_a").get(f"/pohon-kinerja/{world.unit_a.pk}/?tahun={YEAR}")
    body = page.content.decode()
    assert "Puskesmas memuaskan" in body and "dr. Rina Puspita" in body and "Sangat Baik" in body
    assert world.client("operator_b").get(f"/pohon-kinerja/{world.unit_a.pk}/").status_code == 403


def test_the_government_s_own_bounds_and_rounding(world, people):
    """A government lets a Baik unit have up to 80 % Baik and counts small units to the
    nearest person: the distribution refused under the national rule is then allowed."""
    _head, kabid, kasi, dokter = cascade(world, people)
    service.organisation_rating_set(
        unit=world.unit_a, year=YEAR, predicate="baik", note="", by=world.users["mayor"]
    )
    for skp, by, rating in (
        (kabid, world.users["head_a"], "as_expected"),
        (kasi, people[KABID], "as_expected"),
        (dokter, people[KASI], "below"),
    ):
        service.skp_assess(
            skp=skp,
            period=0,
            results_rating=rating,
            behaviour_rating="as_expected",
            notes={},
            feedback="",
            by=by,
        )
    # National: Baik 2 of 3 (66,7 %) is within 70 %, one Butuh Perbaikan: allowed.
    assert service.distribution(world.unit_a, YEAR).allowed
    planner = world.client("planner")
    form = {"action_plan_periods": "12", "rounding": "nearest"}
    page = planner.get("/skp/kebijakan/").content.decode()
    assert "Istimewa" in page and "70" in page
    from kinerja.employees.rules import DEFAULT_BOUNDS

    for org, items in DEFAULT_BOUNDS.items():
        for i, bound in enumerate(items):
            value = bound.percent if bound.percent is not None else bound.people
            form[f"b_{org}_{i}"] = str(value)
    form["b_baik_0"] = "50"  # Baik at most 50 %
    form["rounding"] = "exact"
    assert planner.post("/skp/kebijakan/", form).status_code == 302
    result = service.distribution(world.unit_a, YEAR)
    assert [p.bound.percent for p in result.problems] == [Decimal(50)]  # 2 of 3 > 1,5
    # To the nearest person, at most 50 % of 3 is 2 (1,5 rounded half up): allowed again.
    form["rounding"] = "nearest"
    assert planner.post("/skp/kebijakan/", form).status_code == 302
    assert service.distribution(world.unit_a, YEAR).allowed
    assert world.client("operator_a").post("/skp/kebijakan/", form).status_code == 403
    from kinerja.employees.models import CascadePolicy

    policy = CascadePolicy.objects.get()
    assert (policy.action_plan_periods, policy.rounding) == (12, "nearest")
    assert list(policy.distribution_bounds) == ["baik"]  # only what differs is kept
