"""Writes to the plan. Each service runs in one transaction and writes an audit row."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from kinerja.accounts.access import require_plan_editor
from kinerja.accounts.models import Unit, User
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


def _unit_of(obj: models.Model) -> Unit | None:
    if isinstance(obj, Objective | Programme):
        return obj.unit
    if isinstance(obj, Indicator):
        return obj.plan_unit if obj.objective_id else None
    return None


def _prepare_write(
    obj: models.Model,
    *,
    by: User,
    unit: Callable[[Any], Unit | None],
    describe: Callable[[Any], dict[str, Any]] = snapshot,
) -> dict[str, Any] | None:
    """Refuse an editor who may not write the object as it is or as it will be, lock its
    stored row, bind it to the editor's government and validate it.

    Returns the stored object's description for the audit row (None for a new object).
    """
    require_plan_editor(by, unit(obj))
    before = None
    if obj.pk:
        current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if current.government_id != by.government_id:  # type: ignore[attr-defined]
            raise PermissionDenied
        require_plan_editor(by, unit(current))
        before = describe(current)
    if by.government is None:
        raise PermissionDenied
    obj.government = by.government  # type: ignore[attr-defined]
    _refuse_foreign_references(obj)
    obj.full_clean()
    return before


def _record_change(
    obj: models.Model, *, by: User, before: dict[str, Any] | None, after: dict[str, Any]
) -> None:
    if before != after:
        action = f"{obj._meta.model_name}.{'update' if before else 'create'}"
        record(actor=by, action=action, obj=obj, before=before, after=after)


@transaction.atomic
def plan_object_save(*, obj: PlanObject, by: User) -> PlanObject:
    """Create or update a mission, goal, objective or indicator.

    `obj` carries the new values (e.g. from a validated form, unsaved). The editor must be
    allowed to change the plan at the object's level; the model's own rules are checked.
    """
    before = _prepare_write(obj, by=by, unit=_unit_of)
    obj.save()
    _record_change(obj, by=by, before=before, after=snapshot(obj))
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
def indicator_targets_set(
    *, indicator: Indicator, targets: TargetValues, by: User, provenance: str = ""
) -> None:
    """Set the yearly targets of an indicator; `None` for a year removes its target.

    `provenance` says where the figures came from (empty: typed in by hand). One audit row
    on the indicator holds all years before and after.
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
                provenance=provenance,
            )
        elif (current.value, current.value_high, current.provenance) != (value, high, provenance):
            target = current
            target.value, target.value_high, target.provenance = value, high, provenance
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
            note=provenance,
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
    spent: dict[int, Decimal | None] | None = None,
) -> Programme:
    """Create or update a programme, activity or sub-activity with the objectives it serves,
    its budget per year (None removes a year) and, when given, what was spent of it. One
    audit row holds all of it."""
    if any(o.government_id != by.government_id for o in objectives):
        raise PermissionDenied("Data dari pemerintah daerah lain tidak dapat dirujuk.")
    before = _prepare_write(programme, by=by, unit=lambda p: p.unit, describe=_describe_programme)
    programme.save()
    programme.objectives.set(objectives)
    existing = {b.year: b for b in programme.budgets.select_for_update(of=("self",))}
    spent = spent or {}
    for year, amount in budgets.items():
        budget = existing.get(year)
        if amount is None:
            if spent.get(year) is not None:
                raise ValidationError(f"Isi pagu tahun {year} sebelum realisasinya.")
            if budget:
                budget.delete()
            continue
        if budget is None:
            budget = Budget(government=programme.government, programme=programme, year=year)
        if year in spent:
            budget.spent = spent[year]
        budget.amount = amount
        budget.full_clean()
        budget.save()
    _record_change(programme, by=by, before=before, after=_describe_programme(programme))
    return programme


def _describe_programme(programme: Programme) -> dict[str, Any]:
    rows = list(programme.budgets.order_by("year"))
    budgets = {str(b.year): _plain_decimal(b.amount) for b in rows}
    spent = {str(b.year): _plain_decimal(b.spent) for b in rows if b.spent is not None}
    return {**snapshot(programme), "budgets": budgets, "spent": spent}
