"""New markers for the figures a save or a delete touches (kinerja.monitoring.figures): a
realisation marks its indicator's unit, anything of the plan marks the whole government.
Receivers, not calls in each service, so that no writer of these models can forget."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from kinerja.monitoring import figures


def _realisation_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    from kinerja.monitoring.models import Realisation
    from kinerja.planning.models import Indicator

    # The indicator and its objective are usually in hand (the services load them): no query.
    indicator: Any = Realisation.indicator.field.get_cached_value(instance, None)
    objective: Any = (
        Indicator.objective.field.get_cached_value(indicator, None) if indicator else None
    )
    if indicator is not None and objective is not None:
        owner: tuple[int | None, int | None] | None = (
            objective.unit_id,
            indicator.responsible_unit_id,
        )
    else:
        owner = (
            Indicator.objects.filter(pk=instance.indicator_id, government_id=instance.government_id)
            .values_list("objective__unit_id", "responsible_unit_id")
            .first()
        )
    scope = figures.scope_of(*owner) if owner else figures.PLAN
    figures.bump(instance.government_id, [scope])


def _plan_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    from kinerja.accounts.models import Government

    origin = kwargs.get("origin")
    if isinstance(origin, Government) or getattr(origin, "model", None) is Government:
        return  # the government itself is being deleted, its markers with it
    figures.bump(instance.government_id, [figures.PLAN])


def connect() -> None:
    from kinerja.accounts.models import Unit
    from kinerja.monitoring.models import MonitoringPolicy, Realisation
    from kinerja.planning.models import (
        Goal,
        Indicator,
        IndicatorTarget,
        Mission,
        Objective,
        Programme,
        Term,
    )

    # Realisations are never deleted but with their indicator (a change of the plan).
    post_save.connect(_realisation_changed, sender=Realisation, dispatch_uid="figures-realisation")
    for name, signal in (("save", post_save), ("delete", post_delete)):
        for model in (
            Term, Mission, Goal, Objective, Indicator, IndicatorTarget, Programme, Unit,
            MonitoringPolicy,
        ):  # fmt: skip
            signal.connect(
                _plan_changed, sender=model, dispatch_uid=f"figures-{model.__name__}-{name}"
            )
