"""Evaluation pages: scorecards and their trend, reward and punishment (TPP), the SAKIP
worksheet and evaluations, and the LKjIP.

Every view: access helper, then a form, then one service call, then render or redirect."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts.access import (
    get_for_user,
    get_unit_for_user,
    government_for,
    is_overseer,
    signed_in_user,
    unit_ids_of,
)
from kinerja.accounts.models import Government, Unit
from kinerja.core import charts
from kinerja.core.numbers import NumberError, format_decimal, language_of, parse_decimal
from kinerja.core.web import attempt, confirm_page, confirmed
from kinerja.evaluation import access, lkjip, selectors, services
from kinerja.evaluation.forms import (
    CopyForm,
    CriterionForm,
    IncentivePolicyForm,
    WorksheetUploadForm,
    WorksheetWeightsForm,
)
from kinerja.evaluation.models import (
    IncentivePolicy,
    SakipCriterion,
    SakipEvaluation,
    SakipSubComponent,
    SakipWorksheet,
)
from kinerja.evaluation.word import lkjip_docx
from kinerja.monitoring import selectors as monitoring
from kinerja.monitoring.access import can_report
from kinerja.planning import calendar

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _year(request: HttpRequest, government: Government) -> tuple[int, list[int]]:
    """The year asked for, bounded; by default the government's reporting year."""
    return calendar.year_from(
        request.GET.get("tahun"), government, calendar.reporting_year(government)
    )


@require_GET
def scorecards(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    year, years = _year(request, government)
    trend_years = [y for y in years if y <= year]
    cards = selectors.scorecards(government, trend_years)
    trend = selectors.score_trend(cards)
    card = cards[year]
    series = [
        charts.Series(
            r.unit.short_name or r.unit.name, [(y, trend[r.unit.pk].get(y)) for y in trend_years]
        )
        for r in card.rows[:3]
    ]
    return render(
        request,
        "evaluation/scorecards.html",
        {
            "year": year,
            "years": years,
            "trend_years": trend_years,
            "card": card,
            "trend": trend,
            "chart": charts.bar_chart(
                [
                    charts.Bar(r.unit.short_name or r.unit.name, r.score, _warning(r.consequence))
                    for r in card.rows
                ],
                title=_("Nilai perangkat daerah %(year)s") % {"year": year},
            ),
            "trend_chart": charts.line_chart(series, title=_("Tiga teratas dari tahun ke tahun"))
            if series
            else None,
        },
    )


def _warning(consequence: str) -> str:
    return {"sanction": "red", "warning": "yellow", "none": "green"}.get(consequence, "none")


@require_GET
def unit_scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    unit = get_unit_for_user(user, pk)
    government = unit.government
    year, years = _year(request, government)
    trend_years = [y for y in years if y <= year]
    cards = selectors.scorecards(government, trend_years)
    trend = selectors.score_trend(cards).get(unit.pk, {})
    card = cards[year]
    view = monitoring.overview(government, year=year, as_of_quarter=monitoring.QUARTERS, unit=unit)
    return render(
        request,
        "evaluation/unit_scorecard.html",
        {
            "unit": unit,
            "year": year,
            "years": years,
            "can_read_unit": access.can_read_unit(user, unit),
            "row": card.row_for(unit),
            "units_ranked": sum(1 for r in card.rows if r.rank is not None),
            "card": card,
            "node": view.units[0] if view.units else None,
            "trend": [(y, trend.get(y)) for y in trend_years],
            "trend_chart": charts.line_chart(
                [charts.Series(unit.name, [(y, trend.get(y)) for y in trend_years])],
                title=_("Nilai %(unit)s per tahun") % {"unit": unit.name},
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def incentives(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    access.require_incentive_reader(user)
    year, years = _year(request, government)
    policy = selectors.incentive_policy(government, year)
    editable = access.can_manage_incentives(user) and not (
        policy and not IncentivePolicy.WORKFLOW.can(policy, "edit")
    )
    previous = policy or selectors.incentive_policy(government, year - 1)
    initial = (
        {
            "performance_share": previous.performance_share,
            "warning_below": previous.warning_below,
            "sanction_below": previous.sanction_below,
            "yearly_base_head": previous.yearly_base_head,
            "yearly_base_other": previous.yearly_base_other,
            **{f"predicate_{k}": v for k, v in (previous.predicate_factors or {}).items()},
        }
        if previous
        else {
            "performance_share": 70,
            "warning_below": 75,
            "sanction_below": 60,
            "yearly_base_head": 0,
            "yearly_base_other": 0,
        }
    )
    bands = [(b.min_score, b.factor) for b in selectors.bands_of(previous)]
    if request.method == "POST":
        form = IncentivePolicyForm(request.POST, bands=bands)
        if form.is_valid() and attempt(
            request,
            lambda: services.incentive_policy_save(
                government=government,
                year=year,
                by=user,
                bands=form.bands(),
                predicate_factors=form.predicate_factors(),
                **form.policy_values(),
            ),
            _("Kebijakan penghargaan dan sanksi %(year)s disimpan.") % {"year": year},
        ):
            return redirect(f"{request.path}?tahun={year}")
    else:
        form = IncentivePolicyForm(initial=initial, bands=bands)
    card = selectors.scorecard(government, year)
    people = selectors.person_allowances(card)
    return render(
        request,
        "evaluation/incentives.html",
        {
            "year": year,
            "years": years,
            "policy": policy,
            "card": card,
            "people": people,
            "form": form,
            "editable": editable,
            "can_close": editable and policy is not None,
            "bands": selectors.bands_of(policy),
            "discipline_share": 100 - policy.performance_share if policy else None,
        },
    )


@require_POST
def incentives_close(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    try:
        year = int(request.POST.get("tahun", ""))
    except ValueError as exc:
        raise Http404 from exc
    policy = selectors.incentive_policy(government, year)
    if policy is None:
        raise Http404
    if not access.can_manage_incentives(user):
        raise PermissionDenied(_("Hanya staf perencanaan yang dapat melakukan ini."))
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Tutup tahun %(year)s") % {"year": year},
            lead=_(
                "Nilai kinerja, predikat dan tunjangan (TPP) tahun %(year)s dikunci: tidak "
                "berubah lagi, juga bila realisasi dikoreksi kemudian."
            )
            % {"year": year},
            button=_("Ya, tutup tahun"),
            back=f"{reverse('evaluation:incentives')}?tahun={year}",
            hidden={"tahun": str(year)},
        )
    attempt(
        request,
        lambda: services.incentive_year_close(policy=policy, by=user),
        _("Tahun %(year)s ditutup; hasilnya tidak berubah lagi.") % {"year": year},
    )
    return redirect(f"{reverse('evaluation:incentives')}?tahun={year}")


# --- SAKIP -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sakip_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    year, years = _year(request, government)
    if request.method == "POST":
        unit = None
        if request.POST.get("unit"):
            unit = get_unit_for_user(user, request.POST["unit"])
        try:
            start_year = int(request.POST.get("year", year))
        except ValueError:
            start_year = year
        result = attempt(
            request,
            lambda: services.evaluation_start(
                government=government, year=start_year, unit=unit, by=user
            ),
            _("Evaluasi dibuka."),
        )
        if result:
            return redirect("evaluation:sakip_evaluation", result.value.pk)
        return redirect("evaluation:sakip")
    evaluations = SakipEvaluation.objects.filter(government=government).select_related(
        "unit", "worksheet"
    )
    if not is_overseer(user):
        evaluations = evaluations.filter(unit__isnull=True) | evaluations.filter(
            unit_id__in=unit_ids_of(user)
        )
    return render(
        request,
        "evaluation/sakip_list.html",
        {
            "year": year,
            "years": years,
            "grades": selectors.government_grades(government),
            "evaluations": evaluations.order_by("-year", "unit__kind", "unit__code"),
            "can_evaluate": access.can_evaluate(user),
            "units": Unit.objects.filter(government=government).order_by("kind", "code"),
            "worksheet": selectors.active_worksheet(government),
            "unit_worksheet": selectors.active_worksheet(government, SakipWorksheet.Level.UNIT),
            "worksheets": SakipWorksheet.objects.filter(government=government),
            "tiers": access.tiers_of(government.pk),
            "can_edit_worksheet": access.can_edit_worksheet(user),
            "upload_form": WorksheetUploadForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def worksheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    worksheet = get_for_user(user, SakipWorksheet.objects.all(), pk)
    tree = selectors.worksheet_tree(worksheet)
    can_edit = access.can_edit_worksheet(user)
    locked = worksheet.evaluations.filter(status=SakipEvaluation.Status.FINAL).exists()
    form = WorksheetWeightsForm(request.POST or None, worksheet=tree)
    if request.method == "POST":
        access.require_worksheet_editor(user)
        if form.is_valid() and attempt(
            request,
            lambda: services.worksheet_weights_save(worksheet=worksheet, by=user, **form.values()),
            _("Bobot dan batas predikat disimpan."),
        ):
            return redirect("evaluation:worksheet", worksheet.pk)
    return render(
        request,
        "evaluation/worksheet.html",
        {
            "worksheet": tree,
            "form": form,
            "can_edit": can_edit and not locked,
            "can_copy": can_edit,
            "locked": locked,
            "copy_form": CopyForm(
                initial={
                    "name": f"{worksheet.name} ({timezone.localdate().year})",
                    "level": worksheet.level,
                }
            ),
            "bounds": selectors.grade_bounds(tree),
        },
    )


@require_GET
def worksheet_export(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    worksheet = get_for_user(user, SakipWorksheet.objects.all(), pk)
    data = json.dumps(services.worksheet_export(worksheet), ensure_ascii=False, indent=1)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lke-{worksheet.pk}.json"'
    return response


@require_POST
def worksheet_copy(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    worksheet = get_for_user(user, SakipWorksheet.objects.all(), pk)
    form = CopyForm(request.POST)
    if form.is_valid():
        result = attempt(
            request,
            lambda: services.worksheet_copy(
                worksheet=worksheet,
                by=user,
                name=form.cleaned_data["name"],
                level=form.cleaned_data["level"],
            ),
            _("Salinan lembar kerja dibuat; evaluasi baru memakai salinan ini."),
        )
        if result:
            return redirect("evaluation:worksheet", result.value.pk)
    return redirect("evaluation:worksheet", worksheet.pk)


@require_POST
def worksheet_upload(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    form = WorksheetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("evaluation:sakip")
    result = attempt(
        request,
        lambda: services.worksheet_load(
            government=government, data=form.cleaned_data["file"], by=user
        ),
        _("Lembar kerja dimuat."),
    )
    if result:
        return redirect("evaluation:worksheet", result.value.pk)
    return redirect("evaluation:sakip")


@require_http_methods(["GET", "POST"])
def criterion_edit(request: HttpRequest, sub: int, pk: int | None = None) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    subcomponent = _subcomponent_for(government, sub)
    criterion = None
    if pk is not None:
        criterion = SakipCriterion.objects.filter(subcomponent=subcomponent, pk=pk).first()
        if criterion is None:
            raise Http404
    access.require_worksheet_editor(user)
    initial = {"text": criterion.text, "answer_type": criterion.answer_type} if criterion else {}
    form = CriterionForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: services.criterion_save(
                subcomponent=subcomponent, criterion=criterion, by=user, **form.cleaned_data
            ),
            _("Kriteria disimpan."),
        )
    ):
        return redirect("evaluation:worksheet", subcomponent.component.worksheet_id)
    return render(
        request,
        "evaluation/criterion_form.html",
        {"form": form, "subcomponent": subcomponent, "criterion": criterion},
    )


def _subcomponent_for(government: Government, pk: int) -> SakipSubComponent:
    found = (
        SakipSubComponent.objects.select_related("component__worksheet")
        .filter(pk=pk, component__worksheet__government=government)
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- LKjIP -----------------------------------------------------------------------------


@require_GET
def lkjip_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    year, years = _year(request, government)
    units = Unit.objects.filter(government=government).order_by("kind", "code")
    if not is_overseer(user):
        units = units.filter(pk__in=unit_ids_of(user))
    return render(
        request, "evaluation/lkjip_page.html", {"year": year, "years": years, "units": units}
    )


@require_GET
def lkjip_download(request: HttpRequest) -> HttpResponse:
    """The LKjIP of the government or a unit (?pd=) for a year, as PDF or (?format=docx) as a
    Word document with the same figures."""
    user = signed_in_user(request)
    government = government_for(user)
    year, _years_list = _year(request, government)
    unit = get_unit_for_user(user, request.GET["pd"]) if request.GET.get("pd") else None
    access.require_unit_reader(user, unit)
    name = f"lkjip-{year}-{unit.code if unit else government.slug}"
    if request.GET.get("format") == "docx":
        response = HttpResponse(lkjip_docx(government, year, unit), content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
        return response
    pdf = lkjip.lkjip_pdf(government, year, unit)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def lkjip_analysis(request: HttpRequest) -> HttpResponse:
    """The analysis of each indicator for the LKjIP, written by those who report its figures:
    a unit's (?pd=) by its people, the government's own by the planners."""
    user = signed_in_user(request)
    government = government_for(user)
    year, years = _year(request, government)
    unit = get_unit_for_user(user, request.GET["pd"]) if request.GET.get("pd") else None
    access.require_unit_reader(user, unit)
    context = lkjip.report_context(government, year, unit)
    lines = context["lines"]
    editable = {line.indicator.pk for line in lines if can_report(user, line.indicator)}
    errors: dict[int, str] = {}
    if request.method == "POST":
        rows: dict[int, dict[str, Any]] = {}
        for line in lines:
            pk = line.indicator.pk
            if pk not in editable or f"causes_{pk}" not in request.POST:
                continue
            raw = request.POST.get(f"national_{pk}", "").strip()[:40]
            national = None
            if raw:
                try:
                    national = parse_decimal(raw, language_of(get_language()))
                except NumberError as exc:
                    errors[pk] = str(exc)
            rows[pk] = {
                "causes": request.POST.get(f"causes_{pk}", "")[:4000],
                "measures": request.POST.get(f"measures_{pk}", "")[:4000],
                "national_value": national,
                "national_source": request.POST.get(f"source_{pk}", "")[:200],
            }
        if errors:
            messages.error(request, _("Periksa angka nasional yang ditandai."))
        elif attempt(
            request,
            lambda: lkjip.analyses_save(government=government, year=year, rows=rows, by=user),
            _("Analisis disimpan."),
        ):
            suffix = f"&pd={unit.pk}" if unit else ""
            return redirect(f"{reverse('evaluation:lkjip_analysis')}?tahun={year}{suffix}")
    posted = request.POST if request.method == "POST" else None
    items = []
    for line in lines:
        pk = line.indicator.pk
        a = line.analysis
        items.append(
            {
                "line": line,
                "editable": pk in editable,
                "causes": posted.get(f"causes_{pk}", "") if posted else (a.causes if a else ""),
                "measures": posted.get(f"measures_{pk}", "")
                if posted
                else (a.measures if a else ""),
                "national": posted.get(f"national_{pk}", "")
                if posted
                else (
                    format_decimal(a.national_value) if a and a.national_value is not None else ""
                ),
                "source": posted.get(f"source_{pk}", "")
                if posted
                else (a.national_source if a else ""),
                "error": errors.get(pk, ""),
            }
        )
    return render(
        request,
        "evaluation/lkjip_analysis.html",
        {
            "year": year,
            "years": years,
            "unit": unit,
            "items": items,
            "any_editable": bool(editable),
            "end_year": context["end_year"],
        },
        status=400 if request.method == "POST" else 200,
    )
