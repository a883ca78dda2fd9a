"""Helpers for the government key on tenant rows (docs/scaling.md)."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery


def fill_government_from_parents(apps: Any, app_label: str, order: list[tuple[str, str]]) -> None:
    """For a data migration: set each row's government from its parent, parents first (a
    sub-component's from its component, and so on). Only a role of an account without a
    government can be left without one: such a role never worked (the access helpers refuse
    the account), and a row needs its tenant, so it is removed."""
    for model_name, parent in order:
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(parent)
        parents = field.related_model.objects.filter(pk=OuterRef(field.attname))
        model.objects.filter(government__isnull=True).update(
            government_id=Subquery(parents.values("government_id")[:1])
        )
        model.objects.filter(government__isnull=True).delete()
