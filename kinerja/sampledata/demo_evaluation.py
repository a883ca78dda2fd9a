"""The demo's evaluation: the SAKIP worksheet of PermenPAN-RB 88/2021 with the government's
consistency rules, a unit-level copy, three tiers of evaluators, the government's evaluations
of 2021 (BB) and 2022 (A) through every stage (the seed's city went from BB to A); the
reward-and-punishment policy of 2021 (closed) and 2022 (open); and what was spent of each
budget. The evaluation under way and a unit's self-assessment are the present's
(demo_present). Deterministic: the same figures on every load."""

from __future__ import annotations

import datetime
import json
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db.models import QuerySet

from kinerja.accounts.models import Government, Unit, User
from kinerja.documents.services import document_sign
from kinerja.evaluation import evidence, lhe, sakip, selectors, services
from kinerja.evaluation import lkjip as report
from kinerja.evaluation.models import (
    EvidenceDocument,
    LheReport,
    SakipCriterion,
    SakipEvaluation,
    SakipWorksheet,
)
from kinerja.monitoring.access import can_report
from kinerja.planning.models import Budget
from kinerja.sampledata.signing import demo_passphrase

WORKSHEET = Path(__file__).resolve().parents[1] / "evaluation/data/lke-permenpanrb-88-2021.json"
BANDS = [
    (Decimal(90), Decimal(100)),
    (Decimal(80), Decimal(90)),
    (Decimal(70), Decimal(80)),
    (Decimal(60), Decimal(70)),
    (Decimal(0), Decimal(50)),
]
# The government's self-evaluation: the score each year's answers are brought down to.
TARGETS = {2021: Decimal("76.5"), 2022: Decimal("81.6")}
WEAKER = {"A": "B", "B": "C", "C": "D", "Y": "T"}


# Consistency rules (kerangka logis) the demo government adds to the regulation's worksheet:
# a criterion may not be valued above its prerequisite.
RULES = [
    ["1.b.1", "1.a.3"],
    ["1.b.6", "1.b.5"],
    ["3.a.3", "3.a.1"],
    ["3.a.4", "3.a.1"],
    ["3.b.1", "3.a.1"],
    ["3.c.5", "3.b.2"],
]
# The tiers of evaluators after the self-assessment, and who sits in each.
TIERS = [
    ("Verifikator", "verifikator"),
    ("Penjamin mutu", "penjaminmutu"),
    ("Penilai akhir", "inspektur"),
]
# What the demo city really has every year (its plans, agreements and reports are in Kinerja):
# never weakened, so that the evaluation agrees with the documents.
KEPT = {"1.a.3", "1.a.4", "1.a.6", "1.b.1", "2.a.1", "3.a.1", "3.a.2", "3.a.3", "3.a.5"}
# How much higher the government assesses itself than the evaluators finally score it.
SELF_ABOVE = Decimal("3.5")


def _criteria(tree: SakipWorksheet) -> list[SakipCriterion]:
    return [
        k for c in tree.components.all() for s in c.subcomponents.all() for k in s.criteria.all()
    ]


def _consistent(
    answers: dict[int | str, str | None], criteria: list[SakipCriterion]
) -> dict[int | str, str | None]:
    """Lower each criterion the rules hold above its prerequisite to the best answer that is
    not above it, so that a demo evaluation breaks no rule unless it means to."""
    by_code = {k.code: k for k in criteria}
    values = sakip.ANSWER_VALUES
    for code, prerequisite in RULES:
        k, p = by_code[code], by_code[prerequisite]
        limit = sakip.answer_value(p.answer_type, answers.get(p.pk), values) or Decimal(0)
        if (sakip.answer_value(k.answer_type, answers.get(k.pk), values) or 0) > limit:
            answers[k.pk] = max(
                (a for a, v in values[k.answer_type].items() if v <= limit),
                key=lambda a: values[k.answer_type][a],
            )
    return answers


def _answers_for(
    spec: list[sakip.Component], criteria: list[SakipCriterion], target: Decimal, seed: int
) -> dict[int | str, str | None]:
    """Start from a perfect worksheet and weaken answers, in a fixed shuffled order, until
    the score is at or just below the target; then keep to the consistency rules."""
    answers: dict[int | str, str | None] = {
        c.pk: ("Y" if c.answer_type == SakipCriterion.AnswerType.YES_NO else "A") for c in criteria
    }
    order = [c.pk for c in criteria if c.code not in KEPT]
    random.Random(seed).shuffle(order)  # noqa: S311 - a fixed order, not a secret

    def total() -> Decimal:
        return sakip.score(spec, _consistent(dict(answers), criteria)).total

    while total() > target:
        for pk in order:
            current = answers[pk]
            if current in WEAKER:
                answers[pk] = WEAKER[current]
                if total() <= target:
                    break
        else:
            break
    return _consistent(answers, criteria)


NOTES = {
    "Y": "Dokumen tersedia dan telah ditetapkan.",
    "T": "Belum tersedia pada tahun evaluasi.",
    "A": "Terpenuhi seluruhnya, didukung bukti.",
    "B": "Sebagian besar terpenuhi.",
    "C": "Terpenuhi sebagian; perlu perbaikan.",
    "D": "Baru sebagian kecil terpenuhi.",
    "E": "Belum terpenuhi.",
}


def _demo_users(gov: Government) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(government=gov)}


def configure_tiers(gov: Government) -> None:
    users = _demo_users(gov)
    services.tiers_save(
        government=gov,
        tiers=[(name, [users[username].pk]) for name, username in TIERS],
        by=users["inspektur"],
    )


def _self_assess(
    evaluation: SakipEvaluation, answers: dict[int | str, str | None], by: User
) -> None:
    services.answers_save(
        evaluation=evaluation,
        answers={
            int(pk): {"answer": answer or "", "note": NOTES.get(answer or "", ""), "links": ""}
            for pk, answer in answers.items()
        },
        by=by,
    )


def _review(
    evaluation: SakipEvaluation,
    received: dict[int | str, str | None],
    decided: dict[int | str, str | None],
    by: User,
    notes: dict[int | str, str] | None = None,
) -> None:
    """A tier changes the answers it does not accept, each with its reason."""
    changed = {pk: a for pk, a in decided.items() if a != received.get(pk)}
    services.answers_save(
        evaluation=evaluation,
        answers={
            int(pk): {
                "answer": answer or "",
                "note": (notes or {}).get(pk)
                or f"Bukti belum mendukung jawaban {received.get(pk)}; dinilai {answer}.",
            }
            for pk, answer in changed.items()
        },
        by=by,
    )


def evaluate(gov: Government, year: int, target: Decimal, *, by: User) -> SakipEvaluation:
    """The government's evaluation of a year through every stage on its newest worksheet: the
    planners assess it a little above the target, the verifier brings it down to the target
    with a note for each change, the quality assurer accepts, the final assessor finalises."""
    users = _demo_users(gov)
    evaluation = services.evaluation_start(government=gov, year=year, unit=None, by=by)
    tree = selectors.worksheet_tree(evaluation.worksheet)
    spec = selectors.worksheet_spec(tree)
    criteria = _criteria(tree)
    claimed = _answers_for(spec, criteria, target + SELF_ABOVE, seed=year)
    final = _answers_for(spec, criteria, target, seed=year)
    _self_assess(evaluation, claimed, users["perencana"])
    services.evaluation_submit(evaluation=evaluation, by=users["perencana"])
    _review(evaluation, claimed, final, users["verifikator"])
    services.evaluation_submit(evaluation=evaluation, by=users["verifikator"])
    services.evaluation_submit(evaluation=evaluation, by=users["penjaminmutu"])
    return services.evaluation_finalize(evaluation=evaluation, by=users["inspektur"])


def evaluate_under_way(gov: Government, year: int, target: Decimal) -> SakipEvaluation:
    """The government's evaluation of a year at its second tier: the planners assessed it with
    evidence (Kinerja's own documents and an uploaded guideline), the verifier changed some
    answers with notes, two of which now break a consistency rule for the quality assurer to
    see."""
    users = _demo_users(gov)
    planner = users["perencana"]
    evaluation = services.evaluation_start(
        government=gov, year=year, unit=None, by=users["inspektur"]
    )
    tree = selectors.worksheet_tree(evaluation.worksheet)
    spec = selectors.worksheet_spec(tree)
    criteria = _criteria(tree)
    by_code = {k.code: k for k in criteria}
    claimed = _answers_for(spec, criteria, target + SELF_ABOVE, seed=year)
    for code, answer in (("1.a.3", "Y"), ("1.b.1", "Y"), ("1.b.5", "A"), ("1.b.6", "B")):
        claimed[by_code[code].pk] = answer
    claimed = _consistent(claimed, criteria)
    _self_assess(evaluation, claimed, planner)
    _demo_evidence(evaluation, by_code, planner)
    services.evaluation_submit(evaluation=evaluation, by=planner)
    final = _answers_for(spec, criteria, target, seed=year)
    for code in ("1.b.1", "1.b.6"):
        final[by_code[code].pk] = claimed[by_code[code].pk]
    final[by_code["1.a.3"].pk] = "T"
    final[by_code["1.b.5"].pk] = "D"
    _review(
        evaluation,
        claimed,
        final,
        users["verifikator"],
        notes={
            by_code["1.a.3"].pk: (
                "Perda RPJMD belum diundangkan pada tanggal evaluasi; yang dilampirkan rancangan."
            ),
            by_code["1.b.5"].pk: (
                "Sebagian besar indikator sasaran belum terukur (tanpa satuan dan cara hitung)."
            ),
        },
    )
    services.evaluation_submit(evaluation=evaluation, by=users["verifikator"])
    return evaluation


GUIDELINE = """<h1>Pedoman Teknis Perencanaan Kinerja</h1>
<p>Peraturan Wali Kota tentang pedoman penyusunan perencanaan kinerja perangkat daerah:
pohon kinerja, indikator kinerja utama, perjanjian kinerja dan rencana aksi.</p>"""


def _demo_evidence(
    evaluation: SakipEvaluation, by_code: dict[str, SakipCriterion], by: User
) -> None:
    """Evidence for a few criteria: Kinerja's own documents, and an uploaded file."""
    from weasyprint import HTML

    offered = {d.key.split(":")[0]: d.key for d in evidence.kinerja_documents(evaluation)}
    for code, key in (("1.a.3", "matrix"), ("3.a.1", "lkjip"), ("1.b.1", "doc")):
        if key in offered:
            evidence.evidence_pick(
                evaluation=evaluation, criterion_id=by_code[code].pk, key=offered[key], by=by
            )
    evidence.evidence_upload(
        evaluation=evaluation,
        criterion_id=by_code["1.a.1"].pk,
        data=HTML(string=GUIDELINE).write_pdf(),
        filename="pedoman-perencanaan-kinerja.pdf",
        kind=EvidenceDocument.Kind.DECREE,
        title="Perwali pedoman teknis perencanaan kinerja",
        year=evaluation.year,
        by=by,
    )


def unit_self_assessment(gov: Government, unit: Unit, year: int) -> SakipEvaluation:
    """A unit's evaluation of a year at its self-assessment, half answered by its operator."""
    users = _demo_users(gov)
    evaluation = services.evaluation_start(
        government=gov, year=year, unit=unit, by=users["inspektur"]
    )
    criteria = _criteria(selectors.worksheet_tree(evaluation.worksheet))
    half = criteria[: len(criteria) // 2]
    operator = users["operator-dinkes"]
    services.answers_save(
        evaluation=evaluation,
        answers={
            c.pk: {
                "answer": "Y" if c.answer_type == "yes_no" else "B",
                "note": NOTES["Y" if c.answer_type == "yes_no" else "B"],
                "links": "",
            }
            for c in half
        },
        by=operator,
    )
    assert evaluation.status == SakipEvaluation.Status.DRAFT
    return evaluation


def record_spending(budgets: QuerySet[Budget], *, seed: int) -> None:
    """What was spent of each budget (85–99 %), repeatable."""
    rng = random.Random(seed)  # noqa: S311 - repeatable demo figures
    rows = list(budgets.order_by("pk"))
    for b in rows:
        share = Decimal(rng.randint(850, 990)) / 1000
        b.spent = (b.amount * share).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    Budget.objects.bulk_update(rows, ["spent"])


def load_demo_evaluation(gov: Government) -> None:
    planner = User.objects.get(government=gov, username="perencana")
    inspector = User.objects.get(government=gov, username="inspektur")
    data = json.loads(WORKSHEET.read_text(encoding="utf-8"))
    worksheet = services.worksheet_load(government=gov, data={**data, "rules": RULES}, by=planner)
    # The units are evaluated on their own worksheet, a copy the inspectorate may adapt.
    services.worksheet_copy(
        worksheet=worksheet,
        by=inspector,
        name="LKE Perangkat Daerah (turunan PermenPAN-RB 88/2021)",
        level=SakipWorksheet.Level.UNIT,
    )
    configure_tiers(gov)

    for year, target in TARGETS.items():
        evaluate(gov, year, target, by=inspector)

    # Budget realisation (spent) for the years already closed in the books.
    record_spending(Budget.objects.filter(government=gov, year__lte=2022), seed=2022)

    # Reward and punishment: 2021 decided and closed, 2022 still open.
    for year in (2021, 2022):
        policy = services.incentive_policy_save(
            government=gov,
            year=year,
            by=planner,
            performance_share=Decimal(70),
            warning_below=Decimal(75),
            sanction_below=Decimal(60),
            yearly_base_head=Decimal(216_000_000),
            yearly_base_other=Decimal(96_000_000),
            bands=BANDS,
        )
        if year == 2021:
            services.incentive_year_close(policy=policy, by=planner)


RECOMMENDATIONS = [
    "Menetapkan pedoman teknis perencanaan kinerja dengan peraturan wali kota dan memastikan "
    "setiap perangkat daerah menurunkan sasaran ke tingkat eselon III dan IV.",
    "Mereviu indikator kinerja utama perangkat daerah bersama Bappeda agar memenuhi kriteria "
    "SMART dan dapat diukur dari data sistem informasi.",
    "Menyajikan dalam LKjIP perbandingan capaian dengan target jangka menengah dan capaian "
    "tahun-tahun sebelumnya, serta analisis efisiensi penggunaan anggaran.",
    "Melaksanakan evaluasi akuntabilitas kinerja internal atas seluruh perangkat daerah dan "
    "memantau tindak lanjut rekomendasinya setiap triwulan.",
]
FOLLOW_UPS = [
    (
        "done",
        "Perwali pedoman teknis perencanaan kinerja ditetapkan dan disosialisasikan ke semua "
        "perangkat daerah.",
        datetime.date(2023, 8, 14),
    ),
    (
        "in_progress",
        "Reviu indikator kinerja bersama Bappeda berjalan; 31 dari 45 perangkat daerah selesai.",
        datetime.date(2023, 10, 2),
    ),
]


def demo_lhe(gov: Government, year: int) -> LheReport:
    """The LHE of the government's final evaluation of a year: drafted from its scores, issued
    and signed by the inspector, its first recommendations followed up by the planners."""
    users = _demo_users(gov)
    inspector, planner = users["inspektur"], users["perencana"]
    evaluation = SakipEvaluation.objects.get(government=gov, year=year, unit=None)
    report = lhe.lhe_draft(evaluation=evaluation, by=inspector)
    # The inspectorate rewrites the drafted recommendations in its own words.
    drafted = list(report.items.all())
    lhe.lhe_save(
        report=report,
        summary=report.summary
        + " Perencanaan dan pengukuran kinerja sudah memadai; pemanfaatan hasil pengukuran "
        "dan evaluasi internal perlu diperdalam.",
        items=[
            {"component": item.component_id, "finding": item.finding, "recommendation": text}
            for item, text in zip(drafted, RECOMMENDATIONS, strict=False)
        ],
        by=inspector,
    )
    issued_on = datetime.date(year + 1, 6, 15)
    document = lhe.lhe_issue(report=report, by=inspector, on=issued_on)
    secret = demo_passphrase(inspector)
    document_sign(document=document, by=inspector, passphrase=secret, on=issued_on)
    for item, (status, text, on) in zip(report.items.all(), FOLLOW_UPS, strict=False):
        lhe.follow_up_save(item=item, status=status, follow_up=text, followed_on=on, by=planner)
    return report


ANALYSES = [
    (
        "Program prioritas berjalan sesuai jadwal dan didukung data yang diverifikasi tiap "
        "triwulan; kolaborasi dengan perangkat daerah terkait berjalan baik.",
        "Mempertahankan pemantauan triwulanan dan memperluas kegiatan ke kelurahan yang "
        "capaiannya masih rendah.",
    ),
    (
        "Sebagian kegiatan tertunda karena pengadaan baru selesai pada triwulan III, sehingga "
        "realisasi belum mencapai target.",
        "Pengadaan dimajukan ke triwulan I tahun berikutnya dan rencana aksi ditinjau setiap "
        "bulan bersama Bappeda.",
    ),
]


def demo_lkjip_analysis(gov: Government, year: int, unit: Unit | None) -> int:
    """The analysis of the first indicators of the government's (or a unit's) LKjIP for a
    year that a demo account reports: causes, measures and a national figure to compare
    with, each written by whoever reports the indicator's figures."""
    users = _demo_users(gov)
    writers = [users["perencana"], users["operator-dinkes"]]
    context = report.report_context(gov, year, unit)
    written = 0
    for n, line in enumerate(
        [line for line in context["lines"] if any(can_report(w, line.indicator) for w in writers)][
            :4
        ]
    ):
        by = next(w for w in writers if can_report(w, line.indicator))
        causes, measures = ANALYSES[n % 2]
        target = line.status.target
        written += report.analyses_save(
            government=gov,
            year=year,
            rows={
                line.indicator.pk: {
                    "causes": causes,
                    "measures": measures,
                    "national_value": (target * Decimal("0.96")).quantize(Decimal("0.01"))
                    if target is not None
                    else None,
                    "national_source": f"Angka nasional {year} (contoh demo)",
                }
            },
            by=by,
        )
    return written
