"""The cascade page of a unit and year: the unit head's agreement, each administrator's and
supervisor's indicators and programmes, the budget flags, and drafting and sending in bulk."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.accounts.access import (
    can_edit_unit_plan,
    get_for_user,
    get_unit_for_user,
    require_unit_reader,
    signed_in_user,
)
from kinerja.accounts.models import Position, Unit
from kinerja.agreements import cascade, services
from kinerja.agreements.forms import CascadeIndicatorForm
from kinerja.agreements.models import Agreement, CascadeIndicator
from kinerja.agreements.selectors import latest
from kinerja.agreements.views import _posted_year, _year
from kinerja.core.web import attempt, confirm_page, confirmed, parse_id
from kinerja.planning.models import Programme


def _unit(request: HttpRequest, pk: int) -> tuple[Any, Unit, bool]:
    user = signed_in_user(request)
    unit = get_unit_for_user(user, pk)
    require_unit_reader(user, unit)
    return user, unit, can_edit_unit_plan(user, unit)


def _page_url(unit: Unit, year: int, anchor: str = "") -> str:
    url = reverse("agreements:cascade", args=[unit.pk]) + f"?tahun={year}"
    return url + (f"#{anchor}" if anchor else "")


@require_http_methods(["GET", "POST"])
def cascade_page(request: HttpRequest, pk: int) -> HttpResponse:
    user, unit, can_edit = _unit(request, pk)
    year, years = _year(request, unit.government)
    if request.method == "POST":
        year = _posted_year(request, unit.government)
    invalid: dict[int, CascadeIndicatorForm] = {}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Anda tidak berwenang mengubah data perangkat daerah ini."))
        post = get_for_user(user, Position.objects.filter(unit=unit), request.POST.get("post"))
        if "programmes" in request.POST:
            chosen_ids = {parse_id(v) for v in request.POST.getlist("programme")[:500]}
            # Only what the page offers this post can be chosen.
            offered = cascade.UnitCascade(unit, year).programmes(post)
            chosen = [p for p, _on in offered if p.pk in chosen_ids]
            if attempt(
                request,
                lambda: cascade.cascade_programmes_set(
                    position=post, year=year, programmes=chosen, by=user
                ),
                _("Program yang diampu %(post)s disimpan.") % {"post": post.title},
            ):
                return redirect(_page_url(unit, year, f"post-{post.pk}"))
        else:
            form = CascadeIndicatorForm(request.POST, uppers=cascade.upper_indicators(post, year))
            if form.is_valid():
                data = form.cleaned_data
                if attempt(
                    request,
                    lambda: cascade.cascade_indicator_save(
                        position=post,
                        year=year,
                        supports=data["supports"],
                        objective=data["objective"],
                        name=data["name"],
                        unit_of_measure=data["unit_of_measure"],
                        target=data["target"],
                        target_high=data["target_high"],
                        polarity=data["polarity"],
                        lower_formula=data["lower_formula"],
                        aggregation=data["aggregation"],
                        by=user,
                    ),
                    _("Indikator %(post)s disimpan.") % {"post": post.title},
                ):
                    return redirect(_page_url(unit, year, f"post-{post.pk}"))
            invalid[post.pk] = form
    view = cascade.UnitCascade(unit, year)
    cards = []
    for post in view.posts:
        uppers = view.uppers(post)
        cards.append(
            {
                "post": post,
                "holder": view.holder(post),
                "above": view.above.get(post.pk),
                "indicators": view.indicators.get(post.pk, []),
                "programmes": view.programmes(post),
                "agreement": view.agreements.get(post.pk),
                "form": invalid.get(post.pk) or CascadeIndicatorForm(uppers=uppers),
                "has_uppers": bool(uppers),
            }
        )
    head_agreement = latest(unit.government, unit, year)
    return render(
        request,
        "agreements/cascade.html",
        {
            "unit": unit,
            "year": year,
            "years": years,
            "cards": cards,
            "head_agreement": head_agreement,
            "head_indicators": view.plan_uppers,
            "flags": cascade.budget_flags(unit, year),
            "can_edit": can_edit,
            "programme_kinds": Programme.Kind,
        },
        status=400 if invalid else 200,
    )


@require_POST
def cascade_indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    item = get_for_user(user, CascadeIndicator.objects.select_related("position__unit"), pk)
    unit = item.position.unit
    if unit is None:
        raise PermissionDenied
    attempt(
        request,
        lambda: cascade.cascade_indicator_delete(indicator=item, by=user),
        _("Indikator dihapus."),
    )
    return redirect(_page_url(unit, item.year, f"post-{item.position_id}"))


@require_POST
def cascade_draft_all(request: HttpRequest, pk: int) -> HttpResponse:
    user, unit, _can_edit = _unit(request, pk)
    year = _posted_year(request, unit.government)
    attempt(
        request,
        lambda: services.cascade_draft_all(unit=unit, year=year, by=user),
        _("Draf perjanjian jenjang disusun."),
    )
    return redirect(_page_url(unit, year))


@require_POST
def cascade_send_all(request: HttpRequest, pk: int) -> HttpResponse:
    user, unit, _can_edit = _unit(request, pk)
    year = _posted_year(request, unit.government)
    drafts = Agreement.objects.filter(
        unit=unit, year=year, position__isnull=False, status=Agreement.Status.DRAFT
    ).count()
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Kirim %(n)s perjanjian jenjang %(unit)s %(year)s")
            % {
                "n": drafts,
                "unit": unit.name,
                "year": year,
            },
            lead=_(
                "Setiap draf dikunci dan dikirim kepada pejabatnya untuk ditandatangani, lalu "
                "kepada atasannya. Setelah terkirim, isinya hanya berubah dengan menarik kembali "
                "atau merevisi."
            ),
            button=_("Ya, kirim untuk ditandatangani"),
            back=_page_url(unit, year),
            hidden={"tahun": str(year)},
        )
    result = attempt(
        request,
        lambda: services.cascade_send_all(unit=unit, year=year, by=user),
        _("Perjanjian jenjang dikirim untuk ditandatangani."),
    )
    if result:
        _sent, refused = result.value
        for line in refused:
            messages.error(request, line)
    return redirect(_page_url(unit, year))
