"""SKP (PermenPAN-RB 6/2022): each civil servant's results for the year, each serving a result
of the superior's SKP; agreed with the evaluating official (the superior); rated each quarter
and for the year; the organisation's predicate; the distribution of the employees' predicates
checked against it before the year is closed; the exchange with the national e-Kinerja.

Who may do what: the person writes their own SKP (a unit's head and operators may help); the
evaluating official (the person's superior in the organisation chart today) approves and rates
it; the head of region or the regional secretary (the official one level up from a unit) sets
a unit's predicate; the unit's head or the planners close the unit's year.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.access import (
    can_edit_unit_plan,
    has_role,
    is_overseer,
    is_unit_head,
    roles_of,
)
from kinerja.accounts.models import Person, Position, Role, Unit, User
from kinerja.accounts.notices import notify
from kinerja.accounts.personnel import Organisation
from kinerja.agreements.cascade import target_text, term_of
from kinerja.core.audit import record, snapshot
from kinerja.core.spreadsheets import append_row, open_xlsx
from kinerja.employees import rules
from kinerja.employees.models import (
    BERAKHLAK,
    CascadePolicy,
    OrganisationRating,
    Skp,
    SkpAssessment,
    SkpIndicator,
    SkpResult,
)
from kinerja.planning.models import Indicator, IndicatorTarget

# A unit head's rating of results is the unit's predicate.
HEAD_RESULTS = {
    rules.ISTIMEWA: "above",
    rules.BAIK: "as_expected",
    rules.BUTUH_PERBAIKAN: "below",
    rules.KURANG: "below",
    rules.SANGAT_KURANG: "below",
}


# ---------------------------------------------------------------------------------------------
# Who


def evaluator_of(skp: Skp, org: Organisation | None = None) -> Person | None:
    """The evaluating official today: the person's superior in the chart (or the one named
    when the SKP was started, if the chart has none)."""
    org = org or Organisation(skp.government_id)
    return org.superior_of(skp.person) or skp.evaluator


def is_evaluator(user: Any, skp: Skp, org: Organisation | None = None) -> bool:
    person_id = getattr(user, "person_id", None)
    evaluator = evaluator_of(skp, org)
    return person_id is not None and evaluator is not None and evaluator.pk == person_id


def can_view(user: Any, skp: Skp, org: Organisation | None = None) -> bool:
    if getattr(user, "government_id", None) != skp.government_id:
        return False
    return (
        getattr(user, "person_id", None) == skp.person_id
        or is_overseer(user)
        or skp.unit_id in {u for _r, u in roles_of(user) if u is not None}
        or is_evaluator(user, skp, org)
    )


def can_write(user: Any, skp: Skp) -> bool:
    return getattr(user, "person_id", None) == skp.person_id or can_edit_unit_plan(user, skp.unit)


def _require_write(user: User, skp: Skp) -> None:
    if user.government_id != skp.government_id or not can_write(user, skp):
        raise PermissionDenied(_("Hanya pegawai yang bersangkutan atau operator unitnya."))


def _require_evaluator(user: User, skp: Skp) -> Organisation:
    org = Organisation(skp.government_id)
    if user.government_id != skp.government_id or not is_evaluator(user, skp, org):
        raise PermissionDenied(
            _("Hanya pejabat penilai (atasan langsung) yang dapat melakukan ini.")
        )
    return org


# ---------------------------------------------------------------------------------------------
# The plan


@transaction.atomic
def skp_start(*, person: Person, year: int, by: User) -> Skp:
    """Open a person's SKP for the year, on the post they hold, with their superior as the
    evaluating official. A unit head's results are the agreement's indicators of the year."""
    if person.government_id != by.government_id:
        raise PermissionDenied
    org = Organisation(person.government_id)
    post = org.post_of(person)
    if post is None or post.position.unit is None:
        raise ValidationError(
            _("%(name)s tidak sedang memegang jabatan di perangkat daerah."),
            code="skp_tanpa_jabatan",
            params={"name": person.name},
        )
    unit = post.position.unit
    if by.person_id != person.pk and not can_edit_unit_plan(by, unit):
        raise PermissionDenied(_("Hanya pegawai yang bersangkutan atau operator unitnya."))
    if term_of(unit, year) is None:
        raise ValidationError(
            _("Tahun %(year)s di luar periode rencana."),
            code="tahun_di_luar_periode",
            params={"year": year},
        )
    existing = Skp.objects.filter(person=person, year=year).first()
    if existing is not None:
        return existing
    skp = Skp.objects.create(
        government_id=person.government_id,
        person=person,
        year=year,
        unit=unit,
        position=post.position,
        evaluator=org.superior_of(person),
    )
    if post.position.kind == Position.Kind.UNIT_HEAD:
        _head_results(skp)
    record(actor=by, action="skp.start", obj=skp, before=None, after=snapshot(skp))
    return skp


def _head_results(skp: Skp) -> None:
    term = term_of(skp.unit, skp.year)
    targets = {
        t.indicator_id: t
        for t in IndicatorTarget.objects.filter(
            indicator__objective__term=term, indicator__responsible_unit=skp.unit, year=skp.year
        )
    }
    for order, ind in enumerate(
        Indicator.objects.filter(pk__in=targets).order_by("objective__code", "code"), start=1
    ):
        result = SkpResult.objects.create(
            skp=skp,
            text=f"{ind.objective.title}",
            perspective=SkpResult.Perspective.SERVICE,
            source_indicator=ind,
            order=order,
        )
        t = targets[ind.pk]
        SkpIndicator.objects.create(
            result=result,
            aspect=SkpIndicator.Aspect.QUANTITY,
            name=f"{ind.code} {ind.name}",
            target=f"{target_text(t.value, t.value_high)} {ind.unit_of_measure}".strip()[:120],
        )


def superior_results(skp: Skp) -> list[SkpResult]:
    """The results of the evaluating official's SKP of the same year that this SKP's results
    may serve."""
    if skp.evaluator_id is None:
        return []
    return list(
        SkpResult.objects.filter(
            government_id=skp.government_id, skp__person_id=skp.evaluator_id, skp__year=skp.year
        )
        .select_related("skp")
        .order_by("kind", "order", "pk")
    )


@transaction.atomic
def skp_result_save(
    *,
    skp: Skp,
    text: str,
    kind: str,
    serves: SkpResult | None,
    perspective: str = "",
    result: SkpResult | None = None,
    by: User,
) -> SkpResult:
    """Add (or change) a result. Below the unit head a main result serves one result of the
    superior's SKP (a link, never text); a head's results carry a perspective. Audited."""
    _require_write(by, skp)
    Skp.WORKFLOW.check(skp, "edit")
    text = text.strip()[:600]
    if not text:
        raise ValidationError(_("Tulis rencana hasil kerjanya."), code="rhk_kosong")
    if kind not in SkpResult.Kind.values:
        raise ValidationError(_("Jenis hasil kerja tidak dikenal."), code="jenis_rhk")
    if serves is not None and serves.pk not in {r.pk for r in superior_results(skp)}:
        raise ValidationError(
            _("RHK atasan yang diintervensi harus dari SKP pejabat penilai tahun yang sama."),
            code="rhk_atasan_bukan_milik_penilai",
        )
    if not skp.is_head and kind == SkpResult.Kind.MAIN and serves is None:
        raise ValidationError(
            _("Hasil kerja utama harus menunjuk RHK atasan yang diintervensi."),
            code="rhk_utama_perlu_atasan",
        )
    if skp.is_head and perspective not in SkpResult.Perspective.values:
        raise ValidationError(
            _("Hasil kerja pimpinan tinggi dikelompokkan menurut perspektif: pilih satu."),
            code="rhk_perlu_perspektif",
        )
    if result is not None and result.skp_id != skp.pk:
        raise PermissionDenied
    before = snapshot(result) if result is not None else None
    item = result or SkpResult(skp=skp, order=skp.results.count() + 1)
    item.text, item.kind, item.serves = text, kind, serves
    item.perspective = perspective if skp.is_head else ""
    item.full_clean()
    item.save()
    record(actor=by, action="skp.result", obj=skp, before=before, after=snapshot(item))
    return item


@transaction.atomic
def skp_result_delete(*, result: SkpResult, by: User) -> None:
    skp = result.skp
    _require_write(by, skp)
    Skp.WORKFLOW.check(skp, "edit")
    if result.served_by.exists():
        raise ValidationError(
            _("Hasil kerja ini diintervensi oleh SKP bawahan; ubah SKP mereka lebih dulu."),
            code="rhk_masih_diintervensi",
        )
    record(actor=by, action="skp.result_delete", obj=skp, before=snapshot(result), after=None)
    result.delete()


@transaction.atomic
def skp_indicator_save(
    *, result: SkpResult, aspect: str, name: str, target: str, by: User
) -> SkpIndicator:
    skp = result.skp
    _require_write(by, skp)
    Skp.WORKFLOW.check(skp, "edit")
    if aspect not in SkpIndicator.Aspect.values:
        raise ValidationError(_("Aspek tidak dikenal."), code="aspek_tidak_dikenal")
    if not name.strip() or not target.strip():
        raise ValidationError(_("Isi indikator dan targetnya."), code="indikator_target_kosong")
    item = SkpIndicator(
        result=result, aspect=aspect, name=name.strip()[:500], target=target.strip()[:120]
    )
    item.full_clean()
    item.save()
    record(actor=by, action="skp.indicator", obj=skp, before=None, after=snapshot(item))
    return item


@transaction.atomic
def skp_submit(*, skp: Skp, by: User) -> Skp:
    """Send the plan to the evaluating official: every main result with an indicator."""
    _require_write(by, skp)
    skp = Skp.objects.select_for_update().get(pk=skp.pk, government_id=skp.government_id)
    Skp.WORKFLOW.check(skp, "submit")
    results = list(skp.results.prefetch_related("indicators"))
    if not any(r.kind == SkpResult.Kind.MAIN for r in results):
        raise ValidationError(_("SKP belum memuat hasil kerja utama."), code="skp_tanpa_rhk")
    empty = [r.text for r in results if not r.indicators.all()]
    if empty:
        raise ValidationError(
            _("Hasil kerja tanpa indikator: %(text)s."),
            code="rhk_tanpa_indikator",
            params={"text": "; ".join(empty)},
        )
    org = Organisation(skp.government_id)
    evaluator = evaluator_of(skp, org)
    if evaluator is None:
        raise ValidationError(
            _("Pejabat penilai belum diketahui: tetapkan atasan langsung lebih dulu."),
            code="skp_tanpa_penilai",
        )
    Skp.WORKFLOW.apply(skp, "submit", by=by, action="skp.submit", changes={"evaluator": evaluator})
    _tell(evaluator, _("SKP %(name)s %(year)s menunggu persetujuan Anda."), skp)
    return skp


@transaction.atomic
def skp_approve(*, skp: Skp, by: User) -> Skp:
    _require_evaluator(by, skp)
    skp = Skp.objects.select_for_update().get(pk=skp.pk, government_id=skp.government_id)
    Skp.WORKFLOW.apply(skp, "approve", by=by, action="skp.approve")
    _tell(skp.person, _("SKP %(name)s %(year)s disetujui pejabat penilai."), skp)
    return skp


@transaction.atomic
def skp_return(*, skp: Skp, note: str, by: User) -> Skp:
    _require_evaluator(by, skp)
    skp = Skp.objects.select_for_update().get(pk=skp.pk, government_id=skp.government_id)
    if skp.assessments.exists():
        raise ValidationError(
            _("SKP yang sudah dinilai tidak dapat dikembalikan."), code="skp_sudah_dinilai"
        )
    Skp.WORKFLOW.apply(skp, "return", by=by, action="skp.return", note=note[:500])
    _tell(skp.person, _("SKP %(name)s %(year)s dikembalikan untuk diperbaiki."), skp, note)
    return skp


def _tell(person: Person | None, title: str, skp: Skp, body: str = "") -> None:
    if person is None:
        return
    from django.urls import reverse

    from kinerja.accounts.models import Notice

    notify(
        User.objects.filter(person=person),
        government=skp.government,
        kind=Notice.Kind.SKP,
        title=title % {"name": skp.person.name, "year": skp.year},
        body=body,
        url=reverse("employees:skp_detail", args=[skp.pk]),
    )


# ---------------------------------------------------------------------------------------------
# Ratings


def organisation_predicate(unit: Unit, year: int) -> OrganisationRating | None:
    return OrganisationRating.objects.filter(unit=unit, year=year).first()


@transaction.atomic
def skp_assess(
    *,
    skp: Skp,
    period: int,
    results_rating: str,
    behaviour_rating: str,
    notes: dict[str, str],
    feedback: str,
    by: User,
) -> SkpAssessment:
    """The evaluating official's rating for a quarter (1–4) or the year (0), and the predicate
    the matrix gives. A unit head's rating of results for the year is the unit's predicate."""
    _require_evaluator(by, skp)
    skp = Skp.objects.select_for_update().get(pk=skp.pk, government_id=skp.government_id)
    Skp.WORKFLOW.check(skp, "assess")
    if not 0 <= period <= 4:
        raise ValidationError(_("Periode penilaian 1–4 atau tahunan."), code="periode_penilaian")
    rating = organisation_predicate(skp.unit, skp.year)
    if rating is not None and rating.closed_at is not None:
        raise ValidationError(
            _("Tahun %(year)s %(unit)s sudah ditutup."),
            code="tahun_sudah_ditutup",
            params={"year": skp.year, "unit": skp.unit.name},
        )
    if skp.is_head and period == SkpAssessment.ANNUAL:
        if rating is None:
            raise ValidationError(
                _(
                    "Rating hasil kerja kepala perangkat daerah adalah predikat organisasinya: "
                    "tetapkan predikat %(unit)s lebih dulu."
                ),
                code="predikat_organisasi_belum_ada",
                params={"unit": skp.unit.name},
            )
        results_rating = HEAD_RESULTS[rating.predicate]
    predicate = rules.employee_predicate(results_rating, behaviour_rating)
    clean_notes = {
        key: str(notes.get(key, "")).strip()[:1000] for key, _label in BERAKHLAK if notes.get(key)
    }
    current = SkpAssessment.objects.filter(skp=skp, period=period).first()
    before = snapshot(current) if current else None
    item = current or SkpAssessment(skp=skp, period=period)
    item.results_rating, item.behaviour_rating = results_rating, behaviour_rating
    item.behaviour_notes, item.feedback = clean_notes, feedback.strip()[:4000]
    item.predicate = predicate
    if by.person is None:
        raise PermissionDenied
    item.assessed_by = by.person
    item.full_clean()
    item.save()
    record(actor=by, action="skp.assess", obj=skp, before=before, after=snapshot(item))
    _tell(skp.person, _("SKP %(name)s %(year)s sudah dinilai."), skp)
    return item


def can_rate_organisation(user: Any) -> bool:
    return has_role(user, Role.HEAD_OF_REGION, Role.REGIONAL_SECRETARY)


@transaction.atomic
def organisation_rating_set(
    *, unit: Unit, year: int, predicate: str, note: str, by: User
) -> OrganisationRating:
    """The unit's predicate, by the head of region or the regional secretary. Audited."""
    if unit.government_id != by.government_id or not can_rate_organisation(by):
        raise PermissionDenied(
            _("Predikat organisasi ditetapkan oleh kepala daerah atau sekretaris daerah.")
        )
    if predicate not in rules.ORGANISATION_PREDICATES:
        raise ValidationError(
            _("Predikat organisasi tidak dikenal."), code="predikat_tidak_dikenal"
        )
    current = OrganisationRating.objects.select_for_update().filter(unit=unit, year=year).first()
    if current is not None and current.closed_at is not None:
        raise ValidationError(
            _("Tahun %(year)s %(unit)s sudah ditutup."),
            code="tahun_sudah_ditutup",
            params={"year": year, "unit": unit.name},
        )
    before = snapshot(current) if current else None
    item = current or OrganisationRating(government_id=unit.government_id, unit=unit, year=year)
    item.predicate, item.note, item.set_by = predicate, note.strip()[:4000], by
    item.full_clean()
    item.save()
    record(
        actor=by, action="organisation_rating.set", obj=item, before=before, after=snapshot(item)
    )
    return item


@dataclass
class Distribution:
    unit: Unit
    year: int
    rating: OrganisationRating | None
    counts: dict[str, int]
    not_assessed: list[Skp]
    problems: list[rules.Problem]
    total: int

    @property
    def allowed(self) -> bool:
        return self.rating is not None and not self.problems and not self.not_assessed


def policy_bounds(unit: Unit) -> tuple[dict[str, tuple[rules.Bound, ...]], str]:
    policy = CascadePolicy.objects.filter(government_id=unit.government_id).first()
    if policy is None:
        return rules.DEFAULT_BOUNDS, "exact"
    return policy_bounds_of(policy)


def policy_bounds_of(policy: CascadePolicy) -> tuple[dict[str, tuple[rules.Bound, ...]], str]:
    """The government's bounds: its own where it set them, the national defaults elsewhere."""
    bounds = dict(rules.DEFAULT_BOUNDS)
    if policy.distribution_bounds:
        bounds.update(rules.bounds_from_data(policy.distribution_bounds))
    return bounds, policy.rounding


def distribution(unit: Unit, year: int) -> Distribution:
    """The employees' annual predicates in the unit (its head excluded: his rating is the
    organisation's), and the bounds of the organisation's predicate they break."""
    rating = organisation_predicate(unit, year)
    skps = list(
        Skp.objects.filter(unit=unit, year=year)
        .exclude(position__kind=Position.Kind.UNIT_HEAD)
        .select_related("person")
        .prefetch_related("assessments")
    )
    counts: Counter[str] = Counter()
    not_assessed = []
    for skp in skps:
        annual = next((a for a in skp.assessments.all() if a.period == SkpAssessment.ANNUAL), None)
        if annual is None:
            not_assessed.append(skp)
        else:
            counts[annual.predicate] += 1
    problems: list[rules.Problem] = []
    if rating is not None:
        bounds, rounding = policy_bounds(unit)
        problems = rules.distribution_problems(
            rating.predicate, dict(counts), bounds=bounds, rounding=rounding
        )
    return Distribution(
        unit, year, rating, dict(counts), not_assessed, problems, sum(counts.values())
    )


def bound_text(bound: rules.Bound, number: str | None = None) -> str:
    """A distribution bound in the reader's language (`number` in place of its own: a form's
    label says "…" where the reader types it)."""
    labels = dict(_employee_labels())
    names = _(" dan ").join(str(labels.get(p, p)) for p in bound.predicates)
    if number is None and bound.people is not None and bound.kind == "at_most" and not bound.people:
        return _("tidak boleh ada %(names)s") % {"names": names}
    if bound.people is not None:
        return (
            _("%(names)s paling banyak %(n)s orang")
            if bound.kind == "at_most"
            else _("%(names)s paling sedikit %(n)s orang")
        ) % {"names": names, "n": number if number is not None else bound.people}
    shown = number if number is not None else rules._percent(bound.percent)
    return (
        _("%(names)s paling banyak %(p)s%% pegawai")
        if bound.kind == "at_most"
        else _("%(names)s paling sedikit %(p)s%% pegawai")
    ) % {"names": names, "p": shown}


def problem_text(problem: rules.Problem, organisation: str) -> str:
    """A broken bound in the reader's language."""
    org = dict(_organisation_labels()).get(organisation, organisation)
    verb = _("boleh") if problem.bound.kind == "at_most" else _("perlu")
    return _(
        "Predikat organisasi %(org)s: %(rule)s; %(verb)s %(limit)s dari %(total)s orang, ada "
        "%(count)s."
    ) % {
        "org": org,
        "rule": bound_text(problem.bound),
        "verb": verb,
        "limit": problem.limit,
        "total": problem.total,
        "count": problem.count,
    }


def _employee_labels() -> list[tuple[str, Any]]:
    from kinerja.employees.models import EMPLOYEE_PREDICATE_CHOICES

    return list(EMPLOYEE_PREDICATE_CHOICES)


def _organisation_labels() -> list[tuple[str, Any]]:
    from kinerja.employees.models import ORGANISATION_PREDICATE_CHOICES

    return list(ORGANISATION_PREDICATE_CHOICES)


def can_close(user: Any, unit: Unit) -> bool:
    return is_unit_head(user, unit) or has_role(user, Role.PLANNER)


@transaction.atomic
def year_close(*, unit: Unit, year: int, by: User) -> OrganisationRating:
    """Close the unit's year: refused while the organisation's predicate is missing, an SKP has
    no annual rating, or the distribution breaks a bound (each named)."""
    if unit.government_id != by.government_id or not can_close(by, unit):
        raise PermissionDenied(_("Tahun ditutup oleh kepala perangkat daerah atau perencana."))
    rating = OrganisationRating.objects.select_for_update().filter(unit=unit, year=year).first()
    if rating is None:
        raise ValidationError(
            _("Predikat organisasi %(unit)s %(year)s belum ditetapkan."),
            code="predikat_organisasi_belum_ada",
            params={"unit": unit.name, "year": year},
        )
    if rating.closed_at is not None:
        raise ValidationError(
            _("Tahun %(year)s %(unit)s sudah ditutup."),
            code="tahun_sudah_ditutup",
            params={"year": year, "unit": unit.name},
        )
    result = distribution(unit, year)
    messages: list[ValidationError] = []
    if result.not_assessed:
        messages.append(
            ValidationError(
                _("Belum dinilai tahunan: %(names)s."),
                code="skp_belum_dinilai",
                params={"names": ", ".join(s.person.name for s in result.not_assessed)},
            )
        )
    for problem in result.problems:
        messages.append(
            ValidationError(problem_text(problem, rating.predicate), code="distribusi_predikat")
        )
    if messages:
        raise ValidationError(messages)
    before = snapshot(rating)
    rating.closed_at, rating.closed_by = timezone.now(), by
    rating.save(update_fields=["closed_at", "closed_by"])
    record(
        actor=by,
        action="organisation_rating.close",
        obj=rating,
        before=before,
        after=snapshot(rating),
    )
    return rating


# ---------------------------------------------------------------------------------------------
# e-Kinerja


EKINERJA_HEADERS = [
    "NIP",
    "Nama",
    "Jabatan",
    "NIP Pejabat Penilai",
    "Jenis RHK",
    "Perspektif",
    "Rencana Hasil Kerja",
    "RHK Atasan yang Diintervensi",
    "Aspek",
    "Indikator Kinerja Individu",
    "Target",
]


def ekinerja_export(unit: Unit, year: int) -> bytes:
    """One row per indicator of every SKP of the unit's year, as e-Kinerja asks them."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws: Any = wb.active
    ws.title = "SKP"
    append_row(ws, EKINERJA_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    skps = (
        Skp.objects.filter(unit=unit, year=year)
        .select_related("person", "position", "evaluator")
        .prefetch_related("results__indicators", "results__serves")
        .order_by("position__kind", "person__name")
    )
    for skp in skps:
        for result in skp.results.all():
            for indicator in result.indicators.all():
                append_row(
                    ws,
                    [
                        skp.person.nip,
                        skp.person.name,
                        skp.position.title,
                        skp.evaluator.nip if skp.evaluator else "",
                        result.get_kind_display(),
                        result.get_perspective_display() if result.perspective else "",
                        result.text,
                        result.serves.text if result.serves else "",
                        indicator.get_aspect_display(),
                        indicator.name,
                        indicator.target,
                    ],
                )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


PREDICATE_WORDS = {
    "sangat baik": rules.SANGAT_BAIK,
    "baik": rules.BAIK,
    "butuh perbaikan": rules.BUTUH_PERBAIKAN,
    "kurang": rules.KURANG_MISCONDUCT,
    "kurang/misconduct": rules.KURANG_MISCONDUCT,
    "misconduct": rules.KURANG_MISCONDUCT,
    "sangat kurang": rules.SANGAT_KURANG,
}


@transaction.atomic
def ekinerja_import(*, unit: Unit, year: int, content: bytes, by: User) -> int:
    """The final predicates as recorded in e-Kinerja (columns NIP and Predikat), kept beside
    Kinerja's: every row checked (its row and column named), nothing saved on any error."""
    if unit.government_id != by.government_id or not can_edit_unit_plan(by, unit):
        raise PermissionDenied
    from kinerja.accounts.personnel import normalise_nip

    wb = open_xlsx(content, max_rows=20_010, max_columns=40)
    rows = wb.worksheets[0].iter_rows(values_only=True)
    header = [str(v or "").strip().lower() for v in next(rows, ())]
    if "nip" not in header or "predikat" not in header:
        raise ValidationError(
            _("Berkas memerlukan kolom NIP dan Predikat di baris pertama."), code="kolom_ekinerja"
        )
    nip_col, pred_col = header.index("nip"), header.index("predikat")
    skps = {
        s.person.nip: s for s in Skp.objects.filter(unit=unit, year=year).select_related("person")
    }
    errors: list[ValidationError] = []
    found: list[tuple[Skp, str]] = []
    for number, values in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        nip = normalise_nip(values[nip_col] if nip_col < len(values) else None)
        raw = str(values[pred_col] if pred_col < len(values) else "").strip().lower()
        if nip is None or nip not in skps:
            errors.append(
                ValidationError(
                    _(
                        "Baris %(row)s, kolom NIP: tidak ada SKP %(year)s untuk NIP ini di "
                        "%(unit)s."
                    ),
                    code="ekinerja_nip",
                    params={"row": number, "year": year, "unit": unit.name},
                )
            )
            continue
        if raw not in PREDICATE_WORDS:
            errors.append(
                ValidationError(
                    _("Baris %(row)s, kolom Predikat: '%(value)s' tidak dikenal."),
                    code="ekinerja_predikat",
                    params={"row": number, "value": raw},
                )
            )
            continue
        found.append((skps[nip], PREDICATE_WORDS[raw]))
    if errors:
        raise ValidationError(errors)
    for skp, predicate in found:
        if skp.ekinerja_predicate != predicate:
            before = snapshot(skp)
            skp.ekinerja_predicate = predicate
            skp.save(update_fields=["ekinerja_predicate"])
            record(actor=by, action="skp.ekinerja", obj=skp, before=before, after=snapshot(skp))
    return len(found)


# ---------------------------------------------------------------------------------------------
# The government's policy


@transaction.atomic
def cascade_policy_save(
    *,
    government_id: int,
    action_plan_periods: int,
    rounding: str,
    bounds: dict[str, tuple[rules.Bound, ...]],
    by: User,
) -> CascadePolicy:
    """The government's choices: action plans per quarter or month (new plans only), how the
    distribution bounds count in small units, and the bounds themselves. Planners only;
    audited."""
    if by.government_id != government_id or not has_role(by, Role.PLANNER):
        raise PermissionDenied(_("Hanya staf perencanaan yang dapat melakukan ini."))
    if action_plan_periods not in (4, 12) or rounding not in CascadePolicy.Rounding.values:
        raise ValidationError(_("Pilihan kebijakan tidak dikenal."), code="kebijakan_tidak_dikenal")
    try:
        data = rules.bounds_to_data(bounds)
        rules.bounds_from_data(data)
    except (ValueError, ArithmeticError) as exc:
        raise ValidationError(str(exc), code="batas_distribusi") from exc
    policy = CascadePolicy.objects.select_for_update().filter(government_id=government_id).first()
    before = snapshot(policy) if policy else None
    policy = policy or CascadePolicy(government_id=government_id)
    policy.action_plan_periods, policy.rounding = action_plan_periods, rounding
    # Only what differs from the national defaults is kept.
    defaults = rules.bounds_to_data(rules.DEFAULT_BOUNDS)
    policy.distribution_bounds = {k: v for k, v in data.items() if defaults.get(k) != v}
    policy.full_clean()
    policy.save()
    record(
        actor=by, action="cascade_policy.save", obj=policy, before=before, after=snapshot(policy)
    )
    return policy
