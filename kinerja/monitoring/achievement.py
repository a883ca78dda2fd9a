"""Achievement (capaian): the arithmetic, exact, with no Django import.

Rules (../shared/domain.md, "Achievement"):
- higher is better: R / T × 100;
- lower is better: mirror (2 − R/T) × 100, or ratio T / R × 100, chosen per indicator;
- a range target [low, high] on a higher- or lower-is-better indicator keeps the indicator's
  direction (PermenPAN-RB 8/2021, Bab VI): inside is 100; outside, the indicator's own formula
  against the nearer bound, so a realisation beyond the good side scores above 100
  (higher: 80–90 %, R = 92 → 92/90 = 102,22; lower, mirror: 7–8 months, R = 6,5 → 107,14);
- a band (polarity "range", stay inside: inflation 2,5 ± 1 %): inside is 100; any departure
  is a shortfall, as higher-is-better against the low bound below it and as lower-is-better
  (mirror) against the high bound above it.
Nothing is rounded here. A missing value, a zero target or any other case without a meaningful
percentage gives None with the reason in words, never a crash and never a silent 0.

Negative targets (a contraction, a deficit) keep the direction of the polarity: for T < 0 the
higher-is-better achievement is (1 + (R − T)/|T|) × 100, which equals R/T × 100 when T > 0, so
a better realisation always scores higher.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from kinerja.core.numbers import NumberError, parse_decimal

HUNDRED = Decimal(100)
Polarity = Literal["higher", "lower", "range"]
LowerFormula = Literal["mirror", "ratio"]
Aggregation = Literal["cumulative", "last", "average"]


@dataclass(frozen=True)
class Achievement:
    value: Decimal | None  # percent, unrounded
    reason: str = ""  # why there is no value, or what was special about it

    @property
    def defined(self) -> bool:
        return self.value is not None


def to_decimal(value: object) -> Decimal | None:
    """A number from Decimal, int, float or text (with a decimal point or an Indonesian
    comma); None for missing. Raises NumberError for anything else, NaN and infinities."""
    if type(value) is Decimal:  # the common case: a figure read from the database
        if value.is_finite():
            return value
        raise NumberError("Bukan angka.")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NumberError("Bukan angka.")
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return parse_decimal(value)
        if not number.is_finite():
            raise NumberError("Bukan angka.")
        return number
    number = parse_decimal(value)
    if not number.is_finite():
        raise NumberError("Bukan angka.")
    return number


def _higher(target: Decimal, realized: Decimal) -> Achievement:
    if target == 0:
        return Achievement(None, "Target nol: capaian tidak dapat dinyatakan dalam persen.")
    if target > 0:
        return Achievement(realized / target * HUNDRED)
    return Achievement((1 + (realized - target) / abs(target)) * HUNDRED, "Target negatif.")


def _lower_mirror(target: Decimal, realized: Decimal) -> Achievement:
    if target == 0:
        return _zero_lower_target(realized)
    if target > 0:
        return Achievement((2 - realized / target) * HUNDRED)
    return Achievement((1 - (realized - target) / abs(target)) * HUNDRED, "Target negatif.")


def _lower_ratio(target: Decimal, realized: Decimal) -> Achievement:
    if target == 0:
        return _zero_lower_target(realized)
    if realized == 0:
        return Achievement(
            None,
            "Realisasi nol dengan rumus T/R: capaian tak terhingga. Gunakan rumus cermin "
            "(2 − R/T) atau batas atas capaian.",
        )
    if (target < 0) != (realized < 0):
        return Achievement(None, "Target dan realisasi berbeda tanda: rumus T/R tidak berlaku.")
    return Achievement(target / realized * HUNDRED)


def _zero_lower_target(realized: Decimal) -> Achievement:
    if realized <= 0:
        return Achievement(HUNDRED, "Target nol tercapai.")
    return Achievement(None, "Target nol terlampaui: capaian tidak dapat dinyatakan dalam persen.")


def _directional(
    polarity: str, lower_formula: str, target: Decimal, realized: Decimal
) -> Achievement:
    if polarity == "higher":
        return _higher(target, realized)
    if lower_formula == "ratio":
        return _lower_ratio(target, realized)
    return _lower_mirror(target, realized)


def explain_achievement(
    target: object,
    realized: object,
    *,
    polarity: str,
    lower_formula: str = "mirror",
    target_high: object = None,
) -> Achievement:
    """The achievement and, when there is none, why.

    `target_high` makes the target a range [target, target_high] (bounds in either order):
    with polarity "higher" or "lower" a range that keeps the indicator's direction, with
    polarity "range" a band to stay inside (a band needs both bounds)."""
    try:
        t = to_decimal(target)
        r = to_decimal(realized)
        high = to_decimal(target_high)
    except (NumberError, InvalidOperation, TypeError, ValueError):
        return Achievement(None, "Target atau realisasi bukan angka.")
    if t is None:
        return Achievement(None, "Target belum ditetapkan.")
    if r is None:
        return Achievement(None, "Realisasi belum diisi.")
    try:
        if polarity in ("higher", "lower"):
            if polarity == "lower" and lower_formula not in ("mirror", "ratio"):
                return Achievement(None, f"Rumus capaian '{lower_formula}' tidak dikenal.")
            if high is None:
                return _directional(polarity, lower_formula, t, r)
            low, high = min(t, high), max(t, high)
            if low <= r <= high:
                return Achievement(HUNDRED, "Dalam rentang target.")
            return _directional(polarity, lower_formula, low if r < low else high, r)
        if polarity == "range":
            if high is None:
                return Achievement(None, "Target rentang memerlukan batas atas.")
            low, high = min(t, high), max(t, high)
            if low <= r <= high:
                return Achievement(HUNDRED, "Dalam rentang target.")
            return _higher(low, r) if r < low else _lower_mirror(high, r)
    except (InvalidOperation, ArithmeticError):
        return Achievement(None, "Angka di luar jangkauan perhitungan.")
    return Achievement(None, f"Polaritas '{polarity}' tidak dikenal.")


def achievement(
    target: object,
    realized: object,
    *,
    polarity: str,
    lower_formula: str = "mirror",
    target_high: object = None,
) -> Decimal | None:
    """The achievement in percent, unrounded, or None when undefined (see explain_achievement
    for the reason)."""
    return explain_achievement(
        target, realized, polarity=polarity, lower_formula=lower_formula, target_high=target_high
    ).value


def year_value(values: Sequence[object], aggregation: str) -> Decimal | None:
    """The year's value from its periods, in order: the sum (cumulative), the last value
    reported (stock indicators: a rate, an index, a percentage), or the mean of those
    reported. Periods not yet reported are None and left out; none reported gives None."""
    present = [v for v in (to_decimal(x) for x in values) if v is not None]
    if not present:
        return None
    if aggregation == "cumulative":
        return sum(present, Decimal(0))
    if aggregation == "last":
        return present[-1]
    if aggregation == "average":
        return sum(present, Decimal(0)) / len(present)
    raise ValueError(f"Agregasi '{aggregation}' tidak dikenal.")


def target_to_date(
    year_target: object, *, periods_elapsed: int, periods_in_year: int, aggregation: str
) -> Decimal | None:
    """The target for the periods so far: a share of the year's target for cumulative
    indicators, the year's target itself for stock and average indicators."""
    target = to_decimal(year_target)
    if target is None or periods_in_year <= 0:
        return None
    elapsed = max(0, min(periods_elapsed, periods_in_year))
    if aggregation == "cumulative":
        return target * elapsed / periods_in_year
    return target


@dataclass(frozen=True)
class RollUp:
    value: Decimal | None
    used: int  # items with a defined achievement
    undefined: int  # items left out, each for its own reason


def roll_up(items: Iterable[tuple[Decimal | None, object]], *, cap: object = None) -> RollUp:
    """Weighted mean of achievements (indicator to objective, objective to unit, and so on).

    Each achievement is first capped when the government caps them (e.g. at 120); items
    without a defined achievement or with a zero weight are left out, and counted."""
    ceiling = to_decimal(cap)
    total = weights = Decimal(0)
    used = undefined = 0
    for value, weight in items:
        w = to_decimal(weight) or Decimal(0)
        if value is None:
            undefined += 1
            continue
        if w <= 0:
            continue
        capped = min(value, ceiling) if ceiling is not None else value
        total += capped * w
        weights += w
        used += 1
    return RollUp(total / weights if weights else None, used, undefined)


def rate(numerator: object, denominator: object, scale: object) -> Decimal | None:
    """A rate from its parts, unrounded: 40,900 poor residents of 865,011, as a percent, is
    40900 / 865011 × 100. A zero or missing denominator gives None."""
    num, den, per = to_decimal(numerator), to_decimal(denominator), to_decimal(scale)
    if num is None or den is None or per is None or den == 0:
        return None
    return num * per / den


def forecast_year_value(
    values: Sequence[object], *, periods_in_year: int, aggregation: str
) -> Decimal | None:
    """The year-end value the periods so far imply (the early warning's basis).

    `values` are the year's periods in order, None where not reported. A cumulative
    indicator continues at the pace so far (sum × periods in the year / periods reported);
    a stock indicator is forecast by its last value, an average one by the mean so far."""
    present = [v for v in (to_decimal(x) for x in values) if v is not None]
    if not present or periods_in_year <= 0:
        return None
    if aggregation == "cumulative":
        reported = len(present)
        return sum(present, Decimal(0)) * periods_in_year / reported
    return year_value(present, aggregation)


Warning = Literal["green", "yellow", "red", "none"]


def warning_level(value: Decimal | None, *, green_from: object, yellow_from: object) -> Warning:
    """Green from `green_from` up, yellow from `yellow_from` up, red below; "none" when the
    achievement is undefined (it is explained elsewhere, never painted a colour)."""
    if value is None:
        return "none"
    green, yellow = to_decimal(green_from), to_decimal(yellow_from)
    if green is not None and value >= green:
        return "green"
    if yellow is not None and value >= yellow:
        return "yellow"
    return "red"


def rate_scale(unit_of_measure: str) -> int | None:
    """The scale of a rate indicator from its unit of measure ("%", "per 1.000 ...",
    "per 100.000 kelahiran hidup"), or None for an indicator that is not a rate."""
    text = unit_of_measure.strip().lower().replace(" ", "")
    if text.startswith("%") or text.startswith("persen"):
        return 100
    if text.startswith("per"):
        digits = "".join(ch for ch in text[3:].split("(")[0] if ch.isdigit())
        if digits and int(digits) > 0 and set(digits[1:]) == {"0"} and digits[0] == "1":
            return int(digits)
    return None
