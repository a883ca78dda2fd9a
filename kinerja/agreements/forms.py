from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.agreements.models import Agreement
from kinerja.core.forms import IndonesianDecimalField
from kinerja.planning.models import Indicator


class RevisionForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan revisi"), choices=Agreement.Reason.choices)
    note = forms.CharField(
        label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CascadeIndicatorForm(forms.Form):
    """One indicator of an administrator's or supervisor's agreement."""

    supports = forms.ChoiceField(label=_("Mendukung indikator atasan"))
    objective = forms.CharField(
        label=_("Sasaran"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    name = forms.CharField(label=_("Indikator kinerja"), max_length=500)
    unit_of_measure = forms.CharField(label=_("Satuan"), max_length=60)
    polarity = forms.ChoiceField(label=_("Polaritas"), choices=Indicator.Polarity.choices)
    lower_formula = forms.ChoiceField(
        label=_("Rumus bila semakin rendah semakin baik"),
        choices=Indicator.LowerFormula.choices,
        initial=Indicator.LowerFormula.MIRROR,
    )
    aggregation = forms.ChoiceField(
        label=_("Nilai tahunan dari periode"),
        choices=Indicator.Aggregation.choices,
        initial=Indicator.Aggregation.LAST,
    )
    target = IndonesianDecimalField(label=_("Target"), max_digits=24, decimal_places=6)
    target_high = IndonesianDecimalField(
        label=_("Batas atas (opsional, target rentang)"),
        required=False,
        max_digits=24,
        decimal_places=6,
    )

    def __init__(self, *args: Any, uppers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["supports"]
        field.choices = [("", "—")] + [
            (u.key, f"{u.label} (target {u.target} {u.unit_of_measure})") for u in uppers
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("target"), cleaned.get("target_high")
        if low is not None and high is not None and high < low:
            self.add_error(
                "target_high", _("Batas atas harus lebih besar atau sama dengan batas bawah.")
            )
        if cleaned.get("polarity") == Indicator.Polarity.RANGE and high is None:
            self.add_error("target_high", _("Target rentang pita memerlukan batas atas."))
        return cleaned
