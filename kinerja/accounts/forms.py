from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import Unit
from kinerja.accounts.services import login_attempt_record, login_is_throttled


def client_ip(request: Any) -> str | None:
    # Behind a proxy, the proxy must set REMOTE_ADDR correctly (see docs/deployment.md);
    # X-Forwarded-For is not trusted because a client can forge it.
    return request.META.get("REMOTE_ADDR") if request is not None else None


class SignInForm(AuthenticationForm):
    """Django's sign-in form, refusing further attempts after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah."),
        "inactive": _("Akun ini tidak aktif."),
        "throttled": _(
            "Terlalu banyak percobaan masuk yang gagal. Tunggu 15 menit lalu coba lagi."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = (self.cleaned_data.get("username") or "").strip()
        ip = client_ip(self.request)
        if login_is_throttled(username=username, ip_address=ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_attempt_record(username=username, ip_address=ip, succeeded=False)
            raise
        login_attempt_record(username=username, ip_address=ip, succeeded=True)
        return cleaned


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
