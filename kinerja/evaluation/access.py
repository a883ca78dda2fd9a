"""Who may do what in evaluation: read a unit's evaluation, see the allowance report, manage
incentives, edit the worksheet, evaluate. Views, services and navigation ask here."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kinerja.accounts.access import has_role, is_overseer, unit_ids_of
from kinerja.accounts.models import Role, Unit, User


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
