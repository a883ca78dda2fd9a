from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kinerja.accounts.access import (
    can_view_history,
    get_for_user,
    government_for,
    has_role,
    roles_of,
    signed_in_user,
    unit_ids_of,
)
from kinerja.accounts.models import Position, Role, Unit
from kinerja.core.models import AuditEvent
from kinerja.core.selectors import field_labels, history_for
from kinerja.planning.models import Goal, Indicator, Mission, Objective, Programme, Term
from kinerja.planning.selectors import current_term

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
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    government = government_for(user)
    term = current_term(government)
    my_units = list(Unit.objects.filter(pk__in=unit_ids_of(user)))
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
        "core/home.html",
        {
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
def history(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    """Who changed what, when, before and after, for one object."""
    user = signed_in_user(request)
    model_class = HISTORY_MODELS.get(model)
    if model_class is None:
        from django.http import Http404

        raise Http404
    obj: Any = get_for_user(user, model_class._default_manager.all(), pk)
    unit = _unit_of(obj)
    if not can_view_history(user, unit):
        raise PermissionDenied("Anda tidak berwenang melihat riwayat data ini.")
    page = Paginator(history_for(obj), 25).get_page(request.GET.get("page"))
    labels = field_labels(model_class)
    events = [
        (e, [(labels.get(f, f), old, new) for f, old, new in e.changes()]) for e in page.object_list
    ]
    return render(
        request,
        "core/history.html",
        {"obj": obj, "page": page, "events": events, "model_name": model_class._meta.verbose_name},
    )


def _unit_of(obj: Any) -> Unit | None:
    if isinstance(obj, Unit):
        return obj
    if isinstance(obj, Indicator):
        return obj.owner_unit
    return getattr(obj, "unit", None)


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
