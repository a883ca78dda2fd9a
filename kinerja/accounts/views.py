import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts import services
from kinerja.accounts.access import (
    get_for_user,
    require_planner,
    signed_in_user,
)
from kinerja.accounts.forms import ApiTokenForm, NoticeMailForm, SignInForm, client_ip
from kinerja.accounts.models import ApiToken, Notice, User
from kinerja.accounts.notices import notice_mail_set, notices_read
from kinerja.accounts.services import api_token_create
from kinerja.core import counters
from kinerja.core.web import attempt, confirm_page, confirmed


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


RESET_LIMIT = 5
RESET_WINDOW = 3600


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """A forgotten password: a link by e-mail to the address on the account. The answer is the
    same whether or not the address is known (no one learns who has an account)."""

    template_name = "accounts/password_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")
    extra_context = {"title": gettext_lazy("Lupa kata sandi")}

    def form_valid(self, form: Any) -> HttpResponse:
        # At most RESET_LIMIT links an hour per address asked for and per computer: the form
        # cannot be used to flood someone's mailbox. The answer stays the same either way.
        email = form.cleaned_data["email"].casefold()
        keys = [
            "kinerja:reset:mail:" + hashlib.sha256(email.encode()).hexdigest(),
            f"kinerja:reset:ip:{client_ip(self.request)}",
        ]
        if any(counters.count(k) >= RESET_LIMIT for k in keys):
            return redirect(self.get_success_url())
        for key in keys:
            counters.add_one(key, RESET_WINDOW)
        return super().form_valid(form)


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


NOTICES_SHOWN = 100


@require_http_methods(["GET", "POST"])
def notices(request: HttpRequest) -> HttpResponse:
    """The person's notices, newest first; mark them read; choose how they are mailed."""
    user = signed_in_user(request)
    form = NoticeMailForm(
        request.POST if request.POST.get("form") == "mail" else None,
        initial={"notice_mail": user.notice_mail},
    )
    if request.method == "POST":
        if request.POST.get("form") == "mail":
            if form.is_valid():
                notice_mail_set(
                    user=User.objects.get(pk=user.pk), choice=form.cleaned_data["notice_mail"]
                )
                messages.success(request, _("Pilihan e-mail pemberitahuan disimpan."))
                return redirect("notices")
        else:
            count = notices_read(user=user)
            messages.success(
                request,
                ngettext(
                    "%(n)s pemberitahuan ditandai sudah dibaca.",
                    "%(n)s pemberitahuan ditandai sudah dibaca.",
                    count,
                )
                % {"n": count},
            )
            return redirect("notices")
    shown = list(Notice.objects.filter(user=user)[:NOTICES_SHOWN])
    return render(
        request,
        "accounts/notices.html",
        {"notices": shown, "form": form, "unread": sum(1 for n in shown if n.read_at is None)},
    )


USERS_SHOWN = 200


@require_GET
def users(request: HttpRequest) -> HttpResponse:
    """Planning staff: the government's accounts, to help a person who cannot sign in."""
    user = signed_in_user(request)
    government = require_planner(user)
    query = request.GET.get("q", "").strip()[:100]
    accounts = (
        User.objects.filter(government=government, is_superuser=False)
        .select_related("person")
        .prefetch_related("roles__unit")
        .order_by("username")
    )
    if query:
        accounts = accounts.filter(
            Q(username__icontains=query)
            | Q(person__name__icontains=query)
            | Q(email__icontains=query)
        )
    return render(request, "accounts/users.html", {"accounts": accounts[:USERS_SHOWN], "q": query})


@require_POST
def temporary_password(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a temporary password, after a confirmation that says what it does; shown once."""
    user = signed_in_user(request)
    government = require_planner(user)
    account = get_for_user(user, User.objects.filter(government=government), pk)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Kata sandi sementara untuk %(name)s") % {"name": account.display_name},
            lead=_(
                "Kata sandi %(username)s sekarang tidak berlaku lagi. Kata sandi sementara "
                "ditampilkan sekali; serahkan langsung kepada yang bersangkutan. Saat masuk, "
                "ia harus membuat kata sandinya sendiri."
            )
            % {"username": account.username},
            button=_("Ya, buat kata sandi sementara"),
            back=reverse("users"),
        )
    password = services.temporary_password_issue(user=account, by=user)
    return render(
        request, "accounts/temporary_password.html", {"account": account, "password": password}
    )
