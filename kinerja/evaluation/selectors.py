"""Reads for evaluation: scorecards (live for an open year, frozen for a closed one), the
allowance per unit and per position holder, and SAKIP worksheets and scores, each in a fixed
number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kinerja.accounts.models import Government, Person, Position, PositionAssignment, Unit
from kinerja.evaluation import incentive, sakip
from kinerja.evaluation.models import (
    IncentiveBand,
    IncentivePolicy,
    PersonAllowance,
    SakipCriterion,
    SakipEvaluation,
    SakipWorksheet,
    UnitScore,
)
from kinerja.monitoring import selectors as monitoring
from kinerja.monitoring.selectors import QUARTERS

DEFAULT_BANDS = (
    (Decimal(90), Decimal(100)),
    (Decimal(80), Decimal(90)),
    (Decimal(70), Decimal(80)),
    (Decimal(60), Decimal(70)),
    (Decimal(0), Decimal(50)),
)


# --- reward and punishment -------------------------------------------------------------


def incentive_policy(government: Government, year: int) -> IncentivePolicy | None:
    return (
        IncentivePolicy.objects.filter(government=government, year=year)
        .prefetch_related("bands")
        .first()
    )


def bands_of(policy: IncentivePolicy | None) -> list[incentive.Band]:
    if policy is None or policy.pk is None:
        return [incentive.Band(m, f) for m, f in DEFAULT_BANDS]
    rows: list[IncentiveBand] = list(policy.bands.all())
    return [incentive.Band(b.min_score, b.factor) for b in rows]


@dataclass
class ScoreRow:
    unit: Unit
    score: Decimal | None
    rank: int | None
    indicators: int
    factor: Decimal | None
    consequence: str


@dataclass
class Scorecard:
    government: Government
    year: int
    policy: IncentivePolicy | None
    frozen: bool
    rows: list[ScoreRow] = field(default_factory=list)

    def row_for(self, unit: Unit) -> ScoreRow | None:
        return next((r for r in self.rows if r.unit.pk == unit.pk), None)


def rank(
    scores: list[tuple[Unit, Decimal | None]],
) -> list[tuple[Unit, Decimal | None, int | None]]:
    """Best first; equal scores share a rank (1, 2, 2, 4); units without a score come last
    without a rank."""
    ordered = sorted(scores, key=lambda s: (s[1] is None, -(s[1] or Decimal(0)), s[0].code))
    result: list[tuple[Unit, Decimal | None, int | None]] = []
    previous: Decimal | None = None
    current_rank = 0
    for position, (unit, score) in enumerate(ordered, start=1):
        if score is None:
            result.append((unit, None, None))
            continue
        if score != previous:
            current_rank, previous = position, score
        result.append((unit, score, current_rank))
    return result


def scorecard(government: Government, year: int) -> Scorecard:
    """Each unit's weighted achievement for the year (its period-to-date roll-up at the
    fourth quarter, with the government's cap and weights), its rank, allowance factor and
    consequence. A closed year is read from what was stored when it closed."""
    policy = incentive_policy(government, year)
    if policy is not None and policy.is_closed:
        stored = UnitScore.objects.filter(policy=policy).select_related("unit")
        rows = [
            ScoreRow(s.unit, s.score, s.rank, s.indicators, s.factor, s.consequence)
            for s in sorted(stored, key=lambda s: (s.rank is None, s.rank or 0, s.unit.code))
        ]
        return Scorecard(government, year, policy, True, rows)
    view = monitoring.overview(government, year=year, as_of_quarter=QUARTERS)
    counts = {node.obj.pk: len(node.all_statuses()) for node in view.units}  # type: ignore[attr-defined]
    bands = bands_of(policy)
    warning_below = policy.warning_below if policy else Decimal(75)
    sanction_below = policy.sanction_below if policy else Decimal(60)
    rows = []
    for unit, score, position in rank([(n.obj, n.to_date.value) for n in view.units]):  # type: ignore[misc]
        rows.append(
            ScoreRow(
                unit=unit,
                score=score,
                rank=position,
                indicators=counts.get(unit.pk, 0),
                factor=incentive.allowance_factor(score, bands),
                consequence=incentive.consequence(
                    score, warning_below=warning_below, sanction_below=sanction_below
                ),
            )
        )
    return Scorecard(government, year, policy, False, rows)


def scorecards(government: Government, years: list[int]) -> dict[int, Scorecard]:
    """The scorecard of each year asked for (a trend reads several years, once each)."""
    return {year: scorecard(government, year) for year in years}


def score_trend(cards: dict[int, Scorecard]) -> dict[int, dict[int, Decimal | None]]:
    """{unit id: {year: score}} from the years' scorecards."""
    trend: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for year, card in cards.items():
        for row in card.rows:
            trend[row.unit.pk][year] = row.score
    return trend


@dataclass
class PersonRow:
    unit: Unit
    person: Person
    position_title: str
    days_held: int
    base: Decimal
    performance_part: Decimal
    discipline_part: Decimal
    predicate: str = ""  # the employee's predicate of the year ("" when none)
    factor: Decimal | None = None  # the performance factor paid, percent

    @property
    def predicate_label(self) -> str:
        from kinerja.employees.models import EMPLOYEE_PREDICATE_CHOICES

        return str(dict(EMPLOYEE_PREDICATE_CHOICES).get(self.predicate, ""))

    @property
    def total(self) -> Decimal:
        return self.performance_part + self.discipline_part


def _overlap_days(a: PositionAssignment, year: int) -> int:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    start = max(a.start, first)
    end = min(a.end or last, last)
    return max((end - start).days + 1, 0)


def _acting_prefix(a: PositionAssignment) -> str:
    return {"plt": "Plt. ", "plh": "Plh. "}.get(a.acting, "")


def person_allowances(card: Scorecard) -> list[PersonRow]:
    """Everyone who held a position in a unit during the year, with their allowance for the
    days they held it (acting holders too: Plt. and Plh. hold the position)."""
    policy = card.policy
    if policy is None:
        return []
    if card.frozen:
        return [
            PersonRow(
                a.unit,
                a.person,
                a.position_title,
                a.days_held,
                a.base,
                a.performance_part,
                a.discipline_part,
                a.predicate,
                a.factor,
            )
            for a in PersonAllowance.objects.filter(policy=policy).select_related("unit", "person")
        ]
    year = card.year
    days_in_year = (datetime.date(year, 12, 31) - datetime.date(year, 1, 1)).days + 1
    factors = {r.unit.pk: r.factor for r in card.rows}
    units = {r.unit.pk: r.unit for r in card.rows}
    assignments = (
        PositionAssignment.objects.filter(
            position__government=card.government,
            position__unit__isnull=False,
            start__lte=datetime.date(year, 12, 31),
        )
        .exclude(end__lt=datetime.date(year, 1, 1))
        .select_related("position", "person")
        .order_by("position__unit__kind", "position__unit__code", "position__kind", "start")
    )
    predicates = employee_predicates(card.government, year)
    by_predicate = {
        key: Decimal(str(value)) for key, value in (policy.predicate_factors or {}).items()
    }
    rows = []
    for a in assignments:
        unit = units.get(a.position.unit_id)  # type: ignore[arg-type]
        if unit is None:
            continue
        days = _overlap_days(a, year)
        head = a.position.kind == Position.Kind.UNIT_HEAD
        yearly = policy.yearly_base_head if head else policy.yearly_base_other
        predicate = predicates.get(a.person_id, "")
        # The person's predicate decides the factor where the government maps it; otherwise
        # (or without a predicate) the unit's factor, as for everyone before the cascade.
        factor = by_predicate.get(predicate) if predicate in by_predicate else factors.get(unit.pk)
        amount = incentive.allowance(
            yearly_base=yearly,
            days_held=days,
            days_in_year=days_in_year,
            performance_share=policy.performance_share,
            factor=factor,
        )
        rows.append(
            PersonRow(
                unit=unit,
                person=a.person,
                position_title=_acting_prefix(a) + a.position.title,
                days_held=days,
                base=amount.base,
                performance_part=amount.performance_part,
                discipline_part=amount.discipline_part,
                predicate=predicate,
                factor=factor,
            )
        )
    return rows


def employee_predicates(government: Government, year: int) -> dict[int, str]:
    """Each person's predicate of the year: the final one recorded in e-Kinerja when imported,
    else the annual rating of their SKP."""
    from kinerja.employees.models import Skp, SkpAssessment

    result = {}
    for skp in Skp.objects.filter(government=government, year=year).prefetch_related("assessments"):
        annual = next((x for x in skp.assessments.all() if x.period == SkpAssessment.ANNUAL), None)
        chosen = skp.ekinerja_predicate or (annual.predicate if annual else "")
        if chosen:
            result[skp.person_id] = chosen
    return result


# --- SAKIP -----------------------------------------------------------------------------


def active_worksheet(government: Government, level: str = "government") -> SakipWorksheet | None:
    """The newest worksheet of the level; a unit with no unit worksheet yet is evaluated on
    the government's."""
    worksheets = SakipWorksheet.objects.filter(government=government).order_by("-created_at", "-pk")
    found = worksheets.filter(level=level).first()
    if found is None and level == SakipWorksheet.Level.UNIT:
        found = worksheets.filter(level=SakipWorksheet.Level.GOVERNMENT).first()
    return found


def worksheet_tree(worksheet: SakipWorksheet) -> SakipWorksheet:
    """The worksheet with its components, sub-components and criteria read in four queries."""
    return SakipWorksheet.objects.prefetch_related("components__subcomponents__criteria").get(
        pk=worksheet.pk, government_id=worksheet.government_id
    )


def worksheet_spec(worksheet: SakipWorksheet) -> list[sakip.Component]:
    """The worksheet as plain values for `sakip.score` (prefetched by `worksheet_tree`)."""
    return [
        sakip.Component(
            key=component.pk,
            weight=component.weight,
            subcomponents=tuple(
                sakip.SubComponent(
                    key=sub.pk,
                    weight=sub.weight,
                    criteria=tuple(
                        sakip.Criterion(key=c.pk, answer_type=c.answer_type)
                        for c in sub.criteria.all()
                    ),
                )
                for sub in component.subcomponents.all()
            ),
        )
        for component in worksheet.components.all()
    ]


def grade_bounds(worksheet: SakipWorksheet) -> list[tuple[str, Decimal]]:
    if not worksheet.grade_bounds:
        return list(sakip.DEFAULT_GRADE_BOUNDS)
    return [(str(name), Decimal(str(bound))) for name, bound in worksheet.grade_bounds]


def answer_values(worksheet: SakipWorksheet) -> dict[str, dict[str, Decimal]]:
    """The worksheet's value of each answer, per answer type (the regulation's by default)."""
    if not worksheet.answer_values:
        return {t: dict(v) for t, v in sakip.ANSWER_VALUES.items()}
    return {
        str(kind): {str(a): Decimal(str(v)) for a, v in answers.items()}
        for kind, answers in worksheet.answer_values.items()
    }


def evaluation_score(
    evaluation: SakipEvaluation,
    worksheet: SakipWorksheet | None = None,
    *,
    stage: int | None = None,
) -> sakip.Score:
    """The score of the answers at a stage (the current one by default: the final answers
    once final; 0: the self-assessment)."""
    tree = worksheet or worksheet_tree(evaluation.worksheet)
    stage = evaluation.stage if stage is None else stage
    answers: dict[int | str, str | None] = dict(
        evaluation.answers.filter(stage=stage).values_list("criterion_id", "answer")
    )
    return sakip.score(
        worksheet_spec(tree),
        answers,
        values=answer_values(tree),
        method=tree.scoring_method,
        fulfilled_from=tree.fulfilled_from,
        qualifiers=qualifiers_at(evaluation, stage),
    )


def qualifiers_at(evaluation: SakipEvaluation, stage: int) -> dict[int | str, str]:
    """The sub-component qualifiers (A, AA) given at a stage, by sub-component id."""
    given = (evaluation.qualifiers or {}).get(str(stage), {})
    return {int(sub): str(q) for sub, q in given.items()}


@dataclass(frozen=True)
class Warning:
    """A consistency rule the answers break, with its two criteria, for the page."""

    criterion: SakipCriterion
    prerequisite: SakipCriterion
    value: Decimal
    prerequisite_value: Decimal


def inconsistencies(
    evaluation: SakipEvaluation, worksheet: SakipWorksheet | None = None
) -> list[Warning]:
    """The worksheet's consistency rules (kerangka logis) the evaluation's answers break."""
    tree = worksheet or worksheet_tree(evaluation.worksheet)
    if not tree.rules:
        return []
    by_code = {
        k.code: k
        for c in tree.components.all()
        for s in c.subcomponents.all()
        for k in s.criteria.all()
    }
    given = dict(
        evaluation.answers.filter(stage=evaluation.stage).values_list("criterion_id", "answer")
    )
    values = answer_values(tree)
    value_of = {
        code: sakip.answer_value(k.answer_type, given.get(k.pk), values)
        for code, k in by_code.items()
    }
    rules = [sakip.Rule(str(a), str(b)) for a, b in tree.rules]
    return [
        Warning(
            by_code[i.rule.criterion], by_code[i.rule.prerequisite], i.value, i.prerequisite_value
        )
        for i in sakip.check_rules(rules, value_of)
    ]


@dataclass
class GradeYear:
    year: int
    evaluation: SakipEvaluation
    previous: SakipEvaluation | None

    @property
    def change(self) -> Decimal | None:
        if self.previous is None or self.previous.score is None or self.evaluation.score is None:
            return None
        return self.evaluation.score - self.previous.score


def government_grades(government: Government) -> list[GradeYear]:
    """The government's final evaluations, newest first, each beside the year before."""
    finals = list(
        SakipEvaluation.objects.filter(
            government=government, unit__isnull=True, status=SakipEvaluation.Status.FINAL
        ).order_by("year")
    )
    by_year = {e.year: e for e in finals}
    return [GradeYear(e.year, e, by_year.get(e.year - 1)) for e in reversed(finals)]


@dataclass
class NationalGrades:
    year: int
    rows: list[dict[str, Any]]  # government, province, score, grade, per final evaluation
    by_grade: dict[str, int]
    by_province: dict[str, dict[str, int]]
    missing: int  # governments without a final evaluation that year


def national_grades(year: int) -> NationalGrades:
    """Every government's final SAKIP grade of a year, with the counts per grade and per
    province: the platform's cross-government report. Two queries, whatever the number of
    governments (an index on (year, status) serves it; on Citus it runs on every shard)."""
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in SakipEvaluation.objects.filter(
            year=year, unit__isnull=True, status=SakipEvaluation.Status.FINAL
        )
        .order_by("government__province", "government__name")
        .values("government_id", "government__name", "government__province", "score", "grade")
    ]
    total = Government.objects.count()
    by_grade: dict[str, int] = {g: 0 for g, _bound in sakip.DEFAULT_GRADE_BOUNDS}
    by_grade.setdefault("D", 0)
    by_province: dict[str, dict[str, int]] = {}
    for row in rows:
        by_grade[row["grade"]] = by_grade.get(row["grade"], 0) + 1
        province = by_province.setdefault(row["government__province"], {})
        province[row["grade"]] = province.get(row["grade"], 0) + 1
    return NationalGrades(
        year=year, rows=rows, by_grade=by_grade, by_province=by_province, missing=total - len(rows)
    )
