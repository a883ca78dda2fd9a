from typing import Any

from django.http import HttpRequest

from kinerja.accounts.access import can_edit_government_plan, is_overseer, roles_of, unit_ids_of


def kinerja(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's government and what the navigation may offer them."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "current_government": getattr(user, "government", None),
        "user_roles": sorted({role for role, _unit in roles_of(user)}),
        "can_edit_plan": can_edit_government_plan(user),
        "is_overseer": is_overseer(user),
        "sees_people": is_overseer(user) or bool(unit_ids_of(user)),
        "has_person": getattr(user, "person_id", None) is not None,
    }
