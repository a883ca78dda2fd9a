"""The SAKIP arithmetic: answer values, the worksheet score by hand, the grade at every bound."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.evaluation import sakip
from kinerja.evaluation.sakip import A_TO_E, YES_NO, Component, Criterion, SubComponent


def sub(key, weight, types):
    return SubComponent(
        key=key,
        weight=Decimal(weight),
        criteria=tuple(Criterion(key=f"{key}.{i}", answer_type=t) for i, t in enumerate(types)),
    )


def worksheet():
    """Two components of the 88/2021 shape, small enough to compute by hand."""
    return [
        Component(
            key="plan",
            weight=Decimal(30),
            subcomponents=(
                sub("p1", 20, [YES_NO] * 4),
                sub("p2", 30, [A_TO_E] * 2),
                sub("p3", 50, [A_TO_E] * 3),
            ),
        ),
        Component(
            key="rest",
            weight=Decimal(70),
            subcomponents=(
                sub("r1", 20, [YES_NO]),
                sub("r2", 30, [A_TO_E]),
                sub("r3", 50, [A_TO_E]),
            ),
        ),
    ]


def test_answer_values():
    assert sakip.answer_value(YES_NO, "Y") == 1
    assert sakip.answer_value(YES_NO, "t") == 0
    assert [sakip.answer_value(A_TO_E, x) for x in "ABCDE"] == [
        Decimal(1),
        Decimal("0.75"),
        Decimal("0.5"),
        Decimal("0.25"),
        Decimal(0),
    ]
    assert sakip.answer_value(A_TO_E, "") is None
    with pytest.raises(ValueError):
        sakip.answer_value(YES_NO, "B")
    with pytest.raises(ValueError):
        sakip.answer_value(A_TO_E, "F")


def test_score_by_hand():
    answers = {
        # plan: 3 of 4 yes → 30 × 20% × 0.75 = 4.5
        "p1.0": "Y", "p1.1": "Y", "p1.2": "Y", "p1.3": "T",
        # A and C → mean 0.75 → 30 × 30% × 0.75 = 6.75
        "p2.0": "A", "p2.1": "C",
        # B, D, E → mean 1/3 → 30 × 50% × 1/3 = 5
        "p3.0": "B", "p3.1": "D", "p3.2": "E",
        # rest: yes → 14; B → 70 × 30% × 0.75 = 15.75; D → 70 × 50% × 0.25 = 8.75
        "r1.0": "Y", "r2.0": "B", "r3.0": "D",
    }  # fmt: skip
    result = sakip.score(worksheet(), answers)
    assert result.subcomponents["p1"] == Decimal("4.5")
    assert result.subcomponents["p2"] == Decimal("6.75")
    assert result.subcomponents["p3"] == Decimal(5)
    assert result.components["plan"] == Decimal("16.25")
    assert result.components["rest"] == Decimal("38.5")
    assert result.total == Decimal("54.75")
    assert result.complete and result.answered == result.criteria == 12
    assert sakip.grade(result.total) == "CC"


def test_unanswered_counts_zero_and_incomplete():
    counts = [("p1", 4, "Y"), ("p2", 2, "A"), ("p3", 3, "A"), ("r1", 1, "Y"), ("r2", 1, "A")]
    full = {f"{s}.{i}": v for s, n, v in [*counts, ("r3", 1, "A")] for i in range(n)}
    assert sakip.score(worksheet(), full).total == 100
    del full["r3.0"]
    result = sakip.score(worksheet(), full)
    assert result.total == 65  # 100 − 70 × 50%
    assert not result.complete and result.answered == 11
    assert sakip.score(worksheet(), {}).total == 0


def test_check_weights():
    assert sakip.check_weights(worksheet()) == []
    broken = [worksheet()[0]]  # the plan component alone: 30 of 100
    assert sakip.check_weights(broken) == [sakip.WeightProblem(None, Decimal(30))]


# Every bound: the bound itself is the grade below; one hundredth above is the grade.
@pytest.mark.parametrize(
    ("bound", "at", "above"),
    [
        ("90", "A", "AA"),
        ("80", "BB", "A"),
        ("70", "B", "BB"),
        ("60", "CC", "B"),
        ("50", "C", "CC"),
        ("30", "D", "C"),
    ],
)
def test_grade_at_every_bound(bound, at, above):
    value = Decimal(bound)
    assert sakip.grade(value) == at
    assert sakip.grade(value + Decimal("0.01")) == above
    assert sakip.grade(value - Decimal("0.01")) == at


def test_grade_ends_and_types():
    assert sakip.grade(0) == "D"
    assert sakip.grade(100) == "AA"
    assert sakip.grade("80.00") == "BB"
    assert sakip.grade("80.01") == "A"
    assert sakip.grade(Decimal("80.0000001")) == "A"
    for bad in ("-0.01", "100.01", "NaN"):
        with pytest.raises(ValueError):
            sakip.grade(bad)


def test_grade_bounds_are_data():
    # The 2015 scheme and a ministry change are data: other bounds, other grades.
    bounds = [("A", Decimal(85)), ("B", Decimal(65))]
    assert sakip.grade(85, bounds) == "B"
    assert sakip.grade("85.01", bounds) == "A"
    assert sakip.grade(65, bounds) == "D"


@given(
    st.decimals(min_value=0, max_value=100, places=2),
    st.decimals(min_value=0, max_value=100, places=2),
)
def test_grade_is_monotonic(a, b):
    order = ["D", "C", "CC", "B", "BB", "A", "AA"]
    low, high = sorted((a, b))
    assert order.index(sakip.grade(low)) <= order.index(sakip.grade(high))


@given(
    st.lists(st.sampled_from("ABCDE"), min_size=9, max_size=9),
    st.lists(st.sampled_from("YT"), min_size=5, max_size=5),
)
def test_score_stays_within_0_and_100(letters, yes_no):
    answers = {}
    keys_a = ["p2.0", "p2.1", "p3.0", "p3.1", "p3.2", "r2.0", "r3.0"]
    keys_y = ["p1.0", "p1.1", "p1.2", "p1.3", "r1.0"]
    answers.update(zip(keys_a, letters, strict=False))
    answers.update(zip(keys_y, yes_no, strict=True))
    total = sakip.score(worksheet(), answers).total
    assert 0 <= total <= 100


# --- answer values as data, and the PREDICATE method (issue 17) -----------------------------

ONE_REGENCY = {  # a regency's sheet: four answers, thirds apart
    YES_NO: {"Y": Decimal(1), "T": Decimal(0)},
    A_TO_E: {"A": Decimal(1), "B": Decimal("0.66"), "C": Decimal("0.33"), "D": Decimal(0)},
}


def test_the_answer_values_are_the_worksheets():
    answers = {"p1.0": "Y", "p1.1": "Y", "p1.2": "Y", "p1.3": "T", "r1.0": "Y"}
    answers |= {key: "B" for key in ("p2.0", "p2.1", "p3.0", "p3.1", "p3.2", "r2.0", "r3.0")}
    result = sakip.score(worksheet(), answers, values=ONE_REGENCY)
    # By hand: plan 0,75 × 6 + 0,66 × 9 + 0,66 × 15 = 4,5 + 5,94 + 9,9 = 20,34;
    # rest 1 × 14 + 0,66 × 21 + 0,66 × 35 = 14 + 13,86 + 23,1 = 50,96.
    assert result.components == {"plan": Decimal("20.34"), "rest": Decimal("50.96")}
    assert result.total == Decimal("71.30") and sakip.grade(result.total) == "BB"
    with pytest.raises(ValueError):  # E is not an answer on that sheet
        sakip.score(worksheet(), {"p2.0": "E"}, values=ONE_REGENCY)


PREDICATE_ANSWERS = {
    "p1.0": "Y",
    "p1.1": "Y",
    "p1.2": "Y",
    "p1.3": "T",  # 3 of 4 met: B
    "p2.0": "A",
    "p2.1": "A",  # all met, with the evaluator's qualifier A: A
    "p3.0": "A",
    "p3.1": "B",
    "p3.2": "C",  # 1 of 3 met (only A fulfils): C
    "r1.0": "T",  # none: D
    "r2.0": "A",  # all met, no qualifier: BB
    "r3.0": "B",  # none: D
}


def test_the_predicate_method_by_hand():
    result = sakip.score(
        worksheet(), PREDICATE_ANSWERS, method=sakip.PREDICATE, qualifiers={"p2": "A", "p1": "AA"}
    )
    assert result.predicates == {
        "p1": "B",  # a qualifier lifts only a fully met sub-component
        "p2": "A",
        "p3": "C",
        "r1": "D",
        "r2": "BB",
        "r3": "D",
    }
    # Points: p1 70% × 6 = 4,2; p2 90% × 9 = 8,1; p3 50% × 15 = 7,5; r1 30% × 14 = 4,2;
    # r2 80% × 21 = 16,8; r3 30% × 35 = 10,5.
    assert result.subcomponents == {
        "p1": Decimal("4.2"),
        "p2": Decimal("8.1"),
        "p3": Decimal("7.5"),
        "r1": Decimal("4.2"),
        "r2": Decimal("16.8"),
        "r3": Decimal("10.5"),
    }
    assert result.total == Decimal("51.3") and sakip.grade(result.total) == "CC"
    # The same answers under the MEAN method, for comparison: 4,5 + 9 + 11,25 + 0 + 21 + 26,25.
    assert sakip.score(worksheet(), PREDICATE_ANSWERS).total == Decimal("72")


def test_what_fulfils_a_criterion_is_a_setting_of_the_predicate_method():
    result = sakip.score(
        worksheet(),
        PREDICATE_ANSWERS,
        method=sakip.PREDICATE,
        fulfilled_from=Decimal("0.5"),  # C or better fulfils
        qualifiers={"p2": "A"},
    )
    assert result.predicates["p3"] == "BB" and result.predicates["r3"] == "BB"
    # p3 80% × 15 = 12 and r3 80% × 35 = 28 instead of 7,5 and 10,5.
    assert result.total == Decimal("73.3")
    with pytest.raises(ValueError):
        sakip.score(worksheet(), {}, method="median")


@pytest.mark.parametrize(
    ("met", "of", "qualifier", "expected"),
    [
        (4, 4, "AA", "AA"),
        (4, 4, "A", "A"),
        (4, 4, "", "BB"),
        (3, 4, "AA", "B"),
        (2, 4, "", "CC"),
        (1, 4, "", "C"),
        (0, 4, "", "D"),
        (1, 5, "", "D"),  # 20% < 25%
    ],
)
def test_the_predicate_of_a_subcomponent_at_its_bounds(met, of, qualifier, expected):
    values = [Decimal(1)] * met + [Decimal(0)] * (of - met)
    assert (
        sakip.subcomponent_predicate(values, fulfilled_from=Decimal(1), qualifier=qualifier)
        == expected
    )


def test_consistency_rules_find_a_criterion_above_its_prerequisite():
    rules = [
        sakip.Rule("1.b.1", "1.a.1"),
        sakip.Rule("1.c.1", "1.b.2"),
        sakip.Rule("2.a.1", "1.a.2"),
    ]
    values = {
        "1.a.1": Decimal(0),
        "1.b.1": Decimal(1),  # above its prerequisite: broken
        "1.b.2": Decimal("0.75"),
        "1.c.1": Decimal("0.5"),  # below: kept
        "2.a.1": Decimal(1),  # its prerequisite unanswered counts as 0: broken
    }
    broken = sakip.check_rules(rules, values)
    assert [(b.rule.criterion, b.value, b.prerequisite_value) for b in broken] == [
        ("1.b.1", Decimal(1), Decimal(0)),
        ("2.a.1", Decimal(1), Decimal(0)),
    ]
    assert sakip.check_rules(rules, {"1.a.1": Decimal(0)}) == []  # unanswered breaks nothing
