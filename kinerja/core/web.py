"""Small helpers shared by the views of every app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


@dataclass(frozen=True)
class Attempt:
    """The outcome of one service call from a view: true when it went through."""

    ok: bool
    value: Any = None

    def __bool__(self) -> bool:
        return self.ok


def attempt(request: HttpRequest, action: Callable[[], Any], success: str) -> Attempt:
    """Run one service call; a refusal becomes a message on the page, never an error page."""
    try:
        value = action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return Attempt(False)
    messages.success(request, success)
    return Attempt(True, value)
