"""The demo's realisations: every indicator of every unit, each quarter (each month for a
monthly one) of 2019–2022, most on track, some red, some late.

- 2019–2021 and the first three quarters of 2022 are verified by the inspectorate.
- 2022 Q4: most units submitted on time and wait for verification; Disperin submitted late;
  Dishub and Kecamatan Sukun have not reported (the late-units page and the reminders);
  one Dindik figure was returned with a comment.
- Disbudpar's tourist numbers collapse in 2020–2021 (red, with the unit's explanation) and
  recover only partly in 2022; Dishub's congestion worsens in 2022.
- Maternal mortality is entered as deaths over live births (a rate from its numerator and
  denominator), and one Dinkes figure of 2021 was corrected after verification (version 2).
Deterministic: the same figures on every load.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from kinerja.accounts.models import Government, Role, User
from kinerja.monitoring.achievement import rate
from kinerja.monitoring.models import MonitoringPolicy, Realisation
from kinerja.monitoring.selectors import periods_in_year, report_deadline
from kinerja.planning.models import Indicator, IndicatorTarget

YEARS = (2019, 2020, 2021, 2022)
MISSING_2022_Q4 = {"Dishub", "Sukun"}
LATE_2022_Q4 = {"Disperin"}
DEADLINE_DAYS = 10

RED_NOTES = {
    "Disbudpar": (
        "Kunjungan wisata turun tajam: pembatasan kegiatan masyarakat selama pandemi, "
        "hotel dan destinasi ditutup sebagian."
    ),
    "Dishub": "Proyek jembatan dan saluran di jalan utama menutup satu lajur sepanjang triwulan.",
}


def _factor(short: str, year: int, rng: random.Random) -> Decimal:
    """How well a unit does against its target in a year (1 = exactly on target)."""
    if short == "Disbudpar" and year in (2020, 2021):
        return Decimal(str(round(rng.uniform(0.42, 0.6), 3)))
    if short == "Disbudpar" and year == 2022:
        return Decimal(str(round(rng.uniform(0.68, 0.74), 3)))
    if short == "Dishub" and year == 2022:
        return Decimal(str(round(rng.uniform(0.62, 0.72), 3)))
    if short in ("Kedungkandang",) and year == 2021:
        return Decimal(str(round(rng.uniform(0.8, 0.88), 3)))  # yellow
    return Decimal(str(round(rng.uniform(0.95, 1.07), 3)))


def _places(target: Decimal) -> Decimal:
    return Decimal("0.001") if abs(target) < 10 else Decimal("0.01")


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 15)))


@dataclass(frozen=True)
class Season:
    """Which figures a stretch of years has: up to `last` (year, quarter), verified up to
    `verified_upto` (the last quarter's figures wait for verification, except those of the
    units in `always_verified`); in the last quarter the `missing` units have not reported and
    the `late` ones reported after the deadline. `factor` says how well a unit does."""

    years: tuple[int, ...]
    last: tuple[int, int]
    verified_upto: tuple[int, int]
    always_verified: frozenset[str] = frozenset()
    missing: frozenset[str] = frozenset()
    late: frozenset[str] = frozenset()
    factor: Callable[[str, int, random.Random], Decimal] = _factor


FIRST_TERM = Season(
    years=YEARS,
    last=(2022, 4),
    verified_upto=(2022, 3),
    always_verified=frozenset({"Dinkes"}),
    missing=frozenset(MISSING_2022_Q4),
    late=frozenset(LATE_2022_Q4),
)


def _policy(gov: Government) -> None:
    MonitoringPolicy.objects.update_or_create(
        government=gov,
        defaults={
            "achievement_cap": Decimal(120),
            "green_from": Decimal(90),
            "yellow_from": Decimal(75),
            "report_deadline_days": DEADLINE_DAYS,
        },
    )


def realisation_rows(gov: Government, season: Season) -> list[Realisation]:
    """Every indicator's figures for the season's years (those with a target), unsaved."""
    users = {u.username: u for u in User.objects.filter(government=gov)}
    reporters: dict[int, User] = {}
    for user in users.values():
        for role, unit_id in user.roles.values_list("role", "unit_id"):
            if unit_id and role == Role.UNIT_OPERATOR:
                reporters[unit_id] = user
            elif unit_id and role == Role.UNIT_HEAD:
                reporters.setdefault(unit_id, user)
    planner, inspector, reviewer2 = users["perencana"], users["inspektur"], users["perencana"]
    indicators = list(
        Indicator.objects.filter(government=gov)
        .select_related("objective__unit", "responsible_unit")
        .order_by("code", "pk")
    )
    targets = {
        (t.indicator_id, t.year): t
        for t in IndicatorTarget.objects.filter(government=gov, year__in=season.years)
    }
    rows: list[Realisation] = []
    for ind in indicators:
        owner = ind.owner_unit
        short = owner.short_name if owner else ""
        entered_by = reporters.get(owner.pk, planner) if owner else planner
        n = periods_in_year(ind)
        for year in season.years:
            target = targets.get((ind.pk, year))
            if target is None:
                continue
            rng = random.Random(f"{ind.code}/{year}")  # noqa: S311 - demo figures, not secrets
            factor = season.factor(short, year, rng)
            t = target.value
            if ind.polarity == "range" and target.value_high is not None:
                final = (target.value + target.value_high) / 2 + Decimal(
                    str(round(rng.uniform(-0.4, 0.4), 2))
                )
            elif ind.polarity == "lower":
                final = t * (2 - factor)
            else:
                final = t * factor
            integral = ind.aggregation == "cumulative" and t >= 50
            for period in range(1, n + 1):
                quarter = -(-period * 4 // n)
                if (year, quarter) > season.last:
                    continue
                last = (year, quarter) == season.last
                if last and short in season.missing:
                    continue
                if ind.aggregation == "cumulative":
                    share = final / n * Decimal(str(round(rng.uniform(0.85, 1.15), 3)))
                    value = share.quantize(Decimal(1) if integral else _places(t), ROUND_HALF_UP)
                    if value < 0:
                        value = Decimal(0)
                else:
                    drift = Decimal(str(round(rng.uniform(-0.01, 0.01), 4)))
                    value = (final * (1 + drift * (n - period) / n)).quantize(
                        _places(t), ROUND_HALF_UP
                    )
                end = report_deadline(year, period, n, 0)
                late = last and short in season.late
                submitted = end + datetime.timedelta(
                    days=DEADLINE_DAYS + 12 if late else rng.randint(2, DEADLINE_DAYS - 1)
                )
                verified = (
                    year,
                    quarter,
                ) <= season.verified_upto or short in season.always_verified
                numerator = denominator = scale = None
                if ind.unit_of_measure.startswith("per 100.000 kelahiran"):
                    # Deaths over live births so far this year, the rate computed exactly.
                    births = Decimal(3300 * period + rng.randint(-40, 40))
                    deaths = (value * births / 100000).quantize(Decimal(1), ROUND_HALF_UP)
                    numerator, denominator, scale = deaths, births, Decimal(100000)
                    exact = rate(deaths, births, 100000)
                    assert exact is not None
                    value = exact.quantize(Decimal("0.000001"), ROUND_HALF_UP)
                red = factor < Decimal("0.75")
                note = RED_NOTES.get(short, "Di bawah target; lihat penjelasan PD.") if red else ""
                row = Realisation(
                    government=gov,
                    indicator=ind,
                    year=year,
                    periods_in_year=n,
                    period=period,
                    value=value,
                    numerator=numerator,
                    denominator=denominator,
                    scale=scale,
                    note=note,
                    status=Realisation.Status.VERIFIED
                    if verified
                    else Realisation.Status.SUBMITTED,
                    entered_by=entered_by,
                    submitted_at=_at(submitted, 9),
                )
                if verified:
                    row.reviewed_by = inspector if period % 2 else reviewer2
                    row.reviewed_at = _at(submitted + datetime.timedelta(days=3), 14)
                rows.append(row)
    return rows


def load_demo_realisations(gov: Government) -> int:
    _policy(gov)
    inspector = User.objects.get(government=gov, username="inspektur")
    rows = realisation_rows(gov, FIRST_TERM)
    # One figure returned with a comment: Dindik's accreditation share, 2022 Q4.
    for row in rows:
        if row.indicator.code == "I1.1.1.DINDIK.1.3" and row.year == 2022 and row.period == 4:
            row.status = Realisation.Status.RETURNED
            row.reviewed_by = inspector
            row.reviewed_at = _at(datetime.date(2023, 1, 16), 10)
            row.review_comment = "Lampirkan SK akreditasi BAN-S/M; angka belum sesuai Dapodik."
    # A correction after verification: life expectancy, 2021 Q4 (BPS published its final
    # figure after the preliminary one had been verified).
    for row in rows:
        if row.indicator.code == "I1.1.2.1" and row.year == 2021 and row.period == 4:
            row.is_current = False
            corrected = Realisation(
                government=gov,
                indicator=row.indicator,
                year=2021,
                periods_in_year=row.periods_in_year,
                period=4,
                version=2,
                value=row.value + Decimal("0.08"),
                correction_reason="BPS merilis angka final AHH 2021 (angka sebelumnya sementara).",
                status=Realisation.Status.VERIFIED,
                entered_by=row.entered_by,
                submitted_at=_at(datetime.date(2022, 2, 21), 9),
                reviewed_by=inspector,
                reviewed_at=_at(datetime.date(2022, 2, 23), 11),
            )
            rows.append(corrected)
            break
    Realisation.objects.bulk_create(rows, batch_size=500)
    return len(rows)
