"""The predicate matrix and the distribution rules, against the rules as domain.md gives them."""

import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.employees.rules import (
    DEFAULT_BOUNDS,
    EMPLOYEE_PREDICATES,
    ORGANISATION_PREDICATES,
    Bound,
    bounds_from_data,
    bounds_to_data,
    distribution_problems,
    employee_predicate,
)

# Rows: results; columns: behaviour below / as expected / above (PermenPAN-RB 6/2022).
NINE = [
    ("above", "below", "kurang_misconduct"),
    ("above", "as_expected", "baik"),
    ("above", "above", "sangat_baik"),
    ("as_expected", "below", "kurang_misconduct"),
    ("as_expected", "as_expected", "baik"),
    ("as_expected", "above", "baik"),
    ("below", "below", "sangat_kurang"),
    ("below", "as_expected", "butuh_perbaikan"),
    ("below", "above", "butuh_perbaikan"),
]


@pytest.mark.parametrize(("results", "behaviour", "predicate"), NINE)
def test_employee_predicate_matrix(results, behaviour, predicate):
    assert employee_predicate(results, behaviour) == predicate


def test_unknown_rating_refused():
    with pytest.raises(ValueError, match="tidak dikenal"):
        employee_predicate("great", "above")


SB, B, BP, K, SK = EMPLOYEE_PREDICATES

# (organisation, counts, the bounds broken as (kind, predicates)) — worked by hand.
DISTRIBUTIONS = [
    # Istimewa: Sangat Baik at most 70 %.
    ("istimewa", {SB: 7, B: 3}, []),  # 70 % exactly
    ("istimewa", {SB: 8, B: 2}, [("at_most", (SB,))]),
    ("istimewa", {SB: 2, B: 1}, []),  # 66,7 %
    ("istimewa", {SB: 3}, [("at_most", (SB,))]),
    # Baik: Baik at most 70 % and at least one Butuh Perbaikan or Kurang/Misconduct.
    ("baik", {SB: 2, B: 7, BP: 1}, []),
    ("baik", {SB: 1, B: 8, K: 1}, [("at_most", (B,))]),
    ("baik", {SB: 3, B: 7}, [("at_least", (BP, K))]),
    ("baik", {B: 10}, [("at_most", (B,)), ("at_least", (BP, K))]),
    # Butuh Perbaikan: BP at least 60 %, Sangat Baik at most 10 %.
    ("butuh_perbaikan", {BP: 6, B: 3, SB: 1}, []),
    ("butuh_perbaikan", {BP: 5, B: 4, SB: 1}, [("at_least", (BP,))]),
    ("butuh_perbaikan", {BP: 6, B: 2, SB: 2}, [("at_most", (SB,))]),
    # Kurang: K at least 60 %, BP at least 10 %, SB at most 10 %.
    ("kurang", {K: 6, BP: 1, B: 2, SB: 1}, []),
    ("kurang", {K: 5, BP: 2, B: 2, SB: 1}, [("at_least", (K,))]),
    ("kurang", {K: 7, B: 2, SB: 1}, [("at_least", (BP,))]),
    ("kurang", {K: 6, BP: 1, SB: 3}, [("at_most", (SB,))]),
    # Sangat Kurang: SK at least 60 %, K and BP together at least 10 %, no Sangat Baik.
    ("sangat_kurang", {SK: 6, K: 1, B: 3}, []),
    ("sangat_kurang", {SK: 6, BP: 1, B: 3}, []),
    ("sangat_kurang", {SK: 5, K: 2, B: 3}, [("at_least", (SK,))]),
    ("sangat_kurang", {SK: 7, B: 3}, [("at_least", (K, BP))]),
    ("sangat_kurang", {SK: 8, K: 1, SB: 1}, [("at_most", (SB,))]),
]


@pytest.mark.parametrize(("organisation", "counts", "broken"), DISTRIBUTIONS)
def test_distribution_rules(organisation, counts, broken):
    problems = distribution_problems(organisation, counts)
    assert [(p.bound.kind, p.bound.predicates) for p in problems] == broken
    for p in problems:
        text = p.text(organisation)
        assert str(p.count) in text and str(p.total) in text


def test_every_organisation_predicate_has_an_allowed_and_a_broken_case():
    for organisation in ORGANISATION_PREDICATES:
        cases = [d for d in DISTRIBUTIONS if d[0] == organisation]
        assert any(not b for _o, _c, b in cases) and any(b for _o, _c, b in cases)


def test_the_message_names_the_rule():
    (problem,) = distribution_problems("istimewa", {SB: 3})
    assert problem.text("istimewa") == (
        "Predikat organisasi Istimewa: Sangat Baik paling banyak 70% pegawai; "
        "boleh 2 dari 3 orang, ada 3."
    )
    (problem,) = distribution_problems("baik", {SB: 3, B: 2})
    assert "Butuh Perbaikan dan Kurang/Misconduct (bersama-sama) paling sedikit 1 orang" in (
        problem.text("baik")
    )
    (problem,) = distribution_problems("sangat_kurang", {SK: 8, K: 1, SB: 1})
    assert "tidak boleh ada Sangat Baik" in problem.text("sangat_kurang")


def test_small_units_by_the_rounding_chosen():
    # At most 10 % Sangat Baik of 5 people: 0,5 of a person. Exact: none allowed; nearest: 1.
    counts = {BP: 3, B: 1, SB: 1}
    assert distribution_problems("butuh_perbaikan", counts)[0].limit == 0
    assert distribution_problems("butuh_perbaikan", counts, rounding="nearest") == []
    # At least 60 % of 3 people is 1,8: two people under either rounding.
    assert distribution_problems("butuh_perbaikan", {BP: 1, B: 2})[0].limit == 2
    assert distribution_problems("butuh_perbaikan", {BP: 1, B: 2}, rounding="nearest")[0].limit == 2
    # An empty unit breaks nothing.
    assert distribution_problems("kurang", {}) == []
    with pytest.raises(ValueError, match="Pembulatan"):
        distribution_problems("istimewa", {SB: 1}, rounding="up")


def test_bad_input_refused():
    with pytest.raises(ValueError, match="organisasi"):
        distribution_problems("luar_biasa", {SB: 1})
    with pytest.raises(ValueError, match="pegawai tidak dikenal"):
        distribution_problems("baik", {"hebat": 1})
    with pytest.raises(ValueError, match="negatif"):
        distribution_problems("baik", {B: -1})


def test_a_government_s_own_bounds_as_data():
    data = bounds_to_data(DEFAULT_BOUNDS)
    assert bounds_from_data(data) == DEFAULT_BOUNDS
    # A government that lets an Istimewa unit have up to 80 % Sangat Baik.
    own = bounds_from_data(
        {"istimewa": [{"kind": "at_most", "predicates": ["sangat_baik"], "percent": "80"}]}
    )
    assert distribution_problems("istimewa", {SB: 8, B: 2}, bounds=own) == []
    assert own["istimewa"][0] == Bound("at_most", (SB,), percent=Decimal(80))
    for bad, words in [
        ({"x": []}, "organisasi"),
        ({"baik": [{"kind": "around", "predicates": ["baik"], "percent": 5}]}, "Jenis"),
        ({"baik": [{"kind": "at_most", "predicates": ["hebat"], "percent": 5}]}, "pegawai"),
        ({"baik": [{"kind": "at_most", "predicates": ["baik"]}]}, "salah satu"),
        ({"baik": [{"kind": "at_most", "predicates": ["baik"], "percent": 120}]}, "antara"),
        ({"baik": [{"kind": "at_most", "predicates": ["baik"], "people": -1}]}, "negatif"),
    ]:
        with pytest.raises(ValueError, match=words):
            bounds_from_data(bad)


counts_strategy = st.dictionaries(
    st.sampled_from(EMPLOYEE_PREDICATES), st.integers(min_value=0, max_value=60), max_size=5
)


@given(
    organisation=st.sampled_from(ORGANISATION_PREDICATES),
    counts=counts_strategy,
    rounding=st.sampled_from(["exact", "nearest"]),
)
def test_a_problem_is_exactly_a_bound_the_shares_break(organisation, counts, rounding):
    total = sum(counts.values())
    problems = distribution_problems(organisation, counts, rounding=rounding)
    broken = {p.bound for p in problems}
    for bound in DEFAULT_BOUNDS[organisation]:
        count = sum(counts.get(p, 0) for p in bound.predicates)
        if total == 0:
            assert bound not in broken
        elif bound.people is not None:
            assert (bound in broken) == (
                count > bound.people if bound.kind == "at_most" else count < bound.people
            )
        elif rounding == "exact":
            share = Decimal(count) * 100 / Decimal(total)
            assert (bound in broken) == (
                share > bound.percent if bound.kind == "at_most" else share < bound.percent
            )


def test_no_django_import():
    code = (
        "import sys, kinerja.employees.rules; "
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
