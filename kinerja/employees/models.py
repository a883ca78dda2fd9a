"""The cascade to people: each government's policy for it, and the action plans (rencana aksi)
of the agreements' indicators.

An action plan belongs to one indicator of an agreement in one year: a plan indicator (what
the unit head agreed to) or a cascade indicator (an administrator's or a supervisor's). It
holds a target and, once reported, a realisation for each period (TW I–IV, or each month where
the government chooses), with the factors that helped and hindered and the follow-up; and the
actions and sub-actions that will reach the targets, each with the person responsible and its
budget."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import Government, Person, Unit
from kinerja.agreements.models import CascadeIndicator
from kinerja.core.models import TenantChild
from kinerja.core.workflow import Transition, Workflow
from kinerja.planning.models import VALUE_DIGITS, VALUE_PLACES, Indicator


class CascadePolicy(models.Model):
    """A government's choices for the cascade to people (national defaults when absent)."""

    class Rounding(models.TextChoices):
        EXACT = "exact", _("Persentase persis (tanpa pembulatan)")
        NEAREST = "nearest", _("Dibulatkan ke orang terdekat")

    government = models.OneToOneField(
        Government, on_delete=models.CASCADE, related_name="cascade_policy"
    )
    action_plan_periods = models.PositiveSmallIntegerField(
        _("periode rencana aksi"),
        choices=[(4, _("Triwulanan (TW I–IV)")), (12, _("Bulanan"))],
        default=4,
    )
    rounding = models.CharField(
        _("pembulatan batas distribusi untuk unit kecil"),
        max_length=8,
        choices=Rounding.choices,
        default=Rounding.EXACT,
    )
    # {organisation predicate: [{"kind", "predicates", "percent" | "people"}]}; empty: the
    # national defaults (kinerja.employees.rules.DEFAULT_BOUNDS).
    distribution_bounds = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("kebijakan kinerja pegawai")
        verbose_name_plural = _("kebijakan kinerja pegawai")

    def __str__(self) -> str:
        return str(self.government)


class ActionPlan(models.Model):
    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="action_plans")
    year = models.PositiveSmallIntegerField(_("tahun"))
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="action_plans"
    )
    cascade_indicator = models.ForeignKey(
        CascadeIndicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_plans",
    )
    periods = models.PositiveSmallIntegerField(_("jumlah periode"), default=4)

    class Meta:
        ordering = ["unit", "year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(indicator__isnull=False, cascade_indicator__isnull=True)
                    | Q(indicator__isnull=True, cascade_indicator__isnull=False)
                ),
                name="action_plan_one_indicator",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(indicator__isnull=False),
                name="action_plan_indicator_year",
            ),
            models.UniqueConstraint(
                fields=["cascade_indicator", "year"],
                condition=Q(cascade_indicator__isnull=False),
                name="action_plan_cascade_year",
            ),
            models.CheckConstraint(
                condition=Q(periods__in=[4, 12]), name="action_plan_periods_4_or_12"
            ),
        ]
        verbose_name = _("rencana aksi")
        verbose_name_plural = _("rencana aksi")

    def __str__(self) -> str:
        return f"{self.year} {self.subject_name}"

    @property
    def subject_name(self) -> str:
        if self.indicator_id and self.indicator:
            return f"{self.indicator.code} {self.indicator.name}"
        return self.cascade_indicator.name if self.cascade_indicator else ""

    @property
    def rule(self) -> Indicator | CascadeIndicator:
        """Where the polarity, formula and aggregation come from."""
        return self.indicator or self.cascade_indicator  # type: ignore[return-value]


class ActionPlanPeriod(TenantChild):
    """One period of an action plan: its target and, once reported, its realisation."""

    tenant_parent = "plan"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="period_rows")
    period = models.PositiveSmallIntegerField(_("periode"))
    target = models.DecimalField(
        _("target"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    value = models.DecimalField(
        _("realisasi"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        null=True,
        blank=True,
    )
    supporting = models.TextField(_("faktor pendukung"), blank=True, max_length=2000)
    hindering = models.TextField(_("faktor penghambat"), blank=True, max_length=2000)
    follow_up = models.TextField(_("tindak lanjut"), blank=True, max_length=2000)
    reported_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "period"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="action_plan_period_unique"),
            models.CheckConstraint(
                condition=Q(period__gte=1, period__lte=12), name="action_plan_period_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} P{self.period}"


class Action(TenantChild):
    """An action (or, with a parent, a sub-action) of an action plan."""

    tenant_parent = "plan"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    title = models.CharField(_("aksi"), max_length=500)
    responsible = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penanggung jawab"),
    )
    budget = models.DecimalField(
        _("anggaran"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    period_from = models.PositiveSmallIntegerField(_("mulai periode"), default=1)
    period_to = models.PositiveSmallIntegerField(_("sampai periode"), default=4)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_from__gte=1, period_to__lte=12)
                & Q(period_to__gte=models.F("period_from")),
                name="action_periods_ordered",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="action_budget_positive"
            ),
        ]
        verbose_name = _("aksi")
        verbose_name_plural = _("aksi")

    def __str__(self) -> str:
        return self.title


class Skp(models.Model):
    """A civil servant's performance plan and its evaluation for a year (SKP, PermenPAN-RB
    6/2022): the results (RHK) with their indicators, agreed with the evaluating official (the
    superior), then rated each quarter and for the year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan ke pejabat penilai")
        APPROVED = "approved", _("Disetujui")

    WORKFLOW = Workflow(
        what=_("SKP"),
        states=Status.choices,
        transitions={
            "edit": Transition(
                (Status.DRAFT,),
                None,
                _("mengubah SKP"),
                hints={
                    Status.SUBMITTED: _("SKP ini sedang diperiksa pejabat penilai."),
                    Status.APPROVED: _(
                        "SKP ini sudah disetujui; minta pejabat penilai membukanya."
                    ),
                },
            ),
            "submit": Transition((Status.DRAFT,), Status.SUBMITTED, _("mengajukan SKP")),
            "approve": Transition((Status.SUBMITTED,), Status.APPROVED, _("menyetujui SKP")),
            "return": Transition(
                (Status.SUBMITTED, Status.APPROVED), Status.DRAFT, _("mengembalikan SKP")
            ),
            "assess": Transition(
                (Status.APPROVED,),
                None,
                _("menilai SKP"),
                hints={
                    Status.DRAFT: _("SKP ini belum disetujui; setujui dulu rencananya."),
                    Status.SUBMITTED: _("SKP ini belum disetujui; setujui dulu rencananya."),
                },
            ),
        },
    )

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="skps")
    year = models.PositiveSmallIntegerField(_("tahun"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="skps")
    position = models.ForeignKey("accounts.Position", on_delete=models.PROTECT, related_name="skps")
    evaluator = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="skps_to_evaluate",
        verbose_name=_("pejabat penilai"),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The predicate recorded in the national e-Kinerja, imported back (kept beside ours).
    ekinerja_predicate = models.CharField(_("predikat di e-Kinerja"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "unit", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="skp_person_year_unique")
        ]
        verbose_name = _("SKP")
        verbose_name_plural = _("SKP")

    def __str__(self) -> str:
        return f"SKP {self.year} {self.person}"

    @property
    def is_head(self) -> bool:
        return self.position.kind == "unit_head"


class SkpResult(TenantChild):
    """A result (RHK) of an SKP: main or additional; below the unit head it serves one result of
    the superior's SKP ("RHK atasan yang diintervensi"); the unit head's are the agreement's
    indicators; a head's are grouped by perspective."""

    tenant_parent = "skp"

    class Kind(models.TextChoices):
        MAIN = "main", _("Utama")
        ADDITIONAL = "additional", _("Tambahan")

    class Perspective(models.TextChoices):
        SERVICE = "service", _("Perspektif penerima layanan")
        INTERNAL = "internal", _("Perspektif penguatan internal")
        PROCESS = "process", _("Perspektif proses bisnis")
        BUDGET = "budget", _("Perspektif anggaran")

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.MAIN)
    text = models.CharField(_("rencana hasil kerja"), max_length=600)
    perspective = models.CharField(
        _("perspektif"), max_length=10, choices=Perspective.choices, blank=True
    )
    serves = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="served_by",
        verbose_name=_("RHK atasan yang diintervensi"),
    )
    source_indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="skp_results",
        verbose_name=_("indikator perjanjian kinerja"),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["skp", "kind", "order", "pk"]
        verbose_name = _("rencana hasil kerja")
        verbose_name_plural = _("rencana hasil kerja")

    def __str__(self) -> str:
        return self.text


class SkpIndicator(TenantChild):
    """An indicator (IKI) of a result, with its target, by aspect."""

    tenant_parent = "result"

    class Aspect(models.TextChoices):
        QUANTITY = "quantity", _("Kuantitas")
        QUALITY = "quality", _("Kualitas")
        TIME = "time", _("Waktu")
        COST = "cost", _("Biaya")

    result = models.ForeignKey(SkpResult, on_delete=models.CASCADE, related_name="indicators")
    aspect = models.CharField(_("aspek"), max_length=10, choices=Aspect.choices)
    name = models.CharField(_("indikator kinerja individu"), max_length=500)
    target = models.CharField(_("target"), max_length=120)

    class Meta:
        ordering = ["result", "pk"]
        verbose_name = _("indikator kinerja individu")
        verbose_name_plural = _("indikator kinerja individu")

    def __str__(self) -> str:
        return self.name


BERAKHLAK = (
    ("berorientasi_pelayanan", _("Berorientasi pelayanan")),
    ("akuntabel", _("Akuntabel")),
    ("kompeten", _("Kompeten")),
    ("harmonis", _("Harmonis")),
    ("loyal", _("Loyal")),
    ("adaptif", _("Adaptif")),
    ("kolaboratif", _("Kolaboratif")),
)

RATING_CHOICES = (
    ("above", _("Di atas ekspektasi")),
    ("as_expected", _("Sesuai ekspektasi")),
    ("below", _("Di bawah ekspektasi")),
)

EMPLOYEE_PREDICATE_CHOICES = (
    ("sangat_baik", _("Sangat Baik")),
    ("baik", _("Baik")),
    ("butuh_perbaikan", _("Butuh Perbaikan")),
    ("kurang_misconduct", _("Kurang/Misconduct")),
    ("sangat_kurang", _("Sangat Kurang")),
)

ORGANISATION_PREDICATE_CHOICES = (
    ("istimewa", _("Istimewa")),
    ("baik", _("Baik")),
    ("butuh_perbaikan", _("Butuh Perbaikan")),
    ("kurang", _("Kurang")),
    ("sangat_kurang", _("Sangat Kurang")),
)


class SkpAssessment(TenantChild):
    """A rating of an SKP for a quarter (1–4) or the year (0) by the evaluating official: the
    rating of results and of behaviour (the seven BerAKHLAK values, with notes), and the
    predicate the official matrix gives them."""

    ANNUAL = 0
    tenant_parent = "skp"

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="assessments")
    period = models.PositiveSmallIntegerField(_("periode"))
    results_rating = models.CharField(
        _("rating hasil kerja"), max_length=12, choices=RATING_CHOICES
    )
    behaviour_rating = models.CharField(
        _("rating perilaku kerja"), max_length=12, choices=RATING_CHOICES
    )
    behaviour_notes = models.JSONField(_("catatan perilaku"), default=dict, blank=True)
    feedback = models.TextField(_("umpan balik"), blank=True, max_length=4000)
    predicate = models.CharField(
        _("predikat kinerja pegawai"), max_length=20, choices=EMPLOYEE_PREDICATE_CHOICES
    )
    assessed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["skp", "period"]
        constraints = [
            models.UniqueConstraint(fields=["skp", "period"], name="skp_assessment_unique"),
            models.CheckConstraint(
                condition=Q(period__gte=0, period__lte=4), name="skp_assessment_period_0_4"
            ),
        ]
        verbose_name = _("penilaian SKP")
        verbose_name_plural = _("penilaian SKP")

    def __str__(self) -> str:
        return f"{self.skp} P{self.period}"


class OrganisationRating(models.Model):
    """A unit's predicate for a year, set by the official one level up from the unit's
    achievement of its agreement and action plans; and, once the employees' distribution keeps
    to its bounds, the year closed."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="ratings")
    year = models.PositiveSmallIntegerField(_("tahun"))
    predicate = models.CharField(
        _("predikat kinerja organisasi"), max_length=20, choices=ORGANISATION_PREDICATE_CHOICES
    )
    note = models.TextField(_("pertimbangan"), blank=True, max_length=4000)
    set_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["year", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="organisation_rating_unique")
        ]
        verbose_name = _("predikat kinerja organisasi")
        verbose_name_plural = _("predikat kinerja organisasi")

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.predicate}"
