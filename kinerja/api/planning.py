"""The plan: the term's tree from missions to objectives, and indicators with their targets."""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from kinerja.accounts.access import get_for_user, government_for
from kinerja.api.base import Id, PageNumber, PageOut, PageSize, acting_user, dec, paginate
from kinerja.monitoring.selectors import models_q_owner_prefixed
from kinerja.planning.models import Indicator, Term
from kinerja.planning.selectors import (
    ObjectiveNode,
    current_term,
    indicators_with_targets,
    plan_tree,
)

router = Router(tags=["Rencana"])


class TargetOut(Schema):
    year: int
    value: str = Field(description="Target, or the low bound of a range.")
    value_high: str | None = Field(
        description=(
            "The high bound of a range target; null for a single target. On a higher or lower "
            "indicator a range keeps the direction (beyond the good bound scores above 100); "
            "on a band indicator (polarity range) any departure is a shortfall."
        )
    )


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    objective_id: int
    unit_id: int | None
    unit_of_measure: str
    polarity: str = Field(
        description="higher (higher is better), lower (lower is better) or range (a band)."
    )
    aggregation: str
    frequency: str
    is_key: bool
    weight: str
    baseline_value: str | None
    baseline_year: int
    targets: list[TargetOut]


class ObjectiveOut(Schema):
    id: int
    code: str
    title: str
    unit_id: int | None
    indicator_ids: list[int]
    unit_objectives: list[ObjectiveOut]


class GoalOut(Schema):
    id: int
    code: str
    title: str
    objectives: list[ObjectiveOut]


class MissionOut(Schema):
    id: int
    number: int
    code: str
    title: str
    goals: list[GoalOut]


class PlanOut(Schema):
    term_id: int
    name: str
    start_year: int
    end_year: int
    vision: str
    missions: list[MissionOut]


def indicator_out(ind: Indicator) -> dict[str, Any]:
    owner = ind.owner_unit
    return {
        "id": ind.pk,
        "code": ind.code,
        "name": ind.name,
        "objective_id": ind.objective_id,
        "unit_id": owner.pk if owner else None,
        "unit_of_measure": ind.unit_of_measure,
        "polarity": ind.polarity,
        "aggregation": ind.aggregation,
        "frequency": ind.frequency,
        "is_key": ind.is_key,
        "weight": dec(ind.weight),
        "baseline_value": dec(ind.baseline_value),
        "baseline_year": ind.baseline_year,
        "targets": [
            {"year": t.year, "value": dec(t.value), "value_high": dec(t.value_high)}
            for t in ind.targets.all()
        ],
    }


def _objective(node: ObjectiveNode) -> dict[str, Any]:
    o = node.objective
    return {
        "id": o.pk,
        "code": o.code,
        "title": o.title,
        "unit_id": o.unit_id,
        "indicator_ids": [i.pk for i in node.indicators],
        "unit_objectives": [_objective(child) for child in node.unit_objectives],
    }


def _term(request: HttpRequest, term_id: int | None) -> Term:
    user = acting_user(request)
    if term_id is not None:
        return get_for_user(user, Term.objects.all(), term_id)
    term = current_term(government_for(user))
    if term is None:
        raise Http404(_("Belum ada periode RPJMD yang berjalan."))
    return term


@router.get("/plan", response=PlanOut, summary="Pohon kinerja satu periode (default: berjalan)")
def plan(request: HttpRequest, term: Id | None = None) -> dict[str, Any]:
    t = _term(request, term)
    tree = plan_tree(t)
    return {
        "term_id": t.pk,
        "name": t.name,
        "start_year": t.start_year,
        "end_year": t.end_year,
        "vision": t.vision,
        "missions": [
            {
                "id": m.mission.pk,
                "number": m.mission.number,
                "code": m.mission.code,
                "title": m.mission.title,
                "goals": [
                    {
                        "id": g.goal.pk,
                        "code": g.goal.code,
                        "title": g.goal.title,
                        "objectives": [_objective(o) for o in g.objectives],
                    }
                    for g in m.goals
                ],
            }
            for m in tree.missions
        ],
    }


class IndicatorFilter(Schema):
    term: Id | None = None
    unit: Id | None = None
    objective: Id | None = None
    key: bool | None = None
    frequency: Literal["quarterly", "monthly"] | None = None
    q: str | None = None


@router.get("/indicators", response=PageOut[IndicatorOut], summary="Indikator dengan targetnya")
def indicators(
    request: HttpRequest,
    filters: Query[IndicatorFilter],
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    t = _term(request, filters.term)
    qs = indicators_with_targets(Indicator.objects.filter(objective__term=t)).order_by("code", "pk")
    if filters.unit is not None:
        qs = qs.filter(models_q_owner_prefixed(filters.unit))
    if filters.objective is not None:
        qs = qs.filter(objective_id=filters.objective)
    if filters.key is not None:
        qs = qs.filter(is_key=filters.key)
    if filters.frequency:
        qs = qs.filter(frequency=filters.frequency)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(code__icontains=filters.q))
    result = paginate(qs, page, page_size)
    result["items"] = [indicator_out(i) for i in result["items"]]
    return result


@router.get("/indicators/{indicator_id}", response=IndicatorOut, summary="Satu indikator")
def indicator(request: HttpRequest, indicator_id: Id) -> dict[str, Any]:
    ind = get_for_user(
        acting_user(request), indicators_with_targets(Indicator.objects.all()), indicator_id
    )
    return indicator_out(ind)
