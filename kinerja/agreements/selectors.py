"""What an agreement says, read from the plan; due dates and late units."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from kinerja.accounts.models import Government, Position, Unit
from kinerja.agreements.cascade import post_content
from kinerja.agreements.models import Agreement, BudgetApproval
from kinerja.planning import calendar as government_calendar
from kinerja.planning.models import Budget, Indicator, IndicatorTarget, Programme, Term
from kinerja.planning.selectors import current_term


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def term_for_year(government: Government, year: int) -> Term | None:
    """The term whose targets include the year; the current one for a year outside them."""
    return government_calendar.term_for_year(government, year) or current_term(government)


def agreement_content(government: Government, unit: Unit | None, year: int) -> dict[str, Any]:
    """Table 1 (objective, indicator, target) and table 2 (programme/activity, budget) for the
    year, from the plan. The head of region's agreement holds the government's key indicators
    and every programme. Values are exact decimal text."""
    term = term_for_year(government, year)
    if term is None:
        return {"targets": [], "programmes": []}
    indicators = Indicator.objects.filter(objective__term=term).select_related("objective")
    programmes = Programme.objects.filter(term=term)
    if unit is None:
        indicators = indicators.filter(objective__unit__isnull=True, is_key=True)
        programmes = programmes.filter(kind=Programme.Kind.PROGRAMME)
    else:
        indicators = indicators.filter(responsible_unit=unit)
        programmes = programmes.filter(unit=unit).exclude(kind=Programme.Kind.SUB_ACTIVITY)
    targets = {
        t.indicator_id: t
        for t in IndicatorTarget.objects.filter(indicator__in=indicators, year=year)
    }
    budgets = {
        b.programme_id: b.amount for b in Budget.objects.filter(programme__in=programmes, year=year)
    }
    rows = []
    for ind in indicators.order_by("objective__code", "code"):
        t = targets.get(ind.pk)
        if t is None:
            continue
        target = (
            _text(t.value) if t.value_high is None else f"{_text(t.value)} – {_text(t.value_high)}"
        )
        rows.append(
            {
                "objective": f"{ind.objective.code} {ind.objective.title}",
                "indicator": f"{ind.code} {ind.name}",
                "unit_of_measure": ind.unit_of_measure,
                "target": target,
            }
        )
    money = []
    for p in programmes.select_related("unit").order_by("code"):
        if p.pk in budgets:
            label = p.name if unit else f"{p.name} ({p.unit.label})"
            money.append(
                {"code": p.code, "name": label, "kind": p.kind, "budget": _text(budgets[p.pk])}
            )
    return {"targets": rows, "programmes": money}


def content_for(
    government: Government, unit: Unit | None, year: int, position: Position | None = None
) -> dict[str, Any]:
    """What the agreement of the unit (or the head of region), or of a post below the unit
    head, says for the year, from the plan and the cascade."""
    if position is not None:
        return post_content(position, year)
    return agreement_content(government, unit, year)


def latest(
    government: Government, unit: Unit | None, year: int, position: Position | None = None
) -> Agreement | None:
    return (
        Agreement.objects.filter(government=government, unit=unit, year=year, position=position)
        .order_by("-version")
        .first()
    )


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(government: Government, year: int) -> datetime.date | None:
    approval = BudgetApproval.objects.filter(government=government, year=year).first()
    return (
        _add_months(approval.approved_on, settings.KINERJA_AGREEMENT_DUE_MONTHS)
        if approval
        else None
    )


@dataclass
class AgreementRow:
    unit: Unit | None
    agreement: Agreement | None
    due: datetime.date | None
    late: bool

    @property
    def name(self) -> str:
        return self.unit.name if self.unit else "Kepala Daerah"


def year_overview(government: Government, year: int, today: datetime.date) -> list[AgreementRow]:
    """Every unit and the head of region, with the latest version of their agreement and
    whether it is late (not signed by the due date)."""
    due = due_date(government, year)
    latest_by_unit: dict[int | None, Agreement] = {}
    for a in (
        Agreement.objects.filter(government=government, year=year, position__isnull=True)
        .order_by("version")
        .select_related("document")
    ):
        latest_by_unit[a.unit_id] = a
    rows = []
    for unit in [None, *Unit.objects.filter(government=government).order_by("kind", "code")]:
        agreement = latest_by_unit.get(unit.pk if unit else None)
        signed_on = (
            timezone_date(agreement.signed_at) if agreement and agreement.signed_at else None
        )
        late = due is not None and (signed_on > due if signed_on else today > due)
        rows.append(AgreementRow(unit, agreement, due, late))
    return rows


def timezone_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()
