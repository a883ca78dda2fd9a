"""Access helpers: every view and API handler fetches tenant objects through these.

Rules (docs/decisions/0002-access.md):
- A user sees only their own government. Objects of another government answer 404, so their
  existence is not revealed.
- Any role of the government may read the plan (the RPJMD and Renstra are public documents).
- Planning staff edit the whole plan. A unit's head and operator edit their own unit's part of
  the plan (its objectives, indicators, programmes); another unit's gets 403.
- The change history of a unit's objects is for planning staff, the inspectorate, the head of
  region, the regional secretary and that unit's own people.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from kinerja.accounts.models import Government, Role, Unit, User
from kinerja.core.web import parse_id

M = TypeVar("M", bound=models.Model)
AnyUser = User | AnonymousUser

GOVERNMENT_WIDE_OVERSIGHT = {
    Role.PLANNER,
    Role.HEAD_OF_REGION,
    Role.REGIONAL_SECRETARY,
    Role.INSPECTOR,
}


def signed_in_user(request: HttpRequest) -> User:
    """The request's user with a government and at least one role; otherwise 403."""
    user = request.user
    government_for(user)
    assert isinstance(user, User)
    return user


def roles_of(user: Any) -> set[tuple[str, int | None]]:
    """(role, unit id) pairs of a signed-in user, read once per request object."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_kinerja_roles", None)
    if cached is None:
        cached = set(user.roles.values_list("role", "unit_id"))
        user._kinerja_roles = cached
    return cached


def has_role(user: Any, *roles: str) -> bool:
    return any(role in roles for role, _unit in roles_of(user))


def unit_ids_of(user: Any) -> set[int]:
    """Units the user is scoped to as head or operator."""
    return {unit for role, unit in roles_of(user) if unit is not None}


def government_for(user: Any) -> Government:
    """The user's government; a user without one, or without any role, is refused."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    if user.government_id is None or not roles_of(user):
        raise PermissionDenied(_("Akun ini belum memiliki peran pada pemerintah daerah mana pun."))
    return user.government


def is_overseer(user: Any) -> bool:
    """The head of region, the secretary, planners and the inspectorate: they see every unit."""
    return any(role in GOVERNMENT_WIDE_OVERSIGHT for role, _unit in roles_of(user))


def can_edit_government_plan(user: User) -> bool:
    return has_role(user, Role.PLANNER)


def can_edit_unit_plan(user: User, unit: Unit | None) -> bool:
    if can_edit_government_plan(user):
        return True
    return unit is not None and unit.pk in unit_ids_of(user)


def can_view_history(user: User, unit: Unit | None) -> bool:
    if any(role in GOVERNMENT_WIDE_OVERSIGHT for role, _unit in roles_of(user)):
        return True
    return unit is not None and unit.pk in unit_ids_of(user)


def get_for_user(user: User, queryset: models.QuerySet[M], pk: Any) -> M:
    """Fetch one object of the user's government or answer 404.

    The queryset's model must have a `government` foreign key.
    """
    government = government_for(user)
    key = parse_id(pk)  # huge, negative or not a number: not found, never a 500
    if key is None:
        raise Http404
    try:
        return queryset.get(pk=key, government=government)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def get_unit_for_user(user: User, pk: Any, *, for_edit: bool = False) -> Unit:
    unit = get_for_user(user, Unit.objects.all(), pk)
    if for_edit and not can_edit_unit_plan(user, unit):
        raise PermissionDenied(_("Anda tidak berwenang mengubah data perangkat daerah ini."))
    return unit


def require_plan_editor(user: User, unit: Unit | None) -> None:
    """Refuse (403) a write to the plan: government level needs planning staff."""
    allowed = can_edit_unit_plan(user, unit) if unit else can_edit_government_plan(user)
    if not allowed:
        raise PermissionDenied(_("Anda tidak berwenang mengubah rencana ini."))


def require_unit_member(user: Any, unit: Unit) -> None:
    """The unit's own people (its head and operators)."""
    if unit.pk not in unit_ids_of(user):
        raise PermissionDenied(_("Hanya operator atau kepala perangkat daerah ini."))


def require_unit_reader(user: Any, unit: Unit) -> None:
    """The unit's own people and the overseers read a unit's internal pages (its cascade,
    action plans, SKPs, tree to people); other units' people do not."""
    if not (is_overseer(user) or unit.pk in unit_ids_of(user)):
        raise PermissionDenied(
            _("Hanya perangkat daerah ini, pimpinan, perencana dan inspektorat.")
        )


def require_overseer(user: Any) -> None:
    """The head of region, the secretary, planners and the inspectorate."""
    if not is_overseer(user):
        raise PermissionDenied(_("Hanya pimpinan, perencana dan inspektorat."))


def require_history_reader(user: User, unit: Unit | None) -> None:
    if not can_view_history(user, unit):
        raise PermissionDenied(_("Anda tidak berwenang melihat riwayat data ini."))


def require_planner(user: User) -> Government:
    government = government_for(user)
    if not can_edit_government_plan(user):
        raise PermissionDenied(_("Hanya staf perencanaan yang dapat melakukan ini."))
    return government


def is_unit_head(user: Any, unit: Unit) -> bool:
    """The user heads this unit (the one who answers offers and signs for it)."""
    return (Role.UNIT_HEAD, unit.pk) in roles_of(user)
