"""Evaluation at the end of the cycle: the reward-and-punishment policy per year (and the
frozen results of a closed year), and the SAKIP worksheet, its evaluations and answers.

The worksheet is data: components, sub-components and criteria with their weights and
answer types, and the grade bounds, so a new regulation is a new worksheet.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import Government, Person, Unit
from kinerja.core.models import TenantChild
from kinerja.core.workflow import Transition, Workflow


class IncentivePolicy(models.Model):
    """A government's reward and punishment for one year. Closed years are frozen: their
    policy can no longer change and their results are read from the stored rows."""

    # The year's state is its closing date: open until closed, closed for good.
    WORKFLOW = Workflow(
        states=[("open", _("Terbuka")), ("closed", _("Ditutup"))],
        state=lambda p: "closed" if p.closed_at else "open",
        transitions={
            "edit": Transition(
                ("open",),
                None,
                _("mengubah kebijakan penghargaan dan sanksi"),
                hints={
                    "closed": _(
                        "Tahun ini sudah ditutup; kebijakan dan hasilnya tidak dapat diubah lagi."
                    )
                },
            ),
            "close": Transition(
                ("open",),
                None,
                _("menutup tahun penilaian"),
                hints={"closed": _("Tahun ini sudah ditutup.")},
            ),
        },
    )

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    performance_share = models.DecimalField(
        _("porsi kinerja dalam TPP (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(70),
        help_text=_("Sisanya porsi disiplin, mis. 70 berarti 70/30."),
    )
    warning_below = models.DecimalField(
        _("peringatan jika nilai di bawah"), max_digits=7, decimal_places=2, default=Decimal(75)
    )
    sanction_below = models.DecimalField(
        _("sanksi jika nilai di bawah"), max_digits=7, decimal_places=2, default=Decimal(60)
    )
    yearly_base_head = models.DecimalField(
        _("pagu TPP setahun kepala perangkat daerah (Rp)"),
        default=Decimal(0),
        max_digits=18,
        decimal_places=2,
    )
    yearly_base_other = models.DecimalField(
        _("pagu TPP setahun jabatan lain (Rp)"), default=Decimal(0), max_digits=18, decimal_places=2
    )
    # The performance share paid per employee's predicate, in percent: {"sangat_baik": "100",
    # "baik": "90", ...}. Empty: everyone in a unit is paid at the unit's factor (as before the
    # cascade to people); a person without a predicate is always paid at the unit's factor.
    predicate_factors = models.JSONField(
        _("faktor TPP kinerja per predikat"), default=dict, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["government", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["government", "year"], name="incentive_policy_year"),
            models.CheckConstraint(
                condition=Q(performance_share__gte=0) & Q(performance_share__lte=100),
                name="incentive_share_percent",
            ),
            models.CheckConstraint(
                condition=Q(sanction_below__lte=models.F("warning_below")),
                name="incentive_sanction_below_warning",
            ),
        ]
        verbose_name = _("kebijakan penghargaan dan sanksi")
        verbose_name_plural = _("kebijakan penghargaan dan sanksi")

    def __str__(self) -> str:
        return f"{self.government} {self.year}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class IncentiveBand(TenantChild):
    tenant_parent = "policy"
    policy = models.ForeignKey(IncentivePolicy, on_delete=models.CASCADE, related_name="bands")
    min_score = models.DecimalField(_("nilai mulai"), max_digits=7, decimal_places=2)
    factor = models.DecimalField(_("faktor TPP kinerja (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["policy", "-min_score"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "min_score"], name="incentive_band_unique"),
            models.CheckConstraint(
                condition=Q(factor__gte=0) & Q(factor__lte=100), name="incentive_factor_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"≥ {self.min_score}: {self.factor}%"


class UnitScore(models.Model):
    """A unit's result in a closed year, stored when the year is closed."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    policy = models.ForeignKey(IncentivePolicy, on_delete=models.PROTECT, related_name="scores")
    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(null=True, max_digits=9, decimal_places=4)
    rank = models.PositiveSmallIntegerField(null=True)
    indicators = models.PositiveIntegerField(default=0)
    factor = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    consequence = models.CharField(max_length=14)

    class Meta:
        ordering = ["year", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "unit"], name="unit_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.score}"


class PersonAllowance(models.Model):
    """A position holder's allowance in a closed year, stored when the year is closed."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    policy = models.ForeignKey(IncentivePolicy, on_delete=models.PROTECT, related_name="allowances")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    position_title = models.CharField(max_length=200)
    days_held = models.PositiveSmallIntegerField()
    base = models.DecimalField(max_digits=18, decimal_places=2)
    performance_part = models.DecimalField(max_digits=18, decimal_places=2)
    discipline_part = models.DecimalField(max_digits=18, decimal_places=2)
    predicate = models.CharField(max_length=20, blank=True)
    factor = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["unit", "position_title"]

    def __str__(self) -> str:
        return f"{self.position_title} {self.person}"


class SakipWorksheet(models.Model):
    """An evaluation worksheet (LKE) as data. A worksheet used by a final evaluation is no
    longer edited: copy it and edit the copy."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")

    class Level(models.TextChoices):
        GOVERNMENT = "government", _("Pemerintah daerah")
        UNIT = "unit", _("Perangkat daerah")

    name = models.CharField(_("nama"), max_length=200)
    regulation = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    # Who it evaluates: the government itself, or its units (each with its own worksheet).
    level = models.CharField(
        _("tingkat"), max_length=10, choices=Level.choices, default=Level.GOVERNMENT
    )
    # [["AA", "90"], ["A", "80"], ...]: the score a grade must exceed; below the last: D.
    grade_bounds = models.JSONField(_("batas predikat"), default=list)

    class Method(models.TextChoices):
        MEAN = "mean", _("Rata-rata nilai kriteria × bobot subkomponen")
        PREDICATE = "predicate", _("Predikat subkomponen (AA–D) × bobot subkomponen")

    scoring_method = models.CharField(
        _("metode penilaian"), max_length=10, choices=Method.choices, default=Method.MEAN
    )
    # {"yes_no": {"Y": "1", "T": "0"}, "a_e": {"A": "1", ...}}; empty: the regulation's.
    answer_values = models.JSONField(_("nilai jawaban"), default=dict, blank=True)
    # Under the predicate method, the least answer value that fulfils a criterion (empty: the
    # highest value of its answer type).
    fulfilled_from = models.DecimalField(
        _("kriteria terpenuhi mulai nilai"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    # Consistency rules (kerangka logis): [["1.b.3", "1.a.3"], ...], a criterion that may not
    # be valued above its prerequisite, each named by its code.
    rules = models.JSONField(_("aturan kerangka logis"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["government", "-created_at"]
        verbose_name = _("lembar kerja evaluasi SAKIP")
        verbose_name_plural = _("lembar kerja evaluasi SAKIP")

    def __str__(self) -> str:
        return self.name


class SakipComponent(TenantChild):
    tenant_parent = "worksheet"
    worksheet = models.ForeignKey(
        SakipWorksheet, on_delete=models.CASCADE, related_name="components"
    )
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.CharField(_("komponen"), max_length=200)
    weight = models.DecimalField(_("bobot"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["worksheet", "number"]
        constraints = [
            models.UniqueConstraint(fields=["worksheet", "number"], name="sakip_component_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class SakipSubComponent(TenantChild):
    tenant_parent = "component"

    class Kind(models.TextChoices):
        FULFILMENT = "fulfilment", _("Pemenuhan")
        QUALITY = "quality", _("Kualitas")
        USE = "use", _("Pemanfaatan")

    component = models.ForeignKey(
        SakipComponent, on_delete=models.CASCADE, related_name="subcomponents"
    )
    number = models.PositiveSmallIntegerField(_("nomor"))
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    weight = models.DecimalField(_("bobot (% komponen)"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["component", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["component", "number"], name="sakip_subcomponent_number"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class SakipCriterion(TenantChild):
    tenant_parent = "subcomponent"

    class AnswerType(models.TextChoices):
        YES_NO = "yes_no", _("Ya/Tidak")
        A_TO_E = "a_e", _("A–E")

    subcomponent = models.ForeignKey(
        SakipSubComponent, on_delete=models.CASCADE, related_name="criteria"
    )
    number = models.PositiveSmallIntegerField(_("nomor"))
    text = models.TextField(_("kriteria"))
    answer_type = models.CharField(
        _("jenis jawaban"), max_length=8, choices=AnswerType.choices, default=AnswerType.YES_NO
    )

    class Meta:
        ordering = ["subcomponent", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["subcomponent", "number"], name="sakip_criterion_number"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def code(self) -> str:
        """Its code in the worksheet: component, sub-component letter, number ("1.b.3")."""
        sub = self.subcomponent
        return f"{sub.component.number}.{'abcdefghij'[sub.number - 1]}.{self.number}"


class SakipTier(models.Model):
    """One tier of the evaluators' review (verifier, quality assurer, final assessor…), in the
    order the government configures; the last tier's answers are the final ones."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField(_("urutan"))
    name = models.CharField(_("nama tingkat"), max_length=80)

    class Meta:
        ordering = ["government", "number"]
        constraints = [
            models.UniqueConstraint(fields=["government", "number"], name="sakip_tier_number")
        ]
        verbose_name = _("tingkat penilai SAKIP")
        verbose_name_plural = _("tingkat penilai SAKIP")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class SakipTierMember(TenantChild):
    """An evaluator of one tier; nobody sits in two tiers."""

    tenant_parent = "tier"
    tier = models.ForeignKey(SakipTier, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["government", "user"], name="sakip_tier_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.tier}: {self.user_id}"


class SakipEvaluation(models.Model):
    """The evaluation of the government (no unit) or of one unit for a year, in stages: the
    self-assessment (stage 0: the unit, or the planners for the government) and then each
    tier of evaluators in turn (stage 1, 2, …); the last tier finalises."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Sedang dinilai")
        FINAL = "final", _("Final")

    WORKFLOW = Workflow(
        states=Status.choices,
        transitions={
            "answer": Transition(
                (Status.DRAFT,),
                None,
                _("mengisi lembar kerja evaluasi"),
                hints={Status.FINAL: _("Evaluasi sudah final; jawabannya tidak diubah lagi.")},
            ),
            "submit": Transition(
                (Status.DRAFT,),
                None,
                _("meneruskan evaluasi ke tahap berikutnya"),
                hints={Status.FINAL: _("Evaluasi sudah final.")},
            ),
            "finalize": Transition(
                (Status.DRAFT,),
                Status.FINAL,
                _("menetapkan hasil evaluasi"),
                hints={Status.FINAL: _("Evaluasi sudah final.")},
            ),
        },
    )

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    worksheet = models.ForeignKey(
        SakipWorksheet, on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    # 0: the self-assessment; k: tier k of `tier_names` (the tiers when it was opened).
    stage = models.PositiveSmallIntegerField(_("tahap"), default=0)
    tier_names = models.JSONField(_("tingkat penilai"), default=list)
    # Under the predicate method, the qualifier each stage gave a fully met sub-component
    # ("A": documents kept a year / a commendable effort; "AA": five years / a national
    # model): {"<stage>": {"<sub-component id>": "AA"}}.
    qualifiers = models.JSONField(_("kualifikasi subkomponen"), default=dict, blank=True)
    self_score = models.DecimalField(null=True, blank=True, max_digits=9, decimal_places=4)
    score = models.DecimalField(null=True, blank=True, max_digits=9, decimal_places=4)
    grade = models.CharField(max_length=4, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year", "unit__kind", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "year", "unit"], name="sakip_evaluation_unique"
            ),
            models.UniqueConstraint(
                fields=["government", "year"],
                condition=Q(unit__isnull=True),
                name="sakip_government_evaluation_unique",
            ),
        ]
        verbose_name = _("evaluasi SAKIP")
        verbose_name_plural = _("evaluasi SAKIP")

    def __str__(self) -> str:
        who = self.unit.name if self.unit_id and self.unit else self.government.name
        return f"SAKIP {self.year} {who}"

    @property
    def last_stage(self) -> int:
        return len(self.tier_names)

    def stage_name(self, stage: int | None = None) -> str:
        stage = self.stage if stage is None else stage
        if stage == 0:
            return str(_("Penilaian mandiri"))
        if 0 < stage <= len(self.tier_names):
            return str(self.tier_names[stage - 1])
        return str(stage)


class SakipAnswer(TenantChild):
    tenant_parent = "evaluation"
    evaluation = models.ForeignKey(
        SakipEvaluation, on_delete=models.CASCADE, related_name="answers"
    )
    criterion = models.ForeignKey(SakipCriterion, on_delete=models.PROTECT, related_name="+")
    # The stage it was given at: 0 the self-assessment, k the k-th tier's.
    stage = models.PositiveSmallIntegerField(default=0)
    answer = models.CharField(_("jawaban"), max_length=2)
    note = models.TextField(_("catatan"), blank=True)
    evidence_links = models.TextField(_("tautan bukti"), blank=True)  # one per line
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion", "stage"], name="sakip_answer_stage_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}@{self.stage}: {self.answer}"

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]


class SakipAnswerChange(TenantChild):
    """Every change of an answer, with its note: who changed what from what, at which stage.
    Kept for good; the evaluation's history is read from here."""

    tenant_parent = "evaluation"
    evaluation = models.ForeignKey(
        SakipEvaluation, on_delete=models.CASCADE, related_name="changes"
    )
    criterion = models.ForeignKey(SakipCriterion, on_delete=models.PROTECT, related_name="+")
    stage = models.PositiveSmallIntegerField()
    before = models.CharField(max_length=2, blank=True)
    after = models.CharField(max_length=2, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evaluation", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.criterion_id}@{self.stage}: {self.before}→{self.after}"


class EvidenceDocument(models.Model):
    """A document kept as evidence for the evaluation, typed and dated by year, so the next
    evaluation finds it: a file uploaded (type checked by its content) or a document of
    Kinerja itself (a signed agreement, the LKjIP, the plan matrix) by its address."""

    class Kind(models.TextChoices):
        RPJPD = "rpjpd", "RPJPD"
        RPJMD = "rpjmd", "RPJMD"
        RENSTRA = "renstra", "Renstra"
        IKU = "iku", "IKU"
        RKT = "rkt", _("RKT / Renja")
        PK = "pk", _("Perjanjian Kinerja")
        ACTION_PLAN = "rencana_aksi", _("Rencana aksi")
        CONTRACT = "kontrak", _("Kontrak kinerja")
        MONITORING = "monev", _("Laporan pemantauan")
        LKJIP = "lkjip", "LKjIP"
        LHE = "lhe", "LHE"
        DECREE = "sk", _("Surat keputusan")
        OTHER = "lain", _("Lainnya")

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    kind = models.CharField(_("jenis dokumen"), max_length=14, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=200)
    # Either a stored file…
    file = models.FileField(upload_to="sakip-evidence/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # …or a document of Kinerja, by its address inside Kinerja ("/perjanjian/12/").
    url = models.CharField(_("alamat di Kinerja"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["government", "-year", "kind", "title"]
        verbose_name = _("dokumen bukti")
        verbose_name_plural = _("dokumen bukti")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.title}"


class SakipEvidence(TenantChild):
    """An evidence document offered for one criterion of one evaluation."""

    tenant_parent = "evaluation"
    evaluation = models.ForeignKey(
        SakipEvaluation, on_delete=models.CASCADE, related_name="evidence"
    )
    criterion = models.ForeignKey(SakipCriterion, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(EvidenceDocument, on_delete=models.PROTECT, related_name="uses")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["criterion", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion", "document"], name="sakip_evidence_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.document_id}"


class LheReport(models.Model):
    """The evaluation's report (Laporan Hasil Evaluasi): findings and recommendations per
    component, drafted from the final scores, edited by the inspectorate, issued as a signed
    PDF. Its recommendations are followed up by the evaluated party and read by the next
    year's evaluation."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        ISSUED = "issued", _("Diterbitkan")

    WORKFLOW = Workflow(
        what=_("LHE"),
        states=Status.choices,
        transitions={
            "edit": Transition(
                (Status.DRAFT,),
                None,
                _("mengubah LHE"),
                hints={Status.ISSUED: _("LHE sudah diterbitkan; terbitkan versi baru bila perlu.")},
            ),
            "issue": Transition((Status.DRAFT,), Status.ISSUED, _("menerbitkan LHE")),
        },
    )

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    evaluation = models.OneToOneField(SakipEvaluation, on_delete=models.PROTECT, related_name="lhe")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("simpulan"), blank=True)
    document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("laporan hasil evaluasi (LHE)")
        verbose_name_plural = _("laporan hasil evaluasi (LHE)")

    def __str__(self) -> str:
        return f"LHE {self.evaluation}"


class LheRecommendation(TenantChild):
    """One finding with its recommendation, for one component (or the evaluation as a whole),
    and its follow-up (tindak lanjut): status, what was done, evidence, date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Belum ditindaklanjuti")
        IN_PROGRESS = "in_progress", _("Dalam proses")
        DONE = "done", _("Selesai")

    tenant_parent = "report"
    report = models.ForeignKey(LheReport, on_delete=models.CASCADE, related_name="items")
    component = models.ForeignKey(
        SakipComponent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("nomor"))
    finding = models.TextField(_("catatan hasil evaluasi"))
    recommendation = models.TextField(_("rekomendasi"))
    status = models.CharField(
        _("status tindak lanjut"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    follow_up = models.TextField(_("uraian tindak lanjut"), blank=True)
    evidence = models.ForeignKey(
        EvidenceDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bukti tindak lanjut"),
    )
    followed_on = models.DateField(_("tanggal tindak lanjut"), null=True, blank=True)
    followed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="lhe_item_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.recommendation[:60]}"


class LkjipAnalysis(models.Model):
    """What the unit (or the planners, for the government's indicators) writes in the LKjIP
    about one indicator's result in a year: the causes of success or failure, the measures
    taken, and a national figure to compare with."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey("planning.Indicator", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    causes = models.TextField(_("penyebab keberhasilan atau kegagalan"), blank=True)
    measures = models.TextField(_("upaya yang dilakukan dan langkah perbaikan"), blank=True)
    national_value = models.DecimalField(
        _("capaian nasional (pembanding)"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    national_source = models.CharField(_("sumber angka nasional"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="lkjip_analysis_once")
        ]
        verbose_name = _("analisis capaian LKjIP")
        verbose_name_plural = _("analisis capaian LKjIP")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}"
