"""A person given a temporary password by a planner chooses their own before anything else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# What such a person may still open: the page to change it, and signing out.
ALLOWED = {"password_change", "password_change_done", "logout", "set_language", "todo_count"}


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if not (user is not None and user.is_authenticated and user.must_change_password):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in ALLOWED:
            return None
        messages.warning(
            request,
            _("Anda masuk dengan kata sandi sementara. Buat kata sandi Anda sendiri dulu."),
        )
        return redirect("password_change")
