"""Forms validate input only; the services decide and save."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.access import can_edit_government_plan, unit_ids_of
from kinerja.accounts.models import Unit, User
from kinerja.core.forms import IndonesianDecimalField
from kinerja.planning.models import Goal, Indicator, Mission, Objective, Programme, Term

MAX_WORKBOOK_MB = 5


def choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A form's model choice field, typed, to narrow its queryset."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


TAKEN_IN_TERM = _("Kode %(code)s sudah dipakai di periode ini.")
TAKEN_IN_UNIT = _("Kode %(code)s sudah dipakai di perangkat daerah ini.")


def unique_code(form: forms.ModelForm, queryset: Any, message: Any = TAKEN_IN_TERM) -> str:
    """The form's code, stripped, refused when another object in `queryset` has it."""
    code = str(form.cleaned_data["code"]).strip()
    if queryset.filter(code=code).exclude(pk=form.instance.pk).exists():
        raise forms.ValidationError(message, params={"code": code})
    return code


class MissionForm(forms.ModelForm):
    class Meta:
        model = Mission
        fields = ["number", "code", "title"]
        widgets = {"title": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, term: Term, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.term = term

    def clean_code(self) -> str:
        return unique_code(self, self.term.missions)


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["mission", "code", "title"]
        labels = {"mission": _("Misi")}
        widgets = {"title": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, term: Term, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "mission").queryset = term.missions.all()


class ObjectiveForm(forms.ModelForm):
    """A government objective (goal) or a unit objective (unit, serves), by `unit_level`."""

    class Meta:
        model = Objective
        fields = ["goal", "unit", "serves", "code", "title"]
        widgets = {"title": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, term: Term, user: User, unit_level: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.term = term
        self.unit_level = unit_level
        if unit_level:
            del self.fields["goal"]
            units = Unit.objects.filter(government_id=term.government_id)
            if not can_edit_government_plan(user):
                units = units.filter(pk__in=unit_ids_of(user))
            choices(self, "unit").queryset = units
            self.fields["unit"].required = True
            choices(self, "serves").queryset = term.objectives.filter(unit__isnull=True)
            self.fields["serves"].required = True
        else:
            del self.fields["unit"]
            del self.fields["serves"]
            choices(self, "goal").queryset = Goal.objects.filter(mission__term=term)
            self.fields["goal"].required = True

    def clean_code(self) -> str:
        return unique_code(self, self.term.objectives)


class IndicatorForm(forms.ModelForm):
    baseline_value = IndonesianDecimalField(label=_("Nilai kondisi awal"))

    class Meta:
        model = Indicator
        fields = [
            "objective",
            "code",
            "name",
            "unit_of_measure",
            "responsible_unit",
            "polarity",
            "lower_formula",
            "aggregation",
            "frequency",
            "baseline_value",
            "baseline_year",
            "is_key",
            "definition",
            "formula",
            "data_source",
        ]
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "definition": forms.Textarea(attrs={"rows": 3}),
            "formula": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "polarity": _(
                "Naik atau turun: target boleh berupa rentang (batas bawah – batas atas); di "
                "luar rentang capaian dihitung terhadap batas terdekat dengan rumus indikator, "
                "sehingga melampaui sisi baiknya bernilai di atas 100%. Rentang pita: realisasi "
                "harus tetap di dalam (mis. inflasi); setiap penyimpangan adalah kekurangan."
            ),
            "lower_formula": _("Dipakai bila polaritas 'semakin rendah semakin baik'."),
            "aggregation": _(
                "Bagaimana nilai tahunan diperoleh dari periode: jumlah (kumulatif), nilai "
                "terakhir (angka/indeks/persentase) atau rata-rata. Persentase tidak dijumlahkan."
            ),
        }

    def __init__(self, *args: Any, term: Term, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.term = term
        objectives = term.objectives.select_related("unit")
        units = Unit.objects.filter(government_id=term.government_id)
        if not can_edit_government_plan(user):
            allowed = unit_ids_of(user)
            objectives = objectives.filter(unit__in=allowed)
            units = units.filter(pk__in=allowed)
        choices(self, "objective").queryset = objectives
        choices(self, "responsible_unit").queryset = units

    def clean_code(self) -> str:
        return unique_code(self, Indicator.objects.filter(objective__term=self.term))

    def clean_baseline_year(self) -> int:
        year = self.cleaned_data["baseline_year"]
        if not self.term.start_year - 10 <= year <= self.term.end_year:
            raise forms.ValidationError(
                _("Tahun kondisi awal harus antara %(lo)s dan %(hi)s."),
                code="tahun_kondisi_awal_antara",
                params={"lo": self.term.start_year - 10, "hi": self.term.end_year},
            )
        return int(year)


class TargetsForm(forms.Form):
    """One field per target year (and a high bound for range indicators)."""

    def __init__(
        self,
        *args: Any,
        indicator: Indicator,
        years: list[int],
        frozen: dict[int, str] | None = None,
        **kwargs: Any,
    ):
        """`frozen`: {year: why} for the years that cannot change (shown, not editable)."""
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.years = years
        frozen = frozen or {}
        existing = {t.year: t for t in indicator.targets.all()}
        # Every indicator may take a range target: on a higher- or lower-is-better indicator
        # the upper bound is optional (a range that keeps the direction); a band needs both.
        is_band = indicator.polarity == Indicator.Polarity.RANGE
        for year in years:
            t = existing.get(year)
            self.fields[f"y{year}"] = IndonesianDecimalField(
                label=_("Batas bawah %(year)s") % {"year": year} if is_band else str(year),
                required=False,
                initial=t.value if t else None,
            )
            self.fields[f"y{year}_high"] = IndonesianDecimalField(
                label=(
                    _("Batas atas %(year)s")
                    if is_band
                    else _("Batas atas %(year)s (opsional, target rentang)")
                )
                % {"year": year},
                required=False,
                initial=t.value_high if t else None,
            )
            if year in frozen:
                for name in (f"y{year}", f"y{year}_high"):
                    if name in self.fields:
                        self.fields[name].disabled = True
                        self.fields[name].help_text = frozen[year]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        is_band = self.indicator.polarity == Indicator.Polarity.RANGE
        for year in self.years:
            low, high = cleaned.get(f"y{year}"), cleaned.get(f"y{year}_high")
            if is_band and (low is None) != (high is None):
                self.add_error(
                    f"y{year}_high",
                    _("Isi batas bawah dan batas atas, atau kosongkan keduanya."),
                )
            elif low is None and high is not None:
                self.add_error(f"y{year}", _("Isi target (batas bawah) lebih dulu."))
            elif low is not None and high is not None and high < low:
                self.add_error(
                    f"y{year}_high",
                    _("Batas atas harus lebih besar atau sama dengan batas bawah."),
                )
        return cleaned

    def targets(self) -> dict[int, tuple[Decimal, Decimal | None] | None]:
        result: dict[int, tuple[Decimal, Decimal | None] | None] = {}
        for year in self.years:
            value = self.cleaned_data.get(f"y{year}")
            high = self.cleaned_data.get(f"y{year}_high")
            result[year] = None if value is None else (value, high)
        return result


class ProgrammeForm(forms.ModelForm):
    """A programme, activity or sub-activity of one unit, with its budget per year."""

    class Meta:
        model = Programme
        fields = ["kind", "parent", "code", "name", "objectives"]
        labels = {"parent": _("Induk (program atau kegiatan)")}
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "objectives": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, term: Term, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.term, self.unit = term, unit
        choices(self, "parent").queryset = (
            term.programmes.filter(unit=unit)
            .exclude(kind=Programme.Kind.SUB_ACTIVITY)
            .exclude(pk=self.instance.pk)
        )
        self.fields["parent"].help_text = _(
            "Kosongkan untuk program; kegiatan di bawah program; sub kegiatan di bawah kegiatan."
        )
        choices(self, "objectives").queryset = term.objectives.filter(unit=unit)
        budgets = list(self.instance.budgets.all()) if self.instance.pk else []
        amounts = {b.year: b.amount for b in budgets}
        spent = {b.year: b.spent for b in budgets}
        for year in term.target_years:
            self.fields[f"budget_{year}"] = IndonesianDecimalField(
                label=_("Pagu %(year)s (Rp)") % {"year": year},
                required=False,
                decimal_places=2,
                min_value=Decimal(0),
                initial=amounts.get(year),
            )
            self.fields[f"spent_{year}"] = IndonesianDecimalField(
                label=_("Realisasi anggaran %(year)s (Rp)") % {"year": year},
                required=False,
                decimal_places=2,
                min_value=Decimal(0),
                initial=spent.get(year),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for year in self.term.target_years:
            if data.get(f"spent_{year}") is not None and data.get(f"budget_{year}") is None:
                self.add_error(
                    f"spent_{year}",
                    _("Isi pagu tahun %(year)s sebelum realisasinya.") % {"year": year},
                )
        return data

    def clean_code(self) -> str:
        return unique_code(self, self.term.programmes.filter(unit=self.unit), TAKEN_IN_UNIT)

    def budgets(self) -> dict[int, Decimal | None]:
        return {y: self.cleaned_data.get(f"budget_{y}") for y in self.term.target_years}

    def spent(self) -> dict[int, Decimal | None]:
        return {y: self.cleaned_data.get(f"spent_{y}") for y in self.term.target_years}


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas matriks rencana (.xlsx)"),
        help_text=_("Gunakan berkas hasil ekspor. Paling besar %(mb)s MB.")
        % {"mb": MAX_WORKBOOK_MB},
    )


class CalendarForm(forms.Form):
    """The government's current and reporting year; empty follows today's date."""

    current_year = forms.IntegerField(
        label=_("Tahun berjalan"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Kosongkan agar mengikuti tanggal hari ini."),
    )
    reporting_year = forms.IntegerField(
        label=_("Tahun pelaporan"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_(
            "Tahun LKjIP, evaluasi SAKIP, nilai dan TPP. Kosong: tahun sebelum tahun berjalan."
        ),
    )


class PublishForm(forms.Form):
    """Publish a year's results on the public portal up to a quarter, or withdraw it."""

    WITHDRAW = 0
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Sampai triwulan"),
        coerce=int,
        choices=[
            (1, _("TW I")),
            (2, _("TW II")),
            (3, _("TW III")),
            (4, _("TW IV (setahun penuh)")),
            (WITHDRAW, _("Tarik dari portal")),
        ],
    )


class TermForm(forms.Form):
    """A new term: its name, the first and last year with targets, its vision, and whether
    it becomes the current one."""

    name = forms.CharField(label=_("Nama periode"), max_length=200, initial="RPJMD")
    first_year = forms.IntegerField(label=_("Tahun target pertama"), min_value=2000, max_value=2100)
    last_year = forms.IntegerField(label=_("Tahun target terakhir"), min_value=2000, max_value=2100)
    vision = forms.CharField(
        label=_("Visi"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    make_current = forms.BooleanField(
        label=_("Jadikan periode berjalan"),
        required=False,
        help_text=_("Periode sebelumnya tetap utuh dan dapat dibuka sebagai arsip."),
    )
