"""Allowance bands, consequences and a person's allowance, by hand."""

from decimal import Decimal

import pytest

from kinerja.evaluation import incentive
from kinerja.evaluation.incentive import Band

BANDS = [
    Band(Decimal(90), Decimal(100)),
    Band(Decimal(80), Decimal(90)),
    Band(Decimal(70), Decimal(80)),
    Band(Decimal(0), Decimal(50)),
]


@pytest.mark.parametrize(
    ("score", "factor"),
    [
        ("120", "100"),
        ("90", "100"),
        ("89.99", "90"),
        ("80", "90"),
        ("79.999", "80"),
        ("70", "80"),
        ("69.99", "50"),
        ("0", "50"),
    ],
)
def test_band_bounds_are_closed_below(score, factor):
    assert incentive.allowance_factor(Decimal(score), BANDS) == Decimal(factor)


def test_no_score_and_below_every_band():
    assert incentive.allowance_factor(None, BANDS) is None
    assert incentive.allowance_factor(Decimal(40), [Band(Decimal(50), Decimal(80))]) == 0
    # The order the bands are given in does not matter.
    assert incentive.allowance_factor(Decimal(85), list(reversed(BANDS))) == Decimal(90)


def test_consequence():
    kw = {"warning_below": Decimal(75), "sanction_below": Decimal(60)}
    assert incentive.consequence(Decimal(75), **kw) == incentive.NONE
    assert incentive.consequence(Decimal("74.99"), **kw) == incentive.WARNING
    assert incentive.consequence(Decimal(60), **kw) == incentive.WARNING
    assert incentive.consequence(Decimal("59.99"), **kw) == incentive.SANCTION
    assert incentive.consequence(None, **kw) == incentive.NOT_ASSESSED


def test_allowance_by_hand():
    # Rp 120.000.000 a year, held 73 of 365 days (a fifth): base 24.000.000; 70% performance
    # at factor 90% → 15.120.000; discipline 30% in full → 7.200.000.
    a = incentive.allowance(
        yearly_base=Decimal(120_000_000),
        days_held=73,
        days_in_year=365,
        performance_share=Decimal(70),
        factor=Decimal(90),
    )
    assert a.base == Decimal(24_000_000)
    assert a.performance_part == Decimal(15_120_000)
    assert a.discipline_part == Decimal(7_200_000)
    assert a.total == Decimal(22_320_000)
    # Another government's 60/40 split, no factor (no score): the performance part is not paid.
    b = incentive.allowance(
        yearly_base=Decimal(100),
        days_held=366,
        days_in_year=366,
        performance_share=Decimal(60),
        factor=None,
    )
    assert (b.performance_part, b.discipline_part) == (0, 40)


def test_allowance_refuses_nonsense():
    with pytest.raises(ValueError):
        incentive.allowance(
            yearly_base=Decimal(1),
            days_held=400,
            days_in_year=365,
            performance_share=Decimal(70),
            factor=Decimal(1),
        )
    with pytest.raises(ValueError):
        incentive.allowance(
            yearly_base=Decimal(1),
            days_held=1,
            days_in_year=365,
            performance_share=Decimal(170),
            factor=Decimal(1),
        )
