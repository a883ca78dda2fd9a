"""The plan hierarchy: term (RPJMD), vision, missions, goals, objectives, indicators, targets,
and the programmes, activities and sub-activities that carry the budget.

A unit objective (Renstra) points at the government objective it serves: that link is the
performance tree (pohon kinerja).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import Government, Unit
from kinerja.core.imports import KeptUpload, kept_upload_workflow
from kinerja.core.models import TenantChild

# Values keep the digits users enter (up to six decimals); money is rupiah with sen.
VALUE_DIGITS, VALUE_PLACES = 24, 6
MONEY_DIGITS, MONEY_PLACES = 20, 2


class Term(models.Model):
    """A five-year term: e.g. 2018–2023, baseline in 2018, yearly targets 2019–2023."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(_("nama"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("tahun awal"))
    end_year = models.PositiveSmallIntegerField(_("tahun akhir"))
    vision = models.TextField(_("visi"), blank=True)
    is_current = models.BooleanField(_("periode berjalan"), default=False)

    class Meta:
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["government", "start_year"], name="term_start_unique"),
            models.UniqueConstraint(
                fields=["government"], condition=Q(is_current=True), name="one_current_term"
            ),
            models.CheckConstraint(
                condition=Q(end_year__gt=models.F("start_year")), name="term_end_after_start"
            ),
        ]
        verbose_name = _("periode RPJMD")
        verbose_name_plural = _("periode RPJMD")

    def __str__(self) -> str:
        # "RPJMD 2025–2029" already says its years; "RPJMD Kota Malang" gets them added.
        if str(self.end_year) in self.name:
            return self.name
        return f"{self.name} ({self.first_year}–{self.end_year})"

    @property
    def first_year(self) -> int:
        """The first year with targets (the year after the baseline year)."""
        return self.start_year + 1

    @property
    def target_years(self) -> list[int]:
        return list(range(self.start_year + 1, self.end_year + 1))


class Mission(models.Model):
    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="missions")
    number = models.PositiveSmallIntegerField(_("nomor"))
    code = models.CharField(_("kode"), max_length=40)
    title = models.TextField(_("uraian misi"))

    class Meta:
        ordering = ["term", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "code"], name="mission_code_unique"),
        ]
        verbose_name = _("misi")
        verbose_name_plural = _("misi")

    def __str__(self) -> str:
        return f"{_('Misi')} {self.number}: {self.title}"


class Goal(models.Model):
    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="goals")
    code = models.CharField(_("kode"), max_length=40)
    title = models.TextField(_("uraian tujuan"))

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "code"], name="goal_code_unique"),
        ]
        verbose_name = _("tujuan")
        verbose_name_plural = _("tujuan")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Objective(models.Model):
    """A government objective (under a goal) or a unit objective (serving a government one)."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="objectives")
    goal = models.ForeignKey(
        Goal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name=_("tujuan"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name=_("perangkat daerah"),
    )
    serves = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unit_objectives",
        verbose_name=_("mendukung sasaran"),
    )
    code = models.CharField(_("kode"), max_length=40)
    title = models.TextField(_("uraian sasaran"))

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["term", "code"], name="objective_code_unique"),
            models.CheckConstraint(
                condition=(
                    Q(unit__isnull=True, goal__isnull=False, serves__isnull=True)
                    | Q(unit__isnull=False, goal__isnull=True, serves__isnull=False)
                ),
                name="objective_level_shape",
            ),
        ]
        verbose_name = _("sasaran")
        verbose_name_plural = _("sasaran")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_unit_level(self) -> bool:
        return self.unit_id is not None


class Indicator(models.Model):
    class Polarity(models.TextChoices):
        HIGHER = "higher", _("Semakin tinggi semakin baik")
        LOWER = "lower", _("Semakin rendah semakin baik")
        RANGE = "range", _("Rentang pita (tetap di dalam rentang)")

    class LowerFormula(models.TextChoices):
        MIRROR = "mirror", _("(2 − R/T) × 100")
        RATIO = "ratio", _("T/R × 100")

    class Aggregation(models.TextChoices):
        CUMULATIVE = "cumulative", _("Kumulatif (jumlah periode)")
        LAST = "last", _("Nilai terakhir")
        AVERAGE = "average", _("Rata-rata")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Bulanan")
        QUARTERLY = "quarterly", _("Triwulanan")

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("sasaran")
    )
    responsible_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("perangkat daerah penanggung jawab"),
    )
    code = models.CharField(_("kode"), max_length=40)
    name = models.TextField(_("nama indikator"))
    unit_of_measure = models.CharField(_("satuan"), max_length=60)
    polarity = models.CharField(
        _("polaritas"), max_length=8, choices=Polarity.choices, default=Polarity.HIGHER
    )
    lower_formula = models.CharField(
        _("rumus capaian (semakin rendah)"),
        max_length=8,
        choices=LowerFormula.choices,
        default=LowerFormula.MIRROR,
    )
    aggregation = models.CharField(
        _("agregasi antarperiode"),
        max_length=12,
        choices=Aggregation.choices,
        default=Aggregation.LAST,
    )
    frequency = models.CharField(
        _("frekuensi pelaporan"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.QUARTERLY,
    )
    definition = models.TextField(_("definisi operasional"), blank=True)
    formula = models.TextField(_("formula perhitungan"), blank=True)
    data_source = models.CharField(_("sumber data"), max_length=300, blank=True)
    baseline_value = models.DecimalField(
        _("nilai kondisi awal"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    baseline_year = models.PositiveSmallIntegerField(_("tahun kondisi awal"))
    is_key = models.BooleanField(_("indikator kinerja utama (IKU)"), default=False)
    # Its weight when achievements roll up to the objective (equal by default).
    weight = models.DecimalField(_("bobot"), max_digits=7, decimal_places=2, default=Decimal(1))
    # The programme (outcome) or activity (output) this indicator measures, when it is one
    # of theirs (Renja and Form E.81 indicators); None for an objective's own indicator.
    programme = models.ForeignKey(
        "Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("program/kegiatan"),
    )
    # The same measure across terms: an indicator carried into a new term keeps its
    # lineage, so its series runs across the change of term (kinerja.planning.terms).
    lineage = models.UUIDField(_("garis indikator"), default=uuid.uuid4, editable=False)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("dilanjutkan dari"),
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "code"], name="indicator_code_unique"),
        ]
        indexes = [models.Index(fields=["government", "lineage"])]
        verbose_name = _("indikator kinerja")
        verbose_name_plural = _("indikator kinerja")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        # A unit objective's indicators belong to that unit.
        if self.objective_id and self.objective.unit_id:
            if self.responsible_unit_id not in (None, self.objective.unit_id):
                raise ValidationError(
                    {"responsible_unit": _("Indikator sasaran PD menjadi tanggung jawab PD itu.")}
                )
            self.responsible_unit_id = self.objective.unit_id
        if self.baseline_year and not 1900 <= self.baseline_year <= 2200:
            raise ValidationError({"baseline_year": _("Tahun kondisi awal tidak masuk akal.")})

    @property
    def plan_unit(self) -> Unit | None:
        """The unit whose Renstra holds this indicator (None: the government's RPJMD).

        Decides who may edit it; a government indicator stays the planners' even when a
        unit is responsible for it.
        """
        return self.objective.unit

    @property
    def owner_unit(self) -> Unit | None:
        """The unit responsible: a unit objective's unit, else the named responsible unit."""
        return self.objective.unit if self.objective.unit_id else self.responsible_unit


class IndicatorTarget(models.Model):
    """The target of one indicator for one year; a range target has a low and a high bound."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("tahun"))
    value = models.DecimalField(_("target"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    value_high = models.DecimalField(
        _("batas atas"), null=True, blank=True, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    # Where the figure came from when it was not typed in by hand, e.g. the Lelang Kinerja
    # offer a unit head accepted. Cleared when someone edits the figure.
    provenance = models.CharField(_("asal target"), max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_year_unique"),
            models.CheckConstraint(
                condition=Q(value_high__isnull=True) | Q(value_high__gte=models.F("value")),
                name="target_range_ordered",
            ),
        ]
        verbose_name = _("target tahunan")
        verbose_name_plural = _("target tahunan")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"

    def clean(self) -> None:
        if self.value_high is not None and self.value_high < self.value:
            raise ValidationError({"value_high": _("Batas atas harus ≥ batas bawah.")})


class Programme(models.Model):
    """A programme, activity or sub-activity (by `kind`) of a unit, carrying a yearly budget."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Program")
        ACTIVITY = "activity", _("Kegiatan")
        SUB_ACTIVITY = "sub_activity", _("Sub kegiatan")

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="programmes")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="programmes")
    kind = models.CharField(_("tingkat"), max_length=14, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("kode"), max_length=60)
    name = models.TextField(_("nama"))
    objectives = models.ManyToManyField(
        Objective,
        through="ProgrammeObjective",
        related_name="programmes",
        blank=True,
        verbose_name=_("sasaran yang didukung"),
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["term", "unit", "code"], name="programme_code_unique"),
        ]
        verbose_name = _("program/kegiatan")
        verbose_name_plural = _("program/kegiatan")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        expected_parent = {
            self.Kind.PROGRAMME: None,
            self.Kind.ACTIVITY: self.Kind.PROGRAMME,
            self.Kind.SUB_ACTIVITY: self.Kind.ACTIVITY,
        }[self.Kind(self.kind)]
        parent_kind = self.parent.kind if self.parent_id and self.parent else None
        if parent_kind != expected_parent:
            raise ValidationError(
                {
                    "parent": _(
                        "Program tanpa induk; kegiatan di bawah program; "
                        "sub kegiatan di bawah kegiatan."
                    )
                }
            )


class ProgrammeObjective(TenantChild):
    """A programme supports an objective (the link of `Programme.objectives`). It carries the
    government key like every tenant row, so that on Citus it lives on its programme's shard
    (decision 0018). Links are written with `through_defaults={"government_id": …}`."""

    tenant_parent = "programme"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE)

    class Meta:
        db_table = "planning_programme_objectives"
        unique_together = [("programme", "objective")]
        verbose_name = _("sasaran program")
        verbose_name_plural = _("sasaran program")


class Budget(models.Model):
    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("tahun"))
    amount = models.DecimalField(
        _("pagu (Rp)"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=Decimal(0)
    )
    # Spent by the end of the year (realisasi anggaran), for the LKjIP; empty until known.
    spent = models.DecimalField(
        _("realisasi (Rp)"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["programme", "year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="budget_year_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative"),
            models.CheckConstraint(
                condition=Q(spent__isnull=True) | Q(spent__gte=0), name="budget_spent_not_negative"
            ),
        ]
        verbose_name = _("pagu anggaran")
        verbose_name_plural = _("pagu anggaran")

    def __str__(self) -> str:
        return f"{self.programme.code} {self.year}: {self.amount}"


class PlanImport(KeptUpload):
    """An uploaded plan workbook, kept between the preview and the confirmation."""

    WORKFLOW = kept_upload_workflow(_("impor matriks rencana"))

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="imports")

    class Meta(KeptUpload.Meta):
        pass


class YearPublication(models.Model):
    """A year's results made public on the portal, up to a quarter, by the planners.

    The portal shows only what was published, so what is public never moves because one
    figure was entered or verified. Publishing again (a later quarter) replaces the row.
    """

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("sampai triwulan"))
    published_at = models.DateTimeField(_("diterbitkan"))
    published_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["government", "year"]
        constraints = [
            models.UniqueConstraint(fields=["government", "year"], name="publication_year_unique"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="publication_quarter"
            ),
        ]
        verbose_name = _("penerbitan capaian")
        verbose_name_plural = _("penerbitan capaian")

    def __str__(self) -> str:
        return f"{self.government} {self.year} TW {self.quarter}"
