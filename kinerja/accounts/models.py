"""Governments (the tenants), their units, people, positions and users with scoped roles."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.core.imports import KeptUpload, kept_upload_workflow
from kinerja.core.models import TenantChild


class Government(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("Kota")
        REGENCY = "regency", _("Kabupaten")

    name = models.CharField(_("nama"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    province = models.CharField(_("provinsi"), max_length=100)
    # Place name printed on documents ("Malang, 15 Januari 2019").
    seat = models.CharField(_("ibu kota/tempat"), max_length=100, blank=True)
    # The government's own calendar (kinerja.planning.calendar): empty means "from today's
    # date": the current year is the year in progress, the reporting year the one before.
    # Never derived from the figures entered.
    current_year = models.PositiveSmallIntegerField(_("tahun berjalan"), null=True, blank=True)
    reporting_year = models.PositiveSmallIntegerField(_("tahun pelaporan"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("pemerintah daerah")
        verbose_name_plural = _("pemerintah daerah")

    def __str__(self) -> str:
        return self.name

    @property
    def head_title(self) -> str:
        return str(_("Wali Kota")) if self.kind == self.Kind.CITY else str(_("Bupati"))

    def head_of_region(self, on: datetime.date | None = None) -> PositionAssignment | None:
        """Who holds the head-of-region position on that date (today by default)."""
        position = self.positions.filter(kind=Position.Kind.HEAD_OF_REGION).first()
        return position.holder_on(on) if position else None


class Unit(models.Model):
    """A unit that receives a mandate: an agency (dinas, badan), a district or a section."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Dinas/Badan")
        DISTRICT = "district", _("Kecamatan")
        SECRETARIAT = "secretariat", _("Sekretariat/Bagian")

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="units")
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    code = models.CharField(_("kode"), max_length=30)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["government", "code"], name="unit_code_unique"),
            models.UniqueConstraint(fields=["government", "name"], name="unit_name_unique"),
        ]
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.parent and self.parent.government_id != self.government_id:
            raise ValidationError({"parent": _("Induk harus dari pemerintah daerah yang sama.")})

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def head(self, on: datetime.date | None = None) -> PositionAssignment | None:
        position = self.positions.filter(kind=Position.Kind.UNIT_HEAD).first()
        return position.holder_on(on) if position else None


class SubUnit(models.Model):
    """A part of a unit: its secretariat and divisions (bidang), their sections (seksi,
    subbagian), a technical unit (UPT). Each is headed by an administrator (eselon III) or a
    supervisor (eselon IV), whose post is a Position on it."""

    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("Sekretariat")
        DIVISION = "division", _("Bidang")
        SUBDIVISION = "subdivision", _("Subbagian")
        SECTION = "section", _("Seksi")
        UPT = "upt", _("UPT")
        OTHER = "other", _("Lainnya")

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="sub_units")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("nama"), max_length=200)

    class Meta:
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                condition=Q(parent__isnull=True),
                name="sub_unit_top_name_unique",
            ),
            models.UniqueConstraint(
                fields=["parent", "name"],
                condition=Q(parent__isnull=False),
                name="sub_unit_child_name_unique",
            ),
        ]
        verbose_name = _("sub unit kerja")
        verbose_name_plural = _("sub unit kerja")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.parent and self.parent.unit_id != self.unit_id:
            raise ValidationError(
                _("Induk sub unit harus dari perangkat daerah yang sama."),
                code="sub_unit_induk_unit_sama",
            )


NIP_LENGTH = 18


class Person(models.Model):
    """A civil servant or official; may or may not have a user account.

    A civil servant is known by the 18-digit NIP of the personnel system (SIASN/SIMPEG); the
    head of region and the deputy have none. `superior` is set only where the unit's tree does
    not tell who the person's superior is (kinerja.accounts.personnel.Organisation)."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("nama lengkap dan gelar"), max_length=200)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    rank = models.CharField(_("pangkat/golongan"), max_length=100, blank=True)
    superior = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("atasan langsung (bila struktur tidak menentukan)"),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "nip"], condition=~Q(nip=""), name="person_nip_unique"
            )
        ]
        verbose_name = _("pegawai/pejabat")
        verbose_name_plural = _("pegawai/pejabat")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.nip and not (self.nip.isdigit() and len(self.nip) == NIP_LENGTH):
            raise ValidationError({"nip": _("NIP terdiri atas 18 angka.")}, code="nip_18_angka")
        if self.superior_id and self.superior_id == self.pk:
            raise ValidationError(
                {"superior": _("Seseorang tidak dapat menjadi atasannya sendiri.")},
                code="atasan_diri_sendiri",
            )


class Position(models.Model):
    """An office: head of region, regional secretary, head of a unit, ...

    Government-level positions have no unit. Who held it on a date is answered by its
    assignments, so that documents are signed by the holder on the day.
    """

    class Kind(models.TextChoices):
        HEAD_OF_REGION = "head_of_region", _("Kepala Daerah")
        DEPUTY_HEAD = "deputy_head", _("Wakil Kepala Daerah")
        REGIONAL_SECRETARY = "regional_secretary", _("Sekretaris Daerah")
        UNIT_HEAD = "unit_head", _("Kepala Perangkat Daerah")
        ADMINISTRATOR = "administrator", _("Pejabat Administrator (eselon III)")
        SUPERVISOR = "supervisor", _("Pejabat Pengawas (eselon IV)")
        FUNCTIONAL = "functional", _("Jabatan Fungsional")
        EXECUTOR = "executor", _("Pelaksana")
        OTHER = "other", _("Jabatan lain")

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="positions")
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="positions"
    )
    sub_unit = models.ForeignKey(
        SubUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("sub unit kerja"),
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("nama jabatan"), max_length=200)
    echelon = models.CharField(_("eselon"), max_length=6, blank=True)

    class Meta:
        ordering = ["government", "unit", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "kind"],
                condition=Q(unit__isnull=True) & ~Q(kind="other"),
                name="one_government_position_per_kind",
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(kind="unit_head"),
                name="one_head_position_per_unit",
            ),
            # A sub-unit has one head: its administrator or its supervisor.
            models.UniqueConstraint(
                fields=["sub_unit"],
                condition=Q(kind__in=["administrator", "supervisor"]),
                name="one_head_position_per_sub_unit",
            ),
        ]
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")

    def __str__(self) -> str:
        return self.title

    @property
    def is_structural(self) -> bool:
        return self.kind in STRUCTURAL_KINDS

    def clean(self) -> None:
        if self.sub_unit_id and self.sub_unit and self.sub_unit.unit_id != self.unit_id:
            raise ValidationError(
                {"sub_unit": _("Sub unit harus dari perangkat daerah jabatan ini.")},
                code="sub_unit_unit_jabatan",
            )

    def holder_on(self, on: datetime.date | None = None) -> PositionAssignment | None:
        """The assignment in force on that date; a definitive holder wins over an acting one."""
        on = on or timezone.localdate()
        candidates = [a for a in self.assignments.select_related("person") if a.covers(on)]
        candidates.sort(key=lambda a: (a.acting != PositionAssignment.Acting.DEFINITIVE, a.start))
        return candidates[0] if candidates else None


STRUCTURAL_KINDS = {
    Position.Kind.HEAD_OF_REGION,
    Position.Kind.DEPUTY_HEAD,
    Position.Kind.REGIONAL_SECRETARY,
    Position.Kind.UNIT_HEAD,
    Position.Kind.ADMINISTRATOR,
    Position.Kind.SUPERVISOR,
}


class PositionAssignment(TenantChild):
    tenant_parent = "position"

    class Acting(models.TextChoices):
        DEFINITIVE = "definitive", _("Definitif")
        PLT = "plt", _("Plt. (Pelaksana Tugas)")
        PLH = "plh", _("Plh. (Pelaksana Harian)")

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assignments")
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"), null=True, blank=True)
    acting = models.CharField(
        _("status"), max_length=12, choices=Acting.choices, default=Acting.DEFINITIVE
    )

    class Meta:
        ordering = ["position", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="assignment_end_after_start",
            )
        ]
        verbose_name = _("penugasan jabatan")
        verbose_name_plural = _("penugasan jabatan")

    def __str__(self) -> str:
        prefix = {self.Acting.PLT: "Plt. ", self.Acting.PLH: "Plh. "}.get(self.acting, "")  # type: ignore[call-overload]
        return f"{prefix}{self.position.title}: {self.person.name}"

    def covers(self, on: datetime.date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
        if (
            self.person_id
            and self.position_id
            and self.person.government_id != self.position.government_id
        ):
            raise ValidationError(
                _("Pejabat dan jabatan harus dari pemerintah yang sama."),
                code="pejabat_jabatan_pemerintah_sama",
            )


class PersonnelImport(KeptUpload):
    """An uploaded personnel spreadsheet (SIASN/SIMPEG export), kept between the preview and
    the confirmation (kinerja.accounts.personnel)."""

    WORKFLOW = kept_upload_workflow(_("impor data pegawai"))

    on = models.DateField(_("berlaku per tanggal"))

    class Meta(KeptUpload.Meta):
        pass


class User(AbstractUser):
    """A sign-in account. Belongs to exactly one government (except platform superusers)."""

    government = models.ForeignKey(
        Government, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    person = models.OneToOneField(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="user"
    )

    class NoticeMail(models.TextChoices):
        IMMEDIATE = "immediate", _("Segera, satu e-mail per pemberitahuan")
        DAILY = "daily", _("Ringkasan harian, setiap pagi")
        OFF = "off", _("Tidak usah; cukup di Kinerja")

    notice_mail = models.CharField(
        _("e-mail pemberitahuan"),
        max_length=10,
        choices=NoticeMail.choices,
        default=NoticeMail.IMMEDIATE,
    )
    # Set when a planner issued a temporary password: every page leads to changing it first.
    must_change_password = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    @property
    def display_name(self) -> str:
        if self.person_id and self.person:
            return self.person.name
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    PLANNER = "planner", _("Staf perencanaan (admin)")
    HEAD_OF_REGION = "head_of_region", _("Kepala daerah")
    REGIONAL_SECRETARY = "regional_secretary", _("Sekretaris daerah")
    PANEL_MEMBER = "panel_member", _("Tim penilai")
    UNIT_HEAD = "unit_head", _("Kepala perangkat daerah")
    UNIT_OPERATOR = "unit_operator", _("Operator perangkat daerah")
    INSPECTOR = "inspector", _("Inspektorat")
    # A civil servant below the unit head: signs their own agreement, writes their SKP. Their
    # unit comes from their post (kinerja.accounts.personnel), not from the role.
    EMPLOYEE = "employee", _("Pegawai")


UNIT_SCOPED_ROLES = {Role.UNIT_HEAD, Role.UNIT_OPERATOR}


class RoleAssignment(TenantChild):
    """A role held by a user; unit head and unit operator are scoped to one unit."""

    tenant_parent = "user"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("peran"), max_length=24, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="role_unique"),
            models.CheckConstraint(
                condition=(
                    Q(role__in=["unit_head", "unit_operator"], unit__isnull=False)
                    | (~Q(role__in=["unit_head", "unit_operator"]) & Q(unit__isnull=True))
                ),
                name="role_unit_scope",
            ),
        ]
        verbose_name = _("peran pengguna")
        verbose_name_plural = _("peran pengguna")

    def __str__(self) -> str:
        label = Role(self.role).label
        return f"{label} ({self.unit})" if self.unit_id else str(label)

    def clean(self) -> None:
        if self.unit and self.user_id and self.unit.government_id != self.user.government_id:
            raise ValidationError(
                _("Unit harus dari pemerintah daerah pengguna."),
                code="unit_pemerintah_daerah_pengguna",
            )


class LoginAttempt(models.Model):
    """Sign-in attempts, kept for throttling and for the security audit."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        outcome = "ok" if self.succeeded else "gagal"
        return f"{self.username} {outcome} {self.at:%Y-%m-%d %H:%M}"


class LoginThrottleKey(models.Model):
    """One row per (username, address) pair that tried to sign in: locked while an attempt is
    counted, so that parallel attempts are counted one after another (never past the limit)."""

    key = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return self.key


class ApiToken(models.Model):
    """A personal token for the REST API. Only its SHA-256 is stored: the token itself is
    shown once, when it is created. A token acts as its user, with that user's roles."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama token"), max_length=100)
    # The first characters, shown in lists so that a user tells their tokens apart.
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Notice(models.Model):
    """Something that happened to a person's work, for them to read in Kinerja and, by their
    choice, by e-mail at once or in the morning's digest."""

    class Kind(models.TextChoices):
        RETURNED = "returned", _("Realisasi dikembalikan")
        SIGN_WAITING = "sign_waiting", _("Menunggu tanda tangan Anda")
        SIGNED = "signed", _("Ditandatangani pihak lain")
        OFFER = "offer", _("Penawaran tim penilai")
        AUCTION_OPEN = "auction_open", _("Lelang Kinerja dibuka")
        LATE = "late", _("Realisasi terlambat")
        SAKIP_STAGE = "sakip_stage", _("Evaluasi SAKIP")
        FOLLOW_UP = "follow_up", _("Tindak lanjut rekomendasi LHE")
        SKP = "skp", _("SKP")

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title
