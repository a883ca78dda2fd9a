from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.agreements.models import Agreement


class RevisionForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan revisi"), choices=Agreement.Reason.choices)
    note = forms.CharField(
        label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
