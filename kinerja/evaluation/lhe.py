"""The evaluation's report (LHE, Laporan Hasil Evaluasi): findings and recommendations per
component drafted from the final answers, edited by the inspectorate, issued as a PDF signed
with the documents machinery; and each recommendation's follow-up (tindak lanjut) by the
evaluated party, read again by the next year's evaluation.

Reads: `draft_items`, `previous_recommendations`. Writes (one transaction, one audit row
each): `lhe_draft`, `lhe_save`, `lhe_issue`, `follow_up_save`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.accounts.notices import notify
from kinerja.core.audit import record, snapshot
from kinerja.core.uploads import store_evidence
from kinerja.documents.models import Document
from kinerja.documents.services import Signatory, document_issue
from kinerja.evaluation import access, sakip, selectors
from kinerja.evaluation.evidence import EVIDENCE_TYPES
from kinerja.evaluation.models import (
    EvidenceDocument,
    LheRecommendation,
    LheReport,
    SakipComponent,
    SakipEvaluation,
)

# How many of a component's weakest criteria a drafted finding names.
NAMED = 3
MAX_ITEMS = 40
MAX_TEXT = 4000


@dataclass(frozen=True)
class DraftItem:
    component: SakipComponent
    finding: str
    recommendation: str


def who_of(evaluation: SakipEvaluation) -> str:
    return (
        evaluation.unit.name
        if evaluation.unit_id and evaluation.unit
        else evaluation.government.name
    )


def draft_items(evaluation: SakipEvaluation) -> list[DraftItem]:
    """A finding and a recommendation for each component whose criteria are not all fully met,
    naming the weakest of them, from the final answers."""
    tree = selectors.worksheet_tree(evaluation.worksheet)
    result = selectors.evaluation_score(evaluation, tree)
    values = selectors.answer_values(tree)
    given = dict(
        evaluation.answers.filter(stage=evaluation.stage).values_list("criterion_id", "answer")
    )
    items = []
    for component in tree.components.all():
        criteria = [k for s in component.subcomponents.all() for k in s.criteria.all()]
        weak = []
        for k in criteria:
            value = sakip.answer_value(k.answer_type, given.get(k.pk), values) or Decimal(0)
            if value < 1:
                weak.append((value, k))
        if not weak:
            continue
        weak.sort(key=lambda pair: (pair[0], pair[1].code))
        points = result.components.get(component.pk) or Decimal(0)
        named = "; ".join(
            f"{k.code} ({given.get(k.pk) or '–'}) {k.text.rstrip('. ')}" for _v, k in weak[:NAMED]
        )
        named += "."
        finding = _(
            "Komponen %(name)s memperoleh nilai %(points)s dari bobot %(weight)s. "
            "%(weak)s dari %(all)s kriteria belum terpenuhi sepenuhnya, terutama: %(named)s"
        ) % {
            "name": component.name,
            "points": formats.number_format(points, 2),
            "weight": formats.number_format(component.weight, 2),
            "weak": len(weak),
            "all": len(criteria),
            "named": named,
        }
        recommendation = _(
            "Agar %(who)s memenuhi kriteria %(codes)s pada komponen %(name)s, dengan bukti "
            "dokumen yang ditetapkan, dan melaporkan tindak lanjutnya sebelum evaluasi berikutnya."
        ) % {
            "who": who_of(evaluation),
            "codes": ", ".join(k.code for _v, k in weak[:NAMED]),
            "name": component.name,
        }
        items.append(DraftItem(component, finding, recommendation))
    return items


def previous_recommendations(evaluation: SakipEvaluation) -> list[LheRecommendation]:
    """The recommendations of the same party's latest earlier issued LHE, with their
    follow-up: what this year's evaluators check."""
    report = (
        LheReport.objects.filter(
            government_id=evaluation.government_id,
            evaluation__unit=evaluation.unit,
            evaluation__year__lt=evaluation.year,
            status=LheReport.Status.ISSUED,
        )
        .select_related("evaluation")
        .order_by("-evaluation__year")
        .first()
    )
    if report is None:
        return []
    return list(report.items.select_related("component", "evidence"))


def _require_inspectorate(by: User, evaluation: SakipEvaluation) -> None:
    access.require_same_government(by, evaluation.government_id)
    if not access.can_evaluate(by):
        raise PermissionDenied(_("Hanya inspektorat yang menyusun LHE."))


@transaction.atomic
def lhe_draft(*, evaluation: SakipEvaluation, by: User) -> LheReport:
    """The LHE of a final evaluation, drafted from its scores: a conclusion, and a finding
    with its recommendation for each component not fully met."""
    _require_inspectorate(by, evaluation)
    evaluation = SakipEvaluation.objects.select_for_update().get(
        pk=evaluation.pk, government_id=evaluation.government_id
    )
    if evaluation.status != SakipEvaluation.Status.FINAL:
        raise ValidationError(
            _("LHE disusun sesudah hasil evaluasi ditetapkan."), code="lhe_needs_final"
        )
    if LheReport.objects.filter(evaluation=evaluation).exists():
        raise ValidationError(_("LHE evaluasi ini sudah ada."), code="lhe_exists")
    summary = _(
        "Hasil evaluasi atas implementasi SAKIP %(who)s tahun %(year)s memperoleh nilai "
        "%(score)s dengan predikat %(grade)s."
    ) % {
        "who": who_of(evaluation),
        "year": evaluation.year,
        "score": formats.number_format(evaluation.score or Decimal(0), 2),
        "grade": evaluation.grade,
    }
    report = LheReport.objects.create(
        government_id=evaluation.government_id,
        evaluation=evaluation,
        summary=summary,
        created_by=by,
    )
    LheRecommendation.objects.bulk_create(
        LheRecommendation(
            government_id=evaluation.government_id,
            report=report,
            component=item.component,
            number=n,
            finding=item.finding,
            recommendation=item.recommendation,
        )
        for n, item in enumerate(draft_items(evaluation), start=1)
    )
    record(
        actor=by,
        action="evaluation.lhe_draft",
        obj=report,
        before=None,
        after={"summary": summary, "items": report.items.count()},
    )
    return report


def _items_state(report: LheReport) -> list[dict[str, Any]]:
    return [
        {
            "number": i.number,
            "component": i.component_id,
            "finding": i.finding,
            "recommendation": i.recommendation,
        }
        for i in report.items.all()
    ]


@transaction.atomic
def lhe_save(
    *, report: LheReport, summary: str, items: list[dict[str, Any]], by: User
) -> LheReport:
    """Replace the draft's conclusion and its findings and recommendations, in order: each
    item {component (id or None), finding, recommendation}; an item with neither is dropped."""
    _require_inspectorate(by, report.evaluation)
    report = LheReport.objects.select_for_update().get(
        pk=report.pk, government_id=report.government_id
    )
    LheReport.WORKFLOW.check(report, "edit")
    components = set(
        SakipComponent.objects.filter(worksheet=report.evaluation.worksheet_id).values_list(
            "pk", flat=True
        )
    )
    clean = []
    errors = []
    for n, item in enumerate(items[:MAX_ITEMS], start=1):
        finding = str(item.get("finding") or "").strip()[:MAX_TEXT]
        recommendation = str(item.get("recommendation") or "").strip()[:MAX_TEXT]
        component = item.get("component")
        if not finding and not recommendation:
            continue
        if not recommendation:
            errors.append(
                ValidationError(
                    _("Butir %(n)s: rekomendasi wajib diisi."),
                    code="lhe_item_empty",
                    params={"n": n},
                )
            )
            continue
        if component is not None and component not in components:
            raise PermissionDenied(_("Komponen bukan bagian lembar kerja evaluasi ini."))
        clean.append((component, finding, recommendation))
    if errors:
        raise ValidationError(errors)
    before = {"summary": report.summary, "items": _items_state(report)}
    report.summary = summary.strip()[:MAX_TEXT]
    report.save(update_fields=["summary"])
    report.items.all().delete()
    LheRecommendation.objects.bulk_create(
        LheRecommendation(
            government_id=report.government_id,
            report=report,
            component_id=component,
            number=n,
            finding=finding,
            recommendation=recommendation,
        )
        for n, (component, finding, recommendation) in enumerate(clean, start=1)
    )
    record(
        actor=by,
        action="evaluation.lhe_save",
        obj=report,
        before=before,
        after={"summary": report.summary, "items": _items_state(report)},
    )
    return report


def component_points(report: LheReport) -> list[dict[str, Any]]:
    """Each component of the evaluation's worksheet with its final points."""
    evaluation = report.evaluation
    tree = selectors.worksheet_tree(evaluation.worksheet)
    result = selectors.evaluation_score(evaluation, tree)
    return [
        {"component": c, "points": result.components.get(c.pk) or Decimal(0)}
        for c in tree.components.all()
    ]


@transaction.atomic
def lhe_issue(*, report: LheReport, by: User, on: datetime.date | None = None) -> Document:
    """Issue the LHE as a PDF to be signed by the one who issues it (the inspectorate), and
    tell the evaluated party its recommendations await their follow-up."""
    _require_inspectorate(by, report.evaluation)
    report = (
        LheReport.objects.select_for_update(of=("self",))
        .select_related("evaluation__unit", "evaluation__government")
        .get(pk=report.pk, government_id=report.government_id)
    )
    LheReport.WORKFLOW.check(report, "issue")
    signer = by.person
    if signer is None:
        raise ValidationError(
            _("Akun ini tidak terhubung dengan pejabat yang dapat menandatangani."),
            code="lhe_no_signer",
        )
    evaluation = report.evaluation
    if not report.items.exists():
        raise ValidationError(
            _("LHE tanpa rekomendasi; tambahkan paling sedikit satu."), code="lhe_no_items"
        )
    government = evaluation.government
    place = government.seat or government.name
    day = on or timezone.localdate()
    document = document_issue(
        government=government,
        kind=Document.Kind.LHE,
        subject=f"lhe:{evaluation.pk}",
        title=_("Laporan Hasil Evaluasi SAKIP %(year)s %(who)s")
        % {"year": evaluation.year, "who": who_of(evaluation)},
        template="evaluation/lhe_pdf.html",
        context={
            "evaluation": evaluation,
            "report": report,
            "who": who_of(evaluation),
            "components": component_points(report),
            "items": list(report.items.select_related("component")),
        },
        signatories=[
            Signatory(signer, _("Inspektur %(place)s") % {"place": place}, _("Evaluator"))
        ],
        place_and_date=f"{place}, {formats.date_format(day, 'j F Y')}",
        by=by,
    )
    LheReport.WORKFLOW.apply(
        report,
        "issue",
        by=by,
        action="evaluation.lhe_issue",
        changes={"document": document, "issued_at": timezone.now()},
    )
    notify(
        access.self_assessors(evaluation),
        government=government,
        kind="follow_up",
        title=_("LHE SAKIP %(year)s terbit: %(n)s rekomendasi untuk ditindaklanjuti")
        % {"year": evaluation.year, "n": report.items.count()},
        url=reverse("evaluation:lhe", args=[evaluation.pk]),
    )
    return document


def can_follow_up(user: User, report: LheReport) -> bool:
    return report.status == LheReport.Status.ISSUED and access.can_self_assess(
        user, report.evaluation
    )


@transaction.atomic
def follow_up_save(
    *,
    item: LheRecommendation,
    status: str,
    follow_up: str,
    followed_on: datetime.date | None,
    by: User,
    file: tuple[bytes, str] | None = None,
) -> LheRecommendation:
    """The evaluated party reports what it did about a recommendation: its status, what was
    done, when, and a file as evidence (kept in the evidence library)."""
    report = LheReport.objects.select_related("evaluation").get(pk=item.report_id)
    access.require_same_government(by, report.government_id)
    if not can_follow_up(by, report):
        raise PermissionDenied(
            _("Tindak lanjut diisi oleh pihak yang dievaluasi, sesudah LHE terbit.")
        )
    if status not in LheRecommendation.Status.values:
        raise ValidationError(_("Status tindak lanjut tidak dikenal."), code="follow_up_status")
    today = timezone.localdate()
    if followed_on is not None and not (
        datetime.date(report.evaluation.year, 1, 1) <= followed_on <= today
    ):
        raise ValidationError(
            _("Tanggal tindak lanjut antara awal tahun evaluasi dan hari ini."),
            code="follow_up_date",
        )
    if status == LheRecommendation.Status.DONE and not (follow_up.strip() and followed_on):
        raise ValidationError(
            _("Tindak lanjut yang selesai perlu uraian dan tanggalnya."), code="follow_up_done"
        )
    item = LheRecommendation.objects.select_for_update().get(
        pk=item.pk, government_id=item.government_id
    )
    before = snapshot(item)
    if file is not None:
        data, name = file
        item.evidence = store_evidence(
            EvidenceDocument(
                government_id=report.government_id,
                unit_id=report.evaluation.unit_id,
                year=(followed_on or today).year,
                kind=EvidenceDocument.Kind.OTHER,
                title=(
                    _("Tindak lanjut LHE %(year)s butir %(n)s")
                    % {"year": report.evaluation.year, "n": item.number}
                )[:200],
                added_by=by,
            ),
            data,
            name,
            allowed=EVIDENCE_TYPES,
        )
    item.status = status
    item.follow_up = follow_up.strip()[:MAX_TEXT]
    item.followed_on = followed_on
    item.followed_by = by
    item.save()
    record(
        actor=by,
        action="evaluation.lhe_follow_up",
        obj=item,
        before=before,
        after=snapshot(item),
        government=report.government,
    )
    return item
