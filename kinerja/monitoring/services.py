"""Writes of monitoring: entering, submitting, verifying, returning and correcting a
realisation, its evidence, the government's policy and the reminders. Each is one
transaction, checks who may do it, refuses a wrong state in Indonesian, and is audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.access import has_role
from kinerja.accounts.models import Government, Notice, Role, Unit, User
from kinerja.accounts.notices import notify
from kinerja.core.audit import event, record, snapshot
from kinerja.core.models import AuditEvent
from kinerja.core.uploads import store_evidence
from kinerja.monitoring import achievement as calc
from kinerja.monitoring import figures, selectors
from kinerja.monitoring.access import require_reporter, require_reviewer
from kinerja.monitoring.models import MonitoringPolicy, Realisation, RealisationEvidence, Reminder
from kinerja.planning.models import VALUE_DIGITS, VALUE_PLACES, Indicator, IndicatorTarget

QUANTUM = Decimal(1).scaleb(-VALUE_PLACES)
# --- entering a figure -----------------------------------------------------------------


def _check_fits(value: Decimal | None) -> None:
    """A figure the database stores exactly: at most VALUE_PLACES decimals and
    VALUE_DIGITS digits in all (a form checks this too; the API and imports rely on it)."""
    if value is None:
        return
    if not value.is_finite():
        raise ValidationError(_("Bukan angka."), code="bukan_angka")
    _sign, digits, exponent = value.normalize().as_tuple()
    places = max(0, -int(exponent))
    whole = max(0, len(digits) + int(exponent))
    if places > VALUE_PLACES:
        raise ValidationError(
            _("Paling banyak %(places)s angka di belakang koma."),
            code="paling_banyak_angka_belakang",
            params={"places": VALUE_PLACES},
        )
    if whole > VALUE_DIGITS - VALUE_PLACES:
        raise ValidationError(_("Angka terlalu besar."), code="angka_terlalu_besar")


def _figure(
    indicator: Indicator,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
) -> tuple[Decimal, Decimal | None, Decimal | None, Decimal | None]:
    """(value, numerator, denominator, scale) from what was entered, or a refusal."""
    for entered in (value, numerator, denominator):
        _check_fits(entered)
    if numerator is not None or denominator is not None:
        scale = calc.rate_scale(indicator.unit_of_measure)
        if scale is None:
            raise ValidationError(
                _("Indikator ini bukan rasio (satuan %(unit)s): isikan nilainya langsung."),
                code="indikator_bukan_rasio_satuan",
                params={"unit": indicator.unit_of_measure},
            )
        if numerator is None or denominator is None:
            raise ValidationError(
                _("Isikan pembilang dan penyebut sekaligus."),
                code="isikan_pembilang_penyebut_sekaligus",
            )
        if denominator == 0:
            raise ValidationError(_("Penyebut tidak boleh nol."), code="penyebut_tidak_boleh_nol")
        if numerator < 0 or denominator < 0:
            raise ValidationError(
                _("Pembilang dan penyebut tidak boleh negatif."),
                code="pembilang_penyebut_tidak_boleh",
            )
        computed = calc.rate(numerator, denominator, scale)
        assert computed is not None
        if value is not None and abs(value - computed) > Decimal("0.01"):
            raise ValidationError(
                _(
                    "Nilai yang diisikan (%(value)s) tidak sama dengan pembilang/penyebut "
                    "(%(computed)s). Kosongkan nilai agar dihitung otomatis."
                ),
                code="nilai_diisikan_tidak_sama",
                params={"value": value, "computed": computed.quantize(Decimal("0.0001"))},
            )
        return computed.quantize(QUANTUM), numerator, denominator, Decimal(scale)
    if value is None:
        raise ValidationError(
            _("Isikan nilai realisasi (atau pembilang dan penyebutnya)."),
            code="isikan_nilai_realisasi_pembilang",
        )
    return value, None, None, None


def _lock_figures(indicators: Iterable[Indicator]) -> None:
    """New markers for the units whose figures this transaction writes, taken first: the
    marker row is also the unit's write lock, so writers of one unit's figures queue in one
    order (marker, then figure) and two entering the same period at once never both insert
    it, nor deadlock (kinerja.monitoring.figures)."""
    by_government: dict[int, set[int]] = {}
    for i in indicators:
        scope = figures.scope_of(i.objective.unit_id, i.responsible_unit_id)
        by_government.setdefault(i.government_id, set()).add(scope)
    for government_id, scopes in sorted(by_government.items()):
        figures.bump(government_id, scopes)


def _check_period(indicator: Indicator, year: int, period: int, today: datetime.date) -> int:
    per_year = selectors.periods_in_year(indicator)
    if not 1 <= period <= per_year:
        raise ValidationError(
            _("Periode tidak dikenal untuk indikator ini."), code="periode_tidak_dikenal_indikator"
        )
    if not 1900 <= year <= 2200:
        raise ValidationError(_("Tahun tidak masuk akal."), code="tahun_tidak_masuk_akal")
    if selectors.period_start(year, period, per_year) > today:
        raise ValidationError(
            _("Periode ini belum dimulai; realisasinya belum dapat diisi."),
            code="periode_belum_dimulai_realisasinya",
        )
    return per_year


@transaction.atomic
def realisation_save(
    *,
    indicator: Indicator,
    year: int,
    period: int,
    by: User,
    value: Decimal | None = None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    note: str = "",
    evidence: Sequence[tuple[bytes, str]] = (),
    today: datetime.date | None = None,
) -> Realisation:
    """Enter or change the figure of a period as a draft, with its evidence files (data,
    filename) in the same step: all or nothing. A submitted figure waits for its review; a
    verified one is locked (correct it with `realisation_correct`)."""
    require_reporter(by, indicator)
    _lock_figures([indicator])
    per_year = _check_period(indicator, year, period, today or timezone.localdate())
    figure, num, den, scale = _figure(indicator, value, numerator, denominator)
    current = (
        Realisation.objects.select_for_update()
        .filter(indicator=indicator, year=year, period=period, is_current=True)
        .first()
    )
    if current is not None:
        current.indicator = indicator  # in hand: the audit row and the markers read it
        Realisation.WORKFLOW.apply(
            current,
            "edit",
            by=by,
            action="realisation.update",
            changes={
                "value": figure,
                "numerator": num,
                "denominator": den,
                "scale": scale,
                "note": note.strip(),
                "entered_by": by,
            },
        )
        for data, filename in evidence:
            evidence_add(realisation=current, data=data, filename=filename, by=by)
        return current
    realisation = Realisation.objects.create(
        government_id=indicator.government_id,
        indicator=indicator,
        year=year,
        periods_in_year=per_year,
        period=period,
        value=figure,
        numerator=num,
        denominator=den,
        scale=scale,
        note=note.strip(),
        entered_by=by,
    )
    record(
        actor=by,
        action="realisation.create",
        obj=realisation,
        before=None,
        after=snapshot(realisation),
    )
    for data, filename in evidence:
        evidence_add(realisation=realisation, data=data, filename=filename, by=by)
    return realisation


@dataclass(frozen=True)
class FigureEntry:
    """One figure of a bulk entry (a workbook row): where it came from, for the messages."""

    indicator: Indicator
    period: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    note: str
    row: int
    label: str


EDITED_FIELDS = ["value", "numerator", "denominator", "scale", "note", "entered_by", "status"]


def _update_rows(rows: list[Realisation], names: list[str]) -> None:
    """One UPDATE statement sent for many rows (Django's bulk_update builds a CASE per field
    and row, which costs seconds for thousands of rows)."""
    if not rows:
        return
    fields: list[Any] = [Realisation._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(Realisation._meta.db_table)} SET {assignments} WHERE id = %s"  # noqa: S608 - names from the model
    params = [
        [f.get_db_prep_save(getattr(r, f.attname), connection) for f in fields] + [r.pk]
        for r in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


@transaction.atomic
def realisations_save_many(
    *, year: int, entries: Sequence[FigureEntry], by: User, today: datetime.date | None = None
) -> int:
    """Enter or change many figures as drafts, all or nothing (a workbook upload): each
    checked as `realisation_save` checks one (who, the period, the figure, a draft or
    returned figure only), then written in bulk: the current versions locked in one query,
    new figures inserted and changed drafts updated in batches, one audit row per figure, the
    units' figures marked once. A refusal names the entry's row and label."""
    today = today or timezone.localdate()
    now = timezone.now()
    indicators = {e.indicator.pk: e.indicator for e in entries}
    for indicator in indicators.values():
        require_reporter(by, indicator)
    _lock_figures(indicators.values())
    locked = {
        (r.indicator_id, r.period): r
        for r in Realisation.objects.select_for_update().filter(
            government_id=by.government_id or 0,
            indicator_id__in=indicators,
            year=year,
            is_current=True,
        )
    }
    created: list[Realisation] = []
    edited: list[tuple[Realisation, dict[str, Any]]] = []
    for e in entries:
        try:
            per_year = _check_period(e.indicator, year, e.period, today)
            figure, num, den, scale = _figure(e.indicator, e.value, e.numerator, e.denominator)
            current = locked.get((e.indicator.pk, e.period))
            if current is not None:
                Realisation.WORKFLOW.check(current, "edit")
        except ValidationError as exc:
            raise ValidationError(
                _("Baris %(row)s (%(label)s): %(value)s"),
                code="baris",
                params={"row": e.row, "label": e.label, "value": " ".join(exc.messages)},
            ) from exc
        fields: dict[str, Any] = {
            "value": figure,
            "numerator": num,
            "denominator": den,
            "scale": scale,
            "note": e.note.strip(),
            "entered_by": by,
        }
        if current is None:
            created.append(
                Realisation(
                    government_id=e.indicator.government_id,
                    indicator=e.indicator,
                    year=year,
                    periods_in_year=per_year,
                    period=e.period,
                    **fields,
                )
            )
        else:
            current.indicator = e.indicator
            edited.append((current, fields))
    events: list[AuditEvent] = []
    for current, fields in edited:
        before = snapshot(current)
        for name, value in {**fields, "status": Realisation.Status.DRAFT}.items():
            setattr(current, name, value)
        current.updated_at = now
        events.append(
            event(
                actor=by,
                action="realisation.update",
                obj=current,
                before=before,
                after=snapshot(current),
            )
        )
    _update_rows([c for c, _f in edited], [*EDITED_FIELDS, "updated_at"])
    Realisation.objects.bulk_create(created, batch_size=500)
    events += [
        event(actor=by, action="realisation.create", obj=r, before=None, after=snapshot(r))
        for r in created
    ]
    AuditEvent.objects.bulk_create(events, batch_size=500)
    # Written in bulk, past the signals: mark the figures of every unit touched.
    for government_id in {i.government_id for i in indicators.values()}:
        figures.bump(
            government_id,
            {
                figures.scope_of(i.objective.unit_id, i.responsible_unit_id)
                for i in indicators.values()
                if i.government_id == government_id
            },
        )
    return len(created) + len(edited)


@transaction.atomic
def realisation_correct(
    *,
    realisation: Realisation,
    by: User,
    reason: str,
    value: Decimal | None = None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    note: str = "",
) -> Realisation:
    """Correct a verified figure: a new version (a draft) with the reason; the verified one
    stays in the history, and counts until the correction is submitted."""
    indicator = realisation.indicator
    require_reporter(by, indicator)
    _lock_figures([indicator])
    locked = Realisation.objects.select_for_update().get(
        pk=realisation.pk, government_id=realisation.government_id
    )
    Realisation.WORKFLOW.check(locked, "correct")
    if not reason.strip():
        raise ValidationError(_("Tuliskan alasan koreksi."), code="tuliskan_alasan_koreksi")
    figure, num, den, scale = _figure(indicator, value, numerator, denominator)
    Realisation.objects.filter(pk=locked.pk, government_id=locked.government_id).update(
        is_current=False
    )
    correction = Realisation.objects.create(
        government_id=locked.government_id,
        indicator=indicator,
        year=locked.year,
        periods_in_year=locked.periods_in_year,
        period=locked.period,
        version=locked.version + 1,
        value=figure,
        numerator=num,
        denominator=den,
        scale=scale,
        note=note.strip(),
        correction_reason=reason.strip(),
        entered_by=by,
    )
    record(
        actor=by,
        action="realisation.correct",
        obj=correction,
        before=snapshot(locked),
        after=snapshot(correction),
        note=reason.strip(),
    )
    return correction


def would_turn_red(realisation: Realisation) -> bool:
    """Whether submitting this figure makes the indicator's year-end forecast red."""
    indicator = realisation.indicator
    policy = selectors.policy_for(indicator.government)
    target = IndicatorTarget.objects.filter(indicator=indicator, year=realisation.year).first()
    others = Realisation.objects.filter(
        indicator=indicator, year=realisation.year, is_current=True
    ).exclude(pk=realisation.pk)
    quarter = -(-realisation.period * selectors.QUARTERS // realisation.periods_in_year)
    status = selectors.indicator_status(
        indicator,
        year=realisation.year,
        as_of_quarter=quarter,
        target=target,
        realisations=others,
        policy=policy,
        override=(realisation.period, realisation.exact_value),
    )
    return status.warning == "red"


@transaction.atomic
def realisation_submit(*, realisation: Realisation, by: User) -> Realisation:
    """Submit a draft (or a returned figure) for verification. A figure that turns the
    indicator red needs an explanatory note first."""
    require_reporter(by, realisation.indicator)
    _lock_figures([realisation.indicator])
    locked = Realisation.objects.select_for_update().get(
        pk=realisation.pk, government_id=realisation.government_id
    )
    Realisation.WORKFLOW.check(locked, "submit")
    locked.indicator = realisation.indicator
    if not locked.note.strip() and would_turn_red(locked):
        raise ValidationError(
            _(
                "Angka ini membuat indikator berstatus merah: tuliskan penjelasan "
                "(catatan) sebelum mengajukan."
            ),
            code="angka_membuat_indikator_berstatus",
        )
    Realisation.WORKFLOW.apply(
        locked,
        "submit",
        by=by,
        action="realisation.submit",
        changes={"submitted_at": timezone.now()},
    )
    return locked


@transaction.atomic
def realisation_verify(*, realisation: Realisation, by: User, comment: str = "") -> Realisation:
    """Verify a submitted figure; it is locked from then on."""
    require_reviewer(by, realisation)
    _lock_figures([realisation.indicator])
    locked = Realisation.objects.select_for_update().get(
        pk=realisation.pk, government_id=realisation.government_id
    )
    Realisation.WORKFLOW.check(locked, "verify")
    if locked.entered_by_id == by.pk:
        raise ValidationError(
            _("Realisasi tidak dapat diverifikasi oleh yang mengisinya."), code="own_figure"
        )
    return _review(locked, "verify", by=by, comment=comment)


def _review(locked: Realisation, step: str, *, by: User, comment: str) -> Realisation:
    """Verify or return a submitted figure: who, when and the comment, audited."""
    Realisation.WORKFLOW.apply(
        locked,
        step,
        by=by,
        action=f"realisation.{step}",
        changes={
            "reviewed_by": by,
            "reviewed_at": timezone.now(),
            "review_comment": comment.strip(),
        },
    )
    return locked


def _operators_of(indicator: Indicator) -> list[User]:
    owner = indicator.owner_unit
    if owner is None:
        return []
    return list(
        User.objects.filter(
            roles__unit=owner, roles__role=Role.UNIT_OPERATOR, is_active=True
        ).distinct()
    )


@transaction.atomic
def realisation_return(*, realisation: Realisation, by: User, comment: str) -> Realisation:
    """Return a submitted figure with a comment; the operator is e-mailed."""
    require_reviewer(by, realisation)
    if not comment.strip():
        raise ValidationError(
            _("Tuliskan alasan pengembalian."), code="tuliskan_alasan_pengembalian"
        )
    _lock_figures([realisation.indicator])
    locked = Realisation.objects.select_for_update().get(
        pk=realisation.pk, government_id=realisation.government_id
    )
    _review(locked, "return", by=by, comment=comment)
    indicator = realisation.indicator
    label = selectors.period_label(locked.period, locked.periods_in_year)
    notify(
        [locked.entered_by, *_operators_of(indicator)],
        government=indicator.government,
        kind=Notice.Kind.RETURNED,
        title=f"Realisasi dikembalikan: {indicator.code} {label} {locked.year}",
        body=(
            f"Realisasi indikator {indicator.code} {indicator.name} untuk {label} {locked.year} "
            f"dikembalikan oleh {by.display_name}.\n\nKomentar pemeriksa:\n{comment.strip()}\n\n"
            "Perbaiki lalu ajukan kembali melalui halaman indikator di Kinerja."
        ),
        url=reverse("monitoring:indicator", args=[indicator.pk]) + f"?tahun={locked.year}",
    )
    return locked


@transaction.atomic
def evidence_add(
    *, realisation: Realisation, data: bytes, filename: str, by: User
) -> RealisationEvidence:
    """Attach a file (PDF, image, .xlsx; type decided by its bytes; size limited)."""
    require_reporter(by, realisation.indicator)
    Realisation.WORKFLOW.check(realisation, "attach")
    evidence = store_evidence(
        RealisationEvidence(
            government_id=realisation.government_id, realisation=realisation, uploaded_by=by
        ),
        data,
        filename,
    )
    record(
        actor=by,
        action="realisation.evidence",
        obj=realisation,
        before=None,
        after={
            "file": evidence.original_name,
            "sha256": evidence.sha256,
            "type": evidence.content_type,
        },
    )
    return evidence


# --- policy ----------------------------------------------------------------------------


@transaction.atomic
def policy_save(
    *,
    government: Government,
    by: User,
    achievement_cap: Decimal | None,
    green_from: Decimal,
    yellow_from: Decimal,
    report_deadline_days: int,
    weighting: str,
) -> MonitoringPolicy:
    if not has_role(by, Role.PLANNER) or by.government_id != government.pk:
        raise PermissionDenied(_("Hanya staf perencanaan yang mengatur kebijakan pemantauan."))
    if yellow_from > green_from:
        raise ValidationError(
            _("Batas kuning harus ≤ batas hijau."), code="batas_kuning_batas_hijau"
        )
    if achievement_cap is not None and achievement_cap < 100:
        raise ValidationError(
            _("Batas atas capaian tidak boleh di bawah 100%."), code="batas_atas_capaian_tidak"
        )
    policy, _created = MonitoringPolicy.objects.get_or_create(government=government)
    before = snapshot(policy)
    policy.achievement_cap = achievement_cap
    policy.green_from = green_from
    policy.yellow_from = yellow_from
    policy.report_deadline_days = report_deadline_days
    policy.weighting = weighting
    policy.full_clean()
    policy.save()
    record(actor=by, action="monitoring.policy", obj=policy, before=before, after=snapshot(policy))
    return policy


# --- reminders -------------------------------------------------------------------------


def reminders_send(*, today: datetime.date | None = None) -> int:
    """E-mail every unit that has not reported the last quarter whose deadline has passed,
    once per unit and quarter. Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    sent = 0
    for government in Government.objects.all():
        policy = selectors.policy_for(government)
        year, quarter = _last_quarter_due(today, policy.report_deadline_days)
        _deadline, late = selectors.late_units(government, year=year, quarter=quarter, today=today)
        for entry in late:
            if not entry.missing or entry.reminded_at is not None:
                continue
            sent += _remind(government, entry, year, quarter)
    return sent


def _last_quarter_due(today: datetime.date, days: int) -> tuple[int, int]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _step in range(8):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        if selectors.report_deadline(year, quarter, 4, days) < today:
            return year, quarter
    return year, quarter


def _remind(government: Government, entry: selectors.LateUnit, year: int, quarter: int) -> int:
    unit: Unit = entry.unit
    people = User.objects.filter(
        roles__unit=unit,
        roles__role__in=[Role.UNIT_OPERATOR, Role.UNIT_HEAD],
        is_active=True,
    ).distinct()
    recipients = sorted({u.email for u in people if u.email})
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                government=government,
                unit=unit,
                year=year,
                periods_in_year=4,
                period=quarter,
                missing=len(entry.missing),
                recipients=", ".join(recipients),
            )
            record(
                actor=None,
                action="realisation.reminder",
                obj=reminder,
                before=None,
                after=snapshot(reminder),
            )
    except IntegrityError:  # another worker sent it already
        return 0
    notify(
        people,
        government=government,
        kind=Notice.Kind.LATE,
        title=f"Realisasi TW {quarter} {year} belum dilaporkan ({len(entry.missing)} indikator)",
        body=f"Batas pelaporan: {entry.deadline:%d-%m-%Y}.",
        url=reverse("monitoring:overview") + f"?tahun={year}",
        mailed=True,
    )
    if not recipients:
        return 0
    names = "\n".join(f"- {i.code} {i.name}" for i in entry.missing)
    send_mail(
        f"[Kinerja] Pengingat: realisasi TW {quarter} {year} belum dilaporkan",
        (
            f"Yth. {unit.name},\n\nBatas pelaporan realisasi triwulan {quarter} tahun {year} "
            f"adalah {entry.deadline:%d-%m-%Y}. Realisasi indikator berikut belum diajukan:\n"
            f"{names}\n\nMohon segera diisi dan diajukan melalui Kinerja."
        ),
        None,
        recipients,
        fail_silently=True,
    )
    return 1
