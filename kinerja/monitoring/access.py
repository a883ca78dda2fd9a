"""Who may do what in monitoring: report a unit's figures, review them. Views, services and
the API ask here; nothing else re-derives these rules."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kinerja.accounts.access import has_role, roles_of
from kinerja.accounts.models import Role, User
from kinerja.monitoring.models import Realisation
from kinerja.planning.models import Indicator

REVIEWERS = (Role.PLANNER, Role.INSPECTOR)


def can_report(user: User, indicator: Indicator) -> bool:
    """The responsible unit's operator or head; for an indicator no unit answers for,
    planning staff."""
    owner = indicator.owner_unit
    if owner is None:
        return has_role(user, Role.PLANNER)
    return any(
        role in (Role.UNIT_OPERATOR, Role.UNIT_HEAD) and unit == owner.pk
        for role, unit in roles_of(user)
    )


def can_review(user: User) -> bool:
    return has_role(user, *REVIEWERS)


def require_reporter(user: User, indicator: Indicator) -> None:
    if user.government_id != indicator.government_id or not can_report(user, indicator):
        raise PermissionDenied(
            _(
                "Hanya operator atau kepala perangkat daerah penanggung jawab yang "
                "dapat mengisi realisasi indikator ini."
            )
        )


def require_review_access(user: User) -> None:
    """The verification queue and its actions: planning staff and the inspectorate."""
    if not can_review(user):
        raise PermissionDenied(_("Hanya staf perencanaan atau inspektorat yang memverifikasi."))


def require_reviewer(user: User, realisation: Realisation) -> None:
    if user.government_id != realisation.government_id or not can_review(user):
        raise PermissionDenied(
            _("Hanya staf perencanaan atau inspektorat yang dapat memverifikasi.")
        )
