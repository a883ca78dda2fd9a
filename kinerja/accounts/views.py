from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.accounts import services
from kinerja.accounts.access import (
    get_for_user,
    signed_in_user,
)
from kinerja.accounts.forms import ApiTokenForm, SignInForm
from kinerja.accounts.models import ApiToken, User
from kinerja.accounts.services import api_token_create
from kinerja.core.web import attempt


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """The signed-in person changes their own password, giving the old one (Django's view and
    validators); audited."""

    template_name = "accounts/password_form.html"
    success_url = reverse_lazy("password_change_done")
    extra_context = {"title": gettext_lazy("Ubah kata sandi")}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # form.user is the request's lazy user; the audit row needs the model itself.
        services.password_changed(user=User.objects.get(pk=form.user.pk), how="change")
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """A forgotten password: a link by e-mail to the address on the account. The answer is the
    same whether or not the address is known (no one learns who has an account)."""

    template_name = "accounts/password_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")
    extra_context = {"title": gettext_lazy("Lupa kata sandi")}


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_form.html"
    success_url = reverse_lazy("password_reset_complete")
    extra_context = {"title": gettext_lazy("Kata sandi baru")}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(user=form.user, how="reset")
        return response


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """The user's own page: roles, signing certificate, and personal API tokens. A new
    token is shown on this response only; it is stored hashed and cannot be shown again."""
    user = signed_in_user(request)
    form = ApiTokenForm(request.POST or None)
    created: str | None = None
    if request.method == "POST" and form.is_valid():
        result = attempt(
            request,
            lambda: api_token_create(user=user, name=form.cleaned_data["name"]),
            _("Token dibuat. Salin sekarang: token ini tidak akan ditampilkan lagi."),
        )
        if result.ok:
            created = result.value[1]
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "created": created,
            "tokens": tokens,
            "roles": user.roles.select_related("unit").order_by("role"),
        },
    )


@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    token = get_for_user(user, ApiToken.objects.filter(user=user), pk)
    attempt(request, lambda: services.api_token_revoke(token=token, by=user), _("Token dicabut."))
    return redirect("account")
