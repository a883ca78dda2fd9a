from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET

from kinerja.accounts.access import (
    can_edit_unit_plan,
    can_view_history,
    get_unit_for_user,
    government_for,
    signed_in_user,
)
from kinerja.accounts.forms import SignInForm, UnitFilterForm
from kinerja.accounts.models import Position, PositionAssignment, Unit
from kinerja.planning.selectors import current_term, unit_plan


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


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
    return render(request, "accounts/unit_list.html", {"rows": rows, "form": form})


@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    unit = get_unit_for_user(user, pk)
    term = current_term(unit.government)
    objectives, indicators, programmes = unit_plan(unit, term) if term else ([], [], [])
    assignments = (
        PositionAssignment.objects.filter(position__unit=unit)
        .select_related("person", "position")
        .order_by("-start")
    )
    return render(
        request,
        "accounts/unit_detail.html",
        {
            "unit": unit,
            "term": term,
            "objectives": objectives,
            "indicators": indicators,
            "programmes": programmes,
            "assignments": assignments,
            "years": term.target_years if term else [],
            "can_edit": can_edit_unit_plan(user, unit),
            "can_history": can_view_history(user, unit),
        },
    )
