from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import IndonesianDecimalField
from kinerja.monitoring.models import MonitoringPolicy


class RealisationForm(forms.Form):
    value = IndonesianDecimalField(label=_("Realisasi"), required=False, understood=True)
    numerator = IndonesianDecimalField(
        label=_("Pembilang"), required=False, min_value=0, understood=True
    )
    denominator = IndonesianDecimalField(
        label=_("Penyebut"), required=False, min_value=0, understood=True
    )
    note = forms.CharField(
        label=_("Catatan/penjelasan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text=_("Wajib bila angka ini membuat indikator merah."),
    )
    file = forms.FileField(label=_("Bukti (PDF, gambar, .xlsx)"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and upload.size > settings.KINERJA_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar."), code="upload_too_large")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_parts = data.get("numerator") is not None or data.get("denominator") is not None
        if data.get("value") is None and not has_parts and not self.errors:
            raise forms.ValidationError(
                _("Isikan nilai realisasi, atau pembilang dan penyebutnya."),
                code="isikan_nilai_realisasi_pembilang",
            )
        return data


class CorrectionForm(RealisationForm):
    reason = forms.CharField(
        label=_("Alasan koreksi"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Komentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Berkas bukti (PDF, gambar, .xlsx)"))


class PolicyForm(forms.ModelForm):
    achievement_cap = IndonesianDecimalField(
        label=_("Batas atas capaian (%)"), required=False, max_digits=7, decimal_places=2
    )
    green_from = IndonesianDecimalField(label=_("Hijau mulai (%)"), max_digits=7, decimal_places=2)
    yellow_from = IndonesianDecimalField(
        label=_("Kuning mulai (%)"), max_digits=7, decimal_places=2
    )

    class Meta:
        model = MonitoringPolicy
        fields = [
            "achievement_cap",
            "green_from",
            "yellow_from",
            "report_deadline_days",
            "weighting",
        ]


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas realisasi (.xlsx)"))


class E81UploadForm(forms.Form):
    file = forms.FileField(label=_("Formulir E.81 (.xlsx)"))
