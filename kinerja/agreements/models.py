"""Perjanjian Kinerja: one agreement per unit (and one for the head of region) per year, in
versions. A version's content is a snapshot of the plan when it was drafted; once sent for
signature it is locked; a revision is a new version with its reason; every version stays."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import Government, Unit
from kinerja.core.workflow import Transition, Workflow
from kinerja.documents.models import Document


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

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="agreements"
    )  # empty: the head of region's own agreement
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
                fields=["government", "unit", "year", "version"], name="agreement_version_unique"
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
        who = self.unit.name if self.unit_id and self.unit else str(_("Kepala Daerah"))
        return f"PK {self.year} {who} v{self.version}"

    @property
    def subject(self) -> str:
        return f"agreement:{self.government_id}:{self.unit_id or 'region'}:{self.year}"


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
