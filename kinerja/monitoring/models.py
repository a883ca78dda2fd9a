"""Realisation of indicators per period, its evidence and verification, and the policy
(cap, warning thresholds, reporting deadline) each government sets for itself.

A realisation is versioned: the figure of a period is the row marked current. Once verified
it is locked; a correction is a new version with a reason, which goes through submission and
verification again, and the verified one stays in the history.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import Government, Unit
from kinerja.core.workflow import Transition, Workflow
from kinerja.monitoring.achievement import rate
from kinerja.planning.models import VALUE_DIGITS, VALUE_PLACES, Indicator


def exact_figure(
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    scale: Decimal | None,
) -> Decimal | None:
    """A figure for the arithmetic: the rate from its parts when it has them, else the value
    (`Realisation.exact_value`, also read from plain rows by kinerja.monitoring.selectors)."""
    if numerator is not None and denominator and scale:
        computed = rate(numerator, denominator, scale)
        if computed is not None:
            return computed
    return value


class MonitoringPolicy(models.Model):
    """A government's own rules: they differ between governments, so they are data."""

    class Weighting(models.TextChoices):
        EQUAL = "equal", _("Sama rata antar-sasaran, antar-PD dan antar-misi")
        INDICATORS = "indicators", _("Menurut jumlah bobot indikator di bawahnya")

    government = models.OneToOneField(
        Government, on_delete=models.CASCADE, related_name="monitoring_policy"
    )
    achievement_cap = models.DecimalField(
        _("batas atas capaian (%)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Mis. 120 atau 110; kosong: tanpa batas."),
    )
    green_from = models.DecimalField(
        _("hijau mulai (%)"), max_digits=7, decimal_places=2, default=Decimal(90)
    )
    yellow_from = models.DecimalField(
        _("kuning mulai (%)"),
        max_digits=7,
        decimal_places=2,
        default=Decimal(75),
        help_text=_("Di bawah ini: merah."),
    )
    report_deadline_days = models.PositiveSmallIntegerField(
        _("batas pelaporan (hari setelah periode berakhir)"), default=10
    )
    weighting = models.CharField(
        _("pembobotan agregasi"), max_length=12, choices=Weighting.choices, default=Weighting.EQUAL
    )

    class Meta:
        verbose_name = _("kebijakan pemantauan")
        verbose_name_plural = _("kebijakan pemantauan")
        constraints = [
            models.CheckConstraint(
                condition=Q(yellow_from__lte=models.F("green_from")), name="warning_ordered"
            ),
        ]

    def __str__(self) -> str:
        return str(self.government)


class Realisation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        VERIFIED = "verified", _("Terverifikasi")
        RETURNED = "returned", _("Dikembalikan")

    # An earlier version (is_current false) takes no step: its state is "superseded".
    WORKFLOW = Workflow(
        states=[*Status.choices, ("superseded", _("Versi lama"))],
        state=lambda r: r.status if r.is_current else "superseded",
        transitions={
            "edit": Transition(
                (Status.DRAFT, Status.RETURNED),
                Status.DRAFT,
                _("mengubah realisasi"),
                hints={
                    Status.VERIFIED: _(
                        "Realisasi ini sudah diverifikasi dan terkunci; ajukan koreksi dengan "
                        "alasan."
                    ),
                    Status.SUBMITTED: _("Realisasi ini sedang diperiksa; tunggu hasil verifikasi."),
                },
            ),
            "submit": Transition(
                (Status.DRAFT, Status.RETURNED), Status.SUBMITTED, _("mengajukan realisasi")
            ),
            "verify": Transition(
                (Status.SUBMITTED,), Status.VERIFIED, _("memverifikasi realisasi")
            ),
            "return": Transition(
                (Status.SUBMITTED,), Status.RETURNED, _("mengembalikan realisasi")
            ),
            "correct": Transition((Status.VERIFIED,), None, _("mengoreksi realisasi")),
            "attach": Transition(
                (Status.DRAFT, Status.RETURNED),
                None,
                _("menambah bukti"),
                hints={
                    s: _(
                        "Bukti hanya dapat ditambahkan pada draf atau realisasi yang dikembalikan."
                    )
                    for s in ("submitted", "verified")
                },
            ),
        },
    )

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="realisations")
    year = models.PositiveSmallIntegerField(_("tahun"))
    # 4 (quarters) or 12 (months), kept with the figure so that changing an indicator's
    # frequency later does not reinterpret the periods already reported.
    periods_in_year = models.PositiveSmallIntegerField(_("jumlah periode setahun"))
    period = models.PositiveSmallIntegerField(_("periode"))
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    is_current = models.BooleanField(default=True)
    value = models.DecimalField(
        _("realisasi"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    numerator = models.DecimalField(
        _("pembilang"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("penyebut"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    # Per 100 (%), per 1,000, per 100,000: the rate is numerator / denominator × scale.
    scale = models.DecimalField(max_digits=12, decimal_places=0, null=True, blank=True)
    note = models.TextField(_("catatan/penjelasan"), blank=True)
    correction_reason = models.TextField(_("alasan koreksi"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("komentar pemeriksa"), blank=True)

    class Meta:
        ordering = ["indicator", "year", "period", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "period", "version"], name="realisation_version"
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "period"],
                condition=Q(is_current=True),
                name="realisation_one_current",
            ),
            models.CheckConstraint(
                condition=Q(period__gte=1) & Q(period__lte=models.F("periods_in_year")),
                name="realisation_period_in_year",
            ),
        ]
        indexes = [models.Index(fields=["government", "year", "is_current"])]
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")

    def __str__(self) -> str:
        code = self.indicator.code
        return f"{code} {self.year} P{self.period}/{self.periods_in_year} v{self.version}"

    @property
    def period_label(self) -> str:
        """TW I … TW IV, or the month: the period as every page names it."""
        from kinerja.monitoring.selectors import period_label

        return period_label(self.period, self.periods_in_year)

    @property
    def exact_value(self) -> Decimal | None:
        """The figure for the arithmetic: a rate from its numerator and denominator,
        unrounded (published reports differ in the second decimal exactly because of
        rounding here); otherwise the value as entered."""
        return exact_figure(self.value, self.numerator, self.denominator, self.scale)

    @property
    def counts(self) -> bool:
        """Submitted and verified figures count in achievements; drafts and returned ones do not."""
        return self.status in (self.Status.SUBMITTED, self.Status.VERIFIED)


class RealisationEvidence(models.Model):
    """A file behind a figure: PDF, image or workbook, its type decided by its content."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    realisation = models.ForeignKey(Realisation, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="realisation-evidence/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["realisation", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Reminder(models.Model):
    """One reminder sent to a unit for one period, so that it is sent once."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    periods_in_year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField()
    missing = models.PositiveIntegerField()
    recipients = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "periods_in_year", "period"], name="reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} P{self.period}"


class E81Import(models.Model):
    """A Form E.81 (Renja evaluation) workbook imported into a unit, with its report."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    report = models.JSONField(default=dict)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} → {self.unit}"


class FigureGeneration(models.Model):
    """A marker of the last change to a part of a government's figures, written in the same
    transaction as the change: scope 0 is the plan (indicators, targets, units, the policy:
    everything), a unit's id its indicators' figures, -1 the figures of indicators no unit
    answers for. Computed figures are cached under the markers they were computed from
    (kinerja.monitoring.figures), so a change makes new keys for exactly what it touches.
    A marker is a random number, not a counter: a database restored from a backup never
    meets a cache entry computed from a later state under the same key."""

    PLAN = 0
    NO_UNIT = -1

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    scope = models.BigIntegerField()
    marker = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["government", "scope"], name="figure_generation_once")
        ]

    def __str__(self) -> str:
        return f"{self.government_id}:{self.scope}={self.marker}"
