"""Writes to the plan. Each service runs in one transaction and writes an audit row."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.access import require_plan_editor, require_planner
from kinerja.accounts.models import Government, Unit, User
from kinerja.core.audit import record, snapshot
from kinerja.planning.freeze import refuse_frozen
from kinerja.planning.models import (
    Budget,
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    Objective,
    Programme,
    YearPublication,
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
        current = (
            type(obj)
            ._default_manager.select_for_update()
            .get(pk=obj.pk, government_id=getattr(obj, "government_id", None))
        )
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
            raise PermissionDenied(_("Data dari pemerintah daerah lain tidak dapat dirujuk."))


TargetValues = dict[int, tuple[Decimal, Decimal | None] | None]


@transaction.atomic
def indicator_targets_set(
    *, indicator: Indicator, targets: TargetValues, by: User, provenance: str = ""
) -> None:
    """Set the yearly targets of an indicator; `None` for a year removes its target.

    `provenance` says where the figures came from (empty: typed in by hand). One audit row
    on the indicator holds all years before and after. A year whose target is frozen (an
    agreement signed, a figure verified, the year closed: kinerja.planning.freeze) is
    refused with its reason, and nothing is saved.
    """
    require_plan_editor(by, indicator.plan_unit)
    existing = {
        t.year: t for t in indicator.targets.select_for_update(of=("self",)).order_by("year")
    }
    before = {str(y): _target_repr(t.value, t.value_high) for y, t in sorted(existing.items())}
    refuse_frozen(indicator, _changed_years(indicator, existing, targets))
    for year, pair in targets.items():
        current = existing.get(year)
        if pair is None:
            if current:
                current.delete()
            continue
        value, high = pair
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


def _changed_years(
    indicator: Indicator, existing: dict[int, IndicatorTarget], targets: TargetValues
) -> list[int]:
    """The years whose stored figure would change (provenance alone is not a change)."""
    changed = []
    for year, pair in targets.items():
        current = existing.get(year)
        if pair is None:
            if current is not None:
                changed.append(year)
            continue
        value, high = pair
        if current is None or (current.value, current.value_high) != (value, high):
            changed.append(year)
    return changed


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
        raise PermissionDenied(_("Data dari pemerintah daerah lain tidak dapat dirujuk."))
    before = _prepare_write(programme, by=by, unit=lambda p: p.unit, describe=_describe_programme)
    programme.save()
    programme.objectives.set(
        objectives, through_defaults={"government_id": programme.government_id}
    )
    existing = {b.year: b for b in programme.budgets.select_for_update(of=("self",))}
    spent = spent or {}
    for year, amount in budgets.items():
        budget = existing.get(year)
        if amount is None:
            if spent.get(year) is not None:
                raise ValidationError(
                    _("Isi pagu tahun %(year)s sebelum realisasinya."),
                    code="isi_pagu_tahun_sebelum",
                    params={"year": year},
                )
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


# --- the government's calendar ---------------------------------------------------------------

YEAR_MIN, YEAR_MAX = 2000, 2100


def _bounded_year(value: int | None, label: str) -> int | None:
    if value is not None and not YEAR_MIN <= value <= YEAR_MAX:
        raise ValidationError(
            _("%(label)s harus antara %(lo)s dan %(hi)s.")
            % {"label": label, "lo": YEAR_MIN, "hi": YEAR_MAX},
            code="year_out_of_range",
        )
    return value


@transaction.atomic
def calendar_set(*, current_year: int | None, reporting_year: int | None, by: User) -> None:
    """Set the government's current and reporting year (None: follow today's date)."""
    government = require_planner(by)
    _bounded_year(current_year, _("Tahun berjalan"))
    _bounded_year(reporting_year, _("Tahun pelaporan"))
    if current_year is not None and reporting_year is not None and reporting_year > current_year:
        raise ValidationError(
            _("Tahun pelaporan tidak boleh setelah tahun berjalan."), code="reporting_after"
        )
    locked = Government.objects.select_for_update().get(pk=government.pk)
    before = {"current_year": locked.current_year, "reporting_year": locked.reporting_year}
    locked.current_year, locked.reporting_year = current_year, reporting_year
    locked.save(update_fields=["current_year", "reporting_year"])
    after = {"current_year": current_year, "reporting_year": reporting_year}
    if before != after:
        record(
            actor=by,
            action="government.calendar",
            obj=locked,
            before=before,
            after=after,
            government=locked,
        )


@transaction.atomic
def year_publish(*, year: int, quarter: int | None, by: User) -> YearPublication | None:
    """Publish a year's results on the portal up to a quarter; `None` withdraws the year."""
    government = require_planner(by)
    _bounded_year(year, _("Tahun"))
    if quarter is not None and not 1 <= quarter <= 4:
        raise ValidationError(_("Triwulan harus 1–4."), code="quarter_out_of_range")
    current = (
        YearPublication.objects.select_for_update().filter(government=government, year=year).first()
    )
    before = {"year": year, "quarter": current.quarter} if current else None
    if quarter is None:
        if current is not None:
            current.delete()
            record(
                actor=by,
                action="publication.withdraw",
                obj=government,
                before=before,
                after=None,
                government=government,
            )
        return None
    if current is None:
        current = YearPublication(government=government, year=year)
    elif current.quarter == quarter:
        return current
    current.quarter = quarter
    current.published_at = timezone.now()
    current.published_by = by
    current.save()
    record(
        actor=by,
        action="publication.publish",
        obj=government,
        before=before,
        after={"year": year, "quarter": quarter},
        government=government,
    )
    return current
