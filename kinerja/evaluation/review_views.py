"""SAKIP evaluation pages by stage: the worksheet answered by whoever's turn it is (the unit's
self-assessment, then each tier of evaluators), the self-assessed and current answers side by
side with every change kept, the evidence of each criterion, passing on and finalising, and
the tiers of evaluators.

Every view: access helper, then a form, then one service call, then render or redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts.access import get_for_user, government_for, signed_in_user
from kinerja.accounts.models import Role, RoleAssignment, User
from kinerja.core.numbers import format_decimal
from kinerja.core.uploads import evidence_response
from kinerja.core.web import attempt, confirm_page, confirmed
from kinerja.documents.routes import sign_url
from kinerja.evaluation import access, evidence, lhe, sakip, selectors, services, word
from kinerja.evaluation.forms import EvidencePickForm, EvidenceUploadForm, FollowUpForm
from kinerja.evaluation.models import (
    EvidenceDocument,
    LheRecommendation,
    LheReport,
    SakipAnswerChange,
    SakipCriterion,
    SakipEvaluation,
    SakipEvidence,
    SakipWorksheet,
)

MAX_TEXT = 4000


def _evaluation_for(user: User, pk: int) -> SakipEvaluation:
    evaluation = get_for_user(
        user, SakipEvaluation.objects.select_related("unit", "worksheet", "government"), pk
    )
    access.require_unit_reader(user, evaluation.unit)
    return evaluation


def _posted_answers(request: HttpRequest) -> dict[int, dict[str, str]]:
    ids = [int(k[7:]) for k in request.POST if k.startswith("answer_") and k[7:].isdigit()]
    return {
        i: {
            "answer": request.POST.get(f"answer_{i}", "")[:2],
            "note": request.POST.get(f"note_{i}", "")[:MAX_TEXT],
            "links": request.POST.get(f"links_{i}", "")[:MAX_TEXT],
        }
        for i in ids[:1000]
    }


@require_http_methods(["GET", "POST"])
def sakip_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    evaluation = _evaluation_for(user, pk)
    editable = access.can_answer(user, evaluation)
    if request.method == "POST":
        access.require_answerer(user, evaluation)
        if attempt(
            request,
            lambda: services.answers_save(
                evaluation=evaluation,
                answers=_posted_answers(request),
                qualifiers={
                    int(k[2:]): request.POST[k][:2]
                    for k in list(request.POST)[:2000]
                    if k.startswith("q_") and k[2:].isdigit()
                },
                by=user,
            ),
            _("Jawaban disimpan."),
        ):
            return redirect("evaluation:sakip_evaluation", evaluation.pk)
    tree = selectors.worksheet_tree(evaluation.worksheet)
    stage = evaluation.stage
    by_stage: dict[int, dict[int, Any]] = {}
    for a in evaluation.answers.select_related("answered_by__person"):
        by_stage.setdefault(a.stage, {})[a.criterion_id] = a
    own = by_stage.get(stage, {})
    selfs = by_stage.get(0, {})
    received = by_stage.get(stage - 1, {}) if stage else {}
    changes: dict[int, list[SakipAnswerChange]] = {}
    for change in evaluation.changes.filter(stage__gt=0).select_related("by__person"):
        change.stage_label = evaluation.stage_name(change.stage)  # type: ignore[attr-defined]
        changes.setdefault(change.criterion_id, []).append(change)
    proofs: dict[int, list[SakipEvidence]] = {}
    for p in evaluation.evidence.select_related("document"):
        proofs.setdefault(p.criterion_id, []).append(p)
    posted = request.POST if request.method == "POST" else None
    result = selectors.evaluation_score(evaluation, tree)
    self_result = selectors.evaluation_score(evaluation, tree, stage=0) if stage else result
    values = selectors.answer_values(tree)
    warnings = selectors.inconsistencies(evaluation, tree)
    flagged = {w.criterion.pk for w in warnings}
    given_qualifiers = selectors.qualifiers_at(evaluation, stage)
    components = []
    for c in tree.components.all():
        subs = []
        for s in c.subcomponents.all():
            rows = []
            for k in s.criteria.all():
                mine = own.get(k.pk)
                given = received.get(k.pk)
                base = selfs.get(k.pk) if evaluation.status == "final" else given
                rows.append(
                    {
                        "criterion": k,
                        "answer": posted.get(f"answer_{k.pk}", "")
                        if posted
                        else (mine.answer if mine else ""),
                        "note": posted.get(f"note_{k.pk}", "")
                        if posted
                        else (mine.note if mine else ""),
                        "links": posted.get(f"links_{k.pk}", "")
                        if posted
                        else (mine.evidence_links if mine else ""),
                        "link_list": mine.links if mine else [],
                        "self": selfs.get(k.pk),
                        "received": given,
                        # Changed by this tier (from what it received) while under way; from
                        # the self-assessment once final.
                        "changed": bool(stage and mine and base and mine.answer != base.answer),
                        "base": base,
                        "history": changes.get(k.pk, []),
                        "evidence": proofs.get(k.pk, []),
                        "options": list(values[k.answer_type]),
                        "flagged": k.pk in flagged,
                    }
                )
            subs.append(
                {
                    "sub": s,
                    "rows": rows,
                    "points": result.subcomponents.get(s.pk),
                    "predicate": result.predicates.get(s.pk, ""),
                    "qualifier": given_qualifiers.get(s.pk, ""),
                }
            )
        components.append({"component": c, "subs": subs, "points": result.components.get(c.pk)})
    stages = [
        {"number": n, "name": evaluation.stage_name(n)} for n in range(evaluation.last_stage + 1)
    ]
    return render(
        request,
        "evaluation/sakip_evaluation.html",
        {
            "evaluation": evaluation,
            "components": components,
            "result": result,
            "self_result": self_result,
            "live_grade": sakip.grade(result.total, selectors.grade_bounds(tree)),
            "self_grade": sakip.grade(self_result.total, selectors.grade_bounds(tree)),
            "editable": editable,
            "is_last": stage >= evaluation.last_stage,
            "next_stage": evaluation.stage_name(stage + 1) if stage < evaluation.last_stage else "",
            "stages": stages,
            "warnings": warnings,
            "predicate_method": tree.scoring_method == SakipWorksheet.Method.PREDICATE,
            "previous": lhe.previous_recommendations(evaluation),
            "report": LheReport.objects.filter(evaluation=evaluation).first(),
            "can_write_lhe": access.can_evaluate(user),
        },
    )


def _warning_text(w: selectors.Warning) -> str:
    return _(
        "%(code)s (%(value)s) dinilai lebih tinggi dari prasyaratnya %(prerequisite)s "
        "(%(prerequisite_value)s)."
    ) % {
        "code": w.criterion.code,
        "value": format_decimal(w.value),
        "prerequisite": w.prerequisite.code,
        "prerequisite_value": format_decimal(w.prerequisite_value),
    }


def _stage_step(
    request: HttpRequest,
    pk: int,
    *,
    title: Callable[[SakipEvaluation], str],
    lead: Callable[[SakipEvaluation], str],
    button: str,
    step: Callable[[SakipEvaluation, User], Any],
    done: str,
) -> HttpResponse:
    """Send on or finalise, by whoever's turn it is, after a confirmation that lists the
    consistency rules the answers break."""
    user = signed_in_user(request)
    evaluation = _evaluation_for(user, pk)
    access.require_answerer(user, evaluation)
    if not confirmed(request):
        return confirm_page(
            request,
            title=title(evaluation),
            lead=lead(evaluation),
            items=[_warning_text(w) for w in selectors.inconsistencies(evaluation)],
            items_title=_("Periksa dulu: jawaban yang melanggar kerangka logis"),
            button=button,
            back=reverse("evaluation:sakip_evaluation", args=[evaluation.pk]),
        )
    attempt(request, lambda: step(evaluation, user), done)
    return redirect("evaluation:sakip_evaluation", evaluation.pk)


@require_POST
def sakip_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Pass the evaluation to the next stage, after a confirmation."""
    return _stage_step(
        request,
        pk,
        title=lambda e: (
            _("Kirim evaluasi SAKIP %(year)s ke %(stage)s")
            % {"year": e.year, "stage": e.stage_name(e.stage + 1)}
        ),
        lead=lambda e: (
            _(
                "Jawaban tahap %(stage)s dikunci dan diteruskan; tahap berikutnya mulai dari "
                "jawaban ini dan mencatat setiap perubahan beserta catatannya."
            )
            % {"stage": e.stage_name()}
        ),
        button=_("Ya, kirim"),
        step=lambda e, user: services.evaluation_submit(evaluation=e, by=user),
        done=_("Evaluasi diteruskan."),
    )


@require_POST
def sakip_finalize(request: HttpRequest, pk: int) -> HttpResponse:
    """The last tier fixes the score and grade, after a confirmation."""
    return _stage_step(
        request,
        pk,
        title=lambda e: _("Tetapkan evaluasi SAKIP %(year)s") % {"year": e.year},
        lead=lambda e: _(
            "Jawaban, nilai dan predikat evaluasi ini ditetapkan dan tidak dapat diubah "
            "lagi; laporan dan portal publik memakainya."
        ),
        button=_("Ya, tetapkan"),
        step=lambda e, user: services.evaluation_finalize(evaluation=e, by=user),
        done=_("Evaluasi ditetapkan."),
    )


# --- evidence ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sakip_evidence(request: HttpRequest, pk: int, criterion: int) -> HttpResponse:
    """One criterion's evidence: what is offered, and (on one's turn) a file to upload or a
    document to pick from the library or from Kinerja's own."""
    user = signed_in_user(request)
    evaluation = _evaluation_for(user, pk)
    item = (
        SakipCriterion.objects.filter(
            government_id=evaluation.government_id,
            pk=criterion,
            subcomponent__component__worksheet=evaluation.worksheet_id,
        )
        .select_related("subcomponent__component")
        .first()
    )
    if item is None:
        raise Http404
    editable = access.can_answer(user, evaluation)
    kept = list(evidence.library(evaluation))
    offered = evidence.kinerja_documents(evaluation)
    choices = [
        (
            _("Dokumen Kinerja"),
            [
                (d.key, f"{EvidenceDocument.Kind(d.kind).label} {d.year}: {d.title}")
                for d in offered
            ],
        ),
        (_("Pustaka bukti"), [(f"lib:{d.pk}", str(d)) for d in kept]),
    ]
    upload = EvidenceUploadForm(initial={"year": evaluation.year})
    pick = EvidencePickForm(choices=choices)
    back = reverse("evaluation:sakip_evidence", args=[evaluation.pk, item.pk])
    if request.method == "POST":
        access.require_answerer(user, evaluation)
        action = request.POST.get("action")
        if action == "upload":
            upload = EvidenceUploadForm(request.POST, request.FILES)
            if upload.is_valid():
                data, name = upload.cleaned_data["file"]
                if attempt(
                    request,
                    lambda: evidence.evidence_upload(
                        evaluation=evaluation,
                        criterion_id=item.pk,
                        data=data,
                        filename=name,
                        kind=upload.cleaned_data["kind"],
                        title=upload.cleaned_data["title"],
                        year=upload.cleaned_data["year"],
                        by=user,
                    ),
                    _("Berkas bukti disimpan."),
                ):
                    return redirect(back)
        elif action == "pick":
            pick = EvidencePickForm(request.POST, choices=choices)
            if pick.is_valid() and attempt(
                request,
                lambda: evidence.evidence_pick(
                    evaluation=evaluation,
                    criterion_id=item.pk,
                    key=pick.cleaned_data["key"],
                    by=user,
                ),
                _("Dokumen ditambahkan sebagai bukti."),
            ):
                return redirect(back)
        elif action == "remove":
            link = get_for_user(
                user, SakipEvidence.objects.filter(evaluation=evaluation), request.POST.get("id")
            )
            if attempt(
                request,
                lambda: evidence.evidence_remove(evidence=link, by=user),
                _("Bukti dilepas dari kriteria ini; dokumennya tetap di pustaka."),
            ):
                return redirect(back)
        else:
            messages.error(request, _("Permintaan tidak dikenal."))
    return render(
        request,
        "evaluation/sakip_evidence.html",
        {
            "evaluation": evaluation,
            "criterion": item,
            "evidence": evaluation.evidence.filter(criterion=item).select_related(
                "document", "added_by__person"
            ),
            "editable": editable,
            "upload": upload,
            "pick": pick,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """An evidence document: its stored bytes, or Kinerja's own document at its address."""
    user = signed_in_user(request)
    document = EvidenceDocument.objects.filter(evidence.documents_readable_by(user), pk=pk).first()
    if document is None:
        raise Http404
    if document.url:
        return redirect(document.url)
    return evidence_response(document)


# --- tiers ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sakip_tiers(request: HttpRequest) -> HttpResponse:
    """The government's tiers of evaluators: names in order and who sits in each."""
    user = signed_in_user(request)
    government = government_for(user)
    can_edit = access.can_edit_worksheet(user)
    inspectors = [
        r.user
        for r in RoleAssignment.objects.filter(
            government=government, role=Role.INSPECTOR, user__is_active=True
        )
        .select_related("user__person")
        .order_by("user__username")
    ]
    current = access.tiers_of(government.pk)
    rows = [
        {"number": n, "name": t.name if t else "", "members": set(t.members) if t else set()}
        for n, t in (
            (n, current[n - 1] if n <= len(current) else None)
            for n in range(1, services.MAX_TIERS + 1)
        )
    ]
    if request.method == "POST":
        access.require_worksheet_editor(user)
        tiers = []
        for n in range(1, services.MAX_TIERS + 1):
            name = request.POST.get(f"name_{n}", "").strip()[:200]
            members = [int(x) for x in request.POST.getlist(f"members_{n}")[:100] if x.isdigit()]
            rows[n - 1] = {"number": n, "name": name, "members": set(members)}
            if name or members:
                tiers.append((name, members))
        if attempt(
            request,
            lambda: services.tiers_save(government=government, tiers=tiers, by=user),
            _("Tingkat penilai disimpan; berlaku untuk evaluasi yang dibuka sesudah ini."),
        ):
            return redirect("evaluation:sakip_tiers")
    return render(
        request,
        "evaluation/sakip_tiers.html",
        {"rows": rows, "inspectors": inspectors, "can_edit": can_edit},
        status=400 if request.method == "POST" else 200,
    )


# --- the LHE -------------------------------------------------------------------------------


def _lhe_items_posted(request: HttpRequest) -> list[dict[str, Any]]:
    rows = []
    for n in range(1, lhe.MAX_ITEMS + 1):
        if f"finding_{n}" not in request.POST and f"recommendation_{n}" not in request.POST:
            continue
        component = request.POST.get(f"component_{n}", "")
        rows.append(
            {
                "component": int(component) if component.isdigit() else None,
                "finding": request.POST.get(f"finding_{n}", "")[: lhe.MAX_TEXT],
                "recommendation": request.POST.get(f"recommendation_{n}", "")[: lhe.MAX_TEXT],
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
def lhe_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation's LHE: drafted, edited and issued by the inspectorate; read, with each
    recommendation's follow-up, by the evaluated party and the overseers."""
    user = signed_in_user(request)
    evaluation = _evaluation_for(user, pk)
    report = LheReport.objects.filter(evaluation=evaluation).first()
    can_write = access.can_evaluate(user)
    back = reverse("evaluation:lhe", args=[evaluation.pk])
    posted_items: list[dict[str, Any]] | None = None
    if request.method == "POST":
        access.require_evaluator(user)
        action = request.POST.get("action")
        if action == "draft":
            attempt(
                request,
                lambda: lhe.lhe_draft(evaluation=evaluation, by=user),
                _("Draf LHE disusun dari hasil evaluasi; periksa dan ubah seperlunya."),
            )
            return redirect(back)
        if report is None:
            raise Http404
        if action == "save":
            posted_items = _lhe_items_posted(request)
            if attempt(
                request,
                lambda: lhe.lhe_save(
                    report=report,
                    summary=request.POST.get("summary", "")[: lhe.MAX_TEXT],
                    items=posted_items or [],
                    by=user,
                ),
                _("LHE disimpan."),
            ):
                return redirect(back)
        elif action == "issue":
            if not confirmed(request):
                return confirm_page(
                    request,
                    title=_("Terbitkan LHE SAKIP %(year)s") % {"year": evaluation.year},
                    lead=_(
                        "LHE dibuat sebagai PDF dan menunggu tanda tangan Anda; isinya tidak "
                        "dapat diubah lagi. Pihak yang dievaluasi diberi tahu untuk "
                        "menindaklanjuti setiap rekomendasi."
                    ),
                    items=[f"{i.number}. {i.recommendation}" for i in report.items.all()],
                    items_title=_("Rekomendasi"),
                    button=_("Ya, terbitkan"),
                    back=back,
                    hidden={"action": "issue"},
                )
            result = attempt(
                request,
                lambda: lhe.lhe_issue(report=report, by=user),
                _("LHE diterbitkan; tandatangani sekarang."),
            )
            if result:
                return redirect(sign_url(result.value))
            return redirect(back)
        else:
            messages.error(request, _("Permintaan tidak dikenal."))
    items = list(report.items.select_related("component", "evidence")) if report else []
    components = list(evaluation.worksheet.components.all())
    rows = posted_items
    if rows is None:
        rows = [
            {
                "component": i.component_id,
                "finding": i.finding,
                "recommendation": i.recommendation,
            }
            for i in items
        ]
    editing = [
        {"n": n, **row}
        for n, row in enumerate(
            [*rows, *[{"component": None, "finding": "", "recommendation": ""}] * 2], start=1
        )
    ]
    return render(
        request,
        "evaluation/lhe.html",
        {
            "evaluation": evaluation,
            "report": report,
            "items": items,
            "editing": editing,
            "components": components,
            "can_write": can_write,
            "can_follow_up": bool(report and lhe.can_follow_up(user, report)),
            "summary": request.POST.get("summary", "") if posted_items is not None else "",
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """One recommendation's follow-up, reported by the evaluated party."""
    user = signed_in_user(request)
    evaluation = _evaluation_for(user, pk)
    recommendation = get_for_user(
        user,
        LheRecommendation.objects.filter(report__evaluation=evaluation).select_related("report"),
        item,
    )
    if not lhe.can_follow_up(user, recommendation.report):
        raise PermissionDenied(
            _("Tindak lanjut diisi oleh pihak yang dievaluasi, sesudah LHE terbit.")
        )
    form = FollowUpForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "status": recommendation.status,
            "follow_up": recommendation.follow_up,
            "followed_on": recommendation.followed_on,
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: lhe.follow_up_save(
                item=recommendation,
                status=form.cleaned_data["status"],
                follow_up=form.cleaned_data["follow_up"],
                followed_on=form.cleaned_data["followed_on"],
                file=form.cleaned_data["file"],
                by=user,
            ),
            _("Tindak lanjut disimpan."),
        )
    ):
        return redirect(reverse("evaluation:lhe", args=[evaluation.pk]) + f"#r{item}")
    return render(
        request,
        "evaluation/follow_up.html",
        {"evaluation": evaluation, "item": recommendation, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def lhe_word(request: HttpRequest, pk: int) -> HttpResponse:
    """The LHE as a Word document, for the evaluation's readers."""
    user = signed_in_user(request)
    evaluation = _evaluation_for(user, pk)
    report = LheReport.objects.filter(evaluation=evaluation).first()
    if report is None:
        raise Http404
    response = HttpResponse(
        word.lhe_docx(report),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"lhe-{evaluation.year}-{evaluation.unit.code if evaluation.unit else 'pemda'}"
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response
