"""Perjanjian Kinerja: one agreement per unit (and one for the head of region) per year, in
versions, and below the unit head one per administrator's and supervisor's post (the cascade).
A version's content is a snapshot of the plan (or of the post's cascade indicators and
programmes) when it was drafted; once sent for signature it is locked; a revision is a new
version with its reason; every version stays."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import Government, Position, Unit
from kinerja.core.workflow import Transition, Workflow
from kinerja.documents.models import Document
from kinerja.planning.models import VALUE_DIGITS, VALUE_PLACES, Indicator, Programme


class BudgetApproval(models.Model):
    """When the year's budget (APBD) was approved: agreements are due a month later."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    approved_on = models.DateField(_("tanggal pengesahan APBD"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["government", "year"], name="one_budget_approval_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"APBD {self.year}: {self.approved_on}"


class Agreement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        AWAITING = "awaiting", _("Menunggu tanda tangan")
        SIGNED = "signed", _("Ditandatangani")

    WORKFLOW = Workflow(
        states=Status.choices,
        transitions={
            "edit": Transition(
                (Status.DRAFT,),
                None,
                _("mengubah perjanjian"),
                hints={
                    Status.AWAITING: _(
                        "Perjanjian ini sedang menunggu tanda tangan; tarik kembali dulu bila "
                        "perlu diubah."
                    ),
                    Status.SIGNED: _(
                        "Perjanjian yang sudah ditandatangani tidak dapat diubah; buat revisi."
                    ),
                },
            ),
            "revise": Transition(
                (Status.SIGNED,),
                None,
                _("merevisi perjanjian"),
                hints={
                    Status.DRAFT: _(
                        "Hanya perjanjian yang sudah ditandatangani yang direvisi; ubah drafnya "
                        "saja."
                    ),
                },
            ),
            "send": Transition((Status.DRAFT,), Status.AWAITING, _("mengirim perjanjian")),
            "recall": Transition((Status.AWAITING,), Status.DRAFT, _("menarik kembali perjanjian")),
            "delete": Transition((Status.DRAFT,), None, _("menghapus draf perjanjian")),
            # One signature of several (the state stays) or the last one (signed).
            "sign": Transition((Status.AWAITING,), None, _("menandatangani perjanjian")),
            "complete": Transition(
                (Status.AWAITING,), Status.SIGNED, _("menandatangani perjanjian")
            ),
        },
    )

    class Reason(models.TextChoices):
        OFFICIAL = "official", _("Pergantian pejabat")
        PROGRAMME = "programme", _("Perubahan program, kegiatan atau anggaran")
        PRIORITY = "priority", _("Perubahan prioritas")

    class Level(models.TextChoices):
        REGION = "region", _("Kepala daerah")
        UNIT = "unit", _("Kepala perangkat daerah (eselon II)")
        ADMINISTRATOR = "administrator", _("Pejabat administrator (eselon III)")
        SUPERVISOR = "supervisor", _("Pejabat pengawas (eselon IV)")

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="agreements"
    )  # empty: the head of region's own agreement
    # Below the unit head: the administrator's or supervisor's post whose holder is the first
    # party; empty for the unit head's and the head of region's agreements.
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, null=True, blank=True, related_name="agreements"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    reason = models.CharField(_("alasan revisi"), max_length=10, choices=Reason.choices, blank=True)
    reason_note = models.TextField(_("keterangan revisi"), blank=True)
    content = models.JSONField(default=dict)  # {"targets": [...], "programmes": [...]}
    document = models.OneToOneField(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="agreement"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["year", "unit__kind", "unit__code", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "unit", "year", "version"],
                condition=Q(position__isnull=True),
                name="agreement_version_unique",
            ),
            models.UniqueConstraint(
                fields=["position", "year", "version"],
                condition=Q(position__isnull=False),
                name="post_agreement_version_unique",
            ),
            models.CheckConstraint(
                condition=Q(position__isnull=True) | Q(unit__isnull=False),
                name="post_agreement_has_unit",
            ),
            models.UniqueConstraint(
                fields=["government", "year", "version"],
                condition=Q(unit__isnull=True),
                name="region_agreement_version_unique",
            ),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(reason=""), name="revision_has_reason"
            ),
        ]
        verbose_name = _("perjanjian kinerja")
        verbose_name_plural = _("perjanjian kinerja")

    def __str__(self) -> str:
        if self.position_id and self.position:
            who = self.position.title
        else:
            who = self.unit.name if self.unit_id and self.unit else str(_("Kepala Daerah"))
        return f"PK {self.year} {who} v{self.version}"

    @property
    def level(self) -> str:
        if self.position_id:
            return (
                self.Level.ADMINISTRATOR
                if self.position and self.position.kind == Position.Kind.ADMINISTRATOR
                else self.Level.SUPERVISOR
            )
        return self.Level.UNIT if self.unit_id else self.Level.REGION

    @property
    def subject(self) -> str:
        if self.position_id:
            return f"agreement:{self.government_id}:post-{self.position_id}:{self.year}"
        return f"agreement:{self.government_id}:{self.unit_id or 'region'}:{self.year}"


class CascadeIndicator(models.Model):
    """An indicator of an administrator's agreement (Sasaran Program) or a supervisor's
    (Sasaran Kegiatan) for one year, supporting one indicator of the agreement above: the unit
    head's (a plan indicator) or the administrator's (another cascade indicator)."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="cascade_indicators"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    objective = models.CharField(_("sasaran"), max_length=500)
    name = models.CharField(_("indikator kinerja"), max_length=500)
    unit_of_measure = models.CharField(_("satuan"), max_length=60)
    polarity = models.CharField(
        _("polaritas"),
        max_length=8,
        choices=Indicator.Polarity.choices,
        default=Indicator.Polarity.HIGHER,
    )
    lower_formula = models.CharField(
        _("rumus bila semakin rendah semakin baik"),
        max_length=8,
        choices=Indicator.LowerFormula.choices,
        default=Indicator.LowerFormula.MIRROR,
    )
    aggregation = models.CharField(
        _("nilai tahunan dari periode"),
        max_length=12,
        choices=Indicator.Aggregation.choices,
        default=Indicator.Aggregation.LAST,
    )
    target = models.DecimalField(_("target"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    target_high = models.DecimalField(
        _("batas atas (target rentang)"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        null=True,
        blank=True,
    )
    supports_indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cascade_supporters",
        verbose_name=_("mendukung indikator kepala perangkat daerah"),
    )
    supports = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supporters",
        verbose_name=_("mendukung indikator pejabat administrator"),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "year", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(supports_indicator__isnull=False, supports__isnull=True)
                    | Q(supports_indicator__isnull=True, supports__isnull=False)
                ),
                name="cascade_supports_one_upper_indicator",
            ),
            models.CheckConstraint(
                condition=Q(target_high__isnull=True) | Q(target_high__gte=models.F("target")),
                name="cascade_target_range_ordered",
            ),
        ]
        verbose_name = _("indikator perjanjian jenjang")
        verbose_name_plural = _("indikator perjanjian jenjang")

    def __str__(self) -> str:
        return self.name

    @property
    def upper(self) -> Indicator | CascadeIndicator | None:
        return self.supports_indicator or self.supports

    @property
    def key(self) -> str:
        return f"c{self.pk}"


class CascadeProgramme(models.Model):
    """An activity (administrator) or sub-activity (supervisor) of the plan carried by a post in
    a year: its budget appears in the post's agreement. One post carries each in a year."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="cascade_programmes"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cascade_posts")

    class Meta:
        ordering = ["position", "year", "programme__code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="cascade_programme_one_post")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.programme_id} → {self.position_id}"


class AgreementBatch(models.Model):
    """Generating all agreements of a year in the background, with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Antre")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"PK {self.year}: {self.done}/{self.total} ({self.status})"

    @property
    def in_progress(self) -> bool:
        """Queued or running: the progress bar keeps asking."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def percent(self) -> int:
        return (
            round(100 * self.done / self.total)
            if self.total
            else (100 if self.status == self.Status.DONE else 0)
        )
