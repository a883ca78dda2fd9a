"""Writes to the plan. Each service runs in one transaction and writes an audit row."""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from kinerja.accounts.access import require_plan_editor
from kinerja.accounts.models import User
from kinerja.core.audit import record, snapshot
from kinerja.planning.models import (
    Budget,
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    Objective,
    Programme,
)

# Programmes go through programme_save: their objectives and budgets change with them.
PlanObject = TypeVar("PlanObject", Mission, Goal, Objective, Indicator)


def _unit_of(obj: models.Model) -> object:
    if isinstance(obj, Objective | Programme):
        return obj.unit
    if isinstance(obj, Indicator):
        return obj.plan_unit if obj.objective_id else None
    return None


@transaction.atomic
def plan_object_save(*, obj: PlanObject, by: User) -> PlanObject:
    """Create or update a mission, goal, objective, indicator or programme.

    `obj` carries the new values (e.g. from a validated form, unsaved). The editor must be
    allowed to change the plan at the object's level; the model's own rules are checked.
    """
    require_plan_editor(by, _unit_of(obj))  # type: ignore[arg-type]
    if obj.pk:
        current = type(obj).objects.select_for_update().get(pk=obj.pk)
        require_plan_editor(by, _unit_of(current))  # type: ignore[arg-type]
        before = snapshot(current)
        # Only the plan editor's own government can be written.
        if current.government_id != by.government_id:
            raise PermissionDenied
    else:
        before = None
    if by.government is None:
        raise PermissionDenied
    obj.government = by.government
    _refuse_foreign_references(obj)
    obj.full_clean()
    obj.save()
    after = snapshot(obj)
    if before != after:
        action = f"{obj._meta.model_name}.{'update' if before else 'create'}"
        record(actor=by, action=action, obj=obj, before=before, after=after)
    return obj


def _refuse_foreign_references(obj: models.Model) -> None:
    """Every object this one points at must belong to the same government."""
    for f in obj._meta.concrete_fields:
        if not f.is_relation or f.name == "government":
            continue
        related = getattr(obj, f.name, None)
        related_gov = getattr(related, "government_id", None)
        if related_gov is not None and related_gov != obj.government_id:  # type: ignore[attr-defined]
            raise PermissionDenied("Data dari pemerintah daerah lain tidak dapat dirujuk.")


TargetValues = dict[int, tuple[Decimal, Decimal | None] | None]


@transaction.atomic
def indicator_targets_set(*, indicator: Indicator, targets: TargetValues, by: User) -> None:
    """Set the yearly targets of an indicator; `None` for a year removes its target.

    One audit row on the indicator holds all years before and after.
    """
    require_plan_editor(by, indicator.plan_unit)
    existing = {
        t.year: t for t in indicator.targets.select_for_update(of=("self",)).order_by("year")
    }
    before = {str(y): _target_repr(t.value, t.value_high) for y, t in sorted(existing.items())}
    for year, pair in targets.items():
        current = existing.get(year)
        if pair is None:
            if current:
                current.delete()
            continue
        value, high = pair
        if indicator.polarity != Indicator.Polarity.RANGE:
            high = None
        if current is None:
            target = IndicatorTarget(
                government_id=indicator.government_id,
                indicator=indicator,
                year=year,
                value=value,
                value_high=high,
            )
        elif current.value != value or current.value_high != high:
            target = current
            target.value, target.value_high = value, high
        else:
            continue
        target.full_clean()
        target.save()
    after = {
        str(t.year): _target_repr(t.value, t.value_high) for t in indicator.targets.order_by("year")
    }
    if before != after:
        record(
            actor=by,
            action="indicator.targets",
            obj=indicator,
            before={"targets": before},
            after={"targets": after},
        )


def _target_repr(value: Decimal, high: Decimal | None) -> str:
    text = _plain_decimal(value)
    return f"{text} – {_plain_decimal(high)}" if high is not None else text


def _plain_decimal(value: Decimal) -> str:
    normalized = value.normalize()
    return format(normalized, "f")


@transaction.atomic
def programme_save(
    *,
    programme: Programme,
    objectives: list[Objective],
    budgets: dict[int, Decimal | None],
    by: User,
) -> Programme:
    """Create or update a programme, activity or sub-activity with the objectives it serves
    and its budget per year (None removes a year). One audit row holds all of it."""
    require_plan_editor(by, programme.unit)
    if any(o.government_id != by.government_id for o in objectives):
        raise PermissionDenied("Data dari pemerintah daerah lain tidak dapat dirujuk.")
    if programme.pk:
        current = Programme.objects.select_for_update().get(pk=programme.pk)
        require_plan_editor(by, current.unit)
        before: dict[str, object] | None = {
            **snapshot(current),
            "budgets": _budget_repr(current),
        }
    else:
        before = None
    if by.government is None:
        raise PermissionDenied
    programme.government = by.government
    _refuse_foreign_references(programme)
    programme.full_clean()
    programme.save()
    programme.objectives.set(objectives)
    existing = {b.year: b for b in programme.budgets.select_for_update(of=("self",))}
    for year, amount in budgets.items():
        budget = existing.get(year)
        if amount is None:
            if budget:
                budget.delete()
        elif budget is None:
            Budget(
                government=programme.government, programme=programme, year=year, amount=amount
            ).save()
        elif budget.amount != amount:
            budget.amount = amount
            budget.full_clean()
            budget.save(update_fields=["amount"])
    after = {**snapshot(programme), "budgets": _budget_repr(programme)}
    if before != after:
        action = f"programme.{'update' if before else 'create'}"
        record(actor=by, action=action, obj=programme, before=before, after=after)
    return programme


def _budget_repr(programme: Programme) -> dict[str, str]:
    return {str(b.year): _plain_decimal(b.amount) for b in programme.budgets.order_by("year")}
