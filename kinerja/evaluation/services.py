"""Writes for evaluation: the reward-and-punishment policy and closing a year; the SAKIP
worksheet (loaded from data, copied, edited), evaluations, answers and their finalisation.
Each service is one transaction and writes an audit row."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import Government, Role, RoleAssignment, Unit, User
from kinerja.accounts.notices import notify
from kinerja.core.audit import record, snapshot
from kinerja.employees.rules import EMPLOYEE_PREDICATES
from kinerja.evaluation import access, sakip, selectors
from kinerja.evaluation.access import (
    can_edit_worksheet,
    can_evaluate,
    can_manage_incentives,
    require_same_government,
)
from kinerja.evaluation.models import (
    IncentiveBand,
    IncentivePolicy,
    PersonAllowance,
    SakipAnswer,
    SakipAnswerChange,
    SakipComponent,
    SakipCriterion,
    SakipEvaluation,
    SakipSubComponent,
    SakipTier,
    SakipTierMember,
    SakipWorksheet,
    UnitScore,
)

WORKSHEET_FORMAT = "kinerja-sakip-worksheet/1"


# --- reward and punishment -------------------------------------------------------------


def _policy_state(policy: IncentivePolicy) -> dict[str, Any]:
    bands = [
        [format(b.min_score.normalize(), "f"), format(b.factor.normalize(), "f")]
        for b in policy.bands.all()
    ]
    return {**snapshot(policy), "bands": bands}


@transaction.atomic
def incentive_policy_save(
    *,
    government: Government,
    year: int,
    by: User,
    performance_share: Decimal,
    warning_below: Decimal,
    sanction_below: Decimal,
    yearly_base_head: Decimal,
    yearly_base_other: Decimal,
    bands: list[tuple[Decimal, Decimal]],
    predicate_factors: dict[str, Decimal] | None = None,
) -> IncentivePolicy:
    """Set a year's policy: the performance share of the allowance, the thresholds, the bands
    (score from → factor) and, where the government pays each person by their predicate, the
    factor per employee predicate. A closed year is refused: its results stand."""
    require_same_government(by, government.pk)
    if not can_manage_incentives(by):
        raise PermissionDenied(_("Hanya staf perencanaan yang mengatur penghargaan dan sanksi."))
    policy = (
        IncentivePolicy.objects.select_for_update().filter(government=government, year=year).first()
    )
    if policy is not None:
        IncentivePolicy.WORKFLOW.check(policy, "edit")
    if not 0 <= performance_share <= 100:
        raise ValidationError(
            _("Porsi kinerja harus antara 0 dan 100%."), code="porsi_kinerja_antara"
        )
    if sanction_below > warning_below:
        raise ValidationError(
            _("Batas sanksi harus ≤ batas peringatan."), code="batas_sanksi_batas_peringatan"
        )
    if not bands:
        raise ValidationError(
            _("Isi paling sedikit satu pita nilai."), code="isi_paling_sedikit_satu"
        )
    mins = [m for m, _f in bands]
    if len(set(mins)) != len(mins):
        raise ValidationError(_("Nilai awal pita tidak boleh sama."), code="nilai_awal_pita_tidak")
    if any(not 0 <= f <= 100 for _m, f in bands):
        raise ValidationError(_("Faktor TPP harus antara 0 dan 100%."), code="faktor_tpp_antara")
    if yearly_base_head < 0 or yearly_base_other < 0:
        raise ValidationError(_("Pagu TPP tidak boleh negatif."), code="pagu_tpp_tidak_boleh")
    predicate_factors = predicate_factors or {}
    if set(predicate_factors) - set(EMPLOYEE_PREDICATES) or any(
        not 0 <= f <= 100 for f in predicate_factors.values()
    ):
        raise ValidationError(
            _("Faktor per predikat harus antara 0 dan 100%, untuk predikat yang dikenal."),
            code="faktor_predikat",
        )
    if policy is None:
        policy = IncentivePolicy(government=government, year=year)
        before = None
    else:
        before = _policy_state(policy)
    policy.performance_share = performance_share
    policy.warning_below = warning_below
    policy.sanction_below = sanction_below
    policy.yearly_base_head = yearly_base_head
    policy.yearly_base_other = yearly_base_other
    policy.predicate_factors = {
        k: format(v.normalize(), "f") for k, v in sorted(predicate_factors.items())
    }
    policy.full_clean()
    policy.save()
    policy.bands.all().delete()
    IncentiveBand.objects.bulk_create(
        IncentiveBand(policy=policy, government_id=policy.government_id, min_score=m, factor=f)
        for m, f in sorted(bands)
    )
    record(
        actor=by,
        action="evaluation.incentive_policy",
        obj=policy,
        before=before,
        after=_policy_state(policy),
    )
    return policy


@transaction.atomic
def incentive_year_close(*, policy: IncentivePolicy, by: User) -> IncentivePolicy:
    """Close a year: store every unit's score, rank, factor and consequence and every
    position holder's allowance as they are now. From then on the year reads these rows, so
    neither a policy change nor a later correction moves it."""
    require_same_government(by, policy.government_id)
    if not can_manage_incentives(by):
        raise PermissionDenied(_("Hanya staf perencanaan yang menutup tahun penilaian."))
    policy = IncentivePolicy.objects.select_for_update().get(
        pk=policy.pk, government_id=policy.government_id
    )
    IncentivePolicy.WORKFLOW.check(policy, "close")
    card = selectors.scorecard(policy.government, policy.year)
    if not any(r.score is not None for r in card.rows):
        raise ValidationError(
            _("Belum ada capaian tahun %(year)s; tidak ada yang ditutup."),
            code="belum_capaian_tahun_tidak",
            params={"year": policy.year},
        )
    people = selectors.person_allowances(card)
    UnitScore.objects.bulk_create(
        UnitScore(
            government=policy.government,
            policy=policy,
            year=policy.year,
            unit=r.unit,
            score=r.score,
            rank=r.rank,
            indicators=r.indicators,
            factor=r.factor,
            consequence=r.consequence,
        )
        for r in card.rows
    )
    PersonAllowance.objects.bulk_create(
        PersonAllowance(
            government=policy.government,
            policy=policy,
            unit=p.unit,
            person=p.person,
            position_title=p.position_title,
            days_held=p.days_held,
            base=p.base.quantize(Decimal("0.01")),
            performance_part=p.performance_part.quantize(Decimal("0.01")),
            discipline_part=p.discipline_part.quantize(Decimal("0.01")),
            predicate=p.predicate,
            factor=p.factor,
        )
        for p in people
    )
    IncentivePolicy.WORKFLOW.apply(
        policy,
        "close",
        by=by,
        action="evaluation.year_close",
        changes={"closed_at": timezone.now(), "closed_by": by},
        note=f"{len(card.rows)} perangkat daerah, {len(people)} pejabat",
    )
    return policy


# --- SAKIP worksheet -------------------------------------------------------------------


def _decimal(value: Any, what: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            _("%(what)s: %(value)s bukan angka."),
            code="bukan_angka",
            params={"what": what, "value": repr(value)},
        ) from None
    if not result.is_finite() or result < 0:
        raise ValidationError(
            _("%(what)s: %(value)s bukan angka yang berlaku."),
            code="bukan_angka_berlaku",
            params={"what": what, "value": repr(value)},
        )
    return result


def _check_bounds(bounds: Any) -> list[list[str]]:
    if not isinstance(bounds, list) or not bounds:
        raise ValidationError(
            _("Batas predikat harus berupa daftar [predikat, nilai]."),
            code="batas_predikat_berupa_daftar",
        )
    clean: list[list[str]] = []
    for item in bounds:
        if not (isinstance(item, list | tuple) and len(item) == 2 and str(item[0]).strip()):
            raise ValidationError(
                _("Batas predikat harus berupa daftar [predikat, nilai]."),
                code="batas_predikat_berupa_daftar",
            )
        bound = _decimal(item[1], f"Batas predikat {item[0]}")
        if bound > 100:
            raise ValidationError(
                _("Batas predikat %(value)s melebihi 100."),
                code="batas_predikat_melebihi",
                params={"value": item[0]},
            )
        clean.append([str(item[0]).strip(), format(bound.normalize(), "f")])
    names = [b[0] for b in clean]
    if len(set(names)) != len(names) or sakip.LOWEST_GRADE in names:
        raise ValidationError(
            _("Predikat tidak boleh berulang; %(LOWEST_GRADE)s adalah predikat terbawah."),
            code="predikat_tidak_boleh_berulang",
            params={"LOWEST_GRADE": sakip.LOWEST_GRADE},
        )
    return clean


def _check_spec(components: list[sakip.Component]) -> None:
    problems = [
        ValidationError(
            _("Bobot komponen berjumlah %(total)s, seharusnya 100."),
            code="weights_not_100",
            params={"total": p.total},
        )
        if p.component is None
        else ValidationError(
            _("Bobot subkomponen pada komponen %(component)s berjumlah %(total)s, seharusnya 100."),
            code="weights_not_100",
            params={"component": p.component, "total": p.total},
        )
        for p in sakip.check_weights(components)
    ]
    if problems:
        raise ValidationError(problems)


def parse_worksheet(data: Any) -> dict[str, Any]:
    """Validate a worksheet in the documented JSON format (docs/sakip-worksheet.md) and
    return it normalised; every problem is reported in Indonesian."""
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise ValidationError(
                _("Berkas bukan JSON yang sah."), code="berkas_bukan_json_sah"
            ) from None
    if not isinstance(data, dict) or data.get("format") != WORKSHEET_FORMAT:
        raise ValidationError(
            _("Format lembar kerja harus %(WORKSHEET_FORMAT)s."),
            code="format_lembar_kerja_worksheet",
            params={"WORKSHEET_FORMAT": repr(WORKSHEET_FORMAT)},
        )
    name = str(data.get("name", "")).strip()
    if not name:
        raise ValidationError(_("Lembar kerja tanpa nama."), code="lembar_kerja_tanpa_nama")
    bounds = _check_bounds(data.get("grade_bounds"))
    components = data.get("components")
    if not isinstance(components, list) or not components:
        raise ValidationError(_("Lembar kerja tanpa komponen."), code="lembar_kerja_tanpa_komponen")
    kinds = set(SakipSubComponent.Kind.values)
    types = set(SakipCriterion.AnswerType.values)
    spec = []
    clean_components = []
    for ci, component in enumerate(components, start=1):
        where = f"Komponen {ci}"
        if not isinstance(component, dict) or not str(component.get("name", "")).strip():
            raise ValidationError(
                _("%(where)s: nama kosong."), code="nama_kosong", params={"where": where}
            )
        weight = _decimal(component.get("weight"), f"{where} bobot")
        subs = []
        sub_specs = []
        for si, sub in enumerate(component.get("subcomponents") or [], start=1):
            if not isinstance(sub, dict) or sub.get("kind") not in kinds:
                raise ValidationError(
                    _("%(where)s, subkomponen %(si)s: jenis tidak dikenal."),
                    code="subkomponen_jenis_tidak_dikenal",
                    params={"where": where, "si": si},
                )
            sub_weight = _decimal(sub.get("weight"), f"{where}, subkomponen {si} bobot")
            criteria = []
            for ki, criterion in enumerate(sub.get("criteria") or [], start=1):
                text = str((criterion or {}).get("text", "")).strip()
                answer_type = (criterion or {}).get("answer_type")
                if not text or answer_type not in types:
                    raise ValidationError(
                        _(
                            "%(where)s, subkomponen %(si)s, kriteria %(ki)s: teks kosong atau "
                            "jenis jawaban bukan yes_no/a_e."
                        ),
                        code="subkomponen_kriteria_teks_kosong",
                        params={"where": where, "si": si, "ki": ki},
                    )
                criteria.append({"text": text, "answer_type": answer_type})
            subs.append({"kind": sub["kind"], "weight": sub_weight, "criteria": criteria})
            sub_specs.append(
                sakip.SubComponent(
                    key=f"{ci}.{si}",
                    weight=sub_weight,
                    criteria=tuple(
                        sakip.Criterion(key=i, answer_type=c["answer_type"])
                        for i, c in enumerate(criteria)
                    ),
                )
            )
        spec.append(sakip.Component(key=ci, weight=weight, subcomponents=tuple(sub_specs)))
        clean_components.append(
            {"name": str(component["name"]).strip(), "weight": weight, "subcomponents": subs}
        )
    _check_spec(spec)
    method = str(data.get("scoring_method") or sakip.MEAN)
    if method not in sakip.METHODS:
        raise ValidationError(
            _("Metode penilaian %(method)s tidak dikenal: mean atau predicate."),
            code="scoring_method_unknown",
            params={"method": repr(method)},
        )
    values = _check_answer_values(data.get("answer_values"), used=types_used(clean_components))
    fulfilled = data.get("fulfilled_from")
    fulfilled_from = None
    if fulfilled not in (None, ""):
        fulfilled_from = _decimal(fulfilled, "fulfilled_from")
        if not Decimal(0) < fulfilled_from <= Decimal(1):
            raise ValidationError(
                _("fulfilled_from harus di atas 0 dan paling besar 1."),
                code="fulfilled_from_range",
            )
    rules = _check_rules(data.get("rules"), clean_components)
    level = str(data.get("level") or SakipWorksheet.Level.GOVERNMENT)
    if level not in SakipWorksheet.Level.values:
        raise ValidationError(
            _("Tingkat lembar kerja %(level)s tidak dikenal: government atau unit."),
            code="worksheet_level_unknown",
            params={"level": repr(level)},
        )
    return {
        "name": name,
        "level": level,
        "regulation": str(data.get("regulation", "")).strip(),
        "grade_bounds": bounds,
        "components": clean_components,
        "rules": rules,
        "scoring_method": method,
        "answer_values": values,
        "fulfilled_from": fulfilled_from,
    }


def criterion_codes(components: list[dict[str, Any]]) -> set[str]:
    """Each criterion's code: component, sub-component letter, number ("1.b.3")."""
    return {
        f"{ci}.{'abcdefghij'[si - 1]}.{ki}"
        for ci, component in enumerate(components, start=1)
        for si, sub in enumerate(component["subcomponents"], start=1)
        for ki, _criterion in enumerate(sub["criteria"], start=1)
    }


def _check_rules(raw: Any, components: list[dict[str, Any]]) -> list[list[str]]:
    """Consistency rules as [criterion, prerequisite] pairs of known, different criteria."""
    if raw in (None, "", []):
        return []
    if not isinstance(raw, list):
        raise ValidationError(
            _("rules harus berupa daftar pasangan [kriteria, prasyarat]."), code="rules_shape"
        )
    known = criterion_codes(components)
    clean = []
    for pair in raw:
        if not (isinstance(pair, list | tuple) and len(pair) == 2):
            raise ValidationError(
                _("rules harus berupa daftar pasangan [kriteria, prasyarat]."), code="rules_shape"
            )
        criterion, prerequisite = (str(x).strip() for x in pair)
        unknown = [c for c in (criterion, prerequisite) if c not in known]
        if unknown or criterion == prerequisite:
            raise ValidationError(
                _("Aturan %(rule)s menyebut kriteria yang tidak ada di lembar kerja: %(unknown)s."),
                code="rule_unknown_criterion",
                params={
                    "rule": f"{criterion} ≤ {prerequisite}",
                    "unknown": ", ".join(unknown) or criterion,
                },
            )
        clean.append([criterion, prerequisite])
    return clean


def types_used(components: list[dict[str, Any]]) -> set[str]:
    return {
        criterion["answer_type"]
        for component in components
        for sub in component["subcomponents"]
        for criterion in sub["criteria"]
    }


def _check_answer_values(raw: Any, *, used: set[str]) -> dict[str, dict[str, str]]:
    """The worksheet's answer values ({type: {answer: value}}, each value 0 to 1, each type
    used by a criterion present with at least two answers); empty: the regulation's."""
    if raw in (None, {}, ""):
        return {}
    if not isinstance(raw, dict):
        raise ValidationError(
            _("answer_values harus berupa {jenis: {jawaban: nilai}}."), code="answer_values_shape"
        )
    clean: dict[str, dict[str, str]] = {}
    for kind in sorted(used):
        answers = raw.get(kind)
        if not isinstance(answers, dict) or len(answers) < 2:
            raise ValidationError(
                _(
                    "answer_values: jenis jawaban %(kind)s dipakai kriteria tetapi tidak "
                    "diberi nilai."
                ),
                code="answer_values_missing",
                params={"kind": kind},
            )
        clean[kind] = {}
        for answer, value in answers.items():
            number = _decimal(value, f"answer_values {kind} {answer}")
            label = str(answer).strip().upper()
            if not (0 <= number <= 1) or not re.fullmatch(r"[A-Z]{1,3}", label):
                raise ValidationError(
                    _("answer_values: %(kind)s %(answer)s harus huruf dengan nilai 0 sampai 1."),
                    code="answer_values_range",
                    params={"kind": kind, "answer": repr(answer)},
                )
            clean[kind][label] = format(number.normalize(), "f")
    return clean


@transaction.atomic
def worksheet_load(*, government: Government, data: Any, by: User | None) -> SakipWorksheet:
    """A new worksheet from data (the documented JSON format); all or nothing."""
    if by is not None:
        require_same_government(by, government.pk)
        if not can_edit_worksheet(by):
            raise PermissionDenied(_("Hanya perencana atau inspektorat yang mengelola LKE."))
    clean = parse_worksheet(data)
    worksheet = SakipWorksheet.objects.create(
        government=government,
        name=clean["name"][:200],
        regulation=clean["regulation"][:200],
        level=clean["level"],
        grade_bounds=clean["grade_bounds"],
        rules=clean["rules"],
        scoring_method=clean["scoring_method"],
        answer_values=clean["answer_values"],
        fulfilled_from=clean["fulfilled_from"],
    )
    for ci, component in enumerate(clean["components"], start=1):
        c = SakipComponent.objects.create(
            worksheet=worksheet, number=ci, name=component["name"][:200], weight=component["weight"]
        )
        for si, sub in enumerate(component["subcomponents"], start=1):
            s = SakipSubComponent.objects.create(
                component=c, number=si, kind=sub["kind"], weight=sub["weight"]
            )
            SakipCriterion.objects.bulk_create(
                SakipCriterion(
                    subcomponent=s, government_id=s.government_id, number=ki, **criterion
                )
                for ki, criterion in enumerate(sub["criteria"], start=1)
            )
    record(
        actor=by,
        action="evaluation.worksheet_load",
        obj=worksheet,
        before=None,
        after=worksheet_export(worksheet),
        government=government,
    )
    return worksheet


def worksheet_export(worksheet: SakipWorksheet) -> dict[str, Any]:
    """The worksheet in the documented JSON format (what `worksheet_load` reads)."""
    tree = selectors.worksheet_tree(worksheet)
    return {
        "format": WORKSHEET_FORMAT,
        "name": tree.name,
        "regulation": tree.regulation,
        "level": tree.level,
        "grade_bounds": tree.grade_bounds,
        "rules": tree.rules,
        "scoring_method": tree.scoring_method,
        "answer_values": tree.answer_values,
        "fulfilled_from": format(tree.fulfilled_from.normalize(), "f")
        if tree.fulfilled_from is not None
        else None,
        "components": [
            {
                "number": c.number,
                "name": c.name,
                "weight": format(c.weight.normalize(), "f"),
                "subcomponents": [
                    {
                        "kind": s.kind,
                        "weight": format(s.weight.normalize(), "f"),
                        "criteria": [
                            {"text": k.text, "answer_type": k.answer_type} for k in s.criteria.all()
                        ],
                    }
                    for s in c.subcomponents.all()
                ],
            }
            for c in tree.components.all()
        ],
    }


def worksheet_copy(
    *, worksheet: SakipWorksheet, by: User, name: str, level: str | None = None
) -> SakipWorksheet:
    """A copy to edit, when the worksheet is already used by a final evaluation; or the
    starting point of the other level's worksheet (the units' from the government's)."""
    data = {
        **worksheet_export(worksheet),
        "name": name.strip() or f"{worksheet.name} (salinan)",
        "level": level or worksheet.level,
    }
    return worksheet_load(government=worksheet.government, data=data, by=by)


def _require_editable(worksheet: SakipWorksheet, by: User) -> None:
    require_same_government(by, worksheet.government_id)
    if not can_edit_worksheet(by):
        raise PermissionDenied(_("Hanya perencana atau inspektorat yang mengelola LKE."))
    if worksheet.evaluations.filter(status=SakipEvaluation.Status.FINAL).exists():
        raise ValidationError(
            _(
                "Lembar kerja ini sudah dipakai evaluasi final dan tidak diubah lagi; "
                "salin dulu, lalu ubah salinannya."
            ),
            code="lembar_kerja_dipakai_evaluasi",
        )


@transaction.atomic
def worksheet_weights_save(
    *,
    worksheet: SakipWorksheet,
    by: User,
    component_weights: dict[int, Decimal],
    subcomponent_weights: dict[int, Decimal],
    grade_bounds: list[list[str]],
    scoring_method: str | None = None,
) -> SakipWorksheet:
    """Change the weights, the grade bounds and the scoring method together, refused unless
    the weights add up."""
    _require_editable(worksheet, by)
    before = worksheet_export(worksheet)
    tree = selectors.worksheet_tree(worksheet)
    components = list(tree.components.all())
    for c in components:
        if c.pk in component_weights:
            c.weight = component_weights[c.pk]
        for s in c.subcomponents.all():
            if s.pk in subcomponent_weights:
                s.weight = subcomponent_weights[s.pk]
    # The prefetched objects carry the new weights: check them as the score would read them.
    spec = selectors.worksheet_spec(tree)
    _check_spec(spec)
    bounds = _check_bounds(grade_bounds)
    for c in components:
        c.save(update_fields=["weight"])
        for s in c.subcomponents.all():
            s.save(update_fields=["weight"])
    if scoring_method is not None and scoring_method not in sakip.METHODS:
        raise ValidationError(
            _("Metode penilaian %(method)s tidak dikenal: mean atau predicate."),
            code="scoring_method_unknown",
            params={"method": repr(scoring_method)},
        )
    worksheet.grade_bounds = bounds
    worksheet.scoring_method = scoring_method or worksheet.scoring_method
    worksheet.save(update_fields=["grade_bounds", "scoring_method"])
    record(
        actor=by,
        action="evaluation.worksheet_weights",
        obj=worksheet,
        before=before,
        after=worksheet_export(worksheet),
    )
    return worksheet


@transaction.atomic
def criterion_save(
    *,
    subcomponent: SakipSubComponent,
    criterion: SakipCriterion | None,
    text: str,
    answer_type: str,
    by: User,
) -> SakipCriterion:
    """Add a criterion to a sub-component, or change one's text or answer type."""
    worksheet = subcomponent.component.worksheet
    _require_editable(worksheet, by)
    text = text.strip()
    if not text:
        raise ValidationError(_("Teks kriteria wajib diisi."), code="teks_kriteria_wajib_diisi")
    if answer_type not in SakipCriterion.AnswerType.values:
        raise ValidationError(_("Jenis jawaban tidak dikenal."), code="jenis_jawaban_tidak_dikenal")
    if criterion is None:
        last = subcomponent.criteria.order_by("-number").first()
        criterion = SakipCriterion(
            subcomponent=subcomponent, number=(last.number + 1) if last else 1
        )
        before = None
    else:
        if criterion.subcomponent_id != subcomponent.pk:
            raise ValidationError(
                _("Kriteria bukan bagian subkomponen ini."),
                code="kriteria_bukan_bagian_subkomponen",
            )
        before = snapshot(criterion)
        if criterion.answer_type != answer_type:
            # Earlier answers of the other type would no longer mean anything.
            SakipAnswer.objects.filter(criterion=criterion).delete()
    criterion.text = text
    criterion.answer_type = answer_type
    criterion.save()
    record(
        actor=by,
        action="evaluation.criterion",
        obj=criterion,
        before=before,
        after=snapshot(criterion),
        government=worksheet.government,
    )
    return criterion


# --- SAKIP evaluation ------------------------------------------------------------------


@transaction.atomic
def evaluation_start(
    *, government: Government, year: int, unit: Unit | None, by: User
) -> SakipEvaluation:
    """Open the evaluation of the government (no unit) or of a unit for a year, on the
    government's newest worksheet of that level, with the tiers configured today. It starts
    at the self-assessment."""
    require_same_government(by, government.pk)
    if not can_evaluate(by):
        raise PermissionDenied(_("Hanya inspektorat yang membuka evaluasi SAKIP."))
    if unit is not None and unit.government_id != government.pk:
        raise PermissionDenied(_("Perangkat daerah dari pemerintah daerah lain."))
    level = SakipWorksheet.Level.UNIT if unit is not None else SakipWorksheet.Level.GOVERNMENT
    worksheet = selectors.active_worksheet(government, level)
    if worksheet is None:
        raise ValidationError(
            _("Belum ada lembar kerja evaluasi (LKE); muat dulu."),
            code="belum_lembar_kerja_evaluasi",
        )
    if SakipEvaluation.objects.filter(government=government, year=year, unit=unit).exists():
        raise ValidationError(
            _("Evaluasi untuk tahun dan perangkat daerah ini sudah ada."),
            code="evaluasi_tahun_perangkat_daerah",
        )
    evaluation = SakipEvaluation.objects.create(
        government=government,
        worksheet=worksheet,
        year=year,
        unit=unit,
        tier_names=[t.name for t in access.tiers_of(government.pk)],
    )
    record(
        actor=by,
        action="evaluation.sakip_start",
        obj=evaluation,
        before=None,
        after=snapshot(evaluation),
    )
    notify(
        access.self_assessors(evaluation),
        government=government,
        kind="sakip_stage",
        title=_("Isi penilaian mandiri SAKIP %(year)s") % {"year": year},
        body=_("Jawab setiap kriteria LKE dengan buktinya, lalu kirim ke penilai."),
        url=reverse("evaluation:sakip_evaluation", args=[evaluation.pk]),
    )
    return evaluation


def _tier_members(evaluation: SakipEvaluation, stage: int) -> list[User]:
    for tier in access.tiers_of(evaluation.government_id):
        if tier.number == stage:
            return list(User.objects.filter(pk__in=tier.members))
    return []


def _check_link(link: str) -> str:
    parsed = urlparse(link)
    if link.startswith("/") and not link.startswith("//"):
        return link
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return link
    raise ValidationError(
        _(
            "Tautan bukti %(link)s tidak sah: gunakan alamat http(s):// atau "
            "alamat di Kinerja (/...)."
        ),
        code="tautan_bukti_tidak_sah",
        params={"link": repr(link)},
    )


@transaction.atomic
def answers_save(
    *,
    evaluation: SakipEvaluation,
    answers: dict[int, dict[str, str]],
    by: User,
    qualifiers: dict[int, str] | None = None,
) -> int:
    """Save the answers of whoever's turn it is ({criterion id: {answer, note, links}}): the
    self-assessment at stage 0, a tier's review after. At stage 0 an empty answer removes
    one; a tier answers every criterion, and changing the answer it received needs a note.
    Every change is kept (`SakipAnswerChange`). Under the predicate method, `qualifiers` give a
    fully met sub-component its A or AA ({sub-component id: "A" | "AA" | ""}). Returns how many
    answers (and qualifiers) changed."""
    require_same_government(by, evaluation.government_id)
    evaluation = SakipEvaluation.objects.select_for_update().get(
        pk=evaluation.pk, government_id=evaluation.government_id
    )
    SakipEvaluation.WORKFLOW.check(evaluation, "answer")
    access.require_answerer(by, evaluation)
    stage = evaluation.stage
    criteria = {
        c.pk: c
        for c in SakipCriterion.objects.filter(
            subcomponent__component__worksheet=evaluation.worksheet_id
        ).select_related("subcomponent__component")
    }
    existing = {a.criterion_id: a for a in evaluation.answers.filter(stage=stage)}
    received = (
        dict(evaluation.answers.filter(stage=stage - 1).values_list("criterion_id", "answer"))
        if stage
        else {}
    )
    values = selectors.answer_values(evaluation.worksheet)
    changes: list[SakipAnswerChange] = []
    changed = 0
    errors = []
    for criterion_id, given in answers.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ValidationError(
                _("Kriteria bukan bagian lembar kerja evaluasi ini."),
                code="kriteria_bukan_bagian_lembar",
            )
        answer = (given.get("answer") or "").strip().upper()
        note = (given.get("note") or "").strip()
        try:
            links = [
                _check_link(x.strip()) for x in (given.get("links") or "").splitlines() if x.strip()
            ]
            sakip.answer_value(criterion.answer_type, answer, values)
        except ValueError:
            errors.append(
                ValidationError(
                    _("Kriteria %(criterion)s: jawaban %(answer)s tidak berlaku."),
                    code="answer_not_valid",
                    params={"criterion": criterion.code, "answer": repr(answer)},
                )
            )
            continue
        except ValidationError as exc:
            errors.extend(exc.error_list)
            continue
        if stage and not answer:
            errors.append(
                ValidationError(
                    _("Kriteria %(criterion)s: penilai menjawab setiap kriteria."),
                    code="sakip_tier_answers_all",
                    params={"criterion": criterion.code},
                )
            )
            continue
        if stage and answer != received.get(criterion_id) and not note:
            errors.append(
                ValidationError(
                    _(
                        "Kriteria %(criterion)s: jawaban diubah dari %(before)s menjadi "
                        "%(after)s; tulis catatan alasannya."
                    ),
                    code="sakip_change_needs_note",
                    params={
                        "criterion": criterion.code,
                        "before": received.get(criterion_id) or "–",
                        "after": answer,
                    },
                )
            )
            continue
        current = existing.get(criterion_id)
        before = current.answer if current else ""
        text_links = "\n".join(links)
        if not answer:
            if current is not None:
                current.delete()
                changed += 1
                changes.append(_change(evaluation, criterion, stage, before, "", note, by))
            continue
        if current is None:
            SakipAnswer.objects.create(
                evaluation=evaluation,
                criterion=criterion,
                stage=stage,
                answer=answer,
                note=note,
                evidence_links=text_links,
                answered_by=by,
            )
        elif (current.answer, current.note, current.evidence_links) != (answer, note, text_links):
            current.answer, current.note, current.evidence_links = answer, note, text_links
            current.answered_by = by
            current.save()
        else:
            continue
        changed += 1
        if before != answer or (current is not None and note != current.note):
            changes.append(_change(evaluation, criterion, stage, before, answer, note, by))
    if qualifiers:
        changed += _qualifiers_set(evaluation, qualifiers, errors)
    if errors:
        raise ValidationError(errors)
    if changes:
        SakipAnswerChange.objects.bulk_create(changes)
    if changed:
        record(
            actor=by,
            action="evaluation.sakip_answers",
            obj=evaluation,
            before=None,
            after={
                "stage": stage,
                "changed": changed,
                "changes": [
                    {
                        "criterion": criteria[c.criterion_id].code,
                        "before": c.before,
                        "after": c.after,
                        "note": c.note,
                    }
                    for c in changes
                ],
            },
        )
    return changed


def _qualifiers_set(
    evaluation: SakipEvaluation, qualifiers: dict[int, str], errors: list[ValidationError]
) -> int:
    """Record the stage's sub-component qualifiers; how many changed."""
    subs = set(
        SakipSubComponent.objects.filter(component__worksheet=evaluation.worksheet_id).values_list(
            "pk", flat=True
        )
    )
    stage = str(evaluation.stage)
    current = dict((evaluation.qualifiers or {}).get(stage, {}))
    changed = 0
    for sub, qualifier in qualifiers.items():
        if sub not in subs:
            raise ValidationError(
                _("Subkomponen bukan bagian lembar kerja evaluasi ini."), code="qualifier_sub"
            )
        qualifier = (qualifier or "").strip().upper()
        if qualifier and evaluation.worksheet.scoring_method != SakipWorksheet.Method.PREDICATE:
            errors.append(
                ValidationError(
                    _("Kualifikasi A/AA hanya berlaku pada metode predikat subkomponen."),
                    code="qualifier_method",
                )
            )
            continue
        if qualifier not in ("", *sakip.QUALIFIED):
            errors.append(
                ValidationError(_("Kualifikasi harus A, AA atau kosong."), code="qualifier_value")
            )
            continue
        if current.get(str(sub), "") != qualifier:
            changed += 1
            if qualifier:
                current[str(sub)] = qualifier
            else:
                current.pop(str(sub), None)
    if changed:
        evaluation.qualifiers = {**(evaluation.qualifiers or {}), stage: current}
        evaluation.save(update_fields=["qualifiers"])
    return changed


def _change(
    evaluation: SakipEvaluation,
    criterion: SakipCriterion,
    stage: int,
    before: str,
    after: str,
    note: str,
    by: User,
) -> SakipAnswerChange:
    return SakipAnswerChange(
        government_id=evaluation.government_id,
        evaluation=evaluation,
        criterion=criterion,
        stage=stage,
        before=before,
        after=after,
        note=note,
        by=by,
    )


def _require_complete(evaluation: SakipEvaluation, tree: SakipWorksheet) -> sakip.Score:
    result = selectors.evaluation_score(evaluation, tree)
    if not result.complete:
        raise ValidationError(
            _("Baru %(answered)s dari %(criteria)s kriteria dijawab; jawab semuanya dulu."),
            code="baru_kriteria_dijawab_jawab",
            params={"answered": result.answered, "criteria": result.criteria},
        )
    return result


@transaction.atomic
def evaluation_submit(*, evaluation: SakipEvaluation, by: User) -> SakipEvaluation:
    """Pass the evaluation on: the self-assessment to the first tier, a tier to the next.
    The next stage starts from these answers; the stage just left can no longer change."""
    require_same_government(by, evaluation.government_id)
    evaluation = SakipEvaluation.objects.select_for_update().get(
        pk=evaluation.pk, government_id=evaluation.government_id
    )
    SakipEvaluation.WORKFLOW.check(evaluation, "submit")
    access.require_answerer(by, evaluation)
    if evaluation.stage >= evaluation.last_stage:
        raise ValidationError(
            _("Ini tahap terakhir: tetapkan hasil evaluasinya."), code="sakip_last_stage"
        )
    tree = selectors.worksheet_tree(evaluation.worksheet)
    result = _require_complete(evaluation, tree)
    stage = evaluation.stage
    SakipAnswer.objects.bulk_create(
        SakipAnswer(
            government_id=evaluation.government_id,
            evaluation=evaluation,
            criterion_id=a.criterion_id,
            stage=stage + 1,
            answer=a.answer,
            note="",
            evidence_links=a.evidence_links,
            answered_by=by,
        )
        for a in evaluation.answers.filter(stage=stage)
    )
    before = snapshot(evaluation)
    if stage == 0:
        evaluation.self_score = result.total.quantize(Decimal("0.0001"))
    given = (evaluation.qualifiers or {}).get(str(stage))
    if given:
        evaluation.qualifiers = {**evaluation.qualifiers, str(stage + 1): dict(given)}
    evaluation.stage = stage + 1
    evaluation.save(update_fields=["stage", "self_score", "qualifiers"])
    record(
        actor=by,
        action="evaluation.sakip_submit",
        obj=evaluation,
        before=before,
        after=snapshot(evaluation),
    )
    notify(
        _tier_members(evaluation, evaluation.stage),
        government=evaluation.government,
        kind="sakip_stage",
        title=_("Evaluasi SAKIP %(year)s %(who)s menunggu tahap %(stage)s")
        % {
            "year": evaluation.year,
            "who": evaluation.unit.name if evaluation.unit else evaluation.government.name,
            "stage": evaluation.stage_name(),
        },
        body=_("Tinjau setiap jawaban: terima, atau ubah dengan catatan."),
        url=reverse("evaluation:sakip_evaluation", args=[evaluation.pk]),
    )
    return evaluation


@transaction.atomic
def evaluation_finalize(*, evaluation: SakipEvaluation, by: User) -> SakipEvaluation:
    """The last tier fixes the score and grade from its answers; every criterion answered."""
    require_same_government(by, evaluation.government_id)
    evaluation = SakipEvaluation.objects.select_for_update().get(
        pk=evaluation.pk, government_id=evaluation.government_id
    )
    SakipEvaluation.WORKFLOW.check(evaluation, "finalize")
    access.require_answerer(by, evaluation)
    if evaluation.stage < evaluation.last_stage:
        raise ValidationError(
            _("Hasil evaluasi ditetapkan oleh tahap terakhir (%(stage)s)."),
            code="sakip_not_last_stage",
            params={"stage": evaluation.stage_name(evaluation.last_stage)},
        )
    tree = selectors.worksheet_tree(evaluation.worksheet)
    result = _require_complete(evaluation, tree)
    # The grade comes from the exact score (a third of a point is not rounded into the next
    # grade); the stored score keeps four places for display.
    SakipEvaluation.WORKFLOW.apply(
        evaluation,
        "finalize",
        by=by,
        action="evaluation.sakip_final",
        changes={
            "grade": sakip.grade(result.total, selectors.grade_bounds(tree)),
            "score": result.total.quantize(Decimal("0.0001")),
            "finalized_at": timezone.now(),
            "finalized_by": by,
        },
    )
    notify(
        access.self_assessors(evaluation),
        government=evaluation.government,
        kind="sakip_stage",
        title=_("Hasil evaluasi SAKIP %(year)s ditetapkan: %(grade)s")
        % {"year": evaluation.year, "grade": evaluation.grade},
        url=reverse("evaluation:sakip_evaluation", args=[evaluation.pk]),
    )
    return evaluation


# --- tiers of evaluators -----------------------------------------------------------------

MAX_TIERS = 5


@transaction.atomic
def tiers_save(
    *, government: Government, tiers: list[tuple[str, list[int]]], by: User
) -> list[SakipTier]:
    """Set the government's tiers of evaluators, in order: each a name and its members (the
    inspectorate's people, each in one tier only). Evaluations already opened keep the
    tiers they were opened with; no tier an open evaluation still needs can be removed."""
    require_same_government(by, government.pk)
    if not can_edit_worksheet(by):
        raise PermissionDenied(_("Hanya perencana atau inspektorat yang mengatur tingkat penilai."))
    if not 1 <= len(tiers) <= MAX_TIERS:
        raise ValidationError(
            _("Atur 1 sampai %(max)s tingkat penilai."),
            code="tiers_count",
            params={"max": MAX_TIERS},
        )
    inspectors = set(
        RoleAssignment.objects.filter(
            user__government=government, role=Role.INSPECTOR, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    seen: set[int] = set()
    errors = []
    for number, (name, members) in enumerate(tiers, start=1):
        if not name.strip() or len(name.strip()) > 80:
            errors.append(
                ValidationError(
                    _("Tingkat %(number)s: nama wajib diisi, paling panjang 80 huruf."),
                    code="tier_name",
                    params={"number": number},
                )
            )
        if not members:
            errors.append(
                ValidationError(
                    _("Tingkat %(number)s: pilih paling sedikit satu penilai."),
                    code="tier_no_member",
                    params={"number": number},
                )
            )
        for user_id in members:
            if user_id not in inspectors:
                raise PermissionDenied(_("Penilai harus orang inspektorat pemerintah daerah ini."))
            if user_id in seen:
                errors.append(
                    ValidationError(
                        _("Tingkat %(number)s: seorang penilai hanya duduk di satu tingkat."),
                        code="tier_member_twice",
                        params={"number": number},
                    )
                )
            seen.add(user_id)
    open_stages = SakipEvaluation.objects.filter(
        government=government, status=SakipEvaluation.Status.DRAFT
    ).values_list("stage", flat=True)
    needed = max(open_stages, default=0)
    if len(tiers) < needed:
        errors.append(
            ValidationError(
                _(
                    "Ada evaluasi yang sedang di tingkat %(stage)s; pertahankan paling sedikit "
                    "%(stage)s tingkat sampai evaluasi itu final."
                ),
                code="tier_in_use",
                params={"stage": needed},
            )
        )
    if errors:
        raise ValidationError(errors)
    before = [
        {"number": t.number, "name": t.name, "members": sorted(t.members)}
        for t in access.tiers_of(government.pk)
    ]
    SakipTier.objects.filter(government=government).delete()
    saved = []
    for number, (name, members) in enumerate(tiers, start=1):
        tier = SakipTier.objects.create(government=government, number=number, name=name.strip())
        SakipTierMember.objects.bulk_create(
            SakipTierMember(government=government, tier=tier, user_id=u) for u in members
        )
        saved.append(tier)
    record(
        actor=by,
        action="evaluation.sakip_tiers",
        obj=government,
        before={"tiers": before},
        after={
            "tiers": [
                {"number": n, "name": name.strip(), "members": sorted(members)}
                for n, (name, members) in enumerate(tiers, start=1)
            ]
        },
        government=government,
    )
    return saved
