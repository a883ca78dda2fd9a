"""Small helpers shared by the views of every app."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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


# The largest id a database row can have (a signed 64-bit key).
MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """An id from a request: a positive whole number a database key can hold, else None.

    Every view reads ids through this (or an access helper that does), so that a huge,
    negative or non-numeric value is "not found", never a server error."""
    text = str(value).strip() if value is not None else ""
    if not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def confirmed(request: HttpRequest) -> bool:
    """Whether a POST carries the confirmation given on a confirmation page. A step that locks,
    decides, sends or signs runs only then; without it the view shows what the step will do."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    lead: str,
    button: str,
    back: str,
    items: Sequence[str] = (),
    items_title: str = "",
    hidden: Mapping[str, str] | None = None,
) -> HttpResponse:
    """The page that asks before an irreversible step: what it will do (`lead`, and `items`
    under `items_title`), a button that posts the same request again with the confirmation,
    and a way back. Nothing has changed when it is shown."""
    return render(
        request,
        "core/confirm.html",
        {
            "title": title,
            "lead": lead,
            "button": button,
            "back": back,
            "items": items,
            "items_title": items_title,
            "hidden": dict(hidden or {}),
        },
    )
