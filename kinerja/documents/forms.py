from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def secret_field(label: Any, *, new: bool = False, required: bool = True) -> forms.CharField:
    """A passphrase or password field: never shown back, never stripped, bounded."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password" if new else "current-password"}
        ),
    )


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas PDF"))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > settings.KINERJA_MAX_UPLOAD_BYTES * 4:
            raise forms.ValidationError(
                _("Berkas terlalu besar untuk diperiksa."), code="berkas_terlalu_besar_diperiksa"
            )
        data = upload.read()
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("Berkas ini bukan PDF."), code="berkas_bukan_pdf")
        return bytes(data)


class CertificateUploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas sertifikat (.p12 / .pfx)"))
    password = forms.CharField(
        label=_("Kata sandi berkas"), required=False, widget=forms.PasswordInput
    )
    passphrase = secret_field(_("Passphrase tanda tangan Anda"))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > 200_000:
            raise forms.ValidationError(
                _("Berkas sertifikat terlalu besar."), code="berkas_sertifikat_terlalu_besar"
            )
        return bytes(upload.read())


class SignForm(forms.Form):
    """Signing: the signer confirms they read the document and types their passphrase; on
    first use they choose one (typed twice)."""

    passphrase = secret_field(_("Passphrase tanda tangan"), required=False)
    new_passphrase = secret_field(
        _("Buat passphrase tanda tangan (minimal 8 karakter)"), new=True, required=False
    )
    repeat = secret_field(_("Ulangi passphrase"), new=True, required=False)
    confirm = forms.BooleanField(
        label=_("Saya telah membaca dokumen ini dan menandatanganinya secara elektronik."),
        required=True,
        error_messages={"required": _("Centang pernyataan bahwa Anda telah membaca dokumen ini.")},
    )

    def __init__(self, *args: Any, first_use: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.first_use = first_use
        if first_use:
            del self.fields["passphrase"]
        else:
            del self.fields["new_passphrase"]
            del self.fields["repeat"]


class PassphraseForm(forms.Form):
    """Set or change the signing passphrase (the current one asked when one is set)."""

    current = secret_field(_("Passphrase sekarang"))
    new_passphrase = secret_field(_("Passphrase baru (minimal 8 karakter)"), new=True)
    repeat = secret_field(_("Ulangi passphrase baru"), new=True)

    def __init__(self, *args: Any, first_use: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if first_use:
            del self.fields["current"]


class ForgetPassphraseForm(forms.Form):
    password = secret_field(_("Kata sandi masuk Anda"))
