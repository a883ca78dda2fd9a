from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import Unit
from kinerja.accounts.services import Throttled, login_attempt_begin, login_attempt_succeeded


def client_ip(request: Any) -> str | None:
    # Behind a proxy, the proxy must set REMOTE_ADDR correctly (see docs/deployment.md);
    # X-Forwarded-For is not trusted because a client can forge it.
    return request.META.get("REMOTE_ADDR") if request is not None else None


class ThrottledSignIn:
    """Sign-in that counts each attempt before the password is checked (see
    `login_attempt_begin`) and tells a refused person when to try again."""

    request: Any
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = (self.cleaned_data.get("username") or "").strip()
        attempt = login_attempt_begin(username=username, ip_address=client_ip(self.request))
        if isinstance(attempt, Throttled):
            until = timezone.localtime(attempt.until)
            raise forms.ValidationError(
                gettext(
                    "Terlalu banyak percobaan masuk yang gagal untuk akun ini dari perangkat "
                    "ini. Coba lagi pukul %(time)s, atau minta staf perencanaan mengatur ulang "
                    "kata sandi Anda."
                )
                % {"time": f"{until:%H:%M}"},
                code="throttled",
            )
        cleaned = super().clean()  # type: ignore[misc]
        login_attempt_succeeded(attempt=attempt)
        return cleaned


class SignInForm(ThrottledSignIn, AuthenticationForm):
    """Django's sign-in form, throttled."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah."),
        "inactive": _("Akun ini tidak aktif."),
    }


class AdminSignInForm(ThrottledSignIn, AdminAuthenticationForm):
    """The admin's sign-in, behind the same rule."""


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False)
    kind = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua")), *Unit.Kind.choices]
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nama token"),
        max_length=100,
        help_text=_("Untuk apa token ini, misalnya “Dasbor Bappeda” atau “Skrip impor”."),
    )


class NoticeMailForm(forms.Form):
    notice_mail = forms.ChoiceField(
        label=_("Kirim pemberitahuan ke e-mail saya"),
        choices=[],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from kinerja.accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["notice_mail"].choices = User.NoticeMail.choices  # type: ignore[attr-defined]
