"""Reads of the plan, in bulk: a fixed number of queries whatever the size of the plan."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from kinerja.accounts.models import Government, Unit
from kinerja.planning.models import (
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    Objective,
    Programme,
    Term,
)


def current_term(government: Government) -> Term | None:
    return Term.objects.filter(government=government).order_by("-is_current", "-start_year").first()


def indicators_with_targets(queryset: QuerySet[Indicator]) -> QuerySet[Indicator]:
    return queryset.select_related("responsible_unit", "objective__unit").prefetch_related(
        Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year"))
    )


@dataclass
class ObjectiveNode:
    objective: Objective
    indicators: list[Indicator] = field(default_factory=list)
    unit_objectives: list[ObjectiveNode] = field(default_factory=list)

    @property
    def units(self) -> list[Unit]:
        """Units responsible at this node: its own unit, the units of its indicators, and
        the units whose objectives serve it."""
        seen: dict[int, Unit] = {}
        if self.objective.unit:
            seen[self.objective.unit.pk] = self.objective.unit
        for ind in self.indicators:
            if ind.responsible_unit:
                seen.setdefault(ind.responsible_unit.pk, ind.responsible_unit)
        for child in self.unit_objectives:
            for unit in child.units:
                seen.setdefault(unit.pk, unit)
        return sorted(seen.values(), key=lambda u: u.code)


@dataclass
class GoalNode:
    goal: Goal
    objectives: list[ObjectiveNode] = field(default_factory=list)


@dataclass
class MissionNode:
    mission: Mission
    goals: list[GoalNode] = field(default_factory=list)


@dataclass
class PlanTree:
    term: Term
    missions: list[MissionNode]
    units: list[Unit]

    @property
    def indicator_count(self) -> int:
        total = 0
        for m in self.missions:
            for g in m.goals:
                for o in g.objectives:
                    total += len(o.indicators) + sum(len(u.indicators) for u in o.unit_objectives)
        return total


def plan_tree(term: Term) -> PlanTree:
    """The whole performance tree of a term, from missions down to unit indicators.

    Six queries, whatever the number of objectives and indicators.
    """
    missions = list(term.missions.order_by("number"))
    goals = list(Goal.objects.filter(mission__term=term).order_by("code"))
    objectives = list(term.objectives.select_related("unit").order_by("code"))
    indicators = list(
        indicators_with_targets(Indicator.objects.filter(objective__term=term)).order_by("code")
    )
    units = list(Unit.objects.filter(government_id=term.government_id).order_by("kind", "code"))

    indicators_by_objective: dict[int, list[Indicator]] = defaultdict(list)
    for ind in indicators:
        indicators_by_objective[ind.objective_id].append(ind)

    nodes = {o.pk: ObjectiveNode(o, indicators_by_objective[o.pk]) for o in objectives}
    objectives_by_goal: dict[int, list[ObjectiveNode]] = defaultdict(list)
    for o in objectives:
        if o.serves_id:
            nodes[o.serves_id].unit_objectives.append(nodes[o.pk])
        elif o.goal_id:
            objectives_by_goal[o.goal_id].append(nodes[o.pk])

    goals_by_mission: dict[int, list[GoalNode]] = defaultdict(list)
    for g in goals:
        goals_by_mission[g.mission_id].append(GoalNode(g, objectives_by_goal[g.pk]))

    return PlanTree(
        term=term,
        missions=[MissionNode(m, goals_by_mission[m.pk]) for m in missions],
        units=units,
    )


def unit_plan(unit: Unit, term: Term) -> tuple[list[Objective], list[Indicator], list[Programme]]:
    """A unit's objectives, the indicators it is responsible for, and its programmes."""
    objectives = list(term.objectives.filter(unit=unit).select_related("serves").order_by("code"))
    indicators = list(
        indicators_with_targets(
            Indicator.objects.filter(objective__term=term, responsible_unit=unit)
            | Indicator.objects.filter(objective__term=term, objective__unit=unit)
        )
        .distinct()
        .order_by("code")
    )
    programmes = list(
        term.programmes.filter(unit=unit).prefetch_related("budgets", "objectives").order_by("code")
    )
    return objectives, indicators, programmes
