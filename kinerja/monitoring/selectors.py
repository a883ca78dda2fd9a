"""Achievement everywhere, read in bulk: a fixed handful of queries for a whole government,
whatever its number of units, indicators or periods; the arithmetic is the pure functions of
`achievement.py` fed with plain values.

Figures that count are the current version of each period, once submitted or verified;
drafts and returned figures do not.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, NamedTuple, cast

from django.db.models import Q

from kinerja.accounts.models import Government, Unit
from kinerja.core.cache import Memo
from kinerja.monitoring import achievement as calc
from kinerja.monitoring import figures
from kinerja.monitoring.models import MonitoringPolicy, Realisation, Reminder, exact_figure
from kinerja.planning import calendar
from kinerja.planning.models import Indicator, IndicatorTarget, Mission, Objective, Term
from kinerja.planning.selectors import current_term

QUARTERS = 4
NO_ROLL_UP = calc.RollUp(None, 0, 0)


def policy_for(government: Government) -> MonitoringPolicy:
    """The government's policy, or the defaults (unsaved) until someone sets one."""
    try:
        return MonitoringPolicy.objects.get(government=government)
    except MonitoringPolicy.DoesNotExist:
        return MonitoringPolicy(government=government)


def periods_in_year(indicator: Indicator) -> int:
    return 12 if indicator.frequency == Indicator.Frequency.MONTHLY else QUARTERS


def period_end(year: int, period: int, per_year: int) -> datetime.date:
    """Last day of the period (quarter or month)."""
    month = period * (12 // per_year)
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def period_start(year: int, period: int, per_year: int) -> datetime.date:
    return datetime.date(year, (period - 1) * (12 // per_year) + 1, 1)


def report_deadline(year: int, period: int, per_year: int, days: int) -> datetime.date:
    return period_end(year, period, per_year) + datetime.timedelta(days=days)


def period_label(period: int, per_year: int) -> str:
    if per_year == QUARTERS:
        return ("TW I", "TW II", "TW III", "TW IV")[period - 1]
    return ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")[
        period - 1
    ]


def elapsed_periods(per_year: int, as_of_quarter: int) -> int:
    """Periods of an indicator covered by 'up to quarter Q' (monthly: 3 × Q)."""
    return as_of_quarter * (per_year // QUARTERS)


@dataclass
class IndicatorStatus:
    indicator: Indicator
    year: int
    per_year: int
    as_of: int  # periods of this indicator covered
    target: Decimal | None
    target_high: Decimal | None
    states: tuple[str | None, ...]  # status of each period's current version, None: none yet
    values: list[Decimal | None]  # the figures that count, per period
    to_date_value: Decimal | None
    to_date_target: Decimal | None
    to_date: calc.Achievement
    forecast_value: Decimal | None
    forecast: calc.Achievement
    warning: str
    complete: bool

    @property
    def reported(self) -> int:
        return sum(1 for v in self.values[: self.as_of] if v is not None)

    def __reduce__(self) -> tuple[Any, ...]:
        # Kept in the shared cache as one flat tuple (thousands of statuses are stored and
        # read after a change): without the indicator, which each process has.
        return (
            _status_from,
            (
                self.year, self.per_year, self.as_of, self.target, self.target_high,
                self.states, tuple(self.values), self.to_date_value, self.to_date_target,
                self.to_date.value, self.to_date.reason, self.forecast_value,
                self.forecast.value, self.forecast.reason, self.warning, self.complete,
            ),
        )  # fmt: skip

    @property
    def missing(self) -> int:
        return self.as_of - self.reported


def _status_from(
    year: int,
    per_year: int,
    as_of: int,
    target: Decimal | None,
    target_high: Decimal | None,
    states: tuple[str | None, ...],
    values: tuple[Decimal | None, ...],
    to_date_value: Decimal | None,
    to_date_target: Decimal | None,
    to_date: Decimal | None,
    to_date_reason: str,
    forecast_value: Decimal | None,
    forecast: Decimal | None,
    forecast_reason: str,
    warning: str,
    complete: bool,
) -> IndicatorStatus:
    return IndicatorStatus(
        cast(Indicator, None), year, per_year, as_of, target, target_high, states,
        list(values), to_date_value, to_date_target, calc.Achievement(to_date, to_date_reason),
        forecast_value, calc.Achievement(forecast, forecast_reason), warning, complete,
    )  # fmt: skip


def indicator_status(
    indicator: Indicator,
    *,
    year: int,
    as_of_quarter: int,
    target: IndicatorTarget | Decimal | None,
    realisations: Iterable[Realisation | Figure],
    policy: MonitoringPolicy,
    override: tuple[int, Decimal | None] | None = None,
    target_high: Decimal | None = None,
    keep_indicator: bool = True,
) -> IndicatorStatus:
    """One indicator's year: period-to-date and forecast achievements, and the warning.

    `target` is the year's target row, or its value (with `target_high`). `override`
    (period, value) puts a figure about to be submitted in place, to see the colour it
    would turn. Without `keep_indicator` the status does not hold the indicator (what is
    kept in the shared cache: the pages put their own instance back)."""
    if isinstance(target, IndicatorTarget):
        target_high = target.value_high
        target = target.value
    per_year = periods_in_year(indicator)
    as_of = elapsed_periods(per_year, as_of_quarter)
    periods: list[Realisation | Figure | None] = [None] * per_year
    for r in realisations:
        if r.periods_in_year == per_year and 1 <= r.period <= per_year:
            periods[r.period - 1] = r
    values: list[Decimal | None] = [r.exact_value if r and r.counts else None for r in periods]
    states = tuple(r.status if r else None for r in periods)
    if override:
        values[override[0] - 1] = override[1]
    so_far = values[:as_of]
    to_date_value = calc.year_value(so_far, indicator.aggregation)
    to_date_target = calc.target_to_date(
        target,
        periods_elapsed=as_of,
        periods_in_year=per_year,
        aggregation=indicator.aggregation,
    )
    # A range's bounds are both brought to date (a share of each, for cumulative indicators).
    to_date_high = calc.target_to_date(
        target_high,
        periods_elapsed=as_of,
        periods_in_year=per_year,
        aggregation=indicator.aggregation,
    )
    to_date = calc.explain_achievement(
        to_date_target,
        to_date_value,
        polarity=indicator.polarity,
        lower_formula=indicator.lower_formula,
        target_high=to_date_high,
    )
    complete = all(v is not None for v in values)
    if complete:
        forecast_value = calc.year_value(values, indicator.aggregation)
    else:
        # The forecast extrapolates the periods reported up to the as-of point.
        forecast_value = calc.forecast_year_value(
            so_far, periods_in_year=per_year, aggregation=indicator.aggregation
        )
    forecast = calc.explain_achievement(
        target,
        forecast_value,
        polarity=indicator.polarity,
        lower_formula=indicator.lower_formula,
        target_high=target_high,
    )
    warning = calc.warning_level(
        forecast.value, green_from=policy.green_from, yellow_from=policy.yellow_from
    )
    return IndicatorStatus(
        indicator=indicator if keep_indicator else cast(Indicator, None),
        year=year,
        per_year=per_year,
        as_of=as_of,
        target=target,
        target_high=target_high,
        states=states,
        values=values,
        to_date_value=to_date_value,
        to_date_target=to_date_target,
        to_date=to_date,
        forecast_value=forecast_value,
        forecast=forecast,
        warning=warning,
        complete=complete,
    )


@dataclass
class Node:
    """An objective, unit, mission or the government with its rolled-up achievements."""

    obj: object
    statuses: list[IndicatorStatus] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    to_date: calc.RollUp = NO_ROLL_UP
    forecast: calc.RollUp = NO_ROLL_UP
    warning: str = "none"
    weight: Decimal = Decimal(0)

    @property
    def red(self) -> int:
        return sum(1 for s in self.all_statuses() if s.warning == "red")

    def all_statuses(self) -> list[IndicatorStatus]:
        if self.statuses:
            return self.statuses
        seen: dict[int, IndicatorStatus] = {}
        for child in self.children:
            for s in child.all_statuses():
                seen.setdefault(s.indicator.pk, s)
        return list(seen.values())


@dataclass
class Overview:
    government: Government
    term: Term | None
    year: int
    as_of_quarter: int
    policy: MonitoringPolicy
    root: Node
    missions: list[Node]
    units: list[Node]
    objectives: dict[int, Node]
    statuses: dict[int, IndicatorStatus]
    # What the figures were computed from (the markers), for what is kept from them (rendered
    # fragments); empty when computed outside the cache.
    state: str = ""

    @property
    def red(self) -> list[IndicatorStatus]:
        reds = [s for s in self.statuses.values() if s.warning == "red"]
        return sorted(reds, key=lambda s: (s.forecast.value or Decimal(0), s.indicator.code))


def finish_node(node: Node, policy: MonitoringPolicy, *, leaf: bool) -> Node:
    cap = policy.achievement_cap
    if leaf:
        node.to_date = calc.roll_up(
            ((s.to_date.value, s.indicator.weight) for s in node.statuses), cap=cap
        )
        node.forecast = calc.roll_up(
            ((s.forecast.value, s.indicator.weight) for s in node.statuses), cap=cap
        )
        node.weight = sum((s.indicator.weight for s in node.statuses), Decimal(0))
    else:
        by_weight = policy.weighting == MonitoringPolicy.Weighting.INDICATORS

        def weight(child: Node) -> Decimal:
            return child.weight if by_weight else Decimal(1)

        # Children's values are already capped; the cap applies once more harmlessly.
        node.to_date = calc.roll_up(((c.to_date.value, weight(c)) for c in node.children), cap=cap)
        node.forecast = calc.roll_up(
            ((c.forecast.value, weight(c)) for c in node.children), cap=cap
        )
        node.weight = sum((c.weight for c in node.children), Decimal(0))
    node.warning = calc.warning_level(
        node.forecast.value, green_from=policy.green_from, yellow_from=policy.yellow_from
    )
    return node


# What each process keeps of whole governments (a city's overview is a few MB): the last ones
# used, a handful each; the figures of each unit are kept apart (figures.local).
_overviews = Memo(48)
_structures = Memo(24)


def overview(
    government: Government,
    *,
    year: int,
    as_of_quarter: int = QUARTERS,
    unit: Unit | None = None,
    published_only: bool = False,
) -> Overview:
    """Every indicator's status and every roll-up for a government's year (see
    `compute_overview`), computed once per change and shared by every worker
    (kinerja.monitoring.figures): the plan is read once per change of the plan, each unit's
    figures once per change of that unit's figures, and the roll-ups once per process for
    each state. The result is shared between requests: read it, never change it."""
    if not figures.enabled():
        return compute_overview(
            government,
            year=year,
            as_of_quarter=as_of_quarter,
            unit=unit,
            published_only=published_only,
        )
    marks = figures.markers(government.pk)
    plan = marks.get(figures.PLAN, 0)
    if unit is not None:
        scopes = [unit.pk]
    else:
        structure = _structure_cached(government, year, plan)
        scopes = sorted(structure.by_scope)
    state = ",".join(f"{s}={marks.get(s, 0)}" for s in scopes)
    memo_key = figures.key(
        "overview", government.pk, year, as_of_quarter, unit.pk if unit else "", published_only,
        plan, state,
    )  # fmt: skip
    hit = _overviews.get(memo_key)
    if hit is not None:
        return hit
    structure = _structure_cached(government, year, plan)
    variant = (government.pk, year, as_of_quarter, published_only, plan)
    keys = {
        s: figures.key("figures", *variant, s, marks.get(s, 0))
        for s in scopes
        if s in structure.by_scope
    }
    by_key = {k: s for s, k in keys.items()}

    def compute(missing: list[str]) -> dict[str, Any]:
        groups = _compute_groups(
            government,
            structure,
            [by_key[k] for k in missing],
            year=year,
            as_of_quarter=as_of_quarter,
            published_only=published_only,
        )
        return {keys[s]: statuses for s, statuses in groups.items()}

    entries = figures.shared_many(list(keys.values()), compute)
    found: dict[int, IndicatorStatus] = {}
    for entry in entries.values():
        found.update(entry)
    view = _assemble(government, structure, found, year=year, quarter=as_of_quarter, unit=unit)
    view.state = memo_key
    _overviews.put(memo_key, view)
    return view


@dataclass
class Structure:
    """The plan a year's overview is built on: model instances the pages read (the
    indicators with their objective, unit and programme, the missions and units), kept in
    each process until the plan changes."""

    term: Term | None
    policy: MonitoringPolicy
    indicators: list[Indicator]  # by objective code, then code
    by_scope: dict[int, list[Indicator]]
    missions: list[Mission]
    units: list[Unit]


def _structure_cached(government: Government, year: int, plan: int) -> Structure:
    k = figures.key("structure", government.pk, year, plan)
    hit = _structures.get(k)
    if hit is None:
        hit = _structure(government, year)
        _structures.put(k, hit)
    return hit


def _structure(government: Government, year: int) -> Structure:
    """Five queries, each without a join of instances: the indicators, then their objectives
    (with goal and mission), units and missions read once each and wired onto them, so that
    600 indicators are 600 instances, not 600 copies of their objective and unit."""
    term = calendar.term_for_year(government, year) or current_term(government)
    indicators = Indicator.objects.filter(government=government)
    objectives = Objective.objects.filter(government=government).select_related("goal__mission")
    missions = Mission.objects.filter(government=government).order_by("number")
    if term is not None:
        indicators = indicators.filter(objective__term=term)
        objectives = objectives.filter(term=term)
        missions = missions.filter(term=term)
    units = list(Unit.objects.filter(government=government).order_by("kind", "code"))
    unit_by_id = {u.pk: u for u in units}
    objective_by_id = {o.pk: o for o in objectives}
    for o in objective_by_id.values():
        Objective.unit.field.set_cached_value(o, unit_by_id.get(o.unit_id) if o.unit_id else None)
        if o.serves_id in objective_by_id:
            Objective.serves.field.set_cached_value(o, objective_by_id[o.serves_id])
    indicator_list = list(indicators.order_by("objective__code", "code"))
    by_scope: dict[int, list[Indicator]] = defaultdict(list)
    for ind in indicator_list:
        objective = objective_by_id.get(ind.objective_id)
        if objective is not None:
            Indicator.objective.field.set_cached_value(ind, objective)
        responsible = unit_by_id.get(ind.responsible_unit_id) if ind.responsible_unit_id else None
        Indicator.responsible_unit.field.set_cached_value(ind, responsible)
        by_scope[figures.scope_of(ind.objective.unit_id, ind.responsible_unit_id)].append(ind)
    return Structure(
        term=term,
        policy=policy_for(government),
        indicators=indicator_list,
        by_scope=dict(by_scope),
        missions=list(missions),
        units=units,
    )


class Figure(NamedTuple):
    """What the arithmetic reads of a realisation, as plain values (reading thousands of
    rows as model instances costs more than the arithmetic; notes and times, which cost
    most to read, are read by the pages that show them)."""

    pk: int
    period: int
    periods_in_year: int
    version: int
    is_current: bool
    status: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    scale: Decimal | None
    exact_value: Decimal | None

    @property
    def counts(self) -> bool:
        return self.status in COUNTING

    @property
    def period_label(self) -> str:
        return period_label(self.period, self.periods_in_year)

    def get_status_display(self) -> str:
        return str(Realisation.Status(self.status).label)


COUNTING = frozenset({Realisation.Status.SUBMITTED.value, Realisation.Status.VERIFIED.value})
_FIGURE_COLUMNS = (
    "indicator_id",
    "id",
    "period",
    "periods_in_year",
    "version",
    "is_current",
    "status",
    "value",
    "numerator",
    "denominator",
    "scale",
)


def _compute_groups(
    government: Government,
    structure: Structure,
    scopes: list[int],
    *,
    year: int,
    as_of_quarter: int,
    published_only: bool,
) -> dict[int, dict[int, IndicatorStatus]]:
    """The statuses of the indicators of each part (without their indicator instance, which
    each process has in its structure), in two queries whatever the number of parts.

    `published_only` (the public portal) counts verified figures only: each period's latest
    verified version, even while a correction of it awaits verification."""
    if structure.term is not None and set(scopes) >= set(structure.by_scope):
        # Every part: by the term (a list of hundreds of ids costs more to send than to read).
        which = Q(indicator__objective__term=structure.term)
    else:
        which = Q(indicator_id__in=[i.pk for s in scopes for i in structure.by_scope.get(s, ())])
    targets = {
        row[0]: row[1:]
        for row in IndicatorTarget.objects.filter(which, government=government, year=year)
        .order_by()
        .values_list("indicator_id", "value", "value_high")
    }
    rows = Realisation.objects.filter(which, government=government, year=year)
    if published_only:
        # In version order, so that a period's latest verified version is placed last.
        rows = rows.filter(status=Realisation.Status.VERIFIED).order_by("version")
    else:
        rows = rows.filter(is_current=True).order_by()
    by_indicator: dict[int, list[Figure]] = defaultdict(list)
    for ind_id, *fields in rows.values_list(*_FIGURE_COLUMNS):
        # fields: the columns after the indicator; value, numerator, denominator, scale last.
        by_indicator[ind_id].append(Figure(*fields, exact_figure(*fields[-4:])))  # type: ignore[call-arg]
    result: dict[int, dict[int, IndicatorStatus]] = {s: {} for s in scopes}
    policy = structure.policy
    for s in scopes:
        for ind in structure.by_scope.get(s, ()):
            target = targets.get(ind.pk)
            result[s][ind.pk] = indicator_status(
                ind,
                year=year,
                as_of_quarter=as_of_quarter,
                target=target[0] if target else None,
                target_high=target[1] if target else None,
                realisations=by_indicator.get(ind.pk, ()),
                policy=policy,
                keep_indicator=False,
            )
    return result


def compute_overview(
    government: Government,
    *,
    year: int,
    as_of_quarter: int = QUARTERS,
    unit: Unit | None = None,
    published_only: bool = False,
) -> Overview:
    """Every indicator's status and every roll-up for a government's year, from the
    database, in a fixed handful of queries. The year's own term is read (an earlier
    term's year shows that term's plan)."""
    structure = _structure(government, year)
    scopes = [unit.pk] if unit is not None else list(structure.by_scope)
    groups = _compute_groups(
        government,
        structure,
        scopes,
        year=year,
        as_of_quarter=as_of_quarter,
        published_only=published_only,
    )
    found: dict[int, IndicatorStatus] = {}
    for statuses in groups.values():
        found.update(statuses)
    return _assemble(government, structure, found, year=year, quarter=as_of_quarter, unit=unit)


def _assemble(
    government: Government,
    structure: Structure,
    computed: dict[int, IndicatorStatus],
    *,
    year: int,
    quarter: int,
    unit: Unit | None,
) -> Overview:
    """Roll the statuses up by objective, mission, unit and the government."""
    policy = structure.policy
    statuses: dict[int, IndicatorStatus] = {}
    objectives: dict[int, Node] = {}
    for ind in structure.indicators:
        found = computed.get(ind.pk)
        if found is None:
            continue  # another unit's (the overview of one unit)
        status = replace(found, indicator=ind)
        statuses[ind.pk] = status
        node = objectives.get(ind.objective_id)
        if node is None:
            node = objectives[ind.objective_id] = Node(obj=ind.objective)
        node.statuses.append(status)
    for node in objectives.values():
        finish_node(node, policy, leaf=True)

    # Missions: a government objective sits under a goal of a mission; a unit objective
    # reaches its mission through the government objective it serves.
    missions_by_id: dict[int, Node] = {m.pk: Node(obj=m) for m in structure.missions}
    for node in objectives.values():
        objective: Objective = node.obj  # type: ignore[assignment]
        goal = (
            objective.goal
            if objective.goal_id
            else (objective.serves.goal if objective.serves_id and objective.serves else None)
        )
        if goal is not None and goal.mission_id in missions_by_id:
            missions_by_id[goal.mission_id].children.append(node)
    missions = [finish_node(m, policy, leaf=False) for m in missions_by_id.values()]

    units_by_id: dict[int, Node] = {
        u.pk: Node(obj=u) for u in structure.units if unit is None or u.pk == unit.pk
    }
    # A unit's achievement: its indicators grouped by objective.
    unit_objectives: dict[tuple[int, int], Node] = {}
    for status in statuses.values():
        ind = status.indicator
        owner = figures.scope_of(ind.objective.unit_id, ind.responsible_unit_id)
        if owner not in units_by_id:
            continue
        key = (owner, ind.objective_id)
        sub = unit_objectives.get(key)
        if sub is None:
            sub = unit_objectives[key] = Node(obj=ind.objective)
            units_by_id[owner].children.append(sub)
        sub.statuses.append(status)
    for sub in unit_objectives.values():
        finish_node(sub, policy, leaf=True)
    units = [finish_node(u, policy, leaf=False) for u in units_by_id.values()]

    root = finish_node(Node(obj=government, children=missions), policy, leaf=False)
    return Overview(
        government=government,
        term=structure.term,
        year=year,
        as_of_quarter=quarter,
        policy=policy,
        root=root,
        missions=missions,
        units=units,
        objectives=objectives,
        statuses=statuses,
    )


def models_q_owner(unit: Unit) -> Q:
    """Indicators the unit answers for: its own objectives' and those it is named on."""
    return models_q_owner_prefixed(unit.pk)


def models_q_owner_prefixed(unit_id: int, *, prefix: str = "") -> Q:
    """The same, from a related model (prefix "indicator__" for realisations)."""
    return Q(**{f"{prefix}objective__unit_id": unit_id}) | Q(
        **{f"{prefix}objective__unit__isnull": True, f"{prefix}responsible_unit_id": unit_id}
    )


def period_notes(
    government: Government, year: int, indicator_ids: Iterable[int]
) -> dict[int, list[tuple[str, str]]]:
    """The notes of the current figures of some indicators: (period label, note), in order."""
    notes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = (
        Realisation.objects.filter(
            government=government, year=year, is_current=True, indicator_id__in=indicator_ids
        )
        .exclude(note="")
        .order_by("indicator_id", "period")
        .values_list("indicator_id", "period", "periods_in_year", "note")
    )
    for ind, period, per_year, note in rows:
        notes[ind].append((period_label(period, per_year), note))
    return notes


def ranked_units(view: Overview) -> list[Node]:
    """Units by their period-to-date achievement, best first; units without one last."""
    return sorted(
        view.units,
        key=lambda n: (n.to_date.value is None, -(n.to_date.value or Decimal(0)), n.obj.code),  # type: ignore[attr-defined]
    )


@dataclass
class LateUnit:
    unit: Unit
    deadline: datetime.date
    missing: list[Indicator] = field(default_factory=list)  # nothing submitted yet
    late: list[Indicator] = field(default_factory=list)  # submitted after the deadline
    reminded_at: datetime.datetime | None = None


def late_units(
    government: Government, *, year: int, quarter: int, today: datetime.date
) -> tuple[datetime.date, list[LateUnit]]:
    """Units that had not submitted every figure of the quarter (the months of it, for
    monthly indicators) by the deadline, once the deadline has passed: what is still
    missing, and what came in late."""
    policy = policy_for(government)
    deadline = report_deadline(year, quarter, QUARTERS, policy.report_deadline_days)
    if today <= deadline:
        return deadline, []
    view = overview(government, year=year, as_of_quarter=quarter)
    # When each counted figure of the quarter came in (not kept with the overview's figures).
    months = (3 * (quarter - 1), 3 * quarter)
    submitted_at = {
        (ind, period): at
        for ind, period, at in Realisation.objects.filter(
            Q(periods_in_year=QUARTERS, period=quarter)
            | Q(periods_in_year=12, period__gt=months[0], period__lte=months[1]),
            government=government,
            year=year,
            is_current=True,
            status__in=COUNTING,
        ).values_list("indicator_id", "period", "submitted_at")
    }
    reminded = {
        r.unit_id: r.sent_at
        for r in Reminder.objects.filter(
            government=government, year=year, periods_in_year=QUARTERS, period=quarter
        )
    }
    units = {node.obj.pk for node in view.units}  # type: ignore[attr-defined]
    result: dict[int, LateUnit] = {}
    for status in view.statuses.values():
        owner = status.indicator.owner_unit
        if owner is None or owner.pk not in units:
            continue
        if status.target is None:
            continue  # nothing is due for a year without a target (outside the plan)
        first = elapsed_periods(status.per_year, quarter - 1)
        for index in range(first, status.as_of):
            submitted = status.states[index] in COUNTING
            at = submitted_at.get((status.indicator.pk, index + 1))
            on_time = submitted and at is not None and at.date() <= deadline
            if on_time:
                continue
            entry = result.get(owner.pk)
            if entry is None:
                entry = result[owner.pk] = LateUnit(
                    unit=owner, deadline=deadline, reminded_at=reminded.get(owner.pk)
                )
            bucket = entry.late if submitted else entry.missing
            if status.indicator not in bucket:
                bucket.append(status.indicator)
    return deadline, sorted(result.values(), key=lambda x: x.unit.code)


# --- an indicator's series across terms ---------------------------------------------------------


@dataclass
class SeriesPoint:
    year: int
    indicator: Indicator  # the lineage's indicator in that year's term
    term: Term
    target: Decimal | None
    target_high: Decimal | None
    value: Decimal | None
    achievement: Decimal | None
    as_of_quarter: int


def lineage_series(indicator: Indicator, *, upto: int) -> list[SeriesPoint]:
    """Target, realisation and achievement of every year up to `upto`, over every term the
    indicator was carried through (its lineage), so a series runs across the change of term.
    A past year counts to its fourth quarter, the year in progress to the last quarter ended.
    Three queries, whatever the number of years and terms."""
    members = list(
        Indicator.objects.filter(government_id=indicator.government_id, lineage=indicator.lineage)
        .select_related("objective__term")
        .order_by("objective__term__start_year")
    )
    by_year: dict[int, Indicator] = {}
    for member in members:
        for year in member.objective.term.target_years:
            if year <= upto:
                by_year[year] = member
    if not by_year:
        return []
    targets = {
        (t.indicator_id, t.year): t
        for t in IndicatorTarget.objects.filter(indicator__in=members, year__in=by_year)
    }
    figures: dict[tuple[int, int], list[Realisation]] = defaultdict(list)
    for r in Realisation.objects.filter(
        indicator__in=members, year__in=by_year, is_current=True
    ).order_by():
        figures[(r.indicator_id, r.year)].append(r)
    policy = policy_for(indicator.government)
    points = []
    for year in sorted(by_year):
        member = by_year[year]
        target = targets.get((member.pk, year))
        quarter = calendar.default_quarter(indicator.government, year)
        status = indicator_status(
            member,
            year=year,
            as_of_quarter=quarter,
            target=target,
            realisations=figures[(member.pk, year)],
            policy=policy,
        )
        points.append(
            SeriesPoint(
                year=year,
                indicator=member,
                term=member.objective.term,
                target=target.value if target else None,
                target_high=target.value_high if target else None,
                value=status.to_date_value,
                achievement=status.to_date.value,
                as_of_quarter=quarter,
            )
        )
    return points
