"""Auction forms: validation of input only; the services decide."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import Role, User
from kinerja.auction.models import AuctionSession, Move, Proposal, ProposedIndicator
from kinerja.core.forms import IndonesianDecimalField, read_number
from kinerja.core.numbers import format_decimal
from kinerja.planning.forms import choices
from kinerja.planning.models import Indicator, Term

PANEL_ROLES = [Role.PANEL_MEMBER, Role.HEAD_OF_REGION, Role.REGIONAL_SECRETARY]


class SessionForm(forms.ModelForm):
    """A new session, in a term of the government's (the current one by default)."""

    class Meta:
        model = AuctionSession
        fields = ["term", "name", "scheduled_on", "venue"]
        labels = {"term": _("Periode")}
        widgets = {"scheduled_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, government: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        terms = Term.objects.filter(government=government).order_by("-is_current", "-start_year")
        field = self.fields["term"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = terms
        field.empty_label = None
        field.label = _("Periode RPJMD")
        field.required = False  # not given: the current term
        self.current_term = terms.first()
        if self.current_term is not None and not self.is_bound:
            self.initial.setdefault("term", self.current_term.pk)

    def clean_term(self) -> Term | None:
        return self.cleaned_data.get("term") or self.current_term


class SessionRedateForm(forms.Form):
    scheduled_on = forms.DateField(
        label=_("Tanggal paparan baru"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(label=_("Alasan perubahan jadwal"), max_length=500)


def _official(user: User) -> str:
    """An official as the panel picker shows them: name and roles, not their login."""
    roles = ", ".join(str(Role(r.role).label) for r in user.roles.all() if r.role in PANEL_ROLES)
    return f"{user.display_name} — {roles}" if roles else user.display_name


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _official(obj)


class OfficialsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _official(obj)


class PanelForm(forms.Form):
    members = OfficialsChoiceField(
        label=_("Anggota tim penilai"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    chair = OfficialChoiceField(label=_("Ketua"), queryset=User.objects.none())

    def __init__(self, *args: Any, government: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        eligible = (
            User.objects.filter(government=government, roles__role__in=PANEL_ROLES, is_active=True)
            .select_related("person")
            .prefetch_related("roles")
            .distinct()
            .order_by("person__name", "username")
        )
        for name in ("members", "chair"):
            choices(self, name).queryset = eligible

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("chair") and data.get("members") and data["chair"] not in data["members"]:
            self.add_error("chair", _("Ketua harus salah satu anggota yang dipilih."))
        return data


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Kriteria"), max_length=200, required=False)
    weight = IndonesianDecimalField(
        label=_("Bobot"), required=False, min_value=Decimal("0.01"), decimal_places=2
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("name")) != (data.get("weight") is not None):
            raise forms.ValidationError(
                _("Isi nama dan bobot kriteria, atau kosongkan keduanya."),
                code="isi_nama_bobot_kriteria",
            )
        return data


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2)


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["title", "description", "mission", "objective"]
        labels = {"mission": _("Misi")}
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "description": _("Inovasi apa, untuk siapa, dan bagaimana target akan dicapai."),
        }

    def __init__(self, *args: Any, term: Term, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "mission").queryset = term.missions.all()
        choices(self, "objective").queryset = term.objectives.filter(
            unit__isnull=True
        ).select_related("goal")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mission, objective = data.get("mission"), data.get("objective")
        if mission and objective and objective.goal and objective.goal.mission_id != mission.pk:
            self.add_error("objective", _("Pilih sasaran daerah di bawah misi yang dipilih."))
        return data


_HISTORY_LINE = re.compile(r"^\s*(\d{4})\s*[:=]\s*(.+?)\s*$")


class ProposedIndicatorForm(forms.ModelForm):
    baseline_value = IndonesianDecimalField(label=_("Kondisi awal (titik nol)"), required=False)
    end_target = IndonesianDecimalField(label=_("Target akhir (titik akhir)"), required=False)
    history_text = forms.CharField(
        label=_("Nilai tahun-tahun sebelumnya"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu baris per tahun, misalnya '2016: 14'. Dipakai untuk menghitung tren."),
    )
    trajectory_text = forms.CharField(
        label=_("Lintasan target tahunan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Target tiap tahun menuju titik akhir, satu baris per tahun, misalnya '2020: 9'."
        ),
    )

    class Meta:
        model = ProposedIndicator
        fields = [
            "plan_indicator",
            "name",
            "unit_of_measure",
            "polarity",
            "baseline_value",
            "baseline_year",
            "baseline_source",
            "baseline_note",
            "end_target",
            "end_year",
        ]
        labels = {"plan_indicator": _("Indikator di rencana")}
        help_texts = {
            "plan_indicator": _(
                "Indikator rencana yang targetnya akan diisi bila disepakati. Nama, satuan, "
                "polaritas dan kondisi awal yang dikosongkan diambil darinya."
            ),
            "baseline_note": _("Wajib bila kondisi awal berbeda dari indikator rencana."),
        }
        widgets = {"baseline_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        choices(self, "plan_indicator").queryset = Indicator.objects.filter(
            objective__term=proposal.session.term, responsible_unit=proposal.unit
        )
        history = self.instance.history or {}
        self.fields["history_text"].initial = "\n".join(
            f"{y}: {v}" for y, v in sorted(history.items())
        )
        for name in (
            "name",
            "unit_of_measure",
            "polarity",
            "baseline_year",
            "baseline_source",
            "end_year",
        ):
            self.fields[name].required = False
        # Chosen on the page before (?rencana=): the form opens filled from the plan.
        plan = self.initial.get("plan_indicator")
        if isinstance(plan, Indicator) and not self.is_bound:
            self.initial.update(
                plan_indicator=plan.pk,
                name=plan.name,
                unit_of_measure=plan.unit_of_measure,
                polarity=plan.polarity,
                baseline_value=plan.baseline_value,
                baseline_year=plan.baseline_year,
                baseline_source=plan.data_source,
            )

    def clean_history_text(self) -> dict[str, str]:
        return _year_values(str(self.cleaned_data["history_text"]))

    def clean_trajectory_text(self) -> dict[str, str]:
        return _year_values(str(self.cleaned_data["trajectory_text"]))

    def save(self, commit: bool = True) -> ProposedIndicator:
        self.instance.history = self.cleaned_data["history_text"]
        self.instance.trajectory = self.cleaned_data["trajectory_text"]
        self.instance.proposal = self.proposal
        return super().save(commit=commit)


def _year_values(text: str) -> dict[str, str]:
    """Lines of 'year: value' into {"2016": "14"}, values exact; errors name the line."""
    values: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _HISTORY_LINE.match(line)
        if not match:
            raise forms.ValidationError(
                _("Baris %(n)s: tulis 'tahun: nilai', misalnya '2016: 14'."),
                code="baris_tulis_tahun_nilai",
                params={"n": n},
            )
        try:
            values[match.group(1)] = format(read_number(match.group(2)), "f")
        except forms.ValidationError as exc:
            raise forms.ValidationError(
                _("Baris %(n)s: %(error)s"),
                code="baris",
                params={"n": n, "error": " ".join(exc.messages)},
            ) from exc
    return values


class ScoreForm(forms.Form):
    """One field per criterion this panelist has not scored yet."""

    def __init__(self, *args: Any, criteria: list[Any], scored: dict[int, Decimal], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.criteria = [c for c in criteria if c.pk not in scored]
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = IndonesianDecimalField(
                label=_("%(name)s (bobot %(weight)s)")
                % {"name": c.name, "weight": format_decimal(c.weight)},
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
            )
            self.fields[f"k{c.pk}"] = forms.CharField(
                label=_("Komentar untuk %(name)s") % {"name": c.name},
                required=False,
                max_length=300,
                widget=forms.TextInput(attrs={"placeholder": _("Satu kalimat, boleh kosong")}),
            )

    def pairs(self) -> list[tuple[Any, Any]]:
        """(score field, comment field) per criterion, for the template."""
        return [(self[f"c{c.pk}"], self[f"k{c.pk}"]) for c in self.criteria]

    def scores(self) -> list[tuple[Any, Decimal, str]]:
        return [
            (c, self.cleaned_data[f"c{c.pk}"], self.cleaned_data[f"k{c.pk}"]) for c in self.criteria
        ]


class OfferForm(forms.Form):
    value = IndonesianDecimalField(label=_("Target yang ditawarkan"))
    year = forms.IntegerField(label=_("Tercapai pada tahun"), min_value=1900, max_value=2200)


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jawaban"),
        choices=[
            (Move.Kind.ACCEPT, _("Sanggup")),
            (Move.Kind.COUNTER, _("Penawaran balik")),
            (Move.Kind.REFUSE, _("Tidak sanggup")),
        ],
        widget=forms.RadioSelect,
    )
    value = IndonesianDecimalField(label=_("Target penawaran balik"), required=False)
    year = forms.IntegerField(
        label=_("Tahun penawaran balik"), required=False, min_value=1900, max_value=2200
    )
    justification = forms.CharField(
        label=_("Alasan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TableForm(forms.Form):
    name = forms.CharField(
        label=_("Nama tabel"), max_length=200, help_text=_("Misalnya: Ibu hamil per kelurahan.")
    )
    pasted = forms.CharField(
        label=_("Isi tabel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Baris pertama judul kolom. Salin dari spreadsheet (dipisah tab), "
            "atau pisahkan dengan titik koma."
        ),
    )
    file = forms.FileField(label=_("Atau unggah .xlsx / .csv"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("pasted") and not data.get("file"):
            raise forms.ValidationError(
                _("Isi tabel di kotak, atau unggah berkasnya."), code="isi_tabel_kotak_unggah"
            )
        return data


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Berkas bukti (PDF, gambar, .xlsx)"))
