"""Pages of the plan. Each view: access helper, form, one service call, render or redirect."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts.access import (
    can_edit_government_plan,
    can_edit_unit_plan,
    can_view_history,
    get_for_user,
    get_unit_for_user,
    government_for,
    require_history_reader,
    require_plan_editor,
    require_planner,
    signed_in_user,
    unit_ids_of,
)
from kinerja.accounts.models import Position, Unit, User
from kinerja.core.selectors import field_labels, history_for
from kinerja.core.web import attempt
from kinerja.planning import calendar
from kinerja.planning import terms as terms_services
from kinerja.planning.excel import (
    export_plan_matrix,
    parse_plan_matrix,
    plan_import_confirm,
    plan_import_upload,
)
from kinerja.planning.forms import (
    CalendarForm,
    GoalForm,
    IndicatorForm,
    MissionForm,
    ObjectiveForm,
    ProgrammeForm,
    PublishForm,
    TargetsForm,
    TermForm,
    WorkbookUploadForm,
)
from kinerja.planning.freeze import describe, frozen_years
from kinerja.planning.models import Goal, Indicator, Mission, Objective, PlanImport, Programme, Term
from kinerja.planning.selectors import current_term, indicators_with_targets, plan_tree
from kinerja.planning.services import (
    calendar_set,
    indicator_targets_set,
    plan_object_save,
    programme_save,
    year_publish,
)
from kinerja.planning.terms import Carry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _term(request: HttpRequest) -> Term:
    """The term asked for (?term=) or the current one, of the user's government."""
    user = signed_in_user(request)
    government = government_for(user)
    if request.GET.get("term"):
        return get_for_user(user, Term.objects.all(), request.GET["term"])
    term = current_term(government)
    if term is None:
        raise Http404(_("Belum ada periode RPJMD."))
    return term


@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    term = current_term(government)
    if term is None:
        return render(request, "planning/tree.html", {"tree": None})
    if request.GET.get("term"):
        term = _term(request)
    unit_filter = None
    if request.GET.get("unit"):
        unit_filter = get_unit_for_user(user, request.GET["unit"])
    return render(
        request,
        "planning/tree.html",
        {
            "tree": plan_tree(term),
            "terms": Term.objects.filter(government=government),
            "unit_filter": unit_filter,
            "expand": request.GET.get("expand") == "1",
            # Units whose part of the tree this user may edit (all of them for planners).
            "editable_unit_ids": (
                {u.pk for u in Unit.objects.filter(government=government)}
                if can_edit_government_plan(user)
                else unit_ids_of(user)
            ),
        },
    )


@require_GET
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    indicator = get_for_user(
        user,
        indicators_with_targets(
            Indicator.objects.select_related(
                "objective__term", "objective__serves", "carried_from__objective__term"
            )
        ),
        pk,
    )
    unit = indicator.owner_unit
    plan_unit = indicator.plan_unit
    targets = list(indicator.targets.all())
    return render(
        request,
        "planning/indicator_detail.html",
        {
            "indicator": indicator,
            "end_target": targets[-1] if targets else None,
            "years": indicator.objective.term.target_years,
            "can_edit": (
                can_edit_unit_plan(user, plan_unit) if plan_unit else can_edit_government_plan(user)
            ),
            "can_history": can_view_history(user, unit),
        },
    )


@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = signed_in_user(request)
    term = _term(request)
    if pk is not None:
        indicator = get_for_user(user, Indicator.objects.select_related("objective"), pk)
        require_plan_editor(user, indicator.plan_unit)
        term = indicator.objective.term
    else:
        indicator = Indicator(baseline_year=term.start_year)
        if request.GET.get("objective"):
            indicator.objective = get_for_user(
                user, term.objectives.all(), request.GET["objective"]
            )
            require_plan_editor(user, indicator.objective.unit)
        elif not (can_edit_government_plan(user) or _unit_scoped(user)):
            raise PermissionDenied
    form = IndicatorForm(request.POST or None, instance=indicator, term=term, user=user)
    if request.method == "POST" and form.is_valid():
        saved = plan_object_save(obj=form.save(commit=False), by=user)
        messages.success(request, _("Indikator %(code)s disimpan.") % {"code": saved.code})
        if pk is None:
            return redirect("planning:indicator_targets", saved.pk)
        return redirect("planning:indicator_detail", saved.pk)
    return render(
        request,
        "planning/form.html",
        {
            "form": form,
            "title": _("Ubah indikator") if pk else _("Tambah indikator"),
            "back_url": (
                reverse("planning:indicator_detail", args=[indicator.pk]) if indicator.pk else None
            ),
        },
    )


def _unit_scoped(user: User) -> bool:
    return bool(unit_ids_of(user))


@require_http_methods(["GET", "POST"])
def indicator_targets(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    indicator = get_for_user(user, Indicator.objects.select_related("objective__term"), pk)
    require_plan_editor(user, indicator.plan_unit)
    years = indicator.objective.term.target_years
    frozen = {
        year: describe(indicator, year, freezes)
        for year, freezes in frozen_years(indicator, years).items()
    }
    form = TargetsForm(request.POST or None, indicator=indicator, years=years, frozen=frozen)
    if request.method == "POST" and form.is_valid():
        try:
            indicator_targets_set(indicator=indicator, targets=form.targets(), by=user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Target tahunan %(code)s disimpan.") % {"code": indicator.code}
            )
            return redirect("planning:indicator_detail", indicator.pk)
    return render(
        request,
        "planning/form.html",
        {
            "form": form,
            "title": _("Target tahunan: %(name)s") % {"name": indicator},
            "back_url": reverse("planning:indicator_detail", args=[indicator.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = signed_in_user(request)
    term = _term(request)
    if pk is not None:
        objective = get_for_user(user, Objective.objects.select_related("term", "unit"), pk)
        require_plan_editor(user, objective.unit)
        term = objective.term
        unit_level = objective.is_unit_level
    else:
        objective = Objective(term=term)
        unit_level = bool(request.GET.get("unit")) or not can_edit_government_plan(user)
        if request.GET.get("unit"):
            objective.unit = get_unit_for_user(user, request.GET["unit"], for_edit=True)
        elif unit_level and not _unit_scoped(user):
            raise PermissionDenied
    form = ObjectiveForm(
        request.POST or None,
        instance=objective,
        term=term,
        user=user,
        unit_level=unit_level,
    )
    if request.method == "POST" and form.is_valid():
        saved = plan_object_save(obj=form.save(commit=False), by=user)
        messages.success(request, _("Sasaran %(code)s disimpan.") % {"code": saved.code})
        if saved.unit_id:
            return redirect("unit_detail", saved.unit_id)
        return redirect("planning:tree")
    title = (
        _("Ubah sasaran")
        if pk
        else (_("Tambah sasaran PD") if unit_level else _("Tambah sasaran daerah"))
    )
    return render(request, "planning/form.html", {"form": form, "title": title})


def _save_plan_form(
    request: HttpRequest, form: Any, *, title: str, saved_message: str
) -> HttpResponse:
    """Validate a plan form, save through the audited service, or show it with its errors."""
    if request.method == "POST" and form.is_valid():
        saved = plan_object_save(obj=form.save(commit=False), by=signed_in_user(request))
        messages.success(request, saved_message % {"code": saved.code})
        return redirect("planning:tree")
    return render(request, "planning/form.html", {"form": form, "title": title})


@require_http_methods(["GET", "POST"])
def mission_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = signed_in_user(request)
    require_planner(user)
    if pk is not None:
        mission = get_for_user(user, Mission.objects.select_related("term"), pk)
        term = mission.term
    else:
        term = _term(request)
        mission = Mission(term=term, number=term.missions.count() + 1)
    return _save_plan_form(
        request,
        MissionForm(request.POST or None, instance=mission, term=term),
        title=_("Ubah misi") if pk else _("Tambah misi"),
        saved_message=_("Misi %(code)s disimpan."),
    )


@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = signed_in_user(request)
    require_planner(user)
    if pk is not None:
        goal = get_for_user(user, Goal.objects.select_related("mission__term"), pk)
        term = goal.mission.term
    else:
        term = _term(request)
        goal = Goal()
        if request.GET.get("mission"):
            goal.mission = get_for_user(user, term.missions.all(), request.GET["mission"])
    return _save_plan_form(
        request,
        GoalForm(request.POST or None, instance=goal, term=term),
        title=_("Ubah tujuan") if pk else _("Tambah tujuan"),
        saved_message=_("Tujuan %(code)s disimpan."),
    )


@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = signed_in_user(request)
    if pk is not None:
        programme = get_for_user(user, Programme.objects.select_related("term", "unit"), pk)
        unit, term = programme.unit, programme.term
    else:
        term = _term(request)
        unit = get_unit_for_user(user, request.GET.get("unit"), for_edit=True)
        programme = Programme(term=term, unit=unit, kind=Programme.Kind.PROGRAMME)
    require_plan_editor(user, unit)
    form = ProgrammeForm(request.POST or None, instance=programme, term=term, unit=unit)
    if request.method == "POST" and form.is_valid():
        programme_save(
            programme=form.save(commit=False),
            objectives=list(form.cleaned_data["objectives"]),
            budgets=form.budgets(),
            spent=form.spent(),
            by=user,
        )
        messages.success(
            request, _("Program/kegiatan %(code)s disimpan.") % {"code": form.instance.code}
        )
        return redirect("unit_detail", unit.pk)
    title = _("Ubah program/kegiatan") if pk else _("Tambah program/kegiatan")
    return render(
        request,
        "planning/form.html",
        {"form": form, "title": title, "back_url": reverse("unit_detail", args=[unit.pk])},
    )


@require_GET
def excel(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = require_planner(user)
    term = _term(request)
    imports = (
        PlanImport.objects.filter(government=government)
        .select_related("uploaded_by")
        .defer("content")[:10]
    )
    return render(
        request,
        "planning/excel.html",
        {
            "term": term,
            "form": WorkbookUploadForm(),
            "imports": imports,
            "units": Unit.objects.filter(government=government),
        },
    )


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    term = _term(request)
    unit = None
    if request.GET.get("unit"):
        unit = get_unit_for_user(user, request.GET["unit"])
    content = export_plan_matrix(term, unit)
    scope = slugify(unit.short_name or unit.name) if unit else slugify(term.government.name)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="matriks-rencana-{scope}-{term.start_year}-{term.end_year}.xlsx"'
    )
    return response


@require_POST
def import_upload(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require_planner(user)
    term = _term(request)
    form = WorkbookUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request, "planning/excel.html", {"term": term, "form": form, "imports": []}, status=400
        )
    upload = form.cleaned_data["file"]
    if upload.size > settings.KINERJA_MAX_UPLOAD_BYTES:
        form.add_error(
            "file",
            _("Berkas terlalu besar (batas %(mb)s MB).")
            % {"mb": settings.KINERJA_MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
        return render(
            request, "planning/excel.html", {"term": term, "form": form, "imports": []}, status=400
        )
    plan_import = plan_import_upload(
        term=term, filename=upload.name, content=upload.read(), by=user
    )
    return redirect("planning:import_preview", plan_import.pk)


@require_GET
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    require_planner(user)
    plan_import = get_for_user(user, PlanImport.objects.select_related("term"), pk)
    result: Any = None
    if plan_import.status == PlanImport.Status.PREVIEWED:
        result = parse_plan_matrix(bytes(plan_import.content), plan_import.term)
    return render(
        request, "planning/import_preview.html", {"plan_import": plan_import, "result": result}
    )


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    require_planner(user)
    plan_import = get_for_user(user, PlanImport.objects.select_related("term"), pk)
    try:
        result = plan_import_confirm(plan_import=plan_import, by=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("planning:import_preview", pk)
    if not result.ok:
        messages.error(request, _("Berkas tidak lagi valid; tidak ada yang disimpan."))
        return redirect("planning:import_preview", pk)
    messages.success(request, _("Matriks rencana disimpan: %(n)s baris.") % {"n": len(result.rows)})
    return redirect("planning:tree")


@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The government's terms, current and reporting year, and what the portal shows."""
    user = signed_in_user(request)
    government = government_for(user)
    can_edit = can_edit_government_plan(user)
    calendar_form = CalendarForm(
        initial={
            "current_year": government.current_year,
            "reporting_year": government.reporting_year,
        }
    )
    publish_form = PublishForm(initial={"year": calendar.reporting_year(government), "quarter": 4})
    if request.method == "POST":
        require_planner(user)
        if "publish" in request.POST:
            publish_form = PublishForm(request.POST)
            if publish_form.is_valid():
                quarter = publish_form.cleaned_data["quarter"]
                year = publish_form.cleaned_data["year"]
                done = (
                    _("Capaian %(year)s ditarik dari portal.")
                    if quarter == PublishForm.WITHDRAW
                    else _("Capaian %(year)s diterbitkan di portal.")
                ) % {"year": year}
                if attempt(
                    request,
                    lambda: year_publish(year=year, quarter=quarter or None, by=user),
                    done,
                ):
                    return redirect("planning:calendar")
        else:
            calendar_form = CalendarForm(request.POST)
            if calendar_form.is_valid():
                data = calendar_form.cleaned_data
                if attempt(
                    request,
                    lambda: calendar_set(
                        current_year=data["current_year"],
                        reporting_year=data["reporting_year"],
                        by=user,
                    ),
                    _("Kalender disimpan."),
                ):
                    return redirect("planning:calendar")
    published = calendar.publications(government)
    return render(
        request,
        "planning/calendar.html",
        {
            "government": government,
            "terms": calendar.terms(government),
            "current_year": calendar.current_year(government),
            "reporting_year": calendar.reporting_year(government),
            "years": [(y, published.get(y)) for y in calendar.years(government)],
            "calendar_form": calendar_form,
            "publish_form": publish_form,
            "can_edit": can_edit,
        },
    )


@require_GET
def term_list(request: HttpRequest) -> HttpResponse:
    """The government's terms: which is current, what each holds."""
    user = signed_in_user(request)
    government = government_for(user)
    terms = (
        Term.objects.filter(government=government)
        .annotate(
            n_missions=Count("missions", distinct=True),
            n_objectives=Count("objectives", distinct=True),
            n_indicators=Count("objectives__indicators", distinct=True),
        )
        .order_by("-start_year")
    )
    return render(
        request,
        "planning/term_list.html",
        {"terms": terms, "can_edit": can_edit_government_plan(user)},
    )


@require_http_methods(["GET", "POST"])
def term_create(request: HttpRequest) -> HttpResponse:
    """A new term, carrying forward what the planner ticks from an earlier one."""
    user = signed_in_user(request)
    government = require_planner(user)
    source = None
    source_id = request.POST.get("sumber") or request.GET.get("sumber")
    if source_id:
        source = get_for_user(user, Term.objects.all(), source_id)
    elif request.method == "GET":
        source = current_term(government)
    initial: dict[str, Any] = {"make_current": True}
    if source is not None:
        first = source.end_year + 1
        last = first + len(source.target_years) - 1
        initial.update(first_year=first, last_year=last, name=f"RPJMD {first}–{last}")
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        carry = None
        if source is not None:
            carry = Carry(
                source=source,
                missions=_ids(request.POST.getlist("misi")),
                objectives=_ids(request.POST.getlist("sasaran")),
                indicators=_ids(request.POST.getlist("indikator")),
            )
        outcome = attempt(
            request,
            lambda: terms_services.term_create(
                name=data["name"],
                first_year=data["first_year"],
                last_year=data["last_year"],
                vision=data["vision"],
                make_current=data["make_current"],
                carry=carry,
                by=user,
            ),
            _("Periode baru dibuat."),
        )
        if outcome:
            term, carried = outcome.value
            messages.info(
                request,
                _(
                    "Dibawa dari periode sebelumnya: %(m)s misi, %(g)s tujuan, %(o)s sasaran, "
                    "%(i)s indikator. Tulis ulang misi dan perbarui kondisi awal indikator."
                )
                % {
                    "m": carried.missions,
                    "g": carried.goals,
                    "o": carried.objectives,
                    "i": carried.indicators,
                },
            )
            return redirect(f"{reverse('planning:tree')}?term={term.pk}")
    return render(
        request,
        "planning/term_create.html",
        {
            "form": form,
            "source": source,
            "sources": Term.objects.filter(government=government).order_by("-start_year"),
            "tree": plan_tree(source) if source is not None else None,
            "posted": request.method == "POST",
            "ticked": {
                "misi": set(request.POST.getlist("misi")),
                "sasaran": set(request.POST.getlist("sasaran")),
                "indikator": set(request.POST.getlist("indikator")),
            },
        },
    )


def _ids(values: list[str]) -> set[int]:
    """Posted ids, bounded: anything that is not a plain id is refused."""
    if len(values) > 20000:
        raise Http404
    try:
        ids = {int(v) for v in values}
    except ValueError as exc:
        raise Http404 from exc
    if any(not 0 < i < 2**63 for i in ids):
        raise Http404
    return ids


@require_POST
def term_make_current(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    require_planner(user)
    term = get_for_user(user, Term.objects.all(), pk)
    attempt(
        request,
        lambda: terms_services.term_make_current(term=term, by=user),
        _("%(term)s kini periode berjalan.") % {"term": term},
    )
    return redirect("planning:terms")


# The objects whose history can be opened, by the name used in the address.
HISTORY_MODELS: dict[str, type[Model]] = {
    "term": Term,
    "mission": Mission,
    "goal": Goal,
    "objective": Objective,
    "indicator": Indicator,
    "programme": Programme,
    "unit": Unit,
    "position": Position,
}


@require_GET
def history(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    """Who changed what, when, before and after, for one object."""
    user = signed_in_user(request)
    model_class = HISTORY_MODELS.get(model)
    if model_class is None:
        raise Http404
    obj: Any = get_for_user(user, model_class._default_manager.all(), pk)
    unit = _unit_of(obj)
    require_history_reader(user, unit)
    page = Paginator(history_for(obj), 25).get_page(request.GET.get("page"))
    labels = field_labels(model_class)
    events = [
        (e, [(labels.get(f, f), old, new) for f, old, new in e.changes()]) for e in page.object_list
    ]
    return render(
        request,
        "planning/history.html",
        {"obj": obj, "page": page, "events": events, "model_name": model_class._meta.verbose_name},
    )


def _unit_of(obj: Any) -> Unit | None:
    if isinstance(obj, Unit):
        return obj
    if isinstance(obj, Indicator):
        return obj.owner_unit
    return getattr(obj, "unit", None)
