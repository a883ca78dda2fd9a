"""The demo government: a city modelled on Kota Malang (seed articles 000 and 002).

The four missions of "Malang Kota Bermartabat" as seed 000 states them, the nine agencies and
five districts that signed the 2018 performance contracts, a 2018–2023 term with goals,
objectives and indicators (maternal mortality among them, lower is better), programmes with
budgets, officials holding each position, and one account per role. Officials' names are
invented: the documents the demo produces are not real commitments of real people.
"""

from __future__ import annotations

import datetime
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from kinerja.accounts.models import (
    Government,
    Person,
    Position,
    PositionAssignment,
    Role,
    RoleAssignment,
    Unit,
    User,
)
from kinerja.core.audit import record
from kinerja.monitoring import figures
from kinerja.planning.models import (
    Budget,
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    Objective,
    Programme,
    Term,
)

DEMO_PASSWORD = "kinerja-demo"  # noqa: S105 - the documented password of the demo accounts
DEMO_SLUG = "kota-malang-demo"

# The city itself is data (data/kota-malang.json): agencies and districts as (code, name, short
# name, head's name); the vision and missions; goals with their objectives and indicators, each
# indicator (code suffix, name, unit of measure, polarity, baseline 2018, end target 2023,
# options), intermediate targets interpolated; options: key, formula, aggregation, frequency,
# source, definition, range (low, high) for band indicators, range_width for a range target
# that keeps the direction (high = target + width); programmes per unit as (name,
# activities, budget in billions); the accounts as (username, role, unit, person or first name).
Ind = tuple[str, str, str, str, Any, Any, dict[str, Any]]

_CITY: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parent / "data" / "kota-malang.json").read_text(encoding="utf-8")
)
AGENCIES: list[tuple[str, str, str, str]] = [tuple(a) for a in _CITY["agencies"]]
DISTRICTS: list[tuple[str, str, str, str]] = [tuple(d) for d in _CITY["districts"]]
VISION: str = _CITY["vision"]
MISSIONS: list[str] = _CITY["missions"]
GOALS: list[dict[str, Any]] = _CITY["goals"]
PROGRAMMES: dict[str, list[tuple[str, list[str], int]]] = {
    unit: [tuple(p) for p in programmes] for unit, programmes in _CITY["programmes"].items()
}
DEMO_USERS: list[tuple[str, Role, str | None, str]] = [
    (username, Role(role), unit, person) for username, role, unit, person in _CITY["users"]
]


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def demo_nip(n: int, *, born: int = 1970, appointed: int = 1995, gender: int = 1) -> str:
    """An 18-digit NIP in the official shape: birth date (8), appointment month (6), gender
    (1), sequence (3); made up, one per `n`."""
    birth = f"{born + n % 20}{n % 12 + 1:02d}{n % 28 + 1:02d}"
    return f"{birth}{appointed + n % 10}{n % 12 + 1:02d}{gender}{n % 1000:03d}"


def _trajectory(baseline: Decimal, end: Decimal, years: list[int]) -> dict[int, Decimal]:
    """Evenly spaced yearly targets from the baseline to the end target."""
    step = (end - baseline) / len(years)
    integral = baseline == baseline.to_integral() and end == end.to_integral()
    values = {}
    for i, year in enumerate(years, start=1):
        value = baseline + step * i
        values[year] = value.to_integral_value(ROUND_HALF_UP) if integral else _q(value)
    values[years[-1]] = end
    return values


@transaction.atomic
def load_demo(*, with_documents: bool = True, today: datetime.date | None = None) -> Government:
    """Create the demo government, as it stands on `today` (default: today's date). Refuses
    if it already exists. Without documents (a quicker load for tests) it stops at the
    earlier term."""
    if Government.objects.filter(slug=DEMO_SLUG).exists():
        raise ValueError("Pemerintah daerah demo sudah ada.")
    gov = Government.objects.create(
        name="Pemerintah Kota Malang (demo)",
        slug=DEMO_SLUG,
        kind=Government.Kind.CITY,
        province="Jawa Timur",
        seat="Malang",
    )
    start = datetime.date(2018, 9, 24)
    people: dict[str, Person] = {}

    def person(name: str, nip: str = "") -> Person:
        p = Person.objects.create(government=gov, name=name, nip=nip)
        people[name] = p
        return p

    def assign(position: Position, p: Person, since: datetime.date = start, **kw: Any) -> None:
        PositionAssignment.objects.create(position=position, person=p, start=since, **kw)

    government_positions = {
        "head_of_region": ("Wali Kota Malang", "Drs. H. Surya Adiwijaya, M.Si."),
        "deputy_head": ("Wakil Wali Kota Malang", "Ir. H. Taufik Hidayat"),
        "regional_secretary": ("Sekretaris Daerah Kota Malang", "Drs. Wahyu Nugroho, M.M."),
    }
    officials: dict[str, Person] = {}
    for kind, (title, name) in government_positions.items():
        pos = Position.objects.create(government=gov, kind=kind, title=title)
        officials[kind] = person(name)
        assign(pos, officials[kind])

    units: dict[str, Unit] = {}
    heads: dict[str, Person] = {}
    for kind, rows in ((Unit.Kind.AGENCY, AGENCIES), (Unit.Kind.DISTRICT, DISTRICTS)):
        for code, name, short, head_name in rows:
            unit = Unit.objects.create(
                government=gov, kind=kind, code=code, name=name, short_name=short
            )
            units[short] = unit
            title = f"Camat {short}" if kind == Unit.Kind.DISTRICT else f"Kepala {name}"
            pos = Position.objects.create(
                government=gov, unit=unit, kind=Position.Kind.UNIT_HEAD, title=title
            )
            heads[short] = person(head_name, nip=demo_nip(len(heads) + 1))
            assign(pos, heads[short])
    # An acting head, as happens: Disbudpar's head retired in 2021 and a Plt. was appointed.
    disbudpar_pos = units["Disbudpar"].positions.get()
    first = disbudpar_pos.assignments.get()
    first.end = datetime.date(2021, 3, 31)
    first.save()
    assign(
        disbudpar_pos,
        person("Drs. Budi Hartono, M.Si."),
        datetime.date(2021, 4, 1),
        acting=PositionAssignment.Acting.PLT,
    )

    term = Term.objects.create(
        government=gov,
        name="RPJMD Kota Malang",
        start_year=2018,
        end_year=2023,
        vision=VISION,
        is_current=True,
    )
    years = term.target_years
    missions = {}
    for number, title in enumerate(MISSIONS, start=1):
        missions[number] = Mission.objects.create(
            government=gov, term=term, number=number, code=f"M{number}", title=title
        )

    def add_indicator(objective: Objective, prefix: str, spec: Ind, unit: Unit | None) -> None:
        suffix, name, uom, polarity, baseline, end, opts = spec
        ind = Indicator.objects.create(
            government=gov,
            objective=objective,
            responsible_unit=unit or (units[opts["unit"]] if "unit" in opts else None),
            code=f"{prefix}.{suffix}",
            name=name,
            unit_of_measure=uom,
            polarity=polarity,
            lower_formula=opts.get("formula", "mirror"),
            aggregation=opts.get("aggregation", "last"),
            frequency=opts.get("frequency", "quarterly"),
            definition=opts.get("definition", ""),
            formula=opts.get("formula_text", ""),
            data_source=opts.get("source", ""),
            baseline_value=Decimal(baseline),
            baseline_year=2018,
            is_key=opts.get("key", False),
        )
        if polarity == "range":
            low, high = (Decimal(v) for v in opts["range"])
            targets = [
                IndicatorTarget(government=gov, indicator=ind, year=y, value=low, value_high=high)
                for y in years
            ]
        else:
            trajectory = _trajectory(Decimal(baseline), Decimal(end), years)
            # A range that keeps the direction: "range_width" above each year's target.
            width = Decimal(opts["range_width"]) if "range_width" in opts else None
            targets = [
                IndicatorTarget(
                    government=gov,
                    indicator=ind,
                    year=y,
                    value=v,
                    value_high=v + width if width is not None else None,
                )
                for y, v in trajectory.items()
            ]
        IndicatorTarget.objects.bulk_create(targets)

    for g in GOALS:
        goal = Goal.objects.create(
            government=gov, mission=missions[g["mission"]], code=g["code"], title=g["title"]
        )
        for o in g["objectives"]:
            objective = Objective.objects.create(
                government=gov, term=term, goal=goal, code=o["code"], title=o["title"]
            )
            for spec in o["indicators"]:
                add_indicator(objective, f"I{o['code'][1:]}", spec, None)
            unit_objectives = list(o.get("units", {}).items())
            if "districts" in o:
                template, specs = o["districts"]
                for _code, name, short, _head in DISTRICTS:
                    unit_objectives.append((short, (template.format(name=name), specs)))
            for n, (short, (title, specs)) in enumerate(unit_objectives, start=1):
                unit = units[short]
                code = f"{o['code']}.{short.upper()[:6]}.{n}"
                uobj = Objective.objects.create(
                    government=gov,
                    term=term,
                    unit=unit,
                    serves=objective,
                    code=code,
                    title=title,
                )
                for spec in specs:
                    add_indicator(uobj, f"I{code[1:]}", spec, unit)

    for short, programmes in PROGRAMMES.items():
        unit = units[short]
        unit_objectives = list(term.objectives.filter(unit=unit))
        for p_no, (p_name, activities, billions) in enumerate(programmes, start=1):
            prog = Programme.objects.create(
                government=gov,
                term=term,
                unit=unit,
                kind=Programme.Kind.PROGRAMME,
                code=f"{unit.code}.{p_no:02d}",
                name=p_name,
            )
            prog.objectives.set(
                unit_objectives, through_defaults={"government_id": prog.government_id}
            )
            share = Decimal(billions) * Decimal(1_000_000_000) / len(activities)
            for a_no, a_name in enumerate(activities, start=1):
                act = Programme.objects.create(
                    government=gov,
                    term=term,
                    unit=unit,
                    kind=Programme.Kind.ACTIVITY,
                    parent=prog,
                    code=f"{prog.code}.{a_no:02d}",
                    name=a_name,
                )
                act.objectives.set(
                    unit_objectives, through_defaults={"government_id": act.government_id}
                )
                budgets = []
                for k, year in enumerate(years):
                    amount = (share * (Decimal(1) + Decimal("0.05") * k)).quantize(
                        Decimal(1_000_000)
                    )
                    budgets.append(Budget(government=gov, programme=act, year=year, amount=amount))
                Budget.objects.bulk_create(budgets)
            totals: dict[int, Decimal] = {}
            for b in Budget.objects.filter(programme__parent=prog):
                totals[b.year] = totals.get(b.year, Decimal(0)) + b.amount
            Budget.objects.bulk_create(
                [
                    Budget(government=gov, programme=prog, year=y, amount=a)
                    for y, a in sorted(totals.items())
                ]
            )
    for short in (d[2] for d in DISTRICTS):
        unit = units[short]
        prog = Programme.objects.create(
            government=gov,
            term=term,
            unit=unit,
            kind=Programme.Kind.PROGRAMME,
            code=f"{unit.code}.01",
            name="Program Penyelenggaraan Pemerintahan dan Pelayanan Publik Kecamatan",
        )
        prog.objectives.set(
            term.objectives.filter(unit=unit),
            through_defaults={"government_id": prog.government_id},
        )
        Budget.objects.bulk_create(
            [
                Budget(
                    government=gov,
                    programme=prog,
                    year=y,
                    amount=Decimal(4_500_000_000 + 250_000_000 * k),
                )
                for k, y in enumerate(years)
            ]
        )

    for username, role, unit_short, who in DEMO_USERS:
        if who in officials:
            p = officials[who]
        elif who == "unit_head":
            p = heads[unit_short]  # type: ignore[index]
        else:
            p = person(who)
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            government=gov,
            person=p,
            email=f"{username}@demo.kinerja.invalid",
        )
        RoleAssignment.objects.create(
            user=user, role=role, unit=units[unit_short] if unit_short else None
        )
    from kinerja.sampledata.demo_auction import load_demo_auctions

    load_demo_auctions(gov, with_documents=with_documents)
    if with_documents:
        from kinerja.sampledata.demo_agreements import load_demo_agreements

        load_demo_agreements(gov)
    from kinerja.sampledata.demo_monitoring import load_demo_realisations

    load_demo_realisations(gov)
    from kinerja.sampledata.demo_evaluation import load_demo_evaluation

    load_demo_evaluation(gov)
    # The planners published each reported year on the portal (what the public sees moves
    # only when they do).
    from kinerja.planning.services import year_publish

    planner = User.objects.get(username="perencana")
    for year in range(2019, 2023):
        year_publish(year=year, quarter=4, by=planner)
    # The present: the 2025–2029 term up to today (the calendar follows today's date).
    from kinerja.sampledata.demo_present import load_demo_present

    load_demo_present(gov, today=today, with_documents=with_documents)
    record(
        actor=None,
        action="demo.load",
        obj=gov,
        before=None,
        after={"units": len(units), "indicators": Indicator.objects.filter(government=gov).count()},
        government=gov,
    )
    # Parts of the history were written in bulk, past the signals: mark every figure new.
    figures.bump_all(gov.pk)
    return gov
