"""The head of region's dashboard (signed in) and the public portal (no sign-in): the
portal shows verified figures and fully signed documents only, and open data in CSV and
JSON in the format documented in docs/open-data.md."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kinerja.accounts.access import (
    can_edit_unit_plan,
    can_view_history,
    get_for_user,
    get_unit_for_user,
    government_for,
    has_role,
    is_overseer,
    require_overseer,
    roles_of,
    signed_in_user,
    unit_ids_of,
)
from kinerja.accounts.forms import UnitFilterForm
from kinerja.accounts.models import Government, Notice, Position, PositionAssignment, Role, Unit
from kinerja.core import audit, charts
from kinerja.core.cache import fragment
from kinerja.core.models import AuditEvent
from kinerja.dashboards import selectors
from kinerja.dashboards.todo import todo_for
from kinerja.employees import actionplans
from kinerja.evaluation import selectors as evaluation
from kinerja.monitoring import access as monitoring_access
from kinerja.monitoring import figures
from kinerja.monitoring import selectors as monitoring
from kinerja.monitoring.achievement import warning_level
from kinerja.planning import calendar
from kinerja.planning.models import Indicator, Term
from kinerja.planning.selectors import current_term, unit_plan


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    require_overseer(user)
    today = timezone.localdate()
    # The government's current year by default, any year of its terms on request; the
    # quarter is the last one ended (never derived from the newest figure entered).
    year, years = calendar.year_from(
        request.GET.get("tahun"), government, calendar.current_year(government, today), today
    )
    quarter = calendar.default_quarter(government, year, today)
    view = monitoring.overview(government, year=year, as_of_quarter=quarter)
    can_review = monitoring_access.can_review(user)

    def render_body() -> str:
        data = selectors.dashboard(government, view=view, year=year, today=today)
        suffix = f"?tahun={year}&tw={quarter}"
        action_plans = [
            r for r in actionplans.government_summary(government, year, today) if r.late or r.red
        ]
        return render_to_string(
            "dashboards/_dashboard_body.html",
            {
                **data,
                "action_plans": action_plans,
                "year": year,
                "quarter": quarter,
                "nav_can_review": can_review,
                "mission_chart": charts.bar_chart(
                    [
                        charts.Bar(
                            f"{m.obj.code} {m.obj.title}",  # type: ignore[attr-defined]
                            m.to_date.value,
                            m.warning,
                            reverse("monitoring:mission", args=[m.obj.pk]) + suffix,  # type: ignore[attr-defined]
                        )
                        for m in view.missions
                    ],
                    title=_("Capaian per misi"),
                    stacked=True,
                ),
            },
        )

    # Rendered once per state of the figures (their markers) and of everything else the
    # dashboard counts (the government's latest audit row), for the day and the reader's role.
    body = fragment(
        ("dashboard", view.state, audit.revision(government.pk), year, quarter, today, can_review),
        render_body,
    )
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "body": body,
            "year": year,
            "years": years,
            "term": calendar.term_for_year(government, year),
            "quarter": quarter,
        },
    )


# --- public portal ---------------------------------------------------------------------


def _public_government(slug: str) -> Government:
    return get_object_or_404(Government, slug=slug)


def _public_year(request: HttpRequest, government: Government) -> tuple[int, int, list[int]]:
    years = selectors.published_years(government)
    if not years:
        raise Http404(_("Belum ada capaian yang diterbitkan."))
    try:
        year = int(request.GET.get("tahun", years[-1]))
    except ValueError:
        year = years[-1]
    if year not in years:
        raise Http404
    return year, selectors.published_quarter(government, year), years


@login_not_required
@require_GET
def portal_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "dashboards/portal_index.html",
        {"governments": Government.objects.order_by("name")},
    )


@login_not_required
@require_GET
def portal_government(request: HttpRequest, slug: str) -> HttpResponse:
    government = _public_government(slug)

    def render_body() -> str:
        years = selectors.published_years(government)
        context: dict[str, Any] = {
            "government": government,
            "years": years,
            "documents": selectors.published_documents(government),
        }
        if years:
            year, quarter, years = _public_year(request, government)
            view = selectors.public_overview(government, year, quarter)
            context.update(_portal_figures(government, view))
            context["years"] = years
        return render_to_string("dashboards/_portal_government_body.html", context)

    body = fragment(_public_state(request, government, "portal"), render_body)
    return render(
        request, "dashboards/portal_government.html", {"government": government, "body": body}
    )


def _public_state(request: HttpRequest, government: Government, page: str) -> tuple[Any, ...]:
    """What a public page shows depends on: the year asked for, the government's figures (all
    their markers) and everything audited (the latest audit row: publications, signed
    documents, grades), read in one query before anything else: a page kept costs two."""
    asked = request.GET.get("tahun", "")[:4] or "latest"
    return (page, government.pk, asked, figures.public_state(government.pk))


def _portal_figures(government: Government, view: monitoring.Overview) -> dict[str, Any]:
    year, quarter = view.year, view.as_of_quarter
    ranked = evaluation.rank([(n.obj, n.to_date.value) for n in view.units])  # type: ignore[misc]
    nodes = {n.obj.pk: n for n in view.units}  # type: ignore[attr-defined]
    policy = view.policy
    return {
        "year": year,
        "quarter": quarter,
        "view": view,
        "ranked": [(u, score, position, nodes[u.pk]) for u, score, position in ranked],
        "grade": next(iter(evaluation.government_grades(government)), None),
        "ranking_chart": charts.bar_chart(
            [
                charts.Bar(
                    u.short_name or u.name,
                    score,
                    warning_level(
                        score, green_from=policy.green_from, yellow_from=policy.yellow_from
                    ),
                    reverse("portal_unit", args=[government.slug, u.pk]) + f"?tahun={year}",
                )
                for u, score, _p in ranked
            ],
            title=_("Peringkat perangkat daerah %(year)s") % {"year": year},
            stacked=True,
        ),
        "mission_chart": charts.bar_chart(
            [
                charts.Bar(f"{m.obj.code} {m.obj.title}", m.to_date.value, m.warning)  # type: ignore[attr-defined]
                for m in view.missions
            ],
            title=_("Capaian per misi %(year)s") % {"year": year},
            stacked=True,
        ),
    }


@login_not_required
@require_GET
def portal_unit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    government = _public_government(slug)
    unit = get_object_or_404(Unit, government=government, pk=pk)

    def render_body() -> str:
        year, quarter, years = _public_year(request, government)
        view = monitoring.overview(
            government, year=year, as_of_quarter=quarter, unit=unit, published_only=True
        )
        return render_to_string(
            "dashboards/_portal_unit_body.html",
            {
                "government": government,
                "unit": unit,
                "year": year,
                "quarter": quarter,
                "years": years,
                "node": view.units[0] if view.units else None,
                "documents": selectors.documents_of_unit(
                    selectors.published_documents(government), unit.pk
                ),
            },
        )

    body = fragment((*_public_state(request, government, "portal_unit"), unit.pk), render_body)
    return render(request, "dashboards/portal_unit.html", {"unit": unit, "body": body})


@login_not_required
@require_GET
def open_data(request: HttpRequest, slug: str, year: int, fmt: str) -> HttpResponse:
    government = _public_government(slug)
    if year not in selectors.published_years(government):
        raise Http404
    quarter = selectors.published_quarter(government, year)
    data = selectors.open_data(government, year, quarter)
    name = f"kinerja-{government.slug}-{year}"
    if fmt == "json":
        response: HttpResponse = JsonResponse(
            data, json_dumps_params={"ensure_ascii": False, "indent": 1}
        )
        response["Content-Disposition"] = f'inline; filename="{name}.json"'
        return response
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(selectors.CSV_COLUMNS)
    for row in selectors.open_data_rows(data):
        writer.writerow([_csv_safe(v) for v in row])
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _csv_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    todo = todo_for(user)
    term = current_term(government)
    my_units = list(Unit.objects.filter(government=government, pk__in=unit_ids_of(user)))
    counts: dict[str, int] = {}
    if term:
        counts = {
            "missions": term.missions.count(),
            "objectives": term.objectives.filter(unit__isnull=True).count(),
            "unit_objectives": term.objectives.filter(unit__isnull=False).count(),
            "indicators": Indicator.objects.filter(objective__term=term).count(),
        }
    counts["units"] = Unit.objects.filter(government=government).count()
    recent: list[AuditEvent] = []
    if has_role(user, Role.PLANNER, Role.INSPECTOR):
        recent = list(
            AuditEvent.objects.filter(government=government).select_related("actor__person")[:8]
        )
    roles = [Role(r).label for r in sorted({r for r, _u in roles_of(user)})]
    return render(
        request,
        "dashboards/home.html",
        {
            "todo": todo,
            "notices": list(Notice.objects.filter(user=user, read_at__isnull=True)[:5]),
            "term": term,
            "counts": counts,
            "my_units": my_units,
            "recent": recent,
            "roles": roles,
            "government": government,
            "head": government.head_of_region(),
        },
    )


@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    form = UnitFilterForm(request.GET or None)
    units = Unit.objects.filter(government=government).annotate(
        indicator_count=Count("indicators", distinct=True)
    )
    if form.is_valid():
        if form.cleaned_data["q"]:
            q = form.cleaned_data["q"]
            units = units.filter(
                Q(name__icontains=q) | Q(code__icontains=q) | Q(short_name__icontains=q)
            )
        if form.cleaned_data["kind"]:
            units = units.filter(kind=form.cleaned_data["kind"])
    units = units.order_by("kind", "code")
    heads = {
        a.position.unit_id: a
        for a in PositionAssignment.objects.filter(
            position__government=government,
            position__kind=Position.Kind.UNIT_HEAD,
            end__isnull=True,
        ).select_related("person", "position")
    }
    rows = [(u, heads.get(u.pk)) for u in units]
    return render(request, "dashboards/unit_list.html", {"rows": rows, "form": form})


@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    unit = get_unit_for_user(user, pk)
    term = current_term(unit.government)
    if request.GET.get("term"):
        term = get_for_user(user, Term.objects.all(), request.GET["term"])
    objectives, indicators, programmes = unit_plan(unit, term) if term else ([], [], [])
    # The unit's heads over time (its other posts are on the employees' pages).
    assignments = (
        PositionAssignment.objects.filter(
            position__unit=unit, position__kind=Position.Kind.UNIT_HEAD
        )
        .select_related("person", "position")
        .order_by("-start")
    )
    action_plans = None
    if is_overseer(user) or unit.pk in unit_ids_of(user):
        year = calendar.current_year(unit.government)
        action_plans = next(
            (r for r in actionplans.government_summary(unit.government, year) if r.unit == unit),
            None,
        )
    return render(
        request,
        "dashboards/unit_detail.html",
        {
            "unit": unit,
            "term": term,
            "terms": Term.objects.filter(government=unit.government).order_by("-start_year"),
            "objectives": objectives,
            "indicators": indicators,
            "programmes": programmes,
            "assignments": assignments,
            "action_plans": action_plans,
            "years": term.target_years if term else [],
            "can_edit": can_edit_unit_plan(user, unit),
            "can_history": can_view_history(user, unit),
        },
    )


@require_GET
def todo_count(request: HttpRequest) -> HttpResponse:
    """The header's count of waiting work, fetched after the page (so that no page pays for
    it): the same list as the home page's Tugas saya."""
    user = signed_in_user(request)
    return render(request, "dashboards/_todo_count.html", {"count": len(todo_for(user))})
