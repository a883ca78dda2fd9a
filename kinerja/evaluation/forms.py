from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kinerja.core.forms import IndonesianDecimalField
from kinerja.employees.models import EMPLOYEE_PREDICATE_CHOICES
from kinerja.evaluation.models import (
    EvidenceDocument,
    LheRecommendation,
    SakipCriterion,
    SakipWorksheet,
)
from kinerja.evaluation.selectors import grade_bounds

BAND_ROWS = 6
MAX_WORKSHEET_BYTES = 512 * 1024


class IncentivePolicyForm(forms.Form):
    performance_share = IndonesianDecimalField(
        label=_("Porsi kinerja dalam TPP (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        help_text=_("Sisanya porsi disiplin: 70 berarti 70/30."),
    )
    warning_below = IndonesianDecimalField(label=_("Peringatan jika nilai di bawah"))
    sanction_below = IndonesianDecimalField(label=_("Sanksi jika nilai di bawah"))
    yearly_base_head = IndonesianDecimalField(
        label=_("Pagu TPP setahun kepala perangkat daerah (Rp)"), min_value=Decimal(0)
    )
    yearly_base_other = IndonesianDecimalField(
        label=_("Pagu TPP setahun jabatan lain (Rp)"), min_value=Decimal(0)
    )

    def __init__(
        self, *args: Any, bands: list[tuple[Decimal, Decimal]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for key, label in EMPLOYEE_PREDICATE_CHOICES:
            self.fields[f"predicate_{key}"] = IndonesianDecimalField(
                label=label,
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
            )
        bands = list(bands or [])
        for i in range(BAND_ROWS):
            band = bands[i] if i < len(bands) else (None, None)
            self.fields[f"band_min_{i}"] = IndonesianDecimalField(
                label=_("Nilai mulai"), required=False, min_value=Decimal(0), initial=band[0]
            )
            self.fields[f"band_factor_{i}"] = IndonesianDecimalField(
                label=_("Faktor (%)"),
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                initial=band[1],
            )

    def predicate_fields(self) -> list[forms.BoundField]:
        return [self[f"predicate_{key}"] for key, _label in EMPLOYEE_PREDICATE_CHOICES]

    def predicate_factors(self) -> dict[str, Decimal]:
        return {
            key: self.cleaned_data[f"predicate_{key}"]
            for key, _label in EMPLOYEE_PREDICATE_CHOICES
            if self.cleaned_data.get(f"predicate_{key}") is not None
        }

    def band_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"band_min_{i}"], self[f"band_factor_{i}"]) for i in range(BAND_ROWS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(BAND_ROWS):
            low, factor = data.get(f"band_min_{i}"), data.get(f"band_factor_{i}")
            if (low is None) != (factor is None):
                self.add_error(
                    f"band_factor_{i}", _("Isi nilai mulai dan faktornya, atau kosongkan keduanya.")
                )
        return data

    def bands(self) -> list[tuple[Decimal, Decimal]]:
        rows = []
        for i in range(BAND_ROWS):
            low, factor = (
                self.cleaned_data.get(f"band_min_{i}"),
                self.cleaned_data.get(f"band_factor_{i}"),
            )
            if low is not None and factor is not None:
                rows.append((low, factor))
        return rows

    def policy_values(self) -> dict[str, Decimal]:
        return {
            k: self.cleaned_data[k]
            for k in (
                "performance_share",
                "warning_below",
                "sanction_below",
                "yearly_base_head",
                "yearly_base_other",
            )
        }


class WorksheetWeightsForm(forms.Form):
    """The weights of every component and sub-component, and the grade bounds."""

    def __init__(self, *args: Any, worksheet: SakipWorksheet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.worksheet = worksheet
        for c in worksheet.components.all():
            self.fields[f"c_{c.pk}"] = IndonesianDecimalField(
                label=str(c), min_value=Decimal(0), initial=c.weight
            )
            for s in c.subcomponents.all():
                self.fields[f"s_{s.pk}"] = IndonesianDecimalField(
                    label=f"{c.number}.{s.number} {s.get_kind_display()} (%)",
                    min_value=Decimal(0),
                    initial=s.weight,
                )
        self.fields["scoring_method"] = forms.ChoiceField(
            label=_("Metode penilaian"),
            choices=SakipWorksheet.Method.choices,
            initial=worksheet.scoring_method,
            help_text=_(
                "PermenPAN-RB 88/2021: rata-rata nilai kriteria. Predikat subkomponen: AA–D "
                "menurut bagian kriteria yang terpenuhi, dengan kualifikasi A/AA dari penilai."
            ),
        )
        for name, bound in grade_bounds(worksheet):
            self.fields[f"g_{name}"] = IndonesianDecimalField(
                label=_("%(grade)s jika nilai di atas") % {"grade": name},
                min_value=Decimal(0),
                max_value=Decimal(100),
                initial=bound,
            )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "component_weights": {int(k[2:]): v for k, v in data.items() if k.startswith("c_")},
            "subcomponent_weights": {int(k[2:]): v for k, v in data.items() if k.startswith("s_")},
            "grade_bounds": [[k[2:], str(v)] for k, v in data.items() if k.startswith("g_")],
            "scoring_method": data["scoring_method"],
        }


class CriterionForm(forms.Form):
    text = forms.CharField(
        label=_("Kriteria"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    answer_type = forms.ChoiceField(
        label=_("Jenis jawaban"), choices=SakipCriterion.AnswerType.choices
    )


class WorksheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Lembar kerja (.json)"),
        help_text=_("Format pada docs/sakip-worksheet.md; paling besar 512 KB."),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_WORKSHEET_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar (paling besar 512 KB)."), code="berkas_terlalu_besar_paling"
            )
        content: bytes = upload.read()
        return content


class CopyForm(forms.Form):
    name = forms.CharField(label=_("Nama salinan"), max_length=200)
    level = forms.ChoiceField(
        label=_("Untuk mengevaluasi"),
        choices=SakipWorksheet.Level.choices,
        help_text=_("Salinan untuk perangkat daerah menjadi LKE perangkat daerah yang terpisah."),
    )


class EvidenceUploadForm(forms.Form):
    """A file offered as evidence for one criterion, kept in the library by type and year."""

    file = forms.FileField(
        label=_("Berkas"),
        help_text=_("PDF, gambar, Excel atau Word; jenisnya diperiksa dari isi berkas."),
    )
    kind = forms.ChoiceField(label=_("Jenis dokumen"), choices=EvidenceDocument.Kind.choices)
    title = forms.CharField(label=_("Judul"), max_length=200, required=False)
    year = forms.IntegerField(label=_("Tahun dokumen"), min_value=2000, max_value=2100)

    def clean_file(self) -> tuple[bytes, str]:
        upload = self.cleaned_data["file"]
        if upload.size > settings.KINERJA_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar: paling besar %(value)s MB."),
                code="upload_too_large",
                params={"value": settings.KINERJA_MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        return upload.read(), upload.name


class EvidencePickForm(forms.Form):
    key = forms.ChoiceField(label=_("Dokumen"))

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["key"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class FollowUpForm(forms.Form):
    """What the evaluated party did about a recommendation."""

    status = forms.ChoiceField(label=_("Status"), choices=LheRecommendation.Status.choices)
    follow_up = forms.CharField(
        label=_("Uraian tindak lanjut"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )
    followed_on = forms.DateField(
        label=_("Tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(
        label=_("Bukti (opsional)"),
        required=False,
        help_text=_("PDF, gambar, Excel atau Word; jenisnya diperiksa dari isi berkas."),
    )

    def clean_file(self) -> tuple[bytes, str] | None:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > settings.KINERJA_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar: paling besar %(value)s MB."),
                code="upload_too_large",
                params={"value": settings.KINERJA_MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        return upload.read(), upload.name
