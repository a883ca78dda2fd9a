"""Who may do what in evaluation: read a unit's evaluation, see the allowance report, manage
incentives, edit the worksheet, evaluate. Views, services and navigation ask here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kinerja.accounts.access import has_role, is_overseer, roles_of, unit_ids_of
from kinerja.accounts.models import Role, RoleAssignment, Unit, User

if TYPE_CHECKING:
    from kinerja.evaluation.models import SakipEvaluation


def require_same_government(by: User, government_id: int) -> None:
    if by.government_id != government_id:
        raise PermissionDenied(_("Data dari pemerintah daerah lain."))


def can_read_unit(user: User, unit: Unit | None) -> bool:
    """A unit's evaluation (and its LKjIP) is for the government's overseers and the unit's own
    people; the government's own (no unit) for everyone signed in to it."""
    return unit is None or is_overseer(user) or unit.pk in unit_ids_of(user)


def require_unit_reader(user: User, unit: Unit | None) -> None:
    if not can_read_unit(user, unit):
        raise PermissionDenied(
            _("Hanya pimpinan, perencana, inspektorat dan perangkat daerah ini.")
        )


def can_see_incentives(user: User) -> bool:
    """The allowance (TPP) report: the head of region, the secretary, planners, inspectorate."""
    return is_overseer(user)


def require_incentive_reader(user: User) -> None:
    if not can_see_incentives(user):
        raise PermissionDenied(_("Laporan TPP untuk pimpinan, perencana dan inspektorat."))


def require_evaluator(user: User) -> None:
    if not can_evaluate(user):
        raise PermissionDenied(_("Hanya inspektorat yang mengisi evaluasi SAKIP."))


def require_worksheet_editor(user: User) -> None:
    if not can_edit_worksheet(user):
        raise PermissionDenied(_("Hanya perencana atau inspektorat yang mengelola LKE."))


def can_manage_incentives(user: User) -> bool:
    return has_role(user, Role.PLANNER)


def can_edit_worksheet(user: User) -> bool:
    return has_role(user, Role.PLANNER, Role.INSPECTOR)


def can_evaluate(user: User) -> bool:
    """The inspectorate (APIP) evaluates; the units and planners are the evaluated."""
    return has_role(user, Role.INSPECTOR)


# --- the stages of an evaluation ---------------------------------------------------------


@dataclass(frozen=True)
class Tier:
    number: int
    name: str
    members: frozenset[int]


def tiers_of(government_id: int) -> list[Tier]:
    """The government's tiers of evaluators in order. A government that configured none has
    one: every inspector evaluates (and finalises)."""
    from kinerja.evaluation.models import SakipTier

    tiers = [
        Tier(t.number, t.name, frozenset(m.user_id for m in t.members.all()))
        for t in SakipTier.objects.filter(government_id=government_id).prefetch_related("members")
    ]
    if tiers:
        return tiers
    inspectors = RoleAssignment.objects.filter(
        government_id=government_id, role=Role.INSPECTOR, user__is_active=True
    ).values_list("user_id", flat=True)
    return [Tier(1, str(_("Penilai")), frozenset(inspectors))]


def tier_of(user: User, government_id: int) -> int | None:
    """The number of the tier the user evaluates in, if any."""
    for tier in tiers_of(government_id):
        if user.pk in tier.members:
            return tier.number
    return None


def can_self_assess(user: User, evaluation: SakipEvaluation) -> bool:
    """The unit's head and operators assess their unit; the planners the government."""
    if user.government_id != evaluation.government_id:
        return False
    if evaluation.unit_id is None:
        return has_role(user, Role.PLANNER)
    return any(
        role in (Role.UNIT_HEAD, Role.UNIT_OPERATOR) and unit == evaluation.unit_id
        for role, unit in roles_of(user)
    )


def self_assessors(evaluation: SakipEvaluation) -> list[User]:
    """Who assesses the evaluated party: the unit's head and operators, or the planners."""
    roles = RoleAssignment.objects.filter(user__government_id=evaluation.government_id)
    if evaluation.unit_id is None:
        roles = roles.filter(role=Role.PLANNER)
    else:
        roles = roles.filter(role__in=[Role.UNIT_HEAD, Role.UNIT_OPERATOR], unit=evaluation.unit_id)
    return [r.user for r in roles.select_related("user")]


def can_answer(user: User, evaluation: SakipEvaluation) -> bool:
    """Whose turn it is: the self-assessors at stage 0, the members of tier k at stage k."""
    if evaluation.status != "draft" or user.government_id != evaluation.government_id:
        return False
    if evaluation.stage == 0:
        return can_self_assess(user, evaluation)
    return tier_of(user, evaluation.government_id) == evaluation.stage


def require_answerer(user: User, evaluation: SakipEvaluation) -> None:
    if not can_answer(user, evaluation):
        if evaluation.stage == 0:
            raise PermissionDenied(
                _("Tahap penilaian mandiri: hanya perangkat daerah yang dinilai mengisinya.")
                if evaluation.unit_id
                else _("Tahap penilaian mandiri: hanya perencana yang mengisinya.")
            )
        raise PermissionDenied(
            _("Evaluasi ini sedang di tahap %(stage)s; hanya penilai tahap itu yang mengisinya.")
            % {"stage": evaluation.stage_name()}
        )
