"""Monitoring pages: achievement at every level, realisation entry and review, the red list,
late units, the realisation workbook, Form E.81 and the government's policy.

Every view: access helper, then a form, then one service call, then render or redirect."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts.access import (
    get_for_user,
    get_unit_for_user,
    government_for,
    has_role,
    require_plan_editor,
    require_unit_member,
    signed_in_user,
    unit_ids_of,
)
from kinerja.accounts.models import Government, Role, Unit, User
from kinerja.core import charts
from kinerja.core.cache import fragment
from kinerja.core.uploads import evidence_response
from kinerja.core.web import attempt, parse_id
from kinerja.monitoring import access, selectors, services, workbook
from kinerja.monitoring import e81 as e81_module
from kinerja.monitoring.achievement import rate_scale
from kinerja.monitoring.forms import (
    CorrectionForm,
    E81UploadForm,
    EvidenceForm,
    PolicyForm,
    RealisationForm,
    ReviewForm,
    WorkbookUploadForm,
)
from kinerja.monitoring.models import E81Import, Realisation, RealisationEvidence
from kinerja.planning import calendar
from kinerja.planning.models import Indicator, IndicatorTarget, Mission, Objective
from kinerja.planning.selectors import current_term

WORKBOOK_SALT = "kinerja.monitoring.workbook"


def _year_quarter(request: HttpRequest, government: Government) -> tuple[int, int, list[int]]:
    """The year and quarter asked for, bounded; by default the government's current year
    and the last quarter ended (kinerja.planning.calendar), never the newest figure's."""
    year, years = calendar.year_from(
        request.GET.get("tahun"), government, calendar.current_year(government)
    )
    quarter = calendar.quarter_from(
        request.GET.get("tw"), calendar.default_quarter(government, year)
    )
    return year, quarter, years


def _context(request: HttpRequest, government: Government, **extra: Any) -> dict[str, Any]:
    year, quarter, years = _year_quarter(request, government)
    return {
        "year": year,
        "quarter": quarter,
        "years": years,
        "quarters": [1, 2, 3, 4],
        "term": calendar.term_for_year(government, year),
        **extra,
    }


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    ctx = _context(request, government)
    view = selectors.overview(government, year=ctx["year"], as_of_quarter=ctx["quarter"])
    return render(
        request,
        "monitoring/overview.html",
        {
            **ctx,
            "view": view,
            "ranked": selectors.ranked_units(view),
            "can_review": access.can_review(user),
            "is_planner": has_role(user, Role.PLANNER),
            "pending": Realisation.objects.filter(
                government=government, is_current=True, status=Realisation.Status.SUBMITTED
            ).count(),
        },
    )


@require_GET
def mission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    mission = get_for_user(user, Mission.objects.all(), pk)
    ctx = _context(request, mission.government)
    view = selectors.overview(mission.government, year=ctx["year"], as_of_quarter=ctx["quarter"])
    node = next((m for m in view.missions if m.obj == mission), None)
    if node is None:
        raise Http404
    return render(request, "monitoring/mission.html", {**ctx, "view": view, "node": node})


@require_GET
def objective_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    objective = get_for_user(user, Objective.objects.select_related("unit", "goal"), pk)
    ctx = _context(request, objective.government)
    view = selectors.overview(objective.government, year=ctx["year"], as_of_quarter=ctx["quarter"])
    node = view.objectives.get(objective.pk)
    return render(
        request,
        "monitoring/objective.html",
        {**ctx, "view": view, "objective": objective, "node": node},
    )


@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    unit = get_unit_for_user(user, pk)
    ctx = _context(request, unit.government)
    view = selectors.overview(
        unit.government, year=ctx["year"], as_of_quarter=ctx["quarter"], unit=unit
    )

    def render_statuses() -> str:
        statuses = sorted(view.statuses.values(), key=lambda s: s.indicator.code)
        return render_to_string(
            "monitoring/_statuses.html", {**ctx, "statuses": statuses}, request=None
        )

    return render(
        request,
        "monitoring/unit.html",
        {
            **ctx,
            "unit": unit,
            "node": view.units[0] if view.units else None,
            # The table of indicators, rendered once per state of the unit's figures.
            "statuses_table": fragment(
                ("unit_statuses", unit.pk, view.state, ctx["year"], ctx["quarter"]),
                render_statuses,
            ),
            "can_report": unit.pk in unit_ids_of(user),
            "upload_form": WorkbookUploadForm(),
        },
    )


def _indicator_for(user: User, pk: int) -> Indicator:
    return get_for_user(
        user,
        Indicator.objects.select_related(
            "objective__unit", "responsible_unit", "objective__goal", "programme"
        ),
        pk,
    )


@require_GET
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    indicator = _indicator_for(user, pk)
    ctx = _context(request, indicator.government)
    year = ctx["year"]
    versions = list(
        Realisation.objects.filter(indicator=indicator, year=year)
        .select_related("entered_by__person", "reviewed_by__person")
        .prefetch_related(Prefetch("evidence", queryset=RealisationEvidence.objects.order_by("pk")))
        .order_by("period", "-version")
    )
    target = IndicatorTarget.objects.filter(indicator=indicator, year=year).first()
    policy = selectors.policy_for(indicator.government)
    status = selectors.indicator_status(
        indicator,
        year=year,
        as_of_quarter=ctx["quarter"],
        target=target,
        realisations=[v for v in versions if v.is_current],
        policy=policy,
    )
    per_year = status.per_year
    today = timezone.localdate()
    failed_period, failed_form = _failed_entry(request, indicator, year)
    periods = []
    for period in range(1, per_year + 1):
        history = [v for v in versions if v.period == period]
        current = next((v for v in history if v.is_current), None)
        if failed_period == period and failed_form is not None:
            entry = failed_form
        else:
            entry = RealisationForm(
                auto_id=f"p{period}-%s",
                initial={
                    "value": current.value if current and current.numerator is None else None,
                    "numerator": current.numerator if current else None,
                    "denominator": current.denominator if current else None,
                    "note": current.note if current else "",
                },
            )
        periods.append(
            {
                "form": entry,
                "period": period,
                "label": selectors.period_label(period, per_year),
                "current": current,
                "history": history,
                "open": selectors.period_start(year, period, per_year) <= today,
                "deadline": selectors.report_deadline(
                    year, period, per_year, policy.report_deadline_days
                ),
            }
        )
    can_report = access.can_report(user, indicator)
    series = selectors.lineage_series(indicator, upto=calendar.current_year(indicator.government))
    return render(
        request,
        "monitoring/indicator.html",
        {
            **ctx,
            "series": series,
            "series_chart": charts.line_chart(
                [charts.Series(_("Capaian"), [(p.year, p.achievement) for p in series])],
                title=_("Capaian per tahun"),
            )
            if series
            else "",
            "series_terms": len({p.term.pk for p in series}),
            "indicator": indicator,
            "status": status,
            "periods": periods,
            "can_report": can_report,
            "can_review": access.can_review(user),
            "correction_form": CorrectionForm(),
            "review_form": ReviewForm(),
            "evidence_form": EvidenceForm(),
            "rate_scale": rate_scale(indicator.unit_of_measure),
        },
    )


def _back(realisation: Realisation) -> HttpResponse:
    url = (
        reverse("monitoring:indicator", args=[realisation.indicator_id])
        + f"?tahun={realisation.year}"
    )
    return redirect(url + f"#p{realisation.period}")


@require_POST
def realisation_enter(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter a period's figure (and its evidence, in the same step). A refusal returns to the
    page with the form as it was typed and the errors beside it (kept in the session for the
    one page that follows, as the page is addressed by year)."""
    user = signed_in_user(request)
    indicator = _indicator_for(user, pk)
    access.require_reporter(user, indicator)
    form = RealisationForm(request.POST, request.FILES)
    try:
        year, period = int(request.POST["tahun"]), int(request.POST["periode"])
    except (KeyError, ValueError) as exc:
        raise Http404 from exc
    back = reverse("monitoring:indicator", args=[indicator.pk]) + f"?tahun={year}#p{period}"
    if form.is_valid():
        data = form.cleaned_data
        upload = data.get("file")
        try:
            saved = services.realisation_save(
                indicator=indicator,
                year=year,
                period=period,
                by=user,
                value=data["value"],
                numerator=data["numerator"],
                denominator=data["denominator"],
                note=data["note"],
                evidence=[(upload.read(), upload.name)] if upload else [],
            )
        except ValidationError as exc:
            # A refusal of the step itself (a locked figure, a missing note): said on the
            # page, whichever form it shows for the period; the typed values are kept.
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Realisasi disimpan sebagai draf. Ajukan bila sudah benar.")
            )
            if request.POST.get("ajukan"):
                attempt(
                    request,
                    lambda: services.realisation_submit(realisation=saved, by=user),
                    _("Realisasi diajukan untuk diverifikasi."),
                )
            return redirect(back)
    request.session[_ENTRY_KEY] = {
        "indicator": indicator.pk,
        "year": year,
        "period": period,
        "data": {k: request.POST.get(k, "")[:4000] for k in _ENTRY_FIELDS},
        "file": str(getattr(request.FILES.get("file"), "name", "") or "")[:200],
    }
    return redirect(back)


_ENTRY_KEY = "kinerja:realisation-entry"
_ENTRY_FIELDS = ("value", "numerator", "denominator", "note")


def _failed_entry(
    request: HttpRequest, indicator: Indicator, year: int
) -> tuple[int | None, RealisationForm | None]:
    """The entry that was refused just before, for this page only: its period and the form as
    typed, with the errors in place."""
    kept = request.session.pop(_ENTRY_KEY, None)
    if not kept or kept.get("indicator") != indicator.pk or kept.get("year") != year:
        return None, None
    form = RealisationForm(kept["data"], auto_id=f"p{kept.get('period')}-%s")
    form.is_valid()
    if kept.get("file"):
        form.add_error(
            "file",
            _("Pilih lagi berkas %(name)s: berkas tidak disimpan karena isian ditolak.")
            % {"name": kept["file"]},
        )
    return kept.get("period"), form


def _form_errors(form: Any) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


def _realisation_for(user: User, pk: int) -> Realisation:
    return get_for_user(
        user,
        Realisation.objects.select_related(
            "indicator__objective__unit", "indicator__responsible_unit", "indicator__government"
        ),
        pk,
    )


@require_POST
def realisation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    realisation = _realisation_for(user, pk)
    access.require_reporter(user, realisation.indicator)
    attempt(
        request,
        lambda: services.realisation_submit(realisation=realisation, by=user),
        _("Realisasi diajukan untuk diverifikasi."),
    )
    return _back(realisation)


@require_POST
def realisation_review(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    user = signed_in_user(request)
    realisation = _realisation_for(user, pk)
    access.require_review_access(user)
    form = ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    if decision == "verifikasi":
        attempt(
            request,
            lambda: services.realisation_verify(realisation=realisation, by=user, comment=comment),
            _("Realisasi diverifikasi dan dikunci."),
        )
    else:
        attempt(
            request,
            lambda: services.realisation_return(realisation=realisation, by=user, comment=comment),
            _("Realisasi dikembalikan; operator diberi tahu lewat surel."),
        )
    if request.POST.get("next") == "antrean":
        # Back to the queue as it was filtered (one unit's figures at a time).
        unit = parse_id(request.POST.get("pd"))
        return redirect(
            reverse("monitoring:review_queue") + (f"?pd={unit}" if unit is not None else "")
        )
    return _back(realisation)


@require_POST
def realisation_correct(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    realisation = _realisation_for(user, pk)
    access.require_reporter(user, realisation.indicator)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        for error in _form_errors(form):
            messages.error(request, error)
        return _back(realisation)
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.realisation_correct(
            realisation=realisation,
            by=user,
            reason=data["reason"],
            value=data["value"],
            numerator=data["numerator"],
            denominator=data["denominator"],
            note=data["note"],
        ),
        _("Koreksi disimpan sebagai versi baru (draf); ajukan untuk diverifikasi."),
    )
    return _back(realisation)


@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    realisation = _realisation_for(user, pk)
    access.require_reporter(user, realisation.indicator)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.KINERJA_MAX_UPLOAD_BYTES:
            messages.error(request, _("Berkas terlalu besar."))
        else:
            attempt(
                request,
                lambda: services.evidence_add(
                    realisation=realisation, data=upload.read(), filename=upload.name, by=user
                ),
                _("Berkas bukti disimpan."),
            )
    else:
        messages.error(request, _("Pilih berkas yang akan diunggah."))
    return _back(realisation)


@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    evidence = get_for_user(user, RealisationEvidence.objects.all(), pk)
    return evidence_response(evidence)


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    access.require_review_access(user)
    pending = (
        Realisation.objects.filter(
            government=government, is_current=True, status=Realisation.Status.SUBMITTED
        )
        .select_related(
            "indicator__objective__unit", "indicator__responsible_unit", "entered_by__person"
        )
        .prefetch_related("evidence")
        .order_by("submitted_at")
    )
    asked = request.GET.get("pd")
    unit_filter = parse_id(asked)
    if asked and unit_filter is None:
        raise Http404(_("Perangkat daerah tidak dikenal."))
    if unit_filter is not None:
        pending = pending.filter(
            selectors.models_q_owner_prefixed(unit_filter, prefix="indicator__")
        )
    recent = (
        Realisation.objects.filter(government=government, reviewed_at__isnull=False)
        .select_related("indicator", "reviewed_by__person")
        .order_by("-reviewed_at")[:20]
    )
    return render(
        request,
        "monitoring/review_queue.html",
        {
            "pending": list(pending[:200]),
            "recent": recent,
            "units": Unit.objects.filter(government=government).order_by("code"),
            "unit_filter": unit_filter,
            "review_form": ReviewForm(),
        },
    )


@require_GET
def red_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    ctx = _context(request, government)
    view = selectors.overview(government, year=ctx["year"], as_of_quarter=ctx["quarter"])
    reds = view.red
    notes = selectors.period_notes(government, ctx["year"], [s.indicator.pk for s in reds])
    rows = [(s, notes.get(s.indicator.pk, [])) for s in reds]
    return render(request, "monitoring/red.html", {**ctx, "view": view, "reds": rows})


@require_GET
def late(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    ctx = _context(request, government)
    today = timezone.localdate()
    deadline, units = selectors.late_units(
        government, year=ctx["year"], quarter=ctx["quarter"], today=today
    )
    return render(
        request,
        "monitoring/late.html",
        {**ctx, "deadline": deadline, "late_units": units, "deadline_passed": today > deadline},
    )


@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    current = selectors.policy_for(government)
    editable = has_role(user, Role.PLANNER)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Hanya staf perencanaan yang mengatur kebijakan pemantauan."))
        form = PolicyForm(request.POST, instance=current)
        if form.is_valid():
            data = form.cleaned_data
            if attempt(
                request,
                lambda: services.policy_save(government=government, by=user, **data),
                _("Kebijakan pemantauan disimpan."),
            ):
                return redirect("monitoring:policy")
    else:
        form = PolicyForm(instance=current)
    return render(request, "monitoring/policy.html", {"form": form, "editable": editable})


def _require_unit_reporter(user: User, unit: Unit) -> None:
    require_unit_member(user, unit)


@require_GET
def workbook_download(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    unit = get_unit_for_user(user, pk)
    ctx = _context(request, unit.government)
    data = workbook.workbook_build(unit, ctx["year"], ctx["quarter"])
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"realisasi-{unit.code}-{ctx['year']}-tw{ctx['quarter']}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def workbook_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    unit = get_unit_for_user(user, pk)
    _require_unit_reporter(user, unit)
    ctx = _context(request, unit.government)
    form = WorkbookUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas .xlsx yang akan diunggah."))
        return redirect(
            reverse("monitoring:unit", args=[unit.pk]) + f"?tahun={ctx['year']}&tw={ctx['quarter']}"
        )
    parsed = workbook.workbook_read(
        unit, ctx["year"], ctx["quarter"], form.cleaned_data["file"].read()
    )
    token = signing.dumps(
        {
            "unit": unit.pk,
            "year": ctx["year"],
            "user": user.pk,
            "changes": [c.as_dict() for c in parsed.changes],
        },
        salt=WORKBOOK_SALT,
        compress=True,
    )
    return render(
        request,
        "monitoring/workbook_preview.html",
        {**ctx, "unit": unit, "parsed": parsed, "token": token if parsed.ok else ""},
    )


@require_POST
def workbook_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    unit = get_unit_for_user(user, pk)
    _require_unit_reporter(user, unit)
    try:
        payload = signing.loads(request.POST.get("token", ""), salt=WORKBOOK_SALT, max_age=3600)
    except signing.BadSignature:
        messages.error(request, _("Pratinjau kedaluwarsa atau rusak; unggah ulang berkasnya."))
        return redirect("monitoring:unit", unit.pk)
    if payload["unit"] != unit.pk or payload["user"] != user.pk:
        raise PermissionDenied
    changes = [workbook.Change.from_dict(c) for c in payload["changes"]]
    attempt(
        request,
        lambda: workbook.workbook_apply(unit=unit, year=payload["year"], changes=changes, by=user),
        _("Realisasi dari berkas disimpan sebagai draf; periksa lalu ajukan."),
    )
    return redirect(reverse("monitoring:unit", args=[unit.pk]) + f"?tahun={payload['year']}")


@require_POST
def submit_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit every draft of the unit for a year at once (after a workbook upload)."""
    user = signed_in_user(request)
    unit = get_unit_for_user(user, pk)
    _require_unit_reporter(user, unit)
    year = int(request.POST.get("tahun", "0") or 0)
    drafts = (
        Realisation.objects.filter(
            government=unit.government,
            year=year,
            is_current=True,
            status__in=[Realisation.Status.DRAFT, Realisation.Status.RETURNED],
        )
        .filter(selectors.models_q_owner_prefixed(unit.pk, prefix="indicator__"))
        .select_related("indicator__objective__unit", "indicator__responsible_unit")
        .order_by("indicator__code", "period")
    )
    done = 0
    for draft in drafts:

        def submit(draft: Realisation = draft) -> Realisation:
            return services.realisation_submit(realisation=draft, by=user)

        if attempt(
            request,
            submit,
            _("%(code)s %(period)s diajukan.")
            % {
                "code": draft.indicator.code,
                "period": selectors.period_label(draft.period, draft.periods_in_year),
            },
        ):
            done += 1
    if not done:
        messages.info(request, _("Tidak ada draf yang dapat diajukan."))
    return redirect(reverse("monitoring:unit", args=[unit.pk]) + f"?tahun={year}")


@require_http_methods(["GET", "POST"])
def e81_import(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    term = current_term(government)
    units = Unit.objects.filter(government=government).order_by("code")
    objectives = Objective.objects.filter(government=government, unit__isnull=True)
    if term is not None:
        objectives = objectives.filter(term=term)
    form = E81UploadForm()
    if request.method == "POST" and term is not None:
        form = E81UploadForm(request.POST, request.FILES)
        unit = get_unit_for_user(user, request.POST.get("unit"))
        require_plan_editor(user, unit)
        serves = get_for_user(user, objectives, request.POST.get("serves"))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            outcome = attempt(
                request,
                lambda: e81_module.e81_import(
                    unit=unit,
                    serves=serves,
                    term=term,
                    data=upload.read(),
                    filename=upload.name,
                    by=user,
                ),
                _("Formulir E.81 diimpor."),
            )
            if outcome:
                return redirect("monitoring:e81_report", outcome.value.pk)
    imports = E81Import.objects.filter(government=government).select_related("unit")[:20]
    return render(
        request,
        "monitoring/e81.html",
        {
            "form": form,
            "units": units,
            "objectives": objectives,
            "imports": imports,
            "term": term,
        },
    )


@require_GET
def e81_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    result = get_for_user(user, E81Import.objects.select_related("unit"), pk)
    only = request.GET.get("beda") == "1"
    rows = [r for r in result.report.get("rows", []) if r.get("differs") or not only]
    return render(
        request, "monitoring/e81_report.html", {"result": result, "rows": rows, "only": only}
    )
