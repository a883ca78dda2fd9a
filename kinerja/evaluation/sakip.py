"""The SAKIP self-evaluation arithmetic (PermenPAN-RB 88/2021), pure Python over plain values.

A worksheet has components (planning 30, measurement 30, reporting 15, internal evaluation
25), each split into sub-components (fulfilment 20%, quality 30%, use 50% of the component);
criteria inside a sub-component weigh equally. A criterion is answered Yes/No (1/0) or A–E
(1, 0.75, 0.5, 0.25, 0). The score is the sum of the components' points, 0 to 100, kept
unrounded; `grade` maps it to AA … D with bounds open below (80.00 is BB, 80.01 is A).

The weights, the answer values and the grade bounds are data, so a changed regulation is a
changed worksheet, not changed code. Two scoring methods are in use and are a property of the
worksheet (`score(..., method=...)`):

- MEAN (the regulation's own arithmetic, and the shipped worksheet's): a sub-component earns its
  points times the mean of its criteria's answer values;
- PREDICATE (seen in several governments' sheets; the regulation's text on it was not read, so
  it is offered, not imposed): a sub-component gets a predicate from the share of its criteria
  fulfilled (an answer whose value reaches `fulfilled_from`, by default the highest), AA or A
  only with the qualifier the evaluator records (documents kept 5 / 1 years; innovation), and
  earns that predicate's share of its points (AA 100, A 90, BB 80, B 70, CC 60, C 50, D 30 %).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

YES_NO = "yes_no"
A_TO_E = "a_e"

ANSWER_VALUES: dict[str, dict[str, Decimal]] = {
    YES_NO: {"Y": Decimal(1), "T": Decimal(0)},
    A_TO_E: {
        "A": Decimal(1),
        "B": Decimal("0.75"),
        "C": Decimal("0.5"),
        "D": Decimal("0.25"),
        "E": Decimal(0),
    },
}

MEAN = "mean"
PREDICATE = "predicate"
METHODS = (MEAN, PREDICATE)

# A sub-component's predicate under PREDICATE: (predicate, least share of criteria fulfilled),
# highest first; AA and A also need the evaluator's qualifier. Below the last: "D".
PREDICATE_SHARES: tuple[tuple[str, Decimal], ...] = (
    ("BB", Decimal(1)),
    ("B", Decimal("0.75")),
    ("CC", Decimal("0.5")),
    ("C", Decimal("0.25")),
)
# What each predicate earns, in percent of the sub-component's points.
PREDICATE_PERCENT: dict[str, Decimal] = {
    "AA": Decimal(100),
    "A": Decimal(90),
    "BB": Decimal(80),
    "B": Decimal(70),
    "CC": Decimal(60),
    "C": Decimal(50),
    "D": Decimal(30),
}
# The qualifiers that lift a fully met sub-component above BB (recorded by the evaluator).
QUALIFIED = {"AA": "AA", "A": "A"}

# (grade, the score it must exceed); below the last bound: "D".
DEFAULT_GRADE_BOUNDS: tuple[tuple[str, Decimal], ...] = (
    ("AA", Decimal(90)),
    ("A", Decimal(80)),
    ("BB", Decimal(70)),
    ("B", Decimal(60)),
    ("CC", Decimal(50)),
    ("C", Decimal(30)),
)
LOWEST_GRADE = "D"
HUNDRED = Decimal(100)


def answer_value(
    answer_type: str,
    answer: str | None,
    values: Mapping[str, Mapping[str, Decimal]] = ANSWER_VALUES,
) -> Decimal | None:
    """The value of an answer under the worksheet's answer values, or None when unanswered;
    an answer not of the type raises."""
    if answer in (None, ""):
        return None
    try:
        return Decimal(str(values[answer_type][str(answer).upper()]))
    except KeyError:
        raise ValueError(f"Jawaban {answer!r} tidak berlaku untuk jenis {answer_type}.") from None


def subcomponent_predicate(
    values: Sequence[Decimal | None], *, fulfilled_from: Decimal, qualifier: str = ""
) -> str:
    """The PREDICATE method's predicate of a sub-component: from the share of its criteria whose
    value reaches `fulfilled_from`; a fully met one is AA or A with that qualifier, else BB."""
    if not values:
        return LOWEST_GRADE
    met = sum(1 for v in values if v is not None and v >= fulfilled_from)
    share = Decimal(met) / Decimal(len(values))
    for name, least in PREDICATE_SHARES:
        if share >= least:
            if name == "BB" and qualifier in QUALIFIED:
                return QUALIFIED[qualifier]
            return name
    return LOWEST_GRADE


def grade(
    score: Decimal | int | float | str,
    bounds: Sequence[tuple[str, Decimal | int | str]] = DEFAULT_GRADE_BOUNDS,
) -> str:
    """The grade of a score from 0 to 100: the first grade whose bound the score exceeds."""
    value = Decimal(str(score))
    if not value.is_finite() or value < 0 or value > HUNDRED:
        raise ValueError(f"Nilai SAKIP harus antara 0 dan 100, bukan {score}.")
    for name, bound in sorted(bounds, key=lambda b: Decimal(str(b[1])), reverse=True):
        if value > Decimal(str(bound)):
            return name
    return LOWEST_GRADE


@dataclass(frozen=True)
class Criterion:
    key: int | str
    answer_type: str


@dataclass(frozen=True)
class SubComponent:
    key: int | str
    weight: Decimal  # percent of its component (20, 30, 50)
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Component:
    key: int | str
    weight: Decimal  # points of the total (30, 30, 15, 25)
    subcomponents: tuple[SubComponent, ...]


@dataclass
class Score:
    total: Decimal
    components: dict[int | str, Decimal] = field(default_factory=dict)
    subcomponents: dict[int | str, Decimal] = field(default_factory=dict)
    answered: int = 0
    criteria: int = 0
    # Under the PREDICATE method: each sub-component's predicate (AA … D).
    predicates: dict[int | str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.answered == self.criteria


@dataclass(frozen=True)
class WeightProblem:
    """Weights that do not add up to 100: the components' (component None) or the
    sub-components' of one component."""

    component: int | str | None
    total: Decimal


def check_weights(components: Sequence[Component]) -> list[WeightProblem]:
    """What is wrong with a worksheet's weights (empty when they add up)."""
    problems = []
    total = sum((c.weight for c in components), Decimal(0))
    if total != HUNDRED:
        problems.append(WeightProblem(None, total))
    for c in components:
        sub_total = sum((s.weight for s in c.subcomponents), Decimal(0))
        if c.subcomponents and sub_total != HUNDRED:
            problems.append(WeightProblem(c.key, sub_total))
    return problems


def score(
    components: Sequence[Component],
    answers: Mapping[int | str, str | None],
    *,
    values: Mapping[str, Mapping[str, Decimal]] = ANSWER_VALUES,
    method: str = MEAN,
    fulfilled_from: Decimal | None = None,
    qualifiers: Mapping[int | str, str] | None = None,
) -> Score:
    """The worksheet's score. An unanswered criterion counts as 0 (and `complete` is false);
    a sub-component without criteria contributes nothing. `values`: the worksheet's answer
    values; `method`: MEAN or PREDICATE (`fulfilled_from`: the least value that fulfils a
    criterion, by default the highest value of its type; `qualifiers`: per sub-component key,
    "AA" or "A" where the evaluator recorded one)."""
    if method not in METHODS:
        raise ValueError(f"Metode penilaian tidak dikenal: {method}.")
    result = Score(total=Decimal(0))
    for component in components:
        points = Decimal(0)
        for sub in component.subcomponents:
            sub_values: list[Decimal | None] = []
            for criterion in sub.criteria:
                result.criteria += 1
                value = answer_value(criterion.answer_type, answers.get(criterion.key), values)
                if value is not None:
                    result.answered += 1
                sub_values.append(value)
            if not sub_values:
                result.subcomponents[sub.key] = Decimal(0)
                continue
            full = component.weight * sub.weight / HUNDRED
            if method == MEAN:
                mean = sum((v or Decimal(0) for v in sub_values), Decimal(0)) / len(sub_values)
                sub_points = full * mean
            else:
                top = fulfilled_from
                if top is None:
                    top = min(
                        max(Decimal(str(v)) for v in values[c.answer_type].values())
                        for c in sub.criteria
                    )
                predicate = subcomponent_predicate(
                    sub_values,
                    fulfilled_from=top,
                    qualifier=(qualifiers or {}).get(sub.key, ""),
                )
                result.predicates[sub.key] = predicate
                sub_points = full * PREDICATE_PERCENT[predicate] / HUNDRED
            result.subcomponents[sub.key] = sub_points
            points += sub_points
        result.components[component.key] = points
        result.total += points
    return result


# --- consistency rules (kerangka logis) ------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A criterion may not be valued above its prerequisite (e.g. the quality of a document
    above its existence). Criteria are named by their code: component, sub-component letter,
    number ("1.b.3")."""

    criterion: str
    prerequisite: str


@dataclass(frozen=True)
class Inconsistency:
    rule: Rule
    value: Decimal
    prerequisite_value: Decimal


def check_rules(
    rules: Sequence[Rule], values_by_code: Mapping[str, Decimal | None]
) -> list[Inconsistency]:
    """The rules the answers break: a criterion answered above its prerequisite (an unanswered
    prerequisite counts as 0; an unanswered criterion breaks nothing)."""
    broken = []
    for rule in rules:
        value = values_by_code.get(rule.criterion)
        if value is None:
            continue
        prerequisite = values_by_code.get(rule.prerequisite) or Decimal(0)
        if value > prerequisite:
            broken.append(Inconsistency(rule, value, prerequisite))
    return broken
