"""Realisations (list, enter, submit) and achievements per indicator, unit, mission and
government, computed by the same selectors as the monitoring pages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from kinerja.accounts.access import get_for_user, get_unit_for_user, government_for
from kinerja.accounts.models import Government, Unit
from kinerja.api.base import (
    ErrorOut,
    Id,
    PageNumber,
    PageOut,
    PageSize,
    acting_user,
    dec,
    paginate,
    pct,
)
from kinerja.core.numbers import NumberError, parse_decimal
from kinerja.monitoring import selectors, services
from kinerja.monitoring.models import Realisation
from kinerja.planning import calendar
from kinerja.planning.models import Indicator, IndicatorTarget, Mission

router = Router(tags=["Realisasi dan capaian"])

YEAR = Field(None, ge=2000, le=2100, description="Tahun; default: tahun terakhir yang berdata.")
QUARTER = Field(4, ge=1, le=4, description="Sampai triwulan (1–4).")


class RealisationOut(Schema):
    id: int
    indicator_id: int
    year: int
    period: int
    periods_in_year: int
    version: int
    value: str
    numerator: str | None
    denominator: str | None
    exact_value: str
    note: str
    correction_reason: str
    status: str
    entered_at: datetime.datetime
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    review_comment: str


def realisation_out(r: Realisation) -> dict[str, Any]:
    return {
        "id": r.pk,
        "indicator_id": r.indicator_id,
        "year": r.year,
        "period": r.period,
        "periods_in_year": r.periods_in_year,
        "version": r.version,
        "value": dec(r.value),
        "numerator": dec(r.numerator),
        "denominator": dec(r.denominator),
        "exact_value": dec(r.exact_value),
        "note": r.note,
        "correction_reason": r.correction_reason,
        "status": r.status,
        "entered_at": r.entered_at,
        "submitted_at": r.submitted_at,
        "reviewed_at": r.reviewed_at,
        "review_comment": r.review_comment,
    }


class RealisationFilter(Schema):
    indicator: Id | None = None
    unit: Id | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    period: int | None = Field(None, ge=1, le=12)
    status: Literal["draft", "submitted", "verified", "returned"] | None = None
    history: bool = Field(False, description="Semua versi, bukan hanya yang berlaku.")


@router.get("/realisations", response=PageOut[RealisationOut], summary="Realisasi")
def realisations(
    request: HttpRequest,
    filters: Query[RealisationFilter],
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    user = acting_user(request)
    qs = Realisation.objects.filter(government=government_for(user)).order_by(
        "indicator_id", "year", "period", "version"
    )
    if not filters.history:
        qs = qs.filter(is_current=True)
    if filters.indicator is not None:
        qs = qs.filter(indicator_id=filters.indicator)
    if filters.unit is not None:
        qs = qs.filter(selectors.models_q_owner_prefixed(filters.unit, prefix="indicator__"))
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.period is not None:
        qs = qs.filter(period=filters.period)
    if filters.status:
        qs = qs.filter(status=filters.status)
    result = paginate(qs, page, page_size)
    result["items"] = [realisation_out(r) for r in result["items"]]
    return result


class RealisationIn(Schema):
    indicator: Id
    year: int = Field(ge=1900, le=2200)
    period: int = Field(ge=1, le=12, description="Triwulan 1–4 atau bulan 1–12.")
    value: str | None = Field(None, max_length=40, description="Angka: 12.5 atau 12,5.")
    numerator: str | None = Field(None, max_length=40)
    denominator: str | None = Field(None, max_length=40)
    note: str = Field("", max_length=4000)


def _number(raw: str | None, label: str) -> Decimal | None:
    if raw is None or not raw.strip():
        return None
    try:
        return parse_decimal(raw)
    except NumberError as exc:
        raise ValidationError(
            _("%(label)s: %(exc)s"), code="refused", params={"label": label, "exc": exc}
        ) from exc


_INDICATOR_RELATED = ("objective__unit", "responsible_unit", "government")


@router.post(
    "/realisations",
    response={201: RealisationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Isi (atau ubah) realisasi satu periode sebagai draf",
)
def realisation_enter(request: HttpRequest, payload: RealisationIn) -> Status:
    user = acting_user(request)
    indicator = get_for_user(
        user, Indicator.objects.select_related(*_INDICATOR_RELATED), payload.indicator
    )
    realisation = services.realisation_save(
        indicator=indicator,
        year=payload.year,
        period=payload.period,
        by=user,
        value=_number(payload.value, "Realisasi"),
        numerator=_number(payload.numerator, "Pembilang"),
        denominator=_number(payload.denominator, "Penyebut"),
        note=payload.note,
    )
    return Status(201, realisation_out(realisation))


@router.post(
    "/realisations/{realisation_id}/submit",
    response={200: RealisationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Ajukan realisasi untuk diverifikasi",
)
def realisation_submit(request: HttpRequest, realisation_id: Id) -> dict[str, Any]:
    user = acting_user(request)
    realisation = get_for_user(
        user,
        Realisation.objects.select_related(*(f"indicator__{r}" for r in _INDICATOR_RELATED)),
        realisation_id,
    )
    return realisation_out(services.realisation_submit(realisation=realisation, by=user))


# --- achievements ----------------------------------------------------------------------


class AchievementOut(Schema):
    to_date: str | None = Field(description="Capaian sampai triwulan ini (%).")
    forecast: str | None = Field(description="Prakiraan capaian akhir tahun (%).")
    warning: str = Field(description="green, yellow, red atau none.")


class IndicatorAchievementOut(AchievementOut):
    indicator_id: int
    code: str
    year: int
    as_of_quarter: int
    target: str | None
    target_high: str | None
    to_date_target: str | None
    to_date_value: str | None
    forecast_value: str | None
    reported: int
    missing: int
    periods: list[str | None]


class NodeOut(AchievementOut):
    id: int
    code: str
    name: str
    red: int
    indicators: int


class UnitAchievementOut(NodeOut):
    rank: int | None


class GovernmentAchievementOut(AchievementOut):
    government: str
    year: int
    as_of_quarter: int
    red: int
    indicators: int
    missions: list[NodeOut]


class UnitDetailOut(UnitAchievementOut):
    year: int
    as_of_quarter: int
    indicator_achievements: list[IndicatorAchievementOut]


def _status_out(s: selectors.IndicatorStatus, as_of_quarter: int) -> dict[str, Any]:
    return {
        "indicator_id": s.indicator.pk,
        "code": s.indicator.code,
        "year": s.year,
        "as_of_quarter": as_of_quarter,
        "target": dec(s.target),
        "target_high": dec(s.target_high),
        "to_date_target": dec(s.to_date_target),
        "to_date_value": dec(s.to_date_value),
        "forecast_value": dec(s.forecast_value),
        "to_date": pct(s.to_date.value),
        "forecast": pct(s.forecast.value),
        "warning": s.warning,
        "reported": s.reported,
        "missing": s.missing,
        "periods": [dec(v) for v in s.values],
    }


def _node_out(node: selectors.Node, *, code: str, name: str) -> dict[str, Any]:
    return {
        "id": node.obj.pk,  # type: ignore[attr-defined]
        "code": code,
        "name": name,
        "to_date": pct(node.to_date.value),
        "forecast": pct(node.forecast.value),
        "warning": node.warning,
        "red": node.red,
        "indicators": len(node.all_statuses()),
    }


def _year(government: Government, year: int | None) -> int:
    if year is not None:
        return year
    return calendar.current_year(government)


class Period(Schema):
    year: int | None = YEAR
    quarter: int = QUARTER


@router.get(
    "/achievements/indicators/{indicator_id}",
    response=IndicatorAchievementOut,
    summary="Capaian satu indikator",
)
def indicator_achievement(
    request: HttpRequest, indicator_id: Id, when: Query[Period]
) -> dict[str, Any]:
    user = acting_user(request)
    ind = get_for_user(user, Indicator.objects.select_related("government"), indicator_id)
    year = _year(ind.government, when.year)
    status = selectors.indicator_status(
        ind,
        year=year,
        as_of_quarter=when.quarter,
        target=IndicatorTarget.objects.filter(indicator=ind, year=year).first(),
        realisations=Realisation.objects.filter(indicator=ind, year=year, is_current=True),
        policy=selectors.policy_for(ind.government),
    )
    return _status_out(status, when.quarter)


@router.get(
    "/achievements/units", response=list[UnitAchievementOut], summary="Capaian dan peringkat PD"
)
def unit_achievements(request: HttpRequest, when: Query[Period]) -> list[dict[str, Any]]:
    government = government_for(acting_user(request))
    view = selectors.overview(
        government, year=_year(government, when.year), as_of_quarter=when.quarter
    )
    rows = []
    for rank, node in enumerate(selectors.ranked_units(view), start=1):
        unit: Unit = node.obj  # type: ignore[assignment]
        row = _node_out(node, code=unit.code, name=unit.name)
        row["rank"] = rank if node.to_date.value is not None else None
        rows.append(row)
    return rows


@router.get(
    "/achievements/units/{unit_id}",
    response=UnitDetailOut,
    summary="Capaian satu PD dengan indikatornya",
)
def unit_achievement(request: HttpRequest, unit_id: Id, when: Query[Period]) -> dict[str, Any]:
    unit = get_unit_for_user(acting_user(request), unit_id)
    year = _year(unit.government, when.year)
    view = selectors.overview(unit.government, year=year, as_of_quarter=when.quarter, unit=unit)
    node = view.units[0]
    row = _node_out(node, code=unit.code, name=unit.name)
    statuses = sorted(view.statuses.values(), key=lambda s: s.indicator.code)
    row.update(
        rank=None,
        year=year,
        as_of_quarter=when.quarter,
        indicator_achievements=[_status_out(s, when.quarter) for s in statuses],
    )
    return row


@router.get(
    "/achievements/missions", response=list[NodeOut], summary="Capaian per misi kepala daerah"
)
def mission_achievements(request: HttpRequest, when: Query[Period]) -> list[dict[str, Any]]:
    return government_achievement(request, when)["missions"]


@router.get(
    "/achievements/government",
    response=GovernmentAchievementOut,
    summary="Capaian pemerintah daerah dengan misinya",
)
def government_achievement(request: HttpRequest, when: Query[Period]) -> dict[str, Any]:
    government = government_for(acting_user(request))
    year = _year(government, when.year)
    view = selectors.overview(government, year=year, as_of_quarter=when.quarter)
    missions = []
    for node in view.missions:
        mission: Mission = node.obj  # type: ignore[assignment]
        missions.append(_node_out(node, code=mission.code, name=mission.title))
    return {
        "government": government.name,
        "year": year,
        "as_of_quarter": when.quarter,
        "to_date": pct(view.root.to_date.value),
        "forecast": pct(view.root.forecast.value),
        "warning": view.root.warning,
        "red": len(view.red),
        "indicators": len(view.statuses),
        "missions": missions,
    }
