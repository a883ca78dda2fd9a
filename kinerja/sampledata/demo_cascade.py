"""The demo's cascade to people in the current year, through the same services the pages use:
Dinas Kesehatan's and Kecamatan Klojen's agreements at three echelons (activities and
sub-activities carried, one set of sub-activities short of its activity's budget, so the flag
shows), their action plans with three quarters reported (one red, one late), every civil
servant's SKP linked to the superior's results and rated for two quarters, and Klojen's year:
its predicate set by the mayor, a distribution refused at closing, one rating corrected, closed.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from kinerja.accounts.models import Person, Position, Role, RoleAssignment, Unit, User
from kinerja.accounts.personnel import Organisation
from kinerja.agreements.cascade import cascade_indicator_save, cascade_programmes_set
from kinerja.agreements.models import Agreement, CascadeIndicator
from kinerja.agreements.services import agreement_sign, cascade_draft_all, cascade_send_all
from kinerja.employees import actionplans
from kinerja.employees import skp as skp_service
from kinerja.employees.models import Skp, SkpResult
from kinerja.planning.calendar import term_for_year
from kinerja.planning.models import Budget, Indicator, IndicatorTarget, Programme
from kinerja.planning.services import programme_save
from kinerja.sampledata.demo import DEMO_PASSWORD
from kinerja.sampledata.signing import demo_passphrase

# The demo's people who sign in (password kinerja-demo), by NIP sequence in demo_people.
PERSONAS = {107: "kabid-yankes", 108: "kasi-primer", 119: "dokter-primer"}
CASCADE_PERSONAS = [
    ("kabid-yankes", "Pegawai: Kepala Bidang Pelayanan Kesehatan (Dinkes, eselon III)"),
    ("kasi-primer", "Pegawai: Kepala Seksi Pelayanan Kesehatan Primer (Dinkes, eselon IV)"),
    ("dokter-primer", "Pegawai: Dokter Ahli Madya, Seksi Pelayanan Kesehatan Primer (Dinkes)"),
]

# Dinkes: (activity, share of the programme's budget, the division's head by sub-unit name,
# [(sub-activity, share of the activity, the section)]).
DINKES_ACTIVITIES = [
    (
        "Penyediaan Layanan Kesehatan untuk UKP Rujukan dan UKM",
        Decimal("0.45"),
        "Bidang Pelayanan Kesehatan",
        [
            (
                "Pengelolaan Pelayanan Kesehatan Dasar Puskesmas",
                Decimal("0.6"),
                "Seksi Pelayanan Kesehatan Primer",
            ),
            (
                "Pengelolaan Pelayanan Kesehatan Rujukan",
                Decimal("0.4"),
                "Seksi Pelayanan Kesehatan Rujukan",
            ),
        ],
    ),
    (
        "Pengelolaan Pelayanan Kesehatan Ibu, Anak dan Gizi Masyarakat",
        Decimal("0.35"),
        "Bidang Kesehatan Masyarakat",
        [
            # 0.5 + 0.4: a tenth of the activity is not carried below (the flag).
            (
                "Pengelolaan Pelayanan Kesehatan Ibu Hamil dan Balita",
                Decimal("0.5"),
                "Seksi Kesehatan Keluarga dan Gizi",
            ),
            (
                "Promosi Kesehatan dan Pemberdayaan Masyarakat",
                Decimal("0.4"),
                "Seksi Promosi dan Pemberdayaan Masyarakat",
            ),
        ],
    ),
    (
        "Pencegahan dan Pengendalian Penyakit Menular",
        Decimal("0.20"),
        "Bidang Pencegahan dan Pengendalian Penyakit",
        [("Pengelolaan Surveilans dan Imunisasi", Decimal("1"), "Seksi Surveilans dan Imunisasi")],
    ),
]

KLOJEN_ACTIVITIES = [
    (
        "Koordinasi Penyelenggaraan Pemerintahan dan Pelayanan Kecamatan",
        Decimal("1"),
        "Sekretariat",
        [
            ("Koordinasi Ketenteraman dan Ketertiban Umum", Decimal("0.5"), "Seksi Pemerintahan"),
            (
                "Fasilitasi Pemberdayaan Masyarakat Kelurahan",
                Decimal("0.5"),
                "Seksi Pemberdayaan Masyarakat",
            ),
        ],
    )
]

# What each administrator and supervisor promises, by the sub-unit the post heads.
OBJECTIVES = {
    "Sekretariat": (
        "Meningkatnya tata kelola perangkat daerah",
        "Nilai SAKIP perangkat daerah",
        "nilai",
        "80",
    ),
    "Subbagian Umum dan Kepegawaian": (
        "Meningkatnya pelayanan administrasi kepegawaian",
        "Persentase layanan kepegawaian tepat waktu",
        "%",
        "95",
    ),
    "Subbagian Perencanaan dan Keuangan": (
        "Meningkatnya kualitas perencanaan dan pelaporan",
        "Persentase dokumen perencanaan tepat waktu",
        "%",
        "100",
    ),
    "Bidang Kesehatan Masyarakat": (
        "Meningkatnya kesehatan keluarga dan gizi masyarakat",
        "Persentase balita gizi baik",
        "%",
        "92",
    ),
    "Seksi Kesehatan Keluarga dan Gizi": (
        "Meningkatnya cakupan layanan ibu dan balita",
        "Cakupan kunjungan ibu hamil K6",
        "%",
        "95",
    ),
    "Seksi Promosi dan Pemberdayaan Masyarakat": (
        "Meningkatnya perilaku hidup bersih dan sehat",
        "Persentase kelurahan siaga aktif purnama",
        "%",
        "60",
    ),
    "Bidang Pelayanan Kesehatan": (
        "Meningkatnya mutu pelayanan kesehatan",
        "Persentase puskesmas terakreditasi paripurna",
        "%",
        "80",
    ),
    "Seksi Pelayanan Kesehatan Primer": (
        "Meningkatnya mutu layanan puskesmas",
        "Jumlah puskesmas dengan indeks kepuasan baik",
        "puskesmas",
        "14",
    ),
    "Seksi Pelayanan Kesehatan Rujukan": (
        "Meningkatnya layanan rujukan terintegrasi",
        "Persentase rujukan tertangani tepat waktu",
        "%",
        "90",
    ),
    "Bidang Pencegahan dan Pengendalian Penyakit": (
        "Terkendalinya penyakit menular",
        "Cakupan imunisasi dasar lengkap",
        "%",
        "95",
    ),
    "Seksi Surveilans dan Imunisasi": (
        "Meningkatnya deteksi dini penyakit",
        "Persentase laporan surveilans tepat waktu",
        "%",
        "90",
    ),
    "UPT Puskesmas Kendalkerep": (
        "Meningkatnya layanan kesehatan wilayah Kendalkerep",
        "Indeks kepuasan masyarakat puskesmas",
        "indeks",
        "85",
    ),
    "Seksi Pemerintahan": (
        "Meningkatnya ketenteraman wilayah",
        "Persentase gangguan ketertiban tertangani",
        "%",
        "90",
    ),
    "Seksi Pemberdayaan Masyarakat": (
        "Meningkatnya partisipasi masyarakat",
        "Persentase kelurahan dengan musrenbang partisipatif",
        "%",
        "100",
    ),
}


def _account(gov_person: Person, username: str | None = None) -> User:
    """The person's account: a demo persona signs in with the demo password; the others can
    sign documents (through the demo's signing) but not sign in."""
    user = User.objects.filter(person=gov_person).first()
    if user is not None:
        return user
    name = username or f"nip-{gov_person.nip}"
    user = User.objects.create_user(
        username=name,
        password=DEMO_PASSWORD if username else None,
        government_id=gov_person.government_id,
        person=gov_person,
    )
    RoleAssignment.objects.create(user=user, role=Role.EMPLOYEE)
    return user


def _activities(
    unit: Unit, year: int, specs: list, planner: User
) -> dict[str, tuple[Programme, list[tuple[Programme, str]]]]:
    term = term_for_year(unit.government, year)
    programme = (
        Programme.objects.filter(unit=unit, term=term, kind=Programme.Kind.PROGRAMME)
        .order_by("code")
        .first()
    )
    if programme is None:
        return {}
    total = Budget.objects.get(programme=programme, year=year).amount
    objectives = list(programme.objectives.all())
    made: dict[str, tuple[Programme, list[tuple[Programme, str]]]] = {}
    for a_no, (name, share, head_sub, subs) in enumerate(specs, start=1):
        activity = programme_save(
            programme=Programme(
                term=term,
                unit=unit,
                kind=Programme.Kind.ACTIVITY,
                parent=programme,
                code=f"{programme.code}.{a_no:02d}",
                name=name,
            ),
            objectives=objectives,
            budgets={year: (total * share).quantize(Decimal(1_000_000))},
            by=planner,
        )
        amount = Budget.objects.get(programme=activity, year=year).amount
        children = []
        for s_no, (sub_name, sub_share, section) in enumerate(subs, start=1):
            sub = programme_save(
                programme=Programme(
                    term=term,
                    unit=unit,
                    kind=Programme.Kind.SUB_ACTIVITY,
                    parent=activity,
                    code=f"{activity.code}.{s_no:04d}",
                    name=sub_name,
                ),
                objectives=objectives,
                budgets={year: (amount * sub_share).quantize(Decimal(1_000))},
                by=planner,
            )
            children.append((sub, section))
        made[head_sub] = (activity, children)
    return made


def _cascade(unit: Unit, year: int, specs: list, planner: User, on: datetime.date) -> None:
    made = _activities(unit, year, specs, planner)
    term = term_for_year(unit.government, year)
    plan_indicators = list(
        Indicator.objects.filter(
            objective__term=term, responsible_unit=unit, targets__year=year
        ).order_by("objective__code", "code")
    )
    posts = {
        p.sub_unit.name: p
        for p in Position.objects.filter(
            unit=unit, kind__in=["administrator", "supervisor"]
        ).select_related("sub_unit")
        if p.sub_unit is not None
    }
    created: dict[int, CascadeIndicator] = {}
    # Administrators first (they support the plan), then supervisors (they support theirs).
    from kinerja.agreements.cascade import superior_post

    for post in sorted(posts.values(), key=lambda p: (p.kind != "administrator", p.title)):
        spec = OBJECTIVES.get(post.sub_unit.name if post.sub_unit else "")
        if spec is None:
            continue
        above = superior_post(post)
        if above is not None and above.kind == "unit_head":
            if not plan_indicators:
                continue
            supports = f"i{plan_indicators[len(created) % len(plan_indicators)].pk}"
        elif above is not None and above.pk in created:
            supports = f"c{created[above.pk].pk}"
        else:
            continue
        objective, name, uom, target = spec
        created[post.pk] = cascade_indicator_save(
            position=post,
            year=year,
            supports=supports,
            objective=objective,
            name=name,
            unit_of_measure=uom,
            target=Decimal(target),
            by=planner,
        )
    for head_sub, (activity, children) in made.items():
        if head_sub in posts:
            cascade_programmes_set(
                position=posts[head_sub], year=year, programmes=[activity], by=planner
            )
        for sub, section in children:
            if section in posts:
                cascade_programmes_set(
                    position=posts[section], year=year, programmes=[sub], by=planner
                )
    cascade_draft_all(unit=unit, year=year, by=planner)
    sent, refused = cascade_send_all(unit=unit, year=year, by=planner, on=on)
    if refused:
        raise RuntimeError(f"Demo cascade refused: {refused}")
    for agreement in sent:
        agreement = Agreement.objects.get(pk=agreement.pk)
        assert agreement.document is not None
        for slot in agreement.document.slots.order_by("order"):
            signer = _account(slot.person)
            agreement = agreement_sign(
                agreement=agreement, by=signer, passphrase=demo_passphrase(signer), on=on
            )


def _action_plans(unit: Unit, year: int, quarter: int, planner: User) -> None:
    rng = random.Random(f"{unit.code}/{year}/rencana-aksi")  # noqa: S311 - demo figures
    views = actionplans.unit_action_plans(unit, year)
    reported = min(quarter, 3)
    org = Organisation(unit.government_id)
    head = unit.head()
    for n, view in enumerate(views):
        subject = view.subject
        # The person responsible: the post's holder (or the unit head for the head's own).
        responsible = (
            org.holder_of(subject.position)
            if isinstance(subject, CascadeIndicator)
            else (head.person if head else None)
        )
        if isinstance(subject, Indicator):
            t = IndicatorTarget.objects.get(indicator=subject, year=year).value
        else:
            t = subject.target
        ramp = [Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), Decimal(1)]
        cumulative = subject.aggregation == "cumulative"
        targets: dict[int, Decimal | None] = {
            p: (
                t / 4 if cumulative else (t * Decimal("0.9") + t * Decimal("0.1") * ramp[p - 1])
            ).quantize(Decimal("0.01"))
            for p in range(1, 5)
        }
        plan = actionplans.action_plan_save(subject=subject, year=year, targets=targets, by=planner)
        actionplans.action_save(
            plan=plan,
            title="Penyusunan jadwal dan sasaran kegiatan",
            responsible=responsible,
            budget=Decimal(15_000_000),
            period_from=1,
            period_to=1,
            by=planner,
        )
        actionplans.action_save(
            plan=plan,
            title="Pelaksanaan dan pemantauan kegiatan lapangan",
            responsible=responsible,
            budget=Decimal(rng.choice([45, 60, 80])) * Decimal(1_000_000),
            period_from=2,
            period_to=4,
            by=planner,
        )
        for p in range(1, reported + 1):
            if n == 1 and p == reported:
                continue  # one plan's latest quarter not reported: late
            factor = Decimal(str(round(rng.uniform(0.96, 1.04), 3)))
            if n == 2 and p == 2:
                factor = Decimal("0.62")  # red: a quarter well short
            value = ((targets[p] or Decimal(0)) * factor).quantize(Decimal("0.01"))
            actionplans.action_plan_report(
                plan=plan,
                period=p,
                value=value,
                supporting="Dukungan kader dan lintas sektor" if factor >= 1 else "",
                hindering="" if factor >= Decimal("0.9") else "Keterlambatan pengadaan dan data",
                follow_up=""
                if factor >= Decimal("0.9")
                else "Percepatan pengadaan di triwulan berikut",
                by=planner,
            )


RATINGS = [
    ("as_expected", "as_expected"),
    ("above", "above"),
    ("as_expected", "above"),
    ("as_expected", "as_expected"),
    ("below", "as_expected"),
    ("above", "as_expected"),
]


def _skps(unit: Unit, year: int, planner: User) -> list[Skp]:
    """Every person's SKP in the unit, heads first so that each result can serve one above."""
    org = Organisation(unit.government_id)
    posts = [p for p in org.own.values() if p.position.unit_id == unit.pk]
    order = {"unit_head": 0, "administrator": 1, "supervisor": 2}
    posts.sort(key=lambda p: (order.get(p.position.kind, 3), p.person.name))
    made: list[Skp] = []
    for post in posts:
        person = post.person
        user = _account(person, PERSONAS.get(int(person.nip[-3:])) if person.nip else None)
        skp = skp_service.skp_start(person=person, year=year, by=planner)
        if not skp.is_head and skp.results.count() == 0:
            upper = skp_service.superior_results(skp)
            if not upper:
                continue
            serves = upper[len(made) % len(upper)]
            sub = post.position.sub_unit.name if post.position.sub_unit else ""
            own = (
                OBJECTIVES.get(sub)
                if post.position.kind in ("administrator", "supervisor")
                else None
            )
            result = skp_service.skp_result_save(
                skp=skp,
                text=own[0] if own else f"Layanan {post.position.title.lower()} sesuai standar",
                kind=SkpResult.Kind.MAIN,
                serves=serves,
                by=user,
            )
            skp_service.skp_indicator_save(
                result=result,
                aspect="quantity",
                name=own[1] if own else f"Jumlah keluaran {post.position.title.lower()}",
                target=f"{own[3]} {own[2]}" if own else "12 laporan",
                by=user,
            )
            skp_service.skp_indicator_save(
                result=result,
                aspect="time",
                name="Ketepatan waktu penyelesaian",
                target="12 bulan",
                by=user,
            )
        skp_service.skp_submit(skp=skp, by=user)
        evaluator = skp_service.evaluator_of(skp)
        if evaluator is None:
            continue
        skp_service.skp_approve(skp=skp, by=_account(evaluator))
        made.append(skp)
    return made


def _rate(skps: list[Skp], periods: list[int]) -> None:
    for n, skp in enumerate(skps):
        evaluator = skp_service.evaluator_of(skp)
        if evaluator is None or (skp.is_head and 0 in periods):
            continue
        for period in periods:
            results, behaviour = RATINGS[(n + period) % len(RATINGS)]
            skp_service.skp_assess(
                skp=skp,
                period=period,
                results_rating=results,
                behaviour_rating=behaviour,
                notes={"akuntabel": "Laporan disampaikan tepat waktu."}
                if behaviour == "above"
                else {},
                feedback="Pertahankan kinerja dan tingkatkan koordinasi.",
                by=_account(evaluator),
            )


@transaction.atomic
def load_demo_cascade(
    gov_id: int, year: int, quarter: int, planner: User, on: datetime.date
) -> None:
    dinkes = Unit.objects.get(government_id=gov_id, short_name="Dinkes")
    klojen = Unit.objects.get(government_id=gov_id, short_name="Klojen")
    # The personas first, so that they sign in under their names.
    for person in Person.objects.filter(government_id=gov_id).exclude(nip=""):
        if int(person.nip[-3:]) in PERSONAS:
            _account(person, PERSONAS[int(person.nip[-3:])])
    _cascade(dinkes, year, DINKES_ACTIVITIES, planner, on)
    _cascade(klojen, year, KLOJEN_ACTIVITIES, planner, on)
    for unit in (dinkes, klojen):
        _action_plans(unit, year, quarter, planner)
    dinkes_skps = _skps(dinkes, year, planner)
    _rate(dinkes_skps, [1, 2])
    klojen_skps = _skps(klojen, year, planner)
    _rate(klojen_skps, [1, 2])
    # Klojen's year: the mayor rates the organisation "Baik"; its seven employees are first
    # rated two "Sangat Baik" and five "Baik", which the rule refuses (at most 70 % Baik, and at
    # least one Butuh Perbaikan or Kurang); one rating is corrected and the camat closes the year.
    mayor = User.objects.get(government_id=gov_id, username="walikota")
    skp_service.organisation_rating_set(
        unit=klojen,
        year=year,
        predicate="baik",
        note="Capaian perjanjian kinerja 97% dan rencana aksi sesuai jadwal.",
        by=mayor,
    )
    staff = sorted((s for s in klojen_skps if not s.is_head), key=lambda s: s.person.name)
    for n, skp in enumerate(staff):
        evaluator = skp_service.evaluator_of(skp)
        assert evaluator is not None
        rating = "above" if n < 2 else "as_expected"
        skp_service.skp_assess(
            skp=skp,
            period=0,
            results_rating=rating,
            behaviour_rating=rating,
            notes={},
            feedback="",
            by=_account(evaluator),
        )
    camat = _account(klojen.head().person)  # type: ignore[union-attr]
    if not RoleAssignment.objects.filter(user=camat, role=Role.UNIT_HEAD, unit=klojen).exists():
        RoleAssignment.objects.create(user=camat, role=Role.UNIT_HEAD, unit=klojen)
    try:
        with transaction.atomic():
            skp_service.year_close(unit=klojen, year=year, by=camat)
    except ValidationError:
        pass  # refused, as it should be: corrected below
    else:
        raise RuntimeError("Demo: Klojen's distribution should have been refused")
    corrected = staff[-1]
    skp_service.skp_assess(
        skp=corrected,
        period=0,
        results_rating="below",
        behaviour_rating="as_expected",
        notes={},
        feedback="Target pengelolaan data tidak tercapai; perlu pendampingan.",
        by=_account(skp_service.evaluator_of(corrected)),  # type: ignore[arg-type]
    )
    # The camat's own year: his rating of results is the district's predicate.
    head_skp = next(s for s in klojen_skps if s.is_head)
    skp_service.skp_assess(
        skp=head_skp,
        period=0,
        results_rating="as_expected",
        behaviour_rating="above",
        notes={"kolaboratif": "Koordinasi lintas kelurahan berjalan baik."},
        feedback="",
        by=_account(skp_service.evaluator_of(head_skp)),  # type: ignore[arg-type]
    )
    skp_service.year_close(unit=klojen, year=year, by=camat)
