"""The achievement arithmetic against hand-computed cases, and its properties."""

import subprocess
import sys
from decimal import Decimal
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kinerja.monitoring import achievement as calc
from kinerja.monitoring.achievement import (
    achievement,
    explain_achievement,
    roll_up,
    target_to_date,
    year_value,
)

CASES = [
    # (target, realised, polarity, formula, high, expected percent) — computed by hand
    (80, 60, "higher", "mirror", None, "75"),
    ("98.20", "99.5", "higher", "mirror", None, "99500/982"),  # 99,5 / 98,2 × 100
    (D("74.51"), D("70"), "lower", "mirror", None, "790200/7451"),  # (2 − 7000/7451) × 100
    (D("74.51"), D("70"), "lower", "ratio", None, "745100/7000"),  # 74,51 / 70 × 100
    (10, 12, "lower", "mirror", None, "80"),  # 2 − 1,2
    (10, 25, "lower", "mirror", None, "-50"),  # far worse than target: negative, not clipped
    (10, 12, "lower", "ratio", None, "250/3"),
    ("2.5", "3.1", "range", "mirror", "4.5", "100"),  # inflation inside 2,5–4,5
    ("2.5", "2", "range", "mirror", "4.5", "80"),  # below: 2/2,5
    ("2.5", "5.4", "range", "mirror", "4.5", "80"),  # above: 2 − 5,4/4,5
    ("2,5", "1,25", "higher", "mirror", None, "50"),  # Indonesian decimal commas
    (0.1, 0.3, "higher", "mirror", None, "300"),  # floats by their shortest form, not binary noise
    (-2, -1, "higher", "mirror", None, "150"),  # a smaller contraction than targeted
    (-2, -3, "higher", "mirror", None, "50"),
    (0, 0, "lower", "mirror", None, "100"),  # zero maternal deaths targeted, and achieved
    (0, 0, "lower", "ratio", None, "100"),
]


@pytest.mark.parametrize(("target", "realized", "polarity", "formula", "high", "expected"), CASES)
def test_by_hand(target, realized, polarity, formula, high, expected):
    value = achievement(
        target, realized, polarity=polarity, lower_formula=formula, target_high=high
    )
    # Exact where the result terminates; otherwise to Decimal's 28 significant digits.
    assert abs(Fraction(value) - Fraction(expected)) < Fraction(1, 10**24)


@pytest.mark.parametrize(
    ("target", "realized", "polarity", "formula", "words"),
    [
        (0, 5, "higher", "mirror", "Target nol"),
        (0, 0, "higher", "mirror", "Target nol"),
        (0, 3, "lower", "mirror", "Target nol terlampaui"),
        (6, 0, "lower", "ratio", "Realisasi nol dengan rumus T/R"),
        (None, 5, "higher", "mirror", "Target belum ditetapkan"),
        (5, None, "higher", "mirror", "Realisasi belum diisi"),
        (5, "", "lower", "ratio", "Realisasi belum diisi"),
        (5, "lima", "higher", "mirror", "bukan angka"),
        (5, float("nan"), "higher", "mirror", "bukan angka"),
        (5, "Infinity", "higher", "mirror", "bukan angka"),
        (5, 6, "sideways", "mirror", "Polaritas 'sideways' tidak dikenal"),
        (5, 6, "range", "mirror", "batas atas"),
    ],
)
def test_undefined_cases_are_explained_never_zero(target, realized, polarity, formula, words):
    result = explain_achievement(target, realized, polarity=polarity, lower_formula=formula)
    assert result.value is None
    assert words in result.reason


def test_ranges_accept_bounds_in_either_order():
    assert achievement("4.5", "3", polarity="range", target_high="2.5") == 100
    assert achievement("90", "95", polarity="higher", target_high="80") == D("9500") / D("90")


# A range target that keeps its indicator's direction (PermenPAN-RB 8/2021, Bab VI), by hand.
DIRECTIONAL = [
    # (low, high, realised, polarity, formula, expected percent)
    # The regulation's worked example: 80–90 %, higher is better.
    (80, 90, 85, "higher", "mirror", "100"),  # inside
    (80, 90, 80, "higher", "mirror", "100"),  # on the low bound
    (80, 90, 90, "higher", "mirror", "100"),  # on the high bound
    (80, 90, 70, "higher", "mirror", "87.5"),  # below: 70 / 80
    (80, 90, 92, "higher", "mirror", "920/9"),  # above: 92 / 90 = 102,22 (exceeded)
    # Growth 11,91 against 9,90–10,90: exceeded, never a shortfall.
    ("9.90", "10.90", "11.91", "higher", "mirror", "119100/1090"),
    # 7–8 months, lower is better.
    (7, 8, "7.5", "lower", "mirror", "100"),
    (7, 8, "6.5", "lower", "mirror", "750/7"),  # (2 − 6,5/7) × 100 = 107,14
    (7, 8, 9, "lower", "mirror", "87.5"),  # (2 − 9/8) × 100
    (7, 8, "6.5", "lower", "ratio", "1400/13"),  # 7 / 6,5 × 100 = 107,69
    (7, 8, 9, "lower", "ratio", "800/9"),  # 8 / 9 × 100 = 88,89
    (7, 8, 8, "lower", "ratio", "100"),
]


@pytest.mark.parametrize(
    ("low", "high", "realized", "polarity", "formula", "expected"), DIRECTIONAL
)
def test_directional_range_by_hand(low, high, realized, polarity, formula, expected):
    value = achievement(low, realized, polarity=polarity, lower_formula=formula, target_high=high)
    assert abs(Fraction(value) - Fraction(expected)) < Fraction(1, 10**24)


def test_band_unchanged_beside_the_directional_range():
    # The same bounds and realisations: the band counts any departure as a shortfall.
    assert achievement(80, 92, polarity="range", target_high=90) == (2 - D(92) / D(90)) * 100
    assert achievement(80, 92, polarity="higher", target_high=90) == D(92) / D(90) * 100
    assert achievement(7, "6.5", polarity="range", target_high=8) == D("6.5") / D(7) * 100
    assert achievement(7, "6.5", polarity="lower", target_high=8) == (2 - D("6.5") / D(7)) * 100
    # Without a high bound, higher and lower are what they always were.
    assert achievement(80, 92, polarity="higher") == D(92) / D(80) * 100
    assert explain_achievement(7, 8, polarity="range").value is None


def test_directional_range_edge_cases_are_explained():
    # A zero-width range at zero, exceeded on the bad side.
    zero = explain_achievement(0, 3, polarity="lower", target_high=0)
    assert zero.value is None and zero.reason.startswith("Target nol terlampaui")
    # Below a lower-is-better range with T/R and a zero realisation: infinite, explained.
    ratio = explain_achievement(2, 0, polarity="lower", lower_formula="ratio", target_high=3)
    assert ratio.value is None and "Realisasi nol" in ratio.reason
    # Inside a range that starts at zero is simply inside.
    assert achievement(0, 0, polarity="higher", target_high=5) == 100
    below = explain_achievement(0, -1, polarity="higher", target_high=5)
    assert below.value is None and "Target nol" in below.reason
    unknown = explain_achievement(7, 9, polarity="lower", lower_formula="y", target_high=8)
    assert unknown.value is None and "tidak dikenal" in unknown.reason


def test_year_value_by_aggregation():
    quarters = [D("12"), None, D("7.5"), D("10")]
    assert year_value(quarters, "cumulative") == D("29.5")
    assert year_value(quarters, "last") == D("10")
    assert year_value(quarters, "average") == D("29.5") / 3
    assert year_value([None, None], "last") is None
    # A rate: 40.900 poor residents of 865.011, entered as figures, not summed across periods.
    rate = D(40900) / D(865011) * 100
    assert year_value([rate, rate], "last") == rate
    with pytest.raises(ValueError, match="tidak dikenal"):
        year_value([1], "median")


def test_target_to_date():
    assert target_to_date(100, periods_elapsed=1, periods_in_year=4, aggregation="cumulative") == 25
    assert target_to_date(
        "9", periods_elapsed=2, periods_in_year=12, aggregation="cumulative"
    ) == D("1.5")
    assert target_to_date("74.51", periods_elapsed=2, periods_in_year=4, aggregation="last") == D(
        "74.51"
    )
    assert target_to_date(None, periods_elapsed=2, periods_in_year=4, aggregation="last") is None


def test_roll_up_with_weights_and_a_cap():
    items = [(D(150), 1), (D(90), 3), (None, 2), (D(80), 0)]
    plain = roll_up(items)
    assert (plain.value, plain.used, plain.undefined) == ((D(150) + D(270)) / 4, 2, 1)
    capped = roll_up(items, cap=120)
    assert capped.value == (D(120) + D(270)) / 4  # 97,5
    assert roll_up([(None, 1)]).value is None


def test_no_django_import():
    code = (
        "import sys, kinerja.monitoring.achievement; "
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


positive = st.decimals(
    min_value=D("0.001"), max_value=D(10**9), allow_nan=False, allow_infinity=False, places=3
)


@given(target=positive, low=positive, high=positive)
def test_higher_is_better_grows_with_realisation(target, low, high):
    assume(low < high)
    assert achievement(target, low, polarity="higher") < achievement(
        target, high, polarity="higher"
    )


@given(target=positive, low=positive, high=positive, formula=st.sampled_from(["mirror", "ratio"]))
def test_lower_formulas_give_100_at_target_and_shrink_as_realisation_grows(
    target, low, high, formula
):
    assume(low < high)
    assert achievement(target, target, polarity="lower", lower_formula=formula) == 100
    assert achievement(target, low, polarity="lower", lower_formula=formula) > achievement(
        target, high, polarity="lower", lower_formula=formula
    )


@given(
    bounds=st.tuples(positive, positive),
    r1=positive,
    r2=positive,
    formula=st.sampled_from(["mirror", "ratio"]),
)
def test_directional_range_never_scores_a_better_realisation_lower(bounds, r1, r2, formula):
    low, high = sorted(bounds)
    worse, better = sorted((r1, r2))
    # Higher is better: more is better (or equal).
    assert achievement(low, better, polarity="higher", target_high=high) >= achievement(
        low, worse, polarity="higher", target_high=high
    )
    # Lower is better: less is better (or equal).
    assert achievement(
        low, worse, polarity="lower", lower_formula=formula, target_high=high
    ) >= achievement(low, better, polarity="lower", lower_formula=formula, target_high=high)
    # Inside the range, always 100; beyond the good bound, above 100.
    assert achievement(low, high, polarity="higher", target_high=high) == 100
    assume(better > high)
    assert achievement(low, better, polarity="higher", target_high=high) > 100


anything = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.booleans(),
)


@given(
    t=anything,
    r=anything,
    h=anything,
    polarity=st.sampled_from(["higher", "lower", "range", "x"]),
    formula=st.sampled_from(["mirror", "ratio", "y"]),
)
def test_no_input_crashes(t, r, h, polarity, formula):
    result = explain_achievement(t, r, polarity=polarity, lower_formula=formula, target_high=h)
    assert result.value is None or result.value.is_finite()
    assert result.value is not None or result.reason


# --- rates, forecasts and the warning colour ------------------------------------------


def test_rate_from_parts_by_hand():
    # 40,900 of 865,011 as a percent = 4,090,000 / 865,011.
    value = calc.rate(40900, 865011, 100)
    assert value is not None
    assert Fraction(value).limit_denominator(10**7) == Fraction(4090000, 865011)
    assert calc.rate(9, 13200, 100000) == Decimal(900000) / Decimal(13200)
    assert calc.rate(1, 0, 100) is None
    assert calc.rate(None, 5, 100) is None


@pytest.mark.parametrize(
    ("unit", "scale"),
    [
        ("%", 100),
        ("persen", 100),
        ("per 1.000 kelahiran hidup", 1000),
        ("per 100.000 kelahiran hidup", 100000),
        ("per 1000 penduduk", 1000),
        ("orang", None),
        ("per kapita", None),
        ("indeks", None),
    ],
)
def test_rate_scale(unit, scale):
    assert calc.rate_scale(unit) == scale


def test_forecast_by_hand():
    # Cumulative: 30 and 20 in two quarters -> 25 a quarter -> 100 in the year.
    assert (
        calc.forecast_year_value([30, 20, None, None], periods_in_year=4, aggregation="cumulative")
        == 100
    )
    # A gap is not a zero: Q1 30, Q2 missing, Q3 30 -> 30 a quarter -> 120.
    assert (
        calc.forecast_year_value([30, None, 30], periods_in_year=4, aggregation="cumulative") == 120
    )
    assert calc.forecast_year_value([70, 72], periods_in_year=4, aggregation="last") == 72
    assert calc.forecast_year_value([70, 73], periods_in_year=4, aggregation="average") == Decimal(
        "71.5"
    )
    assert calc.forecast_year_value([None, None], periods_in_year=4, aggregation="last") is None


def test_warning_bounds():
    kw = {"green_from": 90, "yellow_from": 75}
    assert calc.warning_level(Decimal(90), **kw) == "green"
    assert calc.warning_level(Decimal("89.99"), **kw) == "yellow"
    assert calc.warning_level(Decimal(75), **kw) == "yellow"
    assert calc.warning_level(Decimal("74.999"), **kw) == "red"
    assert calc.warning_level(None, **kw) == "none"


@given(
    st.lists(
        st.decimals(min_value=0, max_value=10**6, allow_nan=False, places=3),
        min_size=4,
        max_size=4,
    )
)
def test_a_complete_cumulative_year_forecasts_itself(values):
    assert calc.forecast_year_value(values, periods_in_year=4, aggregation="cumulative") == sum(
        values, Decimal(0)
    )
