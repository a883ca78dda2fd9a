"""Achievement everywhere, read in bulk: a fixed handful of queries for a whole government,
whatever its number of units, indicators or periods; the arithmetic is the pure functions of
`achievement.py` fed with plain values.

Figures that count are the current version of each period, once submitted or verified;
drafts and returned figures do not.
"""

from __future__ import annotations

import datetime
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Q

from kinerja.accounts.models import Government, Unit
from kinerja.monitoring import achievement as calc
from kinerja.monitoring.models import MonitoringPolicy, Realisation, Reminder
from kinerja.planning import calendar
from kinerja.planning.models import Indicator, IndicatorTarget, Mission, Objective, Term
from kinerja.planning.selectors import current_term

QUARTERS = 4
NO_ROLL_UP = calc.RollUp(None, 0, 0)


T = TypeVar("T")


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
    periods: list[Realisation | None]  # current version of each period, any status
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

    @property
    def missing(self) -> int:
        return self.as_of - self.reported


def _achievement(
    indicator: Indicator, target: IndicatorTarget | None, value: object
) -> calc.Achievement:
    return calc.explain_achievement(
        target.value if target else None,
        value,
        polarity=indicator.polarity,
        lower_formula=indicator.lower_formula,
        target_high=target.value_high if target else None,
    )


def indicator_status(
    indicator: Indicator,
    *,
    year: int,
    as_of_quarter: int,
    target: IndicatorTarget | None,
    realisations: Iterable[Realisation],
    policy: MonitoringPolicy,
    override: tuple[int, Decimal] | None = None,
) -> IndicatorStatus:
    """One indicator's year: period-to-date and forecast achievements, and the warning.

    `override` (period, value) puts a figure about to be submitted in place, to see the
    colour it would turn."""
    per_year = periods_in_year(indicator)
    as_of = elapsed_periods(per_year, as_of_quarter)
    periods: list[Realisation | None] = [None] * per_year
    for r in realisations:
        if r.periods_in_year == per_year and 1 <= r.period <= per_year:
            periods[r.period - 1] = r
    values: list[Decimal | None] = [r.exact_value if r and r.counts else None for r in periods]
    if override:
        values[override[0] - 1] = override[1]
    so_far = values[:as_of]
    to_date_value = calc.year_value(so_far, indicator.aggregation)
    to_date_target = calc.target_to_date(
        target.value if target else None,
        periods_elapsed=as_of,
        periods_in_year=per_year,
        aggregation=indicator.aggregation,
    )
    # A range's bounds are both brought to date (a share of each, for cumulative indicators).
    to_date_high = calc.target_to_date(
        target.value_high if target else None,
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
    forecast = _achievement(indicator, target, forecast_value)
    warning = calc.warning_level(
        forecast.value, green_from=policy.green_from, yellow_from=policy.yellow_from
    )
    return IndicatorStatus(
        indicator=indicator,
        year=year,
        per_year=per_year,
        as_of=as_of,
        target=target.value if target else None,
        target_high=target.value_high if target else None,
        periods=periods,
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


# Computed overviews, per process, keyed by the government's latest audit event: every state
# change writes one (kinerja.core.audit.record), so a change anywhere in the government makes
# a new key. Entries also expire, in case a figure was written outside the services.
_CACHE: OrderedDict[tuple[object, ...], tuple[float, Any]] = OrderedDict()
_CACHE_ENTRIES = 256
_CACHE_SECONDS = 300.0


def _revision(government: Government) -> int | None:
    from kinerja.core.models import AuditEvent

    return (
        AuditEvent.objects.filter(government=government)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )


def overview(
    government: Government,
    *,
    year: int,
    as_of_quarter: int = QUARTERS,
    unit: Unit | None = None,
    published_only: bool = False,
) -> Overview:
    """Every indicator's status and every roll-up for a government's year (see
    `compute_overview`), computed once per change of the government's data: the same
    figures are served from a per-process cache until the next audited change. The result
    is shared: callers read it and never change it."""
    return per_revision(
        government,
        ("overview", year, as_of_quarter, unit.pk if unit else None, published_only),
        lambda: compute_overview(
            government,
            year=year,
            as_of_quarter=as_of_quarter,
            unit=unit,
            published_only=published_only,
        ),
    )


def per_revision(government: Government, key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """`compute()`, or its result from this process's cache when the government's data has
    not changed since (same latest audit row) and the entry is younger than five minutes.
    The result is shared between requests: read it, never change it."""
    if not settings.KINERJA_OVERVIEW_CACHE:
        return compute()
    full_key = (government.pk, _revision(government), *key)
    now = time.monotonic()
    hit = _CACHE.get(full_key)
    if hit is not None and now - hit[0] < _CACHE_SECONDS:
        _CACHE.move_to_end(full_key)
        return hit[1]
    value = compute()
    _CACHE[full_key] = (now, value)
    while len(_CACHE) > _CACHE_ENTRIES:
        _CACHE.popitem(last=False)
    return value


def overview_cache_clear() -> None:
    _CACHE.clear()


def compute_overview(
    government: Government,
    *,
    year: int,
    as_of_quarter: int = QUARTERS,
    unit: Unit | None = None,
    published_only: bool = False,
) -> Overview:
    """Every indicator's status and every roll-up for a government's year, in six queries.

    `published_only` (the public portal) counts verified figures only: each period's latest
    verified version, even while a correction of it awaits verification. The year's own
    term is read (an earlier term's year shows that term's plan)."""
    term = calendar.term_for_year(government, year) or current_term(government)
    policy = policy_for(government)
    indicators = Indicator.objects.filter(government=government).select_related(
        "objective__unit",
        "objective__goal__mission",
        "objective__serves__goal__mission",
        "responsible_unit",
        "programme",
    )
    if term is not None:
        indicators = indicators.filter(objective__term=term)
    if unit is not None:
        indicators = indicators.filter(models_q_owner(unit))
    indicator_list = list(indicators.order_by("objective__code", "code"))
    ids = [i.pk for i in indicator_list]
    targets = {
        t.indicator_id: t
        for t in IndicatorTarget.objects.filter(
            government=government, year=year, indicator_id__in=ids
        )
    }
    by_indicator: dict[int, list[Realisation]] = defaultdict(list)
    rows = Realisation.objects.filter(government=government, year=year, indicator_id__in=ids).only(
        *_FIGURE_FIELDS
    )
    if published_only:
        # In version order, so that a period's latest verified version is placed last.
        rows = rows.filter(status=Realisation.Status.VERIFIED).order_by("version")
    else:
        rows = rows.filter(is_current=True)
    for r in rows:
        by_indicator[r.indicator_id].append(r)

    statuses: dict[int, IndicatorStatus] = {}
    objectives: dict[int, Node] = {}
    for ind in indicator_list:
        status = indicator_status(
            ind,
            year=year,
            as_of_quarter=as_of_quarter,
            target=targets.get(ind.pk),
            realisations=by_indicator.get(ind.pk, ()),
            policy=policy,
        )
        statuses[ind.pk] = status
        node = objectives.setdefault(ind.objective_id, Node(obj=ind.objective))
        node.statuses.append(status)
    for node in objectives.values():
        finish_node(node, policy, leaf=True)

    # Missions: a government objective sits under a goal of a mission; a unit objective
    # reaches its mission through the government objective it serves.
    missions_by_id: dict[int, Node] = {}
    mission_qs = Mission.objects.filter(government=government).order_by("number")
    if term is not None:
        mission_qs = mission_qs.filter(term=term)
    for mission in mission_qs:
        missions_by_id[mission.pk] = Node(obj=mission)
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

    units_by_id: dict[int, Node] = {}
    unit_qs = Unit.objects.filter(government=government).order_by("kind", "code")
    if unit is not None:
        unit_qs = unit_qs.filter(pk=unit.pk)
    for u in unit_qs:
        units_by_id[u.pk] = Node(obj=u)
    # A unit's achievement: its indicators grouped by objective.
    unit_objectives: dict[tuple[int, int], Node] = {}
    for status in statuses.values():
        owner = status.indicator.owner_unit
        if owner is None or owner.pk not in units_by_id:
            continue
        key = (owner.pk, status.indicator.objective_id)
        sub = unit_objectives.get(key)
        if sub is None:
            sub = unit_objectives[key] = Node(obj=status.indicator.objective)
            units_by_id[owner.pk].children.append(sub)
        sub.statuses.append(status)
    for sub in unit_objectives.values():
        finish_node(sub, policy, leaf=True)
    units = [finish_node(u, policy, leaf=False) for u in units_by_id.values()]

    root = finish_node(Node(obj=government, children=missions), policy, leaf=False)
    return Overview(
        government=government,
        term=term,
        year=year,
        as_of_quarter=as_of_quarter,
        policy=policy,
        root=root,
        missions=missions,
        units=units,
        objectives=objectives,
        statuses=statuses,
    )


# What the arithmetic and the overview pages read of a realisation (the red list shows the
# note, the late list the submission time); the rest is read on the indicator's own page.
_FIGURE_FIELDS = (
    "id",
    "government_id",
    "indicator_id",
    "year",
    "periods_in_year",
    "period",
    "version",
    "is_current",
    "value",
    "numerator",
    "denominator",
    "scale",
    "status",
    "note",
    "submitted_at",
)


def models_q_owner(unit: Unit) -> Q:
    """Indicators the unit answers for: its own objectives' and those it is named on."""
    return models_q_owner_prefixed(unit.pk)


def models_q_owner_prefixed(unit_id: int, *, prefix: str = "") -> Q:
    """The same, from a related model (prefix "indicator__" for realisations)."""
    return Q(**{f"{prefix}objective__unit_id": unit_id}) | Q(
        **{f"{prefix}objective__unit__isnull": True, f"{prefix}responsible_unit_id": unit_id}
    )


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
            realisation = status.periods[index]
            submitted = realisation is not None and realisation.counts
            on_time = (
                submitted
                and realisation is not None
                and realisation.submitted_at is not None
                and realisation.submitted_at.date() <= deadline
            )
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
