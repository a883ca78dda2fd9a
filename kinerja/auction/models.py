"""Lelang Kinerja: sessions, panels, criteria, proposals, scores and the offer rounds.

Decisions others rely on are append-only: a score is one row per panelist and criterion, and
each move of the negotiation (offer, counter-offer, acceptance, refusal) is a new `Move`
numbered within its indicator; the unique (indicator, seq) pair makes two simultaneous
moves impossible: one wins, the other is refused.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import Government, Unit
from kinerja.core.workflow import Transition, Workflow
from kinerja.planning.models import VALUE_DIGITS, VALUE_PLACES, Indicator, Mission, Objective, Term

DEFAULT_CRITERIA = [
    ("Kualitas data dasar dan data pendukung", Decimal(25)),
    ("Keselarasan dengan misi kepala daerah", Decimal(20)),
    ("Ambisi target", Decimal(25)),
    ("Inovasi", Decimal(15)),
    ("Kelayakan dan anggaran", Decimal(15)),
]


class AuctionSession(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        OPEN = "open", _("Pengajuan dibuka")
        HEARINGS = "hearings", _("Paparan dan penawaran")
        DECIDED = "decided", _("Diputuskan")
        CLOSED = "closed", _("Ditutup")

    WORKFLOW = Workflow(
        states=Status.choices,
        transitions={
            "edit_criteria": Transition((Status.DRAFT,), None, _("mengubah kriteria penilaian")),
            "seat_panel": Transition((Status.DRAFT, Status.OPEN), None, _("mengubah tim penilai")),
            "redate": Transition(
                (Status.DRAFT, Status.OPEN),
                None,
                _("mengubah jadwal"),
                hints={
                    s: _("Jadwal hanya dapat diubah sebelum paparan dimulai.")
                    for s in ("hearings", "decided", "closed")
                },
            ),
            # Proposals are made, changed and submitted while the session is open.
            "propose": Transition((Status.OPEN,), None, _("mengubah usulan")),
            # Scores, offers and answers are given during the hearings.
            "hear": Transition((Status.HEARINGS,), None, _("memberi penilaian")),
            "open": Transition((Status.DRAFT,), Status.OPEN, _("membuka sesi")),
            "start_hearings": Transition((Status.OPEN,), Status.HEARINGS, _("memulai paparan")),
            "decide": Transition((Status.HEARINGS,), Status.DECIDED, _("memutuskan hasil")),
            "close": Transition((Status.DECIDED,), Status.CLOSED, _("menutup sesi")),
            "issue_documents": Transition(
                (Status.DECIDED, Status.CLOSED),
                None,
                _("menerbitkan pakta dan kontrak"),
                hints={
                    s: _("Pakta dan kontrak diterbitkan setelah hasil lelang diputuskan.")
                    for s in ("draft", "open", "hearings")
                },
            ),
        },
    )

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="auction_sessions")
    name = models.CharField(_("nama"), max_length=200)
    scheduled_on = models.DateField(_("tanggal"))
    venue = models.CharField(_("tempat"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_on"]
        verbose_name = _("sesi Lelang Kinerja")
        verbose_name_plural = _("sesi Lelang Kinerja")

    def __str__(self) -> str:
        return self.name


class PanelSeat(models.Model):
    """A panel member of a session; one of them chairs it."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(AuctionSession, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_chair = models.BooleanField(_("ketua"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="panel_seat_unique"),
            models.UniqueConstraint(
                fields=["session"], condition=Q(is_chair=True), name="one_chair_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({'ketua' if self.is_chair else 'anggota'})"


class Criterion(models.Model):
    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(AuctionSession, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("kriteria"), max_length=200)
    weight = models.DecimalField(_("bobot"), max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["session", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.UniqueConstraint(fields=["session", "name"], name="criterion_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class Proposal(models.Model):
    """A unit's innovation with its targets, presented at the hearing."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")

    WORKFLOW = Workflow(
        states=Status.choices,
        transitions={
            "edit": Transition(
                (Status.DRAFT,),
                None,
                _("mengubah usulan"),
                hints={
                    Status.SUBMITTED: _(
                        "Usulan yang sudah diajukan terkunci dan tidak dapat diubah."
                    )
                },
            ),
            "submit": Transition(
                (Status.DRAFT,),
                Status.SUBMITTED,
                _("mengajukan usulan"),
                hints={Status.SUBMITTED: _("Usulan ini sudah diajukan dan terkunci.")},
            ),
            "hear": Transition(
                (Status.SUBMITTED,),
                None,
                _("memberi penilaian"),
                hints={Status.DRAFT: _("Usulan ini belum diajukan.")},
            ),
        },
    )

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(AuctionSession, on_delete=models.CASCADE, related_name="proposals")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(_("judul inovasi"), max_length=300)
    description = models.TextField(_("uraian"), blank=True)
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+")
    objective = models.ForeignKey(
        Objective, on_delete=models.PROTECT, related_name="+", verbose_name=_("sasaran daerah")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scores_revealed = models.BooleanField(default=False)

    class Meta:
        ordering = ["session", "unit__code", "pk"]
        verbose_name = _("usulan")
        verbose_name_plural = _("usulan")

    def __str__(self) -> str:
        return f"{self.unit.label}: {self.title}"


class ProposedIndicator(models.Model):
    """One indicator of a proposal: baseline with its source, end target and its year."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="indicators")
    plan_indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("indikator"), max_length=300)
    unit_of_measure = models.CharField(_("satuan"), max_length=60)
    polarity = models.CharField(
        _("polaritas"), max_length=8, choices=Indicator.Polarity.choices, default="higher"
    )
    baseline_value = models.DecimalField(
        _("kondisi awal"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        null=True,
        blank=True,
    )
    baseline_year = models.PositiveSmallIntegerField(_("tahun kondisi awal"), null=True, blank=True)
    baseline_source = models.CharField(_("sumber data kondisi awal"), max_length=300, blank=True)
    # Why the baseline differs from the plan indicator's (required then; the panel sees it).
    baseline_note = models.TextField(
        _("penjelasan kondisi awal yang berbeda dari rencana"), blank=True, max_length=2000
    )
    end_target = models.DecimalField(
        _("target akhir"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        null=True,
        blank=True,
    )
    end_year = models.PositiveSmallIntegerField(_("tahun target akhir"), null=True, blank=True)
    # Earlier values for the trend, and the yearly trajectory: {"2019": "70.5", ...}; text
    # keeps every digit.
    history = models.JSONField(_("nilai tahun-tahun sebelumnya"), default=dict, blank=True)
    trajectory = models.JSONField(_("lintasan target tahunan"), default=dict, blank=True)

    class Meta:
        ordering = ["proposal", "pk"]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="scores")
    panelist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(max_digits=5, decimal_places=2)
    # Why this score, in a sentence; read by the rest of the panel once the scores are open.
    comment = models.CharField(_("komentar"), max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "panelist", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(condition=Q(value__gte=0, value__lte=100), name="score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.criterion_id}: {self.value}"


class Move(models.Model):
    """One move of the negotiation over an indicator's target. Never updated."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("Penawaran tim penilai")
        COUNTER = "counter", _("Penawaran balik")
        ACCEPT = "accept", _("Sanggup")
        REFUSE = "refuse", _("Tidak sanggup")

    # The negotiation over one indicator: its state is the kind of its last move ("none"
    # before the first). Moves are appended, never changed.
    NEGOTIATION = Workflow(
        what=_("negosiasi indikator"),
        states=[("none", _("Belum ada penawaran")), *Kind.choices],
        transitions={
            "offer": Transition(
                ("none", Kind.COUNTER),
                None,
                _("memberi penawaran"),
                hints={
                    s: _("Masih ada penawaran yang menunggu jawaban, atau negosiasi sudah selesai.")
                    for s in ("offer", "accept", "refuse")
                },
            ),
            "answer": Transition(
                (Kind.OFFER,),
                None,
                _("menjawab penawaran"),
                hints={
                    s: _("Tidak ada penawaran terbuka untuk dijawab.")
                    for s in ("none", "counter", "accept", "refuse")
                },
            ),
            "accept_counter": Transition(
                (Kind.COUNTER,),
                None,
                _("menerima penawaran balik"),
                hints={
                    s: _("Tidak ada penawaran balik untuk diterima.")
                    for s in ("none", "offer", "accept", "refuse")
                },
            ),
        },
    )

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(ProposedIndicator, on_delete=models.CASCADE, related_name="moves")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    justification = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "seq"], name="one_move_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} #{self.seq} {self.kind}"


class ContractTarget(models.Model):
    """An accepted target written into the unit's plan: the five-year contract's provenance."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(
        AuctionSession, on_delete=models.PROTECT, related_name="contract_targets"
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="contract_targets"
    )
    move = models.OneToOneField(Move, on_delete=models.PROTECT, related_name="contract_target")
    plan_indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="contract_targets"
    )
    written_at = models.DateTimeField(auto_now_add=True)
    # As decided: the baseline and the yearly path the contract prints (the plan holds the
    # same), and the offered years left alone because they were frozen, with the reason.
    # Empty on rows written before these were kept: the contract then reads the plan.
    baseline_value = models.DecimalField(
        _("nilai kondisi awal"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        null=True,
        blank=True,
    )
    baseline_year = models.PositiveSmallIntegerField(_("tahun kondisi awal"), null=True, blank=True)
    path = models.JSONField(default=dict, blank=True)
    left_alone = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["proposal", "pk"]

    def __str__(self) -> str:
        return f"{self.plan_indicator.code}: {self.move.value} ({self.move.year})"


class SupportingTable(models.Model):
    """A named table of breakdowns behind a proposal (e.g. pregnant women per kelurahan)."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(_("nama tabel"), max_length=200)
    columns = models.JSONField(default=list)
    rows = models.JSONField(default=list)  # cells as text, exactly as given
    source_filename = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "pk"]

    def __str__(self) -> str:
        return self.name


class Evidence(models.Model):
    """A file behind a proposal: PDF, image or workbook, its type checked by content."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "pk"]

    def __str__(self) -> str:
        return self.original_name
