"""Synthetic governments of realistic shape, for load and scale measurements (bench/).

One government ("city" scale): 45 units (agencies, districts, secretariat parts), a current
five-year term with 5 missions, 10 goals, 20 regional objectives and 90 unit objectives, 600
indicators (40 regional, 560 of units) with yearly targets, and five years of monthly
realisations, all verified (36,000 rows). Users: a head of region, a planner, an inspector and
an operator for each unit, all with the same password (`SYNTHETIC_PASSWORD`).

Rows are written in bulk: COPY on PostgreSQL for the large tables (targets, realisations),
`bulk_create` elsewhere. Figures are deterministic (seeded per government), so two runs give
the same database. Governments already present (by slug) are skipped, so a run resumes.
"""

from __future__ import annotations

import datetime
import io
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from kinerja.accounts.models import Government, Role, RoleAssignment, Unit, User
from kinerja.evaluation import sakip
from kinerja.evaluation.models import SakipEvaluation, SakipWorksheet
from kinerja.monitoring import figures
from kinerja.monitoring.models import MonitoringPolicy, Realisation
from kinerja.planning.models import (
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    Objective,
    Term,
    YearPublication,
)

SCALES = {"city": 1, "province": 40, "national": 550}
SLUG_PREFIX = "sint-"
SYNTHETIC_PASSWORD = "sintetis-kinerja"  # noqa: S105 - synthetic load-test accounts only

UNITS = (30, 5, 10)  # agencies, districts, secretariat parts
MISSIONS, GOALS_PER_MISSION, OBJECTIVES_PER_GOAL = 5, 2, 2
UNIT_OBJECTIVES_PER_UNIT = 2
REGIONAL_INDICATORS_PER_OBJECTIVE = 2
INDICATORS = 600
TERM_START = 2020  # baseline year; targets and realisations 2021–2025
YEARS = range(TERM_START + 1, TERM_START + 6)
MONTHS = 12


@dataclass
class Shape:
    units: int
    indicators: int
    realisations: int


def shape() -> Shape:
    return Shape(units=sum(UNITS), indicators=INDICATORS, realisations=INDICATORS * 5 * MONTHS)


def slug(n: int) -> str:
    return f"{SLUG_PREFIX}{n:04d}"


def _copy(model: type, columns: list[str], rows: Iterable[tuple[object, ...]]) -> None:
    """Write rows with PostgreSQL's COPY (text format), in chunks."""
    table = model._meta.db_table  # type: ignore[attr-defined]
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor
        with raw.copy(sql) as copy:
            buffer = io.StringIO()
            for count, row in enumerate(rows, start=1):
                buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
                buffer.write("\n")
                if count % 20000 == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())


def _bulk(model: type, columns: list[str], rows: Iterable[tuple[object, ...]]) -> None:
    """COPY on PostgreSQL; `bulk_create` elsewhere (SQLite, for tests)."""
    if connection.vendor == "postgresql":
        _copy(model, columns, rows)
        return
    fields = [c.removesuffix("_id") if c.endswith("_id") else c for c in columns]
    attnames = [
        model._meta.get_field(f).attname  # type: ignore[attr-defined]
        for f in fields
    ]
    objects = (model(**dict(zip(attnames, row, strict=True))) for row in rows)
    batch: list[object] = []
    for obj in objects:
        batch.append(obj)
        if len(batch) == 5000:
            model.objects.bulk_create(batch)  # type: ignore[attr-defined]
            batch = []
    if batch:
        model.objects.bulk_create(batch)  # type: ignore[attr-defined]


def _figure(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


@transaction.atomic
def generate_government(n: int, *, password_hash: str) -> Government:
    """One synthetic government, number n (its figures seeded by n)."""
    rng = random.Random(n)  # noqa: S311 - synthetic figures, not security
    now = timezone.now()
    gov = Government.objects.create(
        name=f"Pemerintah Kota Sintetis {n:04d}",
        slug=slug(n),
        kind=Government.Kind.CITY if n % 4 == 0 else Government.Kind.REGENCY,
        province=f"Provinsi Sintetis {n // 14 + 1:02d}",
        seat=f"Sintetis {n:04d}",
    )
    MonitoringPolicy.objects.create(government=gov, achievement_cap=Decimal(120))

    kinds = (
        [Unit.Kind.AGENCY] * UNITS[0]
        + [Unit.Kind.DISTRICT] * UNITS[1]
        + [Unit.Kind.SECRETARIAT] * UNITS[2]
    )
    units = Unit.objects.bulk_create(
        Unit(
            government=gov,
            kind=kind,
            code=f"{i + 1:02d}.{n:04d}",
            name=f"{'Kecamatan' if kind == Unit.Kind.DISTRICT else 'Dinas'} Sintetis {i + 1:02d}",
            short_name=f"PD{i + 1:02d}",
        )
        for i, kind in enumerate(kinds)
    )

    def user(username: str) -> User:
        return User(username=username, password=password_hash, government=gov, is_active=True)

    head, planner, inspector = User.objects.bulk_create(
        [user(f"walikota-{n:04d}"), user(f"perencana-{n:04d}"), user(f"inspektur-{n:04d}")]
    )
    operators = User.objects.bulk_create(
        user(f"operator-{n:04d}-{i + 1:02d}") for i in range(len(units))
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=head, government=gov, role=Role.HEAD_OF_REGION),
            RoleAssignment(user=planner, government=gov, role=Role.PLANNER),
            RoleAssignment(user=inspector, government=gov, role=Role.INSPECTOR),
            *(
                RoleAssignment(user=op, government=gov, role=Role.UNIT_OPERATOR, unit=unit)
                for op, unit in zip(operators, units, strict=True)
            ),
        ]
    )
    operator_of = {unit.pk: op.pk for op, unit in zip(operators, units, strict=True)}

    term = Term.objects.create(
        government=gov,
        name="RPJMD Sintetis",
        start_year=TERM_START,
        end_year=TERM_START + 5,
        vision=f"Terwujudnya daerah sintetis {n:04d} yang maju",
        is_current=True,
    )
    missions = Mission.objects.bulk_create(
        Mission(government=gov, term=term, number=m + 1, code=f"M{m + 1}", title=f"Misi {m + 1}")
        for m in range(MISSIONS)
    )
    goals = Goal.objects.bulk_create(
        Goal(government=gov, mission=mission, code=f"T{mission.number}.{g + 1}", title="Tujuan")
        for mission in missions
        for g in range(GOALS_PER_MISSION)
    )
    regional = Objective.objects.bulk_create(
        Objective(
            government=gov,
            term=term,
            goal=goal,
            code=f"S{goal.code[1:]}.{o + 1}",
            title="Sasaran daerah",
        )
        for goal in goals
        for o in range(OBJECTIVES_PER_GOAL)
    )
    unit_objectives = Objective.objects.bulk_create(
        Objective(
            government=gov,
            term=term,
            unit=unit,
            serves=regional[(u * UNIT_OBJECTIVES_PER_UNIT + k) % len(regional)],
            code=f"S.{unit.code}.{k + 1}",
            title="Sasaran perangkat daerah",
        )
        for u, unit in enumerate(units)
        for k in range(UNIT_OBJECTIVES_PER_UNIT)
    )

    # Indicators: two per regional objective (answered by a unit), the rest spread over the
    # unit objectives in turn.
    specs: list[tuple[Objective, Unit | None]] = [
        (obj, units[(i * 7) % len(units)])
        for i, obj in enumerate(regional)
        for _k in range(REGIONAL_INDICATORS_PER_OBJECTIVE)
    ]
    i = 0
    while len(specs) < INDICATORS:
        # A unit objective's indicator names its unit as responsible, as the plan workbook
        # and the E.81 import record it (the unit's agreement lists them).
        objective = unit_objectives[i % len(unit_objectives)]
        specs.append((objective, objective.unit))
        i += 1
    indicators = []
    for k, (obj, responsible) in enumerate(specs):
        draw = rng.random()
        aggregation = "last" if draw < 0.7 else ("average" if draw < 0.9 else "cumulative")
        polarity = "lower" if rng.random() < 0.15 else "higher"
        baseline = Decimal(rng.randint(20, 900))
        indicators.append(
            Indicator(
                government=gov,
                objective=obj,
                responsible_unit=responsible,
                code=f"IK.{k + 1:03d}",
                name=f"Indikator sintetis {k + 1:03d}",
                unit_of_measure="%" if aggregation != "cumulative" else "unit",
                polarity=polarity,
                aggregation=aggregation,
                frequency=Indicator.Frequency.MONTHLY,
                baseline_value=baseline,
                baseline_year=TERM_START,
                is_key=k < 40,
            )
        )
    indicators = Indicator.objects.bulk_create(indicators)

    targets: dict[tuple[int, int], Decimal] = {}
    for ind in indicators:
        step = Decimal(rng.randint(1, 5)) / 100
        for offset, year in enumerate(YEARS, start=1):
            factor = (1 - step * offset) if ind.polarity == "lower" else (1 + step * offset)
            targets[(ind.pk, year)] = (ind.baseline_value * factor).quantize(Decimal("0.01"))
    _bulk(
        IndicatorTarget,
        ["government_id", "indicator_id", "year", "value", "provenance"],
        ((gov.pk, ind_id, year, value, "sintetis") for (ind_id, year), value in targets.items()),
    )

    owner = {o.pk: o.unit_id for o in unit_objectives}

    def realisation_rows() -> Iterable[tuple[object, ...]]:
        for ind in indicators:
            unit_id = owner.get(ind.objective_id) or ind.responsible_unit_id
            by = operator_of.get(unit_id, planner.pk) if unit_id else planner.pk
            # Each indicator has its own performance level, some well under target.
            level = rng.choice((0.55, 0.7, 0.85, 0.95, 1.0, 1.05, 1.1))
            for year in YEARS:
                target = float(targets[(ind.pk, year)])
                year_value = target * (2 - level) if ind.polarity == "lower" else target * level
                for month in range(1, MONTHS + 1):
                    noise = 1 + rng.uniform(-0.03, 0.03)
                    if ind.aggregation == "cumulative":
                        value = year_value / MONTHS * noise
                    else:
                        value = year_value * noise
                    at = datetime.datetime(year, month, 28, 3, tzinfo=datetime.UTC)
                    yield (
                        gov.pk,
                        ind.pk,
                        year,
                        MONTHS,
                        month,
                        1,
                        True,
                        _figure(max(value, 0)),
                        "",
                        "",
                        Realisation.Status.VERIFIED,
                        by,
                        now,
                        now,
                        at,
                        inspector.pk,
                        at,
                        "",
                    )

    _bulk(
        Realisation,
        [
            "government_id",
            "indicator_id",
            "year",
            "periods_in_year",
            "period",
            "version",
            "is_current",
            "value",
            "note",
            "correction_reason",
            "status",
            "entered_by_id",
            "entered_at",
            "updated_at",
            "submitted_at",
            "reviewed_by_id",
            "reviewed_at",
            "review_comment",
        ],
        realisation_rows(),
    )
    worksheet = SakipWorksheet.objects.create(
        government=gov,
        name="LKE sintetis",
        grade_bounds=[[g, str(b)] for g, b in sakip.DEFAULT_GRADE_BOUNDS],
    )
    evaluations = []
    for year in YEARS:
        score = Decimal(rng.randint(5000, 9300)) / 100
        evaluations.append(
            SakipEvaluation(
                government=gov,
                worksheet=worksheet,
                year=year,
                status=SakipEvaluation.Status.FINAL,
                score=score,
                grade=sakip.grade(score),
                finalized_at=now,
                finalized_by=inspector,
            )
        )
    SakipEvaluation.objects.bulk_create(evaluations)
    YearPublication.objects.bulk_create(
        YearPublication(
            government=gov, year=year, quarter=4, published_at=now, published_by=planner
        )
        for year in YEARS
    )
    # Written in bulk, past the signals: the government's figures are marked as new.
    figures.bump_all(gov.pk)
    return gov


def _skip_foreign_key_checks() -> None:
    """The generator writes consistent rows; checking each of millions of foreign keys at
    commit (Django's constraints are deferred) costs seconds per government. A superuser
    (as in the benchmarks) may skip them for this session; others keep them."""
    from django.db import DatabaseError

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    except DatabaseError:
        pass


def generate(
    count: int,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list[int]:
    """Governments 1…count (those already there are skipped); returns the numbers made."""
    password_hash = make_password(SYNTHETIC_PASSWORD)
    if connection.vendor == "postgresql":
        # Each government is one transaction; not waiting for its WAL flush lets the next
        # one be generated meanwhile. A crash loses at most the last governments, which a
        # new run makes again (existing ones are skipped).
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
        _skip_foreign_key_checks()
    existing = set(
        Government.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True)
    )
    made = []
    for n in range(1, count + 1):
        if slug(n) not in existing:
            generate_government(n, password_hash=password_hash)
            made.append(n)
        if progress:
            progress(n, count)
    if connection.vendor == "postgresql" and made:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return made
