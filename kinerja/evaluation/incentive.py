"""Reward and punishment arithmetic, pure Python: a unit's score to an allowance factor through
the government's bands, the consequence (warning, sanction), and a person's allowance (TPP).

The performance share differs by government (60/40, 70/30, 80/20 between performance and
discipline); discipline is recorded outside Kinerja, so its part is reported at its maximum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

HUNDRED = Decimal(100)

NOT_ASSESSED = "not_assessed"
SANCTION = "sanction"
WARNING = "warning"
NONE = "none"


@dataclass(frozen=True)
class Band:
    min_score: Decimal  # the band applies from this score (inclusive) up to the next band
    factor: Decimal  # percent of the performance part paid


def allowance_factor(score: Decimal | None, bands: Sequence[Band]) -> Decimal | None:
    """The factor of the highest band the score reaches; None without a score, 0 below
    every band."""
    if score is None:
        return None
    reached = [b for b in bands if score >= b.min_score]
    if not reached:
        return Decimal(0)
    return max(reached, key=lambda b: b.min_score).factor


def consequence(score: Decimal | None, *, warning_below: Decimal, sanction_below: Decimal) -> str:
    """Sanction below its threshold, a warning below the other, otherwise none."""
    if score is None:
        return NOT_ASSESSED
    if score < sanction_below:
        return SANCTION
    if score < warning_below:
        return WARNING
    return NONE


@dataclass(frozen=True)
class Allowance:
    base: Decimal  # the full allowance for the days held
    performance_part: Decimal
    discipline_part: Decimal

    @property
    def total(self) -> Decimal:
        return self.performance_part + self.discipline_part


def allowance(
    *,
    yearly_base: Decimal,
    days_held: int,
    days_in_year: int,
    performance_share: Decimal,
    factor: Decimal | None,
) -> Allowance:
    """A person's allowance for the days they held the position: the performance share paid
    at the unit's factor, the discipline share in full; unrounded."""
    if not 0 <= days_held <= days_in_year or days_in_year <= 0:
        raise ValueError("Jumlah hari menjabat tidak valid.")
    if not 0 <= performance_share <= HUNDRED:
        raise ValueError("Porsi kinerja harus antara 0 dan 100.")
    base = yearly_base * days_held / days_in_year
    performance = base * performance_share / HUNDRED
    paid = performance * (factor if factor is not None else Decimal(0)) / HUNDRED
    return Allowance(base=base, performance_part=paid, discipline_part=base - performance)
