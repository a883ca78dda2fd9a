from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts import services
from kinerja.accounts.access import (
    can_edit_unit_plan,
    can_view_history,
    get_for_user,
    get_unit_for_user,
    government_for,
    signed_in_user,
)
from kinerja.accounts.forms import ApiTokenForm, SignInForm, UnitFilterForm
from kinerja.accounts.models import ApiToken, Position, PositionAssignment, Unit
from kinerja.accounts.services import api_token_create
from kinerja.core.web import attempt
from kinerja.planning.models import Term
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
    if request.GET.get("term"):
        term = get_for_user(user, Term.objects.all(), request.GET["term"])
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
            "terms": Term.objects.filter(government=unit.government).order_by("-start_year"),
            "objectives": objectives,
            "indicators": indicators,
            "programmes": programmes,
            "assignments": assignments,
            "years": term.target_years if term else [],
            "can_edit": can_edit_unit_plan(user, unit),
            "can_history": can_view_history(user, unit),
        },
    )


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """The user's own page: roles, signing certificate, and personal API tokens. A new
    token is shown on this response only; it is stored hashed and cannot be shown again."""
    user = signed_in_user(request)
    form = ApiTokenForm(request.POST or None)
    created: str | None = None
    if request.method == "POST" and form.is_valid():
        result = attempt(
            request,
            lambda: api_token_create(user=user, name=form.cleaned_data["name"]),
            _("Token dibuat. Salin sekarang: token ini tidak akan ditampilkan lagi."),
        )
        if result.ok:
            created = result.value[1]
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "created": created,
            "tokens": tokens,
            "roles": user.roles.select_related("unit").order_by("role"),
        },
    )


@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    token = get_for_user(user, ApiToken.objects.filter(user=user), pk)
    attempt(request, lambda: services.api_token_revoke(token=token, by=user), _("Token dicabut."))
    return redirect("account")
