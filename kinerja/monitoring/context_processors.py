from typing import Any

from django.http import HttpRequest

from kinerja.monitoring import access


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What monitoring's links may offer the signed-in user (a link is shown only to those the
    page will serve)."""
    if not request.user.is_authenticated:
        return {}
    return {"nav_can_review": access.can_review(request.user)}
