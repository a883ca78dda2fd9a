"""The auction's arithmetic against hand-computed cases, and its properties."""

from decimal import Decimal as D

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kinerja.auction.arithmetic import ambition, panel_score, trend


def test_trend_through_three_points():
    line = trend([(2016, 100), (2017, 110), (2018, 120)])
    assert line.slope == D(10)
    assert line.at(2023) == D(170)


def test_one_point_has_no_trend_and_says_so():
    line = trend([(2018, "74.51")])
    assert line.at(2023) is None
    assert "satu titik" in line.reason


def test_ambition_higher_is_better_by_hand():
    # Trend 100, 110, 120 projects 170 for 2023; a target of 200 stretches 30/170 beyond it,
    # and needs (200/120)^(1/5) - 1 a year.
    a = ambition(
        baseline_year=2018,
        baseline=120,
        target_year=2023,
        target=200,
        polarity="higher",
        history=[(2016, 100), (2017, 110)],
    )
    assert a.projection == D(170)
    assert a.stretch_percent.quantize(D("0.0001")) == D("17.6471")
    assert a.annual_rate_percent.quantize(D("0.0001")) == D("10.7566")
    assert not a.flagged


def test_maternal_mortality_target_no_better_than_the_trend_is_flagged():
    # 90, 82, 74.51 falls 7.745 a year: business as usual reaches 35.70 by 2023. Proposing 50
    # (lower is better) asks for less than the trend delivers.
    a = ambition(
        baseline_year=2018,
        baseline="74.51",
        target_year=2023,
        target=50,
        polarity="lower",
        history=[(2016, 90), (2017, 82)],
    )
    assert a.projection == D("35.70")
    assert a.flagged
    assert a.stretch_percent.quantize(D("0.01")) == D("-40.06")
    assert any("tidak lebih baik dari tren" in n for n in a.notes)
    # Lower is better: a negative rate is an improvement. (50/74.51)^(1/5) - 1:
    # ln(0.671051) = -0.398898; / 5 = -0.079780; e^x - 1 = -0.076682.
    assert a.annual_rate_percent.quantize(D("0.0001")) == D("-7.6682")


def test_with_only_the_baseline_there_is_no_projection_but_there_is_a_rate():
    a = ambition(baseline_year=2018, baseline=11, target_year=2023, target=6, polarity="lower")
    assert (a.projection, a.stretch_percent, a.flagged) == (None, None, False)
    assert a.annual_rate_percent is not None
    assert any("satu titik" in n for n in a.notes)


@pytest.mark.parametrize(
    ("baseline", "target", "words"), [(0, 5, "Kondisi awal nol"), (5, 0, "Target nol")]
)
def test_zero_baseline_or_target_gives_an_explained_gap(baseline, target, words):
    a = ambition(
        baseline_year=2018, baseline=baseline, target_year=2023, target=target, polarity="higher"
    )
    assert a.annual_rate_percent is None
    assert any(words in n for n in a.notes)


def test_target_year_must_follow_the_baseline():
    a = ambition(baseline_year=2018, baseline=1, target_year=2018, target=2, polarity="higher")
    assert a.projection is None and a.notes


def test_panel_score_by_hand():
    result = panel_score(
        weights={"data": 25, "ambisi": 75},
        scores={("p1", "data"): 80, ("p1", "ambisi"): 60, ("p2", "data"): 90, ("p2", "ambisi"): 70},
        panelists=["p1", "p2"],
    )
    assert result.per_criterion == {"data": D(85), "ambisi": D(65)}
    assert result.aggregate == D(70)
    assert result.complete


def test_panel_score_incomplete_and_empty():
    partial = panel_score(
        weights={"a": 1, "b": 1}, scores={("p1", "a"): 50}, panelists=["p1", "p2"]
    )
    assert partial.aggregate == D(50) and not partial.complete
    assert panel_score(weights={"a": 1}, scores={}, panelists=["p1"]).aggregate is None


values = st.decimals(min_value=1, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@given(slope=st.integers(-50, 50), start=st.integers(-1000, 1000), n=st.integers(2, 8))
def test_trend_recovers_a_straight_line(slope, start, n):
    line = trend([(2010 + i, start + slope * i) for i in range(n)])
    assert line.slope == slope
    assert line.at(2030) == start + slope * 20


@given(base=values, low=values, high=values, hist=values)
def test_higher_targets_stretch_further(base, low, high, hist):
    assume(low < high)
    args = dict(
        baseline_year=2018,
        baseline=base,
        target_year=2023,
        polarity="higher",
        history=[(2017, hist)],
    )
    a, b = ambition(target=low, **args), ambition(target=high, **args)
    if a.stretch_percent is not None:
        assert b.stretch_percent > a.stretch_percent
    assert a.flagged == (low <= a.projection)


@given(base=values, target=values, hist=values)
def test_lower_is_better_flags_exactly_when_not_below_the_projection(base, target, hist):
    a = ambition(
        baseline_year=2018,
        baseline=base,
        target_year=2023,
        target=target,
        polarity="lower",
        history=[(2016, hist)],
    )
    assert a.flagged == (target >= a.projection)


@given(
    st.dictionaries(st.sampled_from("abcde"), st.integers(1, 40), min_size=1),
    st.lists(st.integers(0, 100), min_size=10, max_size=10),
)
def test_aggregate_lies_between_the_lowest_and_highest_criterion(weights, raw):
    scores = {
        (p, c): raw[(i * 5 + j) % 10]
        for i, p in enumerate(["p1", "p2"])
        for j, c in enumerate(weights)
    }
    result = panel_score(weights=weights, scores=scores, panelists=["p1", "p2"])
    assert (
        min(result.per_criterion.values()) <= result.aggregate <= max(result.per_criterion.values())
    )


def test_contract_trajectory_by_hand():
    from kinerja.auction.arithmetic import contract_trajectory

    # 11 deaths in 2018, 7 agreed by 2022: 10, 9, 8, then 7 held in 2022 and 2023.
    assert contract_trajectory(
        baseline_year=2018, baseline=11, year=2022, value=7, years=range(2019, 2024)
    ) == {2019: D(10), 2020: D(9), 2021: D(8), 2022: D(7), 2023: D(7)}
    # 74.51 to 50 by 2023: steps of 4.902 (69.608, 64.706, 59.804, 54.902), half up to 2 places.
    path = contract_trajectory(
        baseline_year=2018, baseline="74.51", year=2023, value=50, years=range(2019, 2024)
    )
    assert path == {
        2019: D("69.61"),
        2020: D("64.71"),
        2021: D("59.80"),
        2022: D("54.90"),
        2023: D(50),
    }


@given(base=st.integers(0, 1000), goal=st.integers(0, 1000), year=st.integers(2019, 2023))
def test_contract_trajectory_moves_monotonically_towards_the_agreement(base, goal, year):
    from kinerja.auction.arithmetic import contract_trajectory

    path = contract_trajectory(
        baseline_year=2018, baseline=base, year=year, value=goal, years=range(2019, 2024)
    )
    values = [path[y] for y in sorted(path)]
    assert values[-1] == goal and path[year] == goal
    steps = [b - a for a, b in zip([D(base), *values], values, strict=False)]
    assert all(s >= 0 for s in steps) or all(s <= 0 for s in steps)
