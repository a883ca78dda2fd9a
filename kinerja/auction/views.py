"""Lelang Kinerja pages. Each view: access helper, form, one service call, render or redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts.access import (
    can_edit_government_plan,
    get_for_user,
    get_unit_for_user,
    government_for,
    require_planner,
    require_unit_member,
    signed_in_user,
    unit_ids_of,
)
from kinerja.accounts.models import Unit
from kinerja.auction import documents as auction_documents
from kinerja.auction import live, services, supporting
from kinerja.auction.access import (
    get_proposal_for_user,
    get_proposed_indicator_for_user,
    get_session_for_user,
)
from kinerja.auction.forms import (
    AnswerForm,
    CriterionFormSet,
    EvidenceForm,
    OfferForm,
    PanelForm,
    ProposalForm,
    ProposedIndicatorForm,
    ScoreForm,
    SessionForm,
    SessionRedateForm,
    TableForm,
)
from kinerja.auction.models import AuctionSession, Evidence, Proposal, ProposedIndicator
from kinerja.auction.selectors import decision_plan, hearing, session_outcomes, session_results
from kinerja.core.numbers import format_decimal
from kinerja.core.uploads import evidence_response
from kinerja.core.web import attempt, confirm_page, confirmed
from kinerja.planning.models import Indicator
from kinerja.planning.selectors import current_term


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    save: Callable[[], Any],
    success: str,
    title: str,
    back_url: str,
    done: Callable[[], HttpResponse],
) -> HttpResponse:
    """A form page: on a valid POST, one service call; if it is not refused, `done()`;
    otherwise the form again, with its errors or the refusal as a message."""
    if request.method == "POST" and form.is_valid() and attempt(request, save, success):
        return done()
    return render(
        request, "planning/form.html", {"form": form, "title": title, "back_url": back_url}
    )


@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    sessions = AuctionSession.objects.filter(government=government).select_related("term")
    return render(
        request,
        "auction/session_list.html",
        {"sessions": sessions, "can_manage": can_edit_government_plan(user)},
    )


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = require_planner(user)
    if current_term(government) is None:
        raise Http404(_("Belum ada periode RPJMD."))
    form = SessionForm(request.POST or None, government=government)
    if request.method == "POST" and form.is_valid():
        session = services.session_create(by=user, **form.cleaned_data)
        messages.success(request, _("Sesi dibuat dengan kriteria bawaan. Tetapkan tim penilai."))
        return redirect("auction:session", session.pk)
    return render(
        request, "planning/form.html", {"form": form, "title": _("Sesi Lelang Kinerja baru")}
    )


@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    session = get_session_for_user(user, pk)
    proposals = [
        p
        for p in session.proposals.select_related("unit", "mission").order_by("unit__code", "pk")
        if p.status == Proposal.Status.SUBMITTED
        or can_edit_government_plan(user)
        or p.unit_id in unit_ids_of(user)
    ]
    my_units = Unit.objects.filter(pk__in=unit_ids_of(user))
    decided = session.status in (AuctionSession.Status.DECIDED, AuctionSession.Status.CLOSED)
    return render(
        request,
        "auction/session_detail.html",
        {
            "session": session,
            "outcomes": session_outcomes(session) if decided else {},
            "panel": session.panel.select_related("user__person"),
            "criteria": session.criteria.all(),
            "proposals": proposals,
            "can_manage": can_edit_government_plan(user),
            "my_units": my_units if session.status == AuctionSession.Status.OPEN else [],
            "transitions": TRANSITIONS.get(session.status, []),
            "documents": auction_documents.session_documents(session),
            "my_person_id": user.person_id,
            "can_issue": can_edit_government_plan(user)
            and session.status in (AuctionSession.Status.DECIDED, AuctionSession.Status.CLOSED),
        },
    )


TRANSITIONS: dict[str, list[tuple[str, Any]]] = {
    AuctionSession.Status.DRAFT: [("buka", gettext_lazy("Buka pengajuan usulan"))],
    AuctionSession.Status.OPEN: [("paparan", gettext_lazy("Mulai paparan dan penawaran"))],
    AuctionSession.Status.HEARINGS: [("putuskan", gettext_lazy("Putuskan hasil"))],
    AuctionSession.Status.DECIDED: [("tutup", gettext_lazy("Tutup sesi"))],
}
TRANSITION_SERVICES = {
    "buka": services.session_open,
    "paparan": services.session_start_hearings,
    "putuskan": services.session_decide,
    "tutup": services.session_close,
}


@require_GET
def session_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """What the decision will write, year by year, before anything is written."""
    user = signed_in_user(request)
    session = get_session_for_user(user, pk)
    require_planner(user)
    if not AuctionSession.WORKFLOW.can(session, "decide"):
        messages.error(request, _("Hanya sesi yang sedang paparan yang dapat diputuskan."))
        return redirect("auction:session", session.pk)
    rows = decision_plan(session)
    return render(
        request,
        "auction/decide.html",
        {
            "session": session,
            "rows": rows,
            "n_changes": sum(len(r.changes) for r in rows),
            "n_left": sum(len(r.left) for r in rows),
        },
    )


def _transition_preview(session: AuctionSession, step: str) -> tuple[str, list[str], str]:
    """What a session step will do, said before it is taken: the lead, the list it concerns,
    and that list's title."""
    if step == "buka":
        return (
            _(
                "Perangkat daerah dapat menulis dan mengajukan usulan. Kriteria penilaian "
                "dikunci: tidak dapat diubah lagi setelah sesi dibuka."
            ),
            [f"{c.name} ({format_decimal(c.weight)}%)" for c in session.criteria.all()],
            _("Kriteria penilaian"),
        )
    if step == "paparan":
        proposals = list(session.proposals.select_related("unit").order_by("unit__code"))
        submitted = [p for p in proposals if p.status == Proposal.Status.SUBMITTED]
        left = len(proposals) - len(submitted)
        lead = _(
            "Pengajuan ditutup dan paparan dimulai: tim penilai menilai dan menawar usulan yang "
            "sudah diajukan. Usulan yang belum diajukan tidak ikut."
        )
        if left:
            lead += " " + _("%(n)s usulan belum diajukan dan tidak akan ikut paparan.") % {
                "n": left
            }
        return lead, [f"{p.unit.name}: {p.title}" for p in submitted], _("Usulan yang dipaparkan")
    return (
        _("Sesi ditutup: tidak ada lagi perubahan; hasil dan dokumennya tetap dapat dibaca."),
        [],
        "",
    )


@require_POST
def session_transition(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """A session step (open, start hearings, decide, close): shown first, taken when confirmed.
    The decision has its own preview page, with the targets it will write."""
    user = signed_in_user(request)
    session = get_session_for_user(user, pk)
    service = TRANSITION_SERVICES.get(step)
    if service is None:
        raise Http404
    require_planner(user)
    if not confirmed(request):
        if step == "putuskan":
            return redirect("auction:session_decide", session.pk)
        lead, items, items_title = _transition_preview(session, step)
        label = dict(TRANSITIONS.get(session.status, [])).get(step, _("Ubah status sesi"))
        return confirm_page(
            request,
            title=f"{label}: {session.name}",
            lead=lead,
            items=items,
            items_title=items_title,
            button=_("Ya, lanjutkan"),
            back=reverse("auction:session", args=[session.pk]),
        )
    attempt(request, lambda: service(session=session, by=user), _("Status sesi diperbarui."))
    return redirect("auction:session", session.pk)


@require_http_methods(["GET", "POST"])
def session_redate(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    session = get_session_for_user(user, pk)
    require_planner(user)
    form = SessionRedateForm(request.POST or None, initial={"scheduled_on": session.scheduled_on})
    back = reverse("auction:session", args=[session.pk])
    return _form_page(
        request,
        form,
        save=lambda: services.session_redate(
            session=session,
            scheduled_on=form.cleaned_data["scheduled_on"],
            reason=form.cleaned_data["reason"],
            by=user,
        ),
        success=_("Jadwal sesi diubah."),
        title=_("Ubah jadwal: %(s)s") % {"s": session},
        back_url=back,
        done=lambda: redirect(back),
    )


@require_http_methods(["GET", "POST"])
def session_panel(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    session = get_session_for_user(user, pk)
    government = require_planner(user)
    seats = list(session.panel.all())
    initial = {
        "members": [s.user_id for s in seats],
        "chair": next((s.user_id for s in seats if s.is_chair), None),
    }
    form = PanelForm(request.POST or None, government=government, initial=initial)
    back = reverse("auction:session", args=[session.pk])
    return _form_page(
        request,
        form,
        save=lambda: services.panel_set(
            session=session,
            members=list(form.cleaned_data["members"]),
            chair=form.cleaned_data["chair"],
            by=user,
        ),
        success=_("Tim penilai disimpan."),
        title=_("Tim penilai: %(s)s") % {"s": session},
        back_url=back,
        done=lambda: redirect(back),
    )


@require_http_methods(["GET", "POST"])
def session_criteria(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    session = get_session_for_user(user, pk)
    require_planner(user)
    initial = [{"name": c.name, "weight": c.weight} for c in session.criteria.all()]
    formset = CriterionFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        rows = [
            (f.cleaned_data["name"], f.cleaned_data["weight"])
            for f in formset
            if f.cleaned_data.get("name")
        ]
        if attempt(
            request,
            lambda: services.criteria_set(session=session, criteria=rows, by=user),
            _("Kriteria disimpan."),
        ):
            return redirect("auction:session", session.pk)
    return render(request, "auction/criteria.html", {"session": session, "formset": formset})


@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    session = get_session_for_user(user, pk)
    unit = get_unit_for_user(user, request.GET.get("unit"))
    require_unit_member(user, unit)
    form = ProposalForm(
        request.POST or None, instance=Proposal(session=session, unit=unit), term=session.term
    )
    return _form_page(
        request,
        form,
        save=lambda: services.proposal_save(proposal=form.save(commit=False), by=user),
        success=_("Usulan dibuat. Tambahkan indikatornya."),
        title=_("Usulan %(unit)s") % {"unit": unit.name},
        back_url=reverse("auction:session", args=[session.pk]),
        done=lambda: redirect("auction:proposal", form.instance.pk),
    )


@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    proposal = get_proposal_for_user(user, pk)
    form = ProposalForm(request.POST or None, instance=proposal, term=proposal.session.term)
    back = reverse("auction:proposal", args=[proposal.pk])
    return _form_page(
        request,
        form,
        save=lambda: services.proposal_save(proposal=form.save(commit=False), by=user),
        success=_("Usulan disimpan."),
        title=_("Ubah usulan"),
        back_url=back,
        done=lambda: redirect(back),
    )


@require_http_methods(["GET", "POST"])
def proposed_indicator_edit(
    request: HttpRequest, pk: int | None = None, proposal_pk: int | None = None
) -> HttpResponse:
    user = signed_in_user(request)
    if pk is not None:
        indicator = get_proposed_indicator_for_user(user, pk)
        proposal = indicator.proposal
    else:
        proposal = get_proposal_for_user(user, proposal_pk)
        indicator = ProposedIndicator(proposal=proposal)
    try:
        services.require_proposal_editable(proposal, user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("auction:proposal", proposal.pk)
    initial = {}
    if pk is None and request.GET.get("rencana"):
        initial["plan_indicator"] = get_for_user(
            user,
            Indicator.objects.filter(
                objective__term=proposal.session.term, responsible_unit=proposal.unit
            ),
            request.GET["rencana"],
        )
    form = ProposedIndicatorForm(
        request.POST or None, instance=indicator, proposal=proposal, initial=initial
    )
    back = reverse("auction:proposal", args=[proposal.pk])
    return _form_page(
        request,
        form,
        save=lambda: services.proposed_indicator_save(indicator=form.save(commit=False), by=user),
        success=_("Indikator usulan disimpan."),
        title=_("Indikator usulan"),
        back_url=back,
        done=lambda: redirect(back),
    )


@require_POST
def proposal_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submitting locks the proposal: shown first (the targets it commits to), then taken."""
    user = signed_in_user(request)
    proposal = get_proposal_for_user(user, pk)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Ajukan usulan: %(title)s") % {"title": proposal.title},
            lead=_(
                "Usulan dikunci dan tidak dapat diubah lagi. Tim penilai akan menilainya dan "
                "dapat menawarkan target yang lebih tinggi dalam paparan."
            ),
            items=[
                _("%(name)s: kondisi awal %(baseline)s, target akhir %(target)s %(unit)s")
                % {
                    "name": i.name,
                    "baseline": format_decimal(i.baseline_value),
                    "target": format_decimal(i.end_target),
                    "unit": i.unit_of_measure,
                }
                for i in proposal.indicators.order_by("pk")
            ],
            items_title=_("Indikator dan target yang diajukan"),
            button=_("Ya, ajukan dan kunci"),
            back=reverse("auction:proposal", args=[proposal.pk]),
        )
    attempt(
        request,
        lambda: services.proposal_submit(proposal=proposal, by=user),
        _("Usulan diajukan dan dikunci."),
    )
    return redirect("auction:proposal", proposal.pk)


def _hearing_context(
    request: HttpRequest,
    proposal: Proposal,
    *,
    screen: bool = False,
    bound: dict[tuple[str, int], Any] | None = None,
    notice: str = "",
) -> dict[str, Any]:
    """What the live part of the hearing shows. `bound` holds a form that failed, keyed by
    (kind, indicator or proposal id), so that it comes back with what was typed and its errors
    in place; `notice` says what the last action did."""
    user = signed_in_user(request)
    view = hearing(proposal, user)
    bound = bound or {}
    score_form = bound.get(("score", proposal.pk))
    if score_form is None and view.is_panelist:
        score_form = ScoreForm(criteria=view.criteria, scored=view.my_scores)
    return {
        "proposal": proposal,
        "h": view,
        "version": live.version(proposal.pk, proposal.government_id),
        "poll_token": live.poll_token(user.pk, proposal.pk),
        "screen": screen,
        "score_form": score_form,
        "offer_forms": {
            iv.indicator.pk: bound.get(("offer", iv.indicator.pk))
            or OfferForm(auto_id=f"offer-{iv.indicator.pk}-%s")
            for iv in view.indicators
        },
        "answer_forms": {
            iv.indicator.pk: bound.get(("answer", iv.indicator.pk))
            or AnswerForm(auto_id=f"answer-{iv.indicator.pk}-%s")
            for iv in view.indicators
        },
        "notice": notice,
    }


@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    return _proposal_page(request, get_proposal_for_user(user, pk))


def _proposal_page(
    request: HttpRequest,
    proposal: Proposal,
    *,
    bound: dict[tuple[str, int], Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    editable = True
    try:
        services.require_proposal_editable(proposal, user)
    except (ValidationError, PermissionDenied):
        editable = False
    context = _hearing_context(request, proposal, bound=bound)
    context |= {
        "editable": editable,
        "missing": services.proposal_missing(proposal) if editable else [],
        "tables": proposal.tables.all(),
        "evidence": proposal.evidence.all(),
        "table_form": TableForm() if editable else None,
        "evidence_form": EvidenceForm() if editable else None,
        "plan_indicators": Indicator.objects.filter(
            objective__term=proposal.session.term, responsible_unit=proposal.unit
        ).order_by("code")
        if editable
        else [],
    }
    return render(request, "auction/proposal_detail.html", context, status=status)


@require_GET
def proposal_live(request: HttpRequest, pk: int) -> HttpResponse:
    """The live part of the hearing, for HTMX polling: 204 while nothing has changed."""
    user = signed_in_user(request)
    proposal = get_proposal_for_user(user, pk)
    if request.GET.get("v") == live.version(proposal.pk, proposal.government_id):
        return HttpResponse(status=204)
    return render(
        request,
        "auction/_live.html",
        _hearing_context(request, proposal, screen=request.GET.get("layar") == "1"),
    )


@require_GET
def session_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The projector screen: one proposal at a time, updating itself, no forms."""
    user = signed_in_user(request)
    session = get_session_for_user(user, pk)
    proposals = list(
        session.proposals.filter(status=Proposal.Status.SUBMITTED).select_related("unit")
    )
    chosen = next(
        (p for p in proposals if str(p.pk) == request.GET.get("usulan")),
        proposals[0] if proposals else None,
    )
    context: dict[str, Any] = {"session": session, "proposals": proposals, "chosen": chosen}
    if chosen:
        context |= _hearing_context(request, get_proposal_for_user(user, chosen.pk), screen=True)
        context["tables"] = chosen.tables.all()
    return render(request, "auction/screen.html", context)


def _hearing_post(
    request: HttpRequest,
    proposal: Proposal,
    action: Callable[[], Any],
    success: str,
    *,
    form: Any = None,
    key: tuple[str, int] | None = None,
) -> HttpResponse:
    """One step of the hearing (an offer, an answer, scores). Through HTMX the live part comes
    back alone: on success with the notice, on a refusal with the form as it was typed and
    the error beside it. Without JavaScript: the page again, the same way."""
    ok = form is None or form.is_valid()
    if ok:
        try:
            action()
        except ValidationError as exc:
            ok = False
            if form is None:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                for message in exc.messages:
                    form.add_error(None, message)
    bound = {key: form} if (not ok and form is not None and key) else {}
    if request.htmx:  # type: ignore[attr-defined]
        context = _hearing_context(request, proposal, bound=bound, notice=success if ok else "")
        return render(request, "auction/_live.html", context)
    if ok:
        messages.success(request, success)
        return redirect("auction:proposal", proposal.pk)
    if not bound:
        return redirect("auction:proposal", proposal.pk)
    return _proposal_page(request, proposal, bound=bound, status=400)


@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    proposal = get_proposal_for_user(user, pk)
    view = hearing(proposal, user)
    form = ScoreForm(request.POST, criteria=view.criteria, scored=view.my_scores)

    def give() -> None:
        for criterion, value, comment in form.scores():
            services.score_submit(
                proposal=proposal, criterion=criterion, value=value, comment=comment, by=user
            )

    return _hearing_post(
        request, proposal, give, _("Nilai Anda tercatat."), form=form, key=("score", proposal.pk)
    )


@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    proposal = get_proposal_for_user(user, pk)
    return _hearing_post(
        request,
        proposal,
        lambda: services.scores_reveal(proposal=proposal, by=user),
        _("Nilai dibuka untuk semua."),
    )


@require_POST
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    indicator = get_proposed_indicator_for_user(user, pk)
    form = OfferForm(request.POST, auto_id=f"offer-{indicator.pk}-%s")
    return _hearing_post(
        request,
        indicator.proposal,
        lambda: services.offer_make(
            indicator=indicator,
            value=form.cleaned_data["value"],
            year=form.cleaned_data["year"],
            by=user,
        ),
        _("Penawaran dicatat."),
        form=form,
        key=("offer", indicator.pk),
    )


@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    indicator = get_proposed_indicator_for_user(user, pk)
    form = AnswerForm(request.POST, auto_id=f"answer-{indicator.pk}-%s")
    return _hearing_post(
        request,
        indicator.proposal,
        lambda: services.offer_answer(
            indicator=indicator,
            kind=form.cleaned_data["kind"],
            value=form.cleaned_data["value"],
            year=form.cleaned_data["year"],
            justification=form.cleaned_data["justification"],
            by=user,
        ),
        _("Jawaban dicatat."),
        form=form,
        key=("answer", indicator.pk),
    )


@require_POST
def accept_counter(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    indicator = get_proposed_indicator_for_user(user, pk)
    return _hearing_post(
        request,
        indicator.proposal,
        lambda: services.counter_accept(indicator=indicator, by=user),
        _("Penawaran balik diterima."),
    )


@require_POST
def table_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    proposal = get_proposal_for_user(user, pk)
    form = TableForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("auction:proposal", proposal.pk)
    upload = form.cleaned_data.get("file")

    def add() -> None:
        if upload:
            columns, rows = supporting.parse_file(upload.read(), upload.name)
        else:
            columns, rows = supporting.parse_pasted(form.cleaned_data["pasted"])
        supporting.table_add(
            proposal=proposal,
            name=form.cleaned_data["name"],
            columns=columns,
            rows=rows,
            source_filename=upload.name if upload else "",
            by=user,
        )

    attempt(request, add, _("Tabel data pendukung disimpan."))
    return redirect("auction:proposal", proposal.pk)


@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    proposal = get_proposal_for_user(user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.KINERJA_MAX_UPLOAD_BYTES:
            messages.error(
                request,
                _("Berkas terlalu besar: paling besar %(mb)s MB.")
                % {"mb": settings.KINERJA_MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        else:
            attempt(
                request,
                lambda: supporting.evidence_add(
                    proposal=proposal, data=upload.read(), filename=upload.name, by=user
                ),
                _("Berkas bukti disimpan."),
            )
    else:
        messages.error(request, _("Pilih berkas yang akan diunggah."))
    return redirect("auction:proposal", proposal.pk)


@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    evidence = get_for_user(user, Evidence.objects.select_related("proposal"), pk)
    get_proposal_for_user(user, evidence.proposal_id)  # the same visibility as its proposal
    return evidence_response(evidence)


@require_POST
def documents_issue(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    session = get_session_for_user(user, pk)
    require_planner(user)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Terbitkan pakta dan kontrak: %(name)s") % {"name": session.name},
            lead=_(
                "Pakta integritas dan kontrak kinerja lima tahun diterbitkan sebagai PDF untuk "
                "setiap perangkat daerah yang menerima target, dan menunggu tanda tangan kepala "
                "perangkat daerah lalu kepala daerah. Isinya adalah target yang diputuskan."
            ),
            button=_("Ya, terbitkan"),
            back=reverse("auction:session", args=[session.pk]),
        )
    attempt(
        request,
        lambda: auction_documents.session_documents_issue(session=session, by=user),
        _("Pakta integritas dan kontrak kinerja diterbitkan; menunggu tanda tangan."),
    )
    return redirect("auction:session", session.pk)


@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    session = get_session_for_user(user, pk)
    return render(
        request, "auction/results.html", {"session": session, "results": session_results(session)}
    )
