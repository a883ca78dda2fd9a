"""Pages of the cascade to people: action plans (a unit's year, its quarter report, the
government's summary)."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.accounts.access import (
    can_edit_unit_plan,
    get_for_user,
    get_unit_for_user,
    government_for,
    is_overseer,
    require_unit_reader,
    signed_in_user,
    unit_ids_of,
)
from kinerja.accounts.models import Person, Unit
from kinerja.agreements.models import CascadeIndicator
from kinerja.core.forms import IndonesianDecimalField
from kinerja.core.spreadsheets import append_row
from kinerja.core.web import attempt, parse_id
from kinerja.employees import actionplans
from kinerja.employees.models import Action, ActionPlan
from kinerja.planning import calendar
from kinerja.planning.models import Indicator


def _year(request: HttpRequest, unit_or_gov: Any) -> tuple[int, list[int]]:
    government = getattr(unit_or_gov, "government", unit_or_gov)
    return calendar.year_from(
        request.GET.get("tahun") or request.POST.get("tahun"),
        government,
        calendar.current_year(government),
        ahead=1,
    )


def _unit(request: HttpRequest, pk: int) -> tuple[Any, Unit, bool]:
    user = signed_in_user(request)
    unit = get_unit_for_user(user, pk)
    require_unit_reader(user, unit)
    return user, unit, can_edit_unit_plan(user, unit)


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Per unit, the action plans missing, late and red: every unit for the head of region,
    the planners and the inspectorate, one's own for a unit's people."""
    user = signed_in_user(request)
    government = government_for(user)
    mine = None if is_overseer(user) else unit_ids_of(user)
    if mine is not None and not mine:
        raise PermissionDenied(_("Hanya perangkat daerah, pimpinan, perencana dan inspektorat."))
    year, years = _year(request, government)
    rows = actionplans.government_summary(government, year)
    if mine is not None:
        rows = [r for r in rows if r.unit.pk in mine]
    return render(
        request,
        "employees/action_overview.html",
        {"year": year, "years": years, "rows": rows},
    )


class TargetsForm(forms.Form):
    def __init__(self, *args: Any, periods: int, initial_targets: list[Any], **kw: Any) -> None:
        super().__init__(*args, **kw)
        for p in range(1, periods + 1):
            self.fields[f"t{p}"] = IndonesianDecimalField(
                label=actionplans.period_label(p, periods),
                required=False,
                max_digits=24,
                decimal_places=6,
                initial=initial_targets[p - 1] if p - 1 < len(initial_targets) else None,
            )


class ReportForm(forms.Form):
    period = forms.TypedChoiceField(label=gettext_lazy("Periode"), coerce=int)
    value = IndonesianDecimalField(
        label=gettext_lazy("Realisasi"), required=False, max_digits=24, decimal_places=6
    )
    supporting = forms.CharField(
        label=gettext_lazy("Faktor pendukung"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    hindering = forms.CharField(
        label=gettext_lazy("Faktor penghambat"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    follow_up = forms.CharField(
        label=gettext_lazy("Tindak lanjut"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, periods: int, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field: Any = self.fields["period"]
        field.choices = [(p, actionplans.period_label(p, periods)) for p in range(1, periods + 1)]


class ActionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Aksi"), max_length=500)
    parent = forms.TypedChoiceField(
        label=gettext_lazy("Sub-aksi dari"), required=False, coerce=int, empty_value=None
    )
    responsible = forms.TypedChoiceField(
        label=gettext_lazy("Penanggung jawab"), required=False, coerce=int, empty_value=None
    )
    budget = IndonesianDecimalField(
        label=gettext_lazy("Anggaran (Rp)"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
    )
    period_from = forms.TypedChoiceField(label=gettext_lazy("Mulai"), coerce=int)
    period_to = forms.TypedChoiceField(label=gettext_lazy("Sampai"), coerce=int)

    def __init__(
        self, *args: Any, periods: int, people: list[Person], actions: list[Action], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        choices = [(p, actionplans.period_label(p, periods)) for p in range(1, periods + 1)]
        for name in ("period_from", "period_to"):
            f: Any = self.fields[name]
            f.choices = choices
        self.fields["period_to"].initial = periods
        parent: Any = self.fields["parent"]
        parent.choices = [("", "—")] + [(a.pk, a.title) for a in actions if a.parent_id is None]
        # Choices, not a queryset: the page draws one form per plan, each from the same list.
        self.people = {p.pk: p for p in people}
        responsible: Any = self.fields["responsible"]
        responsible.choices = [("", "—")] + [
            (p.pk, p.name) for p in sorted(people, key=lambda p: p.name)
        ]


def _people_of(unit: Unit) -> list[Person]:
    from kinerja.accounts.personnel import Organisation

    org = Organisation(unit.government_id)
    return [p.person for p in org.own.values() if p.position.unit_id == unit.pk]


def _subject(user: Any, unit: Unit, key: str) -> Indicator | CascadeIndicator:
    kind, pk = (key or " ")[0], parse_id((key or "")[1:])
    if pk is None:
        raise Http404
    if kind == "i":
        ind = get_for_user(user, Indicator.objects.select_related("responsible_unit"), pk)
        if ind.responsible_unit_id != unit.pk:
            raise Http404
        return ind
    if kind == "c":
        c = get_for_user(user, CascadeIndicator.objects.select_related("position__unit"), pk)
        if c.position.unit_id != unit.pk:
            raise Http404
        return c
    raise Http404


@require_http_methods(["GET", "POST"])
def unit_plans(request: HttpRequest, pk: int) -> HttpResponse:
    user, unit, can_edit = _unit(request, pk)
    year, years = _year(request, unit)
    url = reverse("employees:unit_plans", args=[unit.pk]) + f"?tahun={year}"
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Anda tidak berwenang mengubah data perangkat daerah ini."))
        subject = _subject(user, unit, request.POST.get("subject", ""))
        anchor = f"#rencana-{request.POST.get('subject', '')}"
        step = request.POST.get("step")
        plan = ActionPlan.objects.filter(
            year=year,
            **(
                {"indicator": subject}
                if isinstance(subject, Indicator)
                else {"cascade_indicator": subject}
            ),
        ).first()
        periods = plan.periods if plan else actionplans.periods_for(unit.government)
        if step == "targets":
            form: forms.Form = TargetsForm(request.POST, periods=periods, initial_targets=[])
            if form.is_valid():
                targets = {p: form.cleaned_data[f"t{p}"] for p in range(1, periods + 1)}
                if attempt(
                    request,
                    lambda: actionplans.action_plan_save(
                        subject=subject, year=year, targets=targets, by=user
                    ),
                    _("Target rencana aksi disimpan."),
                ):
                    return redirect(url + anchor)
        elif plan is not None and step == "report":
            form = ReportForm(request.POST, periods=periods)
            if form.is_valid():
                d = form.cleaned_data
                if attempt(
                    request,
                    lambda: actionplans.action_plan_report(
                        plan=plan,
                        period=d["period"],
                        value=d["value"],
                        supporting=d["supporting"],
                        hindering=d["hindering"],
                        follow_up=d["follow_up"],
                        by=user,
                    ),
                    _("Realisasi rencana aksi disimpan."),
                ):
                    return redirect(url + anchor)
        elif plan is not None and step == "action":
            actions = list(plan.actions.all())
            form = ActionForm(
                request.POST, periods=periods, people=_people_of(unit), actions=actions
            )
            if form.is_valid():
                d = form.cleaned_data
                parent = next((a for a in actions if a.pk == d["parent"]), None)
                if attempt(
                    request,
                    lambda: actionplans.action_save(
                        plan=plan,
                        title=d["title"],
                        responsible=form.people.get(d["responsible"]),
                        budget=d["budget"],
                        period_from=d["period_from"],
                        period_to=d["period_to"],
                        parent=parent,
                        by=user,
                    ),
                    _("Aksi ditambahkan."),
                ):
                    return redirect(url + anchor)
        elif plan is not None and step == "delete_action":
            action = plan.actions.filter(pk=parse_id(request.POST.get("action")) or 0).first()
            if action is None:
                raise Http404
            attempt(
                request,
                lambda: actionplans.action_delete(action=action, by=user),
                _("Aksi dihapus."),
            )
            return redirect(url + anchor)
        else:
            raise Http404
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, str(error))
        return redirect(url + anchor)
    views = actionplans.unit_action_plans(unit, year)
    people = _people_of(unit) if can_edit else []
    cards = []
    for v in views:
        periods = v.plan.periods if v.plan else actionplans.periods_for(unit.government)
        key = f"i{v.subject.pk}" if isinstance(v.subject, Indicator) else f"c{v.subject.pk}"
        cards.append(
            {
                "view": v,
                "key": key,
                "targets_form": TargetsForm(
                    periods=periods, initial_targets=[p.target for p in v.periods]
                ),
                "report_form": ReportForm(periods=periods) if v.plan else None,
                "action_form": ActionForm(periods=periods, people=people, actions=v.actions)
                if v.plan
                else None,
            }
        )
    return render(
        request,
        "employees/unit_plans.html",
        {"unit": unit, "year": year, "years": years, "cards": cards, "can_edit": can_edit},
    )


@require_GET
def quarter_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The action-plan report of a unit for one quarter: every plan's target and realisation to
    date, its achievement, the factors and the follow-up; as a page or an Excel workbook."""
    _user, unit, _can_edit = _unit(request, pk)
    year, years = _year(request, unit)
    quarter = parse_id(request.GET.get("tw", "")) or calendar.default_quarter(unit.government, year)
    if not 1 <= quarter <= 4:
        raise Http404(_("Triwulan harus 1 sampai 4."))
    rows: list[dict[str, Any]] = []
    for v in actionplans.unit_action_plans(unit, year):
        if not v.plan:
            rows.append({"view": v, "period": None})
            continue
        # A monthly plan's quarter ends at its third month of the quarter.
        period = quarter * v.plan.periods // 4
        rows.append({"view": v, "period": v.periods[period - 1]})
    if request.GET.get("format") == "xlsx":
        return _report_xlsx(unit, year, quarter, rows)
    return render(
        request,
        "employees/quarter_report.html",
        {"unit": unit, "year": year, "years": years, "quarter": quarter, "rows": rows},
    )


def _report_xlsx(unit: Unit, year: int, quarter: int, rows: list[dict[str, Any]]) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws: Any = wb.active
    ws.title = f"TW {quarter}"
    ws.append([f"Laporan Rencana Aksi {unit.name} Tahun {year} Triwulan {quarter}"])
    headers = [
        "Indikator",
        "Penanggung jawab",
        "Target s.d. periode",
        "Realisasi s.d. periode",
        "Capaian (%)",
        "Faktor pendukung",
        "Faktor penghambat",
        "Tindak lanjut",
    ]
    ws.append(headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for r in rows:
        p = r["period"]
        append_row(
            ws,
            [
                r["view"].name,
                r["view"].owner,
                p.to_date_target if p else None,
                p.to_date_value if p else None,
                round(p.achievement.value, 2) if p and p.achievement.value is not None else None,
                p.row.supporting if p and p.row else "",
                p.row.hindering if p and p.row else "",
                p.row.follow_up if p and p.row else "",
            ],
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"rencana-aksi-{unit.short_name or unit.code}-{year}-tw{quarter}.xlsx".lower()
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def people_tree(request: HttpRequest, pk: int) -> HttpResponse:
    """The performance tree of a unit down to its people."""
    from kinerja.employees.tree import unit_tree

    _user, unit, _can_edit = _unit(request, pk)
    year, years = _year(request, unit)
    return render(
        request,
        "employees/people_tree.html",
        {"tree": unit_tree(unit, year), "year": year, "years": years, "unit": unit},
    )
