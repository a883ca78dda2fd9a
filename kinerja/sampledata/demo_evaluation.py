"""The demo's evaluation: the SAKIP worksheet of PermenPAN-RB 88/2021, the government's
self-evaluations of 2021 (BB) and 2022 (A) — the seed's city went from BB to A — and a unit
evaluation in progress; the reward-and-punishment policy of 2021 (closed) and 2022 (open);
and what was spent of each budget. Deterministic: the same figures on every load."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db.models import QuerySet

from kinerja.accounts.models import Government, Unit, User
from kinerja.evaluation import sakip, selectors, services
from kinerja.evaluation.models import SakipCriterion, SakipEvaluation
from kinerja.planning.models import Budget

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


def _answers_for(
    spec: list[sakip.Component], criteria: list[SakipCriterion], target: Decimal, seed: int
) -> dict[int | str, str | None]:
    """Start from a perfect worksheet and weaken answers, in a fixed shuffled order, until
    the score is at or just below the target."""
    answers: dict[int | str, str | None] = {
        c.pk: ("Y" if c.answer_type == SakipCriterion.AnswerType.YES_NO else "A") for c in criteria
    }
    order = [c.pk for c in criteria]
    random.Random(seed).shuffle(order)  # noqa: S311 - a fixed order, not a secret
    while sakip.score(spec, answers).total > target:
        for pk in order:
            current = answers[pk]
            if current in WEAKER:
                answers[pk] = WEAKER[current]
                if sakip.score(spec, answers).total <= target:
                    break
        else:
            break
    return answers


NOTES = {
    "Y": "Dokumen tersedia dan telah ditetapkan.",
    "T": "Belum tersedia pada tahun evaluasi.",
    "A": "Terpenuhi seluruhnya, didukung bukti.",
    "B": "Sebagian besar terpenuhi.",
    "C": "Terpenuhi sebagian; perlu perbaikan.",
    "D": "Baru sebagian kecil terpenuhi.",
}


def evaluate(gov: Government, year: int, target: Decimal, *, by: User) -> SakipEvaluation:
    """The government's final self-evaluation of a year on its newest worksheet, its answers
    brought down from perfect to the target score."""
    evaluation = services.evaluation_start(government=gov, year=year, unit=None, by=by)
    tree = selectors.worksheet_tree(evaluation.worksheet)
    spec = selectors.worksheet_spec(tree)
    criteria = [
        k for c in tree.components.all() for s in c.subcomponents.all() for k in s.criteria.all()
    ]
    answers = _answers_for(spec, criteria, target, seed=year)
    services.answers_save(
        evaluation=evaluation,
        answers={
            int(pk): {
                "answer": answer or "",
                "note": NOTES.get(answer or "", ""),
                "links": f"/evaluasi/lkjip/unduh/?tahun={year}",
            }
            for pk, answer in answers.items()
        },
        by=by,
    )
    return services.evaluation_finalize(evaluation=evaluation, by=by)


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
    worksheet = services.worksheet_load(
        government=gov, data=WORKSHEET.read_text(encoding="utf-8"), by=planner
    )
    tree = selectors.worksheet_tree(worksheet)
    criteria = [
        k for c in tree.components.all() for s in c.subcomponents.all() for k in s.criteria.all()
    ]

    for year, target in TARGETS.items():
        evaluate(gov, year, target, by=inspector)

    # A unit's evaluation of 2022, half answered: the inspectorate is at work.
    dinkes = Unit.objects.get(government=gov, short_name="Dinkes")
    evaluation = services.evaluation_start(government=gov, year=2022, unit=dinkes, by=inspector)
    half = criteria[: len(criteria) // 2]
    services.answers_save(
        evaluation=evaluation,
        answers={
            c.pk: {"answer": "Y" if c.answer_type == "yes_no" else "B", "note": "", "links": ""}
            for c in half
        },
        by=inspector,
    )
    assert evaluation.status == SakipEvaluation.Status.DRAFT

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
