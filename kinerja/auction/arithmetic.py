"""The auction's arithmetic: pure functions over plain values, no Django import.

- The ambition analysis shown to the panel for a proposed indicator: the business-as-usual
  projection for the end year (least-squares trend over the baseline and earlier values), how
  far the proposed target stretches beyond it, and the yearly rate of improvement it requires.
- The panel's aggregate score: the weighted mean over criteria of each criterion's mean score.

Decimals throughout; nothing is rounded here (pages round for display).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

Number = Decimal | int | float | str


def _d(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class Trend:
    """A least-squares line through (year, value) points, or the reason there is none."""

    slope: Decimal | None
    intercept: Decimal | None
    points: int
    reason: str = ""

    def at(self, year: int) -> Decimal | None:
        if self.slope is None or self.intercept is None:
            return None
        return self.intercept + self.slope * year


def trend(points: Iterable[tuple[int, Number]]) -> Trend:
    """Ordinary least squares through the points; one point (or one distinct year) has no trend."""
    pts = sorted((int(y), _d(v)) for y, v in points)
    if not pts:
        return Trend(None, None, 0, "Tidak ada data historis.")
    years = {y for y, _v in pts}
    if len(years) < 2:
        return Trend(
            None,
            None,
            len(pts),
            "Hanya satu titik data (kondisi awal): tren tidak dapat dihitung. "
            "Tambahkan nilai tahun-tahun sebelumnya.",
        )
    with localcontext() as ctx:
        ctx.prec = 34
        n = Decimal(len(pts))
        zero = Decimal(0)
        mean_x = sum((Decimal(y) for y, _ in pts), zero) / n
        mean_y = sum((v for _, v in pts), zero) / n
        sxx = sum(((Decimal(y) - mean_x) ** 2 for y, _ in pts), zero)
        sxy = sum(((Decimal(y) - mean_x) * (v - mean_y) for y, v in pts), zero)
        slope = sxy / sxx
        intercept = mean_y - slope * mean_x
    return Trend(slope, intercept, len(pts))


@dataclass(frozen=True)
class Ambition:
    projection: Decimal | None  # business as usual at the end year
    stretch_percent: Decimal | None  # how far the target goes beyond the projection (+ better)
    annual_rate_percent: Decimal | None  # compound yearly change the target requires
    flagged: bool  # the target does no better than the trend
    notes: list[str] = field(default_factory=list)


def ambition(
    *,
    baseline_year: int,
    baseline: Number,
    target_year: int,
    target: Number,
    polarity: str,
    history: Sequence[tuple[int, Number]] = (),
) -> Ambition:
    """The ambition analysis of one proposed indicator.

    `polarity` is "higher" or "lower" (a range target has no single direction: only the
    required rate is given). `history` holds values before the baseline year.
    """
    base, goal = _d(baseline), _d(target)
    notes: list[str] = []
    if target_year <= baseline_year:
        return Ambition(None, None, None, False, ["Tahun target harus sesudah tahun kondisi awal."])
    line = trend([*history, (baseline_year, base)])
    projection = line.at(target_year)
    if line.reason:
        notes.append(line.reason)

    stretch = None
    flagged = False
    if projection is not None and polarity in ("higher", "lower"):
        better = goal - projection if polarity == "higher" else projection - goal
        flagged = better <= 0
        if projection == 0:
            notes.append("Proyeksi bernilai nol: selisih tidak dapat dinyatakan dalam persen.")
        else:
            stretch = better / abs(projection) * 100
        if flagged:
            notes.append("Target tidak lebih baik dari tren: tanpa upaya baru pun tercapai.")

    years = target_year - baseline_year
    rate = None
    if base == 0:
        notes.append("Kondisi awal nol: laju tahunan tidak dapat dihitung.")
    elif (goal < 0) != (base < 0) or goal == 0:
        notes.append(
            "Target nol atau berbeda tanda dari kondisi awal: laju tahunan tidak dihitung."
        )
    else:
        with localcontext() as ctx:
            ctx.prec = 34
            ratio = goal / base
            rate = (ratio ** (Decimal(1) / Decimal(years)) - 1) * 100
    return Ambition(projection, stretch, rate, flagged, notes)


@dataclass(frozen=True)
class PanelScore:
    aggregate: Decimal | None
    per_criterion: dict[str, Decimal]
    complete: bool  # every panelist scored every criterion


def panel_score(
    *,
    weights: Mapping[str, Number],
    scores: Mapping[tuple[str, str], Number],
    panelists: Iterable[str],
) -> PanelScore:
    """Weighted mean over criteria of the mean score each criterion received.

    `scores` maps (panelist, criterion) to a score; a criterion nobody scored is left out of
    the mean (and the result is incomplete).
    """
    panel = list(panelists)
    per: dict[str, Decimal] = {}
    for criterion in weights:
        given = [_d(scores[(p, criterion)]) for p in panel if (p, criterion) in scores]
        if given:
            per[criterion] = sum(given, Decimal(0)) / len(given)
    complete = bool(panel) and all((p, c) in scores for p in panel for c in weights)
    total_weight = sum((_d(weights[c]) for c in per), Decimal(0))
    if not per or total_weight == 0:
        return PanelScore(None, per, complete)
    aggregate = sum((_d(weights[c]) * v for c, v in per.items()), Decimal(0)) / total_weight
    return PanelScore(aggregate, per, complete)


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def contract_trajectory(
    *,
    baseline_year: int,
    baseline: Number,
    year: int,
    value: Number,
    years: Iterable[int],
) -> dict[int, Decimal]:
    """Yearly targets for an agreement "reach `value` by `year`": a straight path from the
    baseline to the value, then the value held until the end of the term.

    Intermediate years are rounded half up to the finer of the two figures' decimals; the
    agreed value itself is kept exactly.
    """
    base, goal = _d(baseline), _d(value)
    places = max(_places(base), _places(goal))
    quantum = Decimal(1).scaleb(-places)
    path: dict[int, Decimal] = {}
    for y in sorted(years):
        if y <= baseline_year:
            continue
        if y >= year:
            path[y] = goal
        else:
            share = Decimal(y - baseline_year) / Decimal(year - baseline_year)
            path[y] = (base + (goal - base) * share).quantize(quantum, rounding="ROUND_HALF_UP")
    return path
