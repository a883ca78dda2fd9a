"""SKP pages: my SKP and my staff's, one SKP (its results, the approval, the ratings), and a
unit's year (the organisation's predicate, the distribution, closing, e-Kinerja)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.accounts.access import (
    can_edit_unit_plan,
    get_for_user,
    get_unit_for_user,
    government_for,
    has_role,
    is_overseer,
    require_unit_reader,
    signed_in_user,
    unit_ids_of,
)
from kinerja.accounts.models import Person, Role
from kinerja.accounts.personnel import Organisation
from kinerja.core.forms import IndonesianDecimalField
from kinerja.core.web import attempt, confirm_page, confirmed, parse_id
from kinerja.employees import actionplans, rules
from kinerja.employees import skp as service
from kinerja.employees.models import (
    BERAKHLAK,
    EMPLOYEE_PREDICATE_CHOICES,
    ORGANISATION_PREDICATE_CHOICES,
    RATING_CHOICES,
    CascadePolicy,
    Skp,
    SkpAssessment,
    SkpIndicator,
    SkpResult,
)
from kinerja.employees.views import _year
from kinerja.monitoring import selectors as monitoring
from kinerja.planning import calendar

PERIODS = [(1, "TW I"), (2, "TW II"), (3, "TW III"), (4, "TW IV"), (0, gettext_lazy("Tahunan"))]


@require_http_methods(["GET", "POST"])
def my_skp(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    year, years = _year(request, government)
    person = user.person
    if request.method == "POST":
        if person is None:
            raise PermissionDenied
        done = attempt(
            request,
            lambda: service.skp_start(person=person, year=year, by=user),
            _("SKP %(year)s dibuka.") % {"year": year},
        )
        if done:
            return redirect("employees:skp_detail", done.value.pk)
        return redirect(reverse("employees:my_skp") + f"?tahun={year}")
    org = Organisation(government)
    mine = Skp.objects.filter(person=person, year=year).first() if person else None
    staff = org.subordinates_of(person) if person else []
    staff_skps = {
        s.person_id: s
        for s in Skp.objects.filter(person__in=staff, year=year).prefetch_related("assessments")
    }
    units = sorted(unit_ids_of(user))
    return render(
        request,
        "employees/my_skp.html",
        {
            "year": year,
            "years": years,
            "mine": mine,
            "post": org.post_of(person) if person else None,
            "staff": [(p, staff_skps.get(p.pk), _latest(staff_skps.get(p.pk))) for p in staff],
            "units": units,
            "all_units": is_overseer(user),
        },
    )


def _notes(assessment: SkpAssessment | None) -> list[tuple[Any, str]]:
    """The behaviour notes under their value's name, in the values' order."""
    if assessment is None:
        return []
    notes = assessment.behaviour_notes or {}
    return [(label, notes[key]) for key, label in BERAKHLAK if notes.get(key)]


def _latest(skp: Skp | None) -> Any:
    """The latest rating of an SKP: the year's, else the last quarter's."""
    if skp is None:
        return None
    ratings = sorted(skp.assessments.all(), key=lambda a: (a.period == 0, a.period))
    return ratings[-1] if ratings else None


def _skp(request: HttpRequest, pk: int) -> tuple[Any, Skp, Organisation]:
    user = signed_in_user(request)
    skp = get_for_user(
        user, Skp.objects.select_related("person", "unit", "position", "evaluator"), pk
    )
    org = Organisation(skp.government_id)
    if not service.can_view(user, skp, org):
        raise PermissionDenied(_("SKP ini hanya untuk pegawainya, atasannya dan unitnya."))
    return user, skp, org


class ResultForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Jenis"), choices=SkpResult.Kind.choices)
    text = forms.CharField(
        label=gettext_lazy("Rencana hasil kerja"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    serves = forms.TypedChoiceField(
        label=gettext_lazy("RHK atasan yang diintervensi"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    perspective = forms.ChoiceField(
        label=gettext_lazy("Perspektif"),
        required=False,
        choices=[("", "—"), *SkpResult.Perspective.choices],
    )

    def __init__(self, *args: Any, upper: list[SkpResult], head: bool, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field: Any = self.fields["serves"]
        field.choices = [("", "—")] + [(r.pk, r.text) for r in upper]
        if not head:
            del self.fields["perspective"]


class IndicatorForm(forms.Form):
    aspect = forms.ChoiceField(label=gettext_lazy("Aspek"), choices=SkpIndicator.Aspect.choices)
    name = forms.CharField(label=gettext_lazy("Indikator kinerja individu"), max_length=500)
    target = forms.CharField(label=gettext_lazy("Target"), max_length=120)


class AssessmentForm(forms.Form):
    period = forms.TypedChoiceField(label=gettext_lazy("Periode"), coerce=int, choices=PERIODS)
    results_rating = forms.ChoiceField(
        label=gettext_lazy("Rating hasil kerja"), choices=RATING_CHOICES
    )
    behaviour_rating = forms.ChoiceField(
        label=gettext_lazy("Rating perilaku kerja"), choices=RATING_CHOICES
    )
    feedback = forms.CharField(
        label=gettext_lazy("Umpan balik"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        for key, label in BERAKHLAK:
            self.fields[f"note_{key}"] = forms.CharField(
                label=label, required=False, max_length=1000
            )


@require_http_methods(["GET", "POST"])
def skp_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, skp, org = _skp(request, pk)
    upper = service.superior_results(skp)
    if request.method == "POST":
        step = request.POST.get("step", "")
        here = reverse("employees:skp_detail", args=[skp.pk])
        if step == "result":
            form: forms.Form = ResultForm(request.POST, upper=upper, head=skp.is_head)
            if form.is_valid():
                d = form.cleaned_data
                serves = next((r for r in upper if r.pk == d["serves"]), None)
                attempt(
                    request,
                    lambda: service.skp_result_save(
                        skp=skp,
                        text=d["text"],
                        kind=d["kind"],
                        serves=serves,
                        perspective=d.get("perspective", ""),
                        by=user,
                    ),
                    _("Hasil kerja disimpan."),
                )
        elif step == "indicator":
            result = skp.results.filter(pk=parse_id(request.POST.get("result")) or 0).first()
            if result is None:
                raise Http404
            form = IndicatorForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                chosen: SkpResult = result
                attempt(
                    request,
                    lambda: service.skp_indicator_save(
                        result=chosen,
                        aspect=d["aspect"],
                        name=d["name"],
                        target=d["target"],
                        by=user,
                    ),
                    _("Indikator disimpan."),
                )
        elif step == "delete_result":
            result = skp.results.filter(pk=parse_id(request.POST.get("result")) or 0).first()
            if result is None:
                raise Http404
            attempt(
                request,
                lambda: service.skp_result_delete(result=result, by=user),
                _("Hasil kerja dihapus."),
            )
            form = forms.Form()
        elif step in ("submit", "approve", "return"):
            action = {
                "submit": lambda: service.skp_submit(skp=skp, by=user),
                "approve": lambda: service.skp_approve(skp=skp, by=user),
                "return": lambda: service.skp_return(
                    skp=skp, note=request.POST.get("note", ""), by=user
                ),
            }[step]
            done = {
                "submit": _("SKP diajukan ke pejabat penilai."),
                "approve": _("SKP disetujui."),
                "return": _("SKP dikembalikan."),
            }[step]
            attempt(request, action, done)
            form = forms.Form()
        elif step == "assess":
            form = AssessmentForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                notes = {key: d.get(f"note_{key}", "") for key, _label in BERAKHLAK}
                attempt(
                    request,
                    lambda: service.skp_assess(
                        skp=skp,
                        period=d["period"],
                        results_rating=d["results_rating"],
                        behaviour_rating=d["behaviour_rating"],
                        notes=notes,
                        feedback=d["feedback"],
                        by=user,
                    ),
                    _("Penilaian disimpan."),
                )
        else:
            raise Http404
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(here)
    results = list(
        skp.results.select_related("serves", "source_indicator").prefetch_related("indicators")
    )
    assessments = {a.period: a for a in skp.assessments.select_related("assessed_by")}
    evaluator = service.evaluator_of(skp, org)
    can_write = service.can_write(user, skp) and Skp.WORKFLOW.can(skp, "edit")
    is_evaluator = service.is_evaluator(user, skp, org)
    return render(
        request,
        "employees/skp_detail.html",
        {
            "skp": skp,
            "results": results,
            "evaluator": evaluator,
            "periods": [
                (p, label, assessments.get(p), _notes(assessments.get(p))) for p, label in PERIODS
            ],
            "can_write": can_write,
            "is_evaluator": is_evaluator,
            "result_form": ResultForm(upper=upper, head=skp.is_head) if can_write else None,
            "indicator_form": IndicatorForm() if can_write else None,
            "assessment_form": AssessmentForm()
            if is_evaluator and Skp.WORKFLOW.can(skp, "assess")
            else None,
            "berakhlak": BERAKHLAK,
        },
    )


class OrganisationForm(forms.Form):
    predicate = forms.ChoiceField(
        label=gettext_lazy("Predikat kinerja organisasi"), choices=ORGANISATION_PREDICATE_CHOICES
    )
    note = forms.CharField(
        label=gettext_lazy("Pertimbangan"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Predikat dari e-Kinerja (.xlsx: NIP, Predikat)"))


def _unit(request: HttpRequest, pk: int) -> tuple[Any, Any]:
    user = signed_in_user(request)
    unit = get_unit_for_user(user, pk)
    require_unit_reader(user, unit)
    return user, unit


@require_http_methods(["GET", "POST"])
def unit_skp(request: HttpRequest, pk: int) -> HttpResponse:
    user, unit = _unit(request, pk)
    year, years = _year(request, unit.government)
    here = reverse("employees:unit_skp", args=[unit.pk]) + f"?tahun={year}"
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "rating":
            form = OrganisationForm(request.POST)
            if form.is_valid():
                attempt(
                    request,
                    lambda: service.organisation_rating_set(
                        unit=unit,
                        year=year,
                        predicate=form.cleaned_data["predicate"],
                        note=form.cleaned_data["note"],
                        by=user,
                    ),
                    _("Predikat organisasi disimpan."),
                )
        elif step == "close":
            if not confirmed(request):
                return confirm_page(
                    request,
                    title=_("Tutup tahun %(year)s %(unit)s") % {"year": year, "unit": unit.name},
                    lead=_(
                        "Distribusi predikat pegawai diperiksa terhadap predikat organisasi. "
                        "Setelah ditutup, penilaian tahun ini tidak dapat diubah."
                    ),
                    button=_("Ya, tutup tahun"),
                    back=here,
                    hidden={"step": "close", "tahun": str(year)},
                )
            attempt(
                request,
                lambda: service.year_close(unit=unit, year=year, by=user),
                _("Tahun %(year)s ditutup.") % {"year": year},
            )
        elif step == "import":
            upload = UploadForm(request.POST, request.FILES)
            if upload.is_valid():
                content = upload.cleaned_data["file"].read()
                attempt(
                    request,
                    lambda: service.ekinerja_import(unit=unit, year=year, content=content, by=user),
                    _("Predikat dari e-Kinerja disimpan."),
                )
        else:
            raise Http404
        return redirect(here)
    if request.GET.get("format") == "ekinerja":
        response = HttpResponse(
            service.ekinerja_export(unit, year),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"skp-ekinerja-{unit.short_name or unit.code}-{year}.xlsx".lower()
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    result = service.distribution(unit, year)
    skps = list(
        Skp.objects.filter(unit=unit, year=year)
        .select_related("person", "position")
        .prefetch_related("assessments")
        .order_by("position__kind", "person__name")
    )
    rank = {"unit_head": 0, "administrator": 1, "supervisor": 2, "functional": 3}
    skps.sort(key=lambda x: (rank.get(x.position.kind, 4), x.person.name))
    rows = []
    for s in skps:
        by_period = {a.period: a for a in s.assessments.all()}
        rated = [(label, by_period[p]) for p, label in PERIODS if p in by_period]
        rows.append((s, rated))
    labels = dict(EMPLOYEE_PREDICATE_CHOICES)
    counts = [(labels.get(key, key), n) for key, n in result.counts.items()]
    # What the official one level up rates the organisation from: the unit's achievement of
    # its agreement so far and its action plans.
    quarter = calendar.default_quarter(unit.government, year)
    node = next(
        (
            n
            for n in monitoring.overview(unit.government, year=year, as_of_quarter=quarter).units
            if n.obj == unit
        ),
        None,
    )
    plans = next(
        (r for r in actionplans.government_summary(unit.government, year) if r.unit == unit), None
    )
    org = Organisation(unit.government_id)
    staff = [p.person for p in org.own.values() if p.position.unit_id == unit.pk]
    without = [p for p in staff if p.pk not in {s.person_id for s in skps}]
    return render(
        request,
        "employees/unit_skp.html",
        {
            "unit": unit,
            "year": year,
            "years": years,
            "rows": rows,
            "periods": PERIODS,
            "without": sorted(without, key=lambda p: p.name),
            "result": result,
            "counts": counts,
            "not_assessed": ", ".join(x.person.name for x in result.not_assessed),
            "achievement": node.to_date if node else None,
            "quarter": quarter,
            "plans": plans,
            "problems": [service.problem_text(p, result.rating.predicate) for p in result.problems]
            if result.rating
            else [],
            "can_rate": service.can_rate_organisation(user),
            "can_close": service.can_close(user, unit),
            "can_edit": can_edit_unit_plan(user, unit),
            "rating_form": OrganisationForm(
                initial={"predicate": result.rating.predicate} if result.rating else None
            ),
            "upload_form": UploadForm(),
        },
    )


@require_POST
def start_for(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's operator opens the SKP of one of its people."""
    user = signed_in_user(request)
    person = get_for_user(user, Person.objects.all(), pk)
    year, _years = _year(request, government_for(user))
    done = attempt(
        request,
        lambda: service.skp_start(person=person, year=year, by=user),
        _("SKP %(year)s dibuka.") % {"year": year},
    )
    if done:
        return redirect("employees:skp_detail", done.value.pk)
    return redirect(reverse("employees:my_skp") + f"?tahun={year}")


class PolicyForm(forms.Form):
    """The cascade policy: the bounds keep their shape (the national rules); their numbers are
    the government's."""

    action_plan_periods = forms.TypedChoiceField(
        label=gettext_lazy("Periode rencana aksi"),
        coerce=int,
        choices=[(4, gettext_lazy("Triwulanan (TW I–IV)")), (12, gettext_lazy("Bulanan"))],
        help_text=gettext_lazy("Berlaku untuk rencana aksi yang disusun sesudahnya."),
    )
    rounding = forms.ChoiceField(
        label=gettext_lazy("Pembulatan batas distribusi untuk unit kecil"),
        choices=CascadePolicy.Rounding.choices,
    )

    def __init__(self, *args: Any, bounds: dict[str, Any], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.shape = bounds
        for org, items in rules.DEFAULT_BOUNDS.items():
            for i, default in enumerate(items):
                current = bounds.get(org, items)[i] if i < len(bounds.get(org, items)) else default
                value = current.percent if current.percent is not None else current.people
                org_label = dict(ORGANISATION_PREDICATE_CHOICES)[org]
                self.fields[f"b_{org}_{i}"] = IndonesianDecimalField(
                    label=f"{org_label}: {service.bound_text(default, '…')}",
                    min_value=0,
                    max_value=100 if default.percent is not None else 1000,
                    initial=value,
                )

    def bounds(self) -> dict[str, tuple[rules.Bound, ...]]:
        result = {}
        for org, items in rules.DEFAULT_BOUNDS.items():
            made = []
            for i, default in enumerate(items):
                value = self.cleaned_data[f"b_{org}_{i}"]
                if default.percent is not None:
                    made.append(rules.Bound(default.kind, default.predicates, percent=value))
                else:
                    made.append(rules.Bound(default.kind, default.predicates, people=int(value)))
            result[org] = tuple(made)
        return result


@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    current = CascadePolicy.objects.filter(government=government).first()
    bounds, rounding = (
        service.policy_bounds_of(current) if current else (rules.DEFAULT_BOUNDS, "exact")
    )
    initial = {
        "action_plan_periods": current.action_plan_periods if current else 4,
        "rounding": rounding,
    }
    form = PolicyForm(request.POST or None, initial=initial, bounds=bounds)
    can_edit = has_role(user, Role.PLANNER)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Hanya staf perencanaan yang dapat melakukan ini."))
        if form.is_valid() and attempt(
            request,
            lambda: service.cascade_policy_save(
                government_id=government.pk,
                action_plan_periods=form.cleaned_data["action_plan_periods"],
                rounding=form.cleaned_data["rounding"],
                bounds=form.bounds(),
                by=user,
            ),
            _("Kebijakan kinerja pegawai disimpan."),
        ):
            return redirect("employees:policy")
    return render(request, "employees/policy.html", {"form": form, "can_edit": can_edit})
