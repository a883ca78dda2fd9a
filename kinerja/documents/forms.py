from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


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

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > 200_000:
            raise forms.ValidationError(
                _("Berkas sertifikat terlalu besar."), code="berkas_sertifikat_terlalu_besar"
            )
        return bytes(upload.read())
