"""Action plans (rencana aksi): reading a unit's year and quarter, and writing targets,
actions and realisations.

A period's achievement follows the indicator's own rule: a cumulative indicator compares the
sum of the realisations so far with the sum of the targets so far; a stock indicator (last
value) the period's realisation with the period's target; an average one the means so far.
Polarity and the lower-is-better formula are the indicator's. A period is late when its
realisation is missing after the government's reporting deadline (the period's end plus the
monitoring policy's days); it is red below the policy's yellow threshold.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.access import require_plan_editor
from kinerja.accounts.models import Government, Person, Unit, User
from kinerja.agreements.cascade import term_of
from kinerja.agreements.models import CascadeIndicator
from kinerja.core.audit import record, snapshot
from kinerja.employees.models import Action, ActionPlan, ActionPlanPeriod, CascadePolicy
from kinerja.monitoring import achievement as calc
from kinerja.monitoring.selectors import policy_for, report_deadline
from kinerja.planning.calendar import term_for_year as government_calendar_term
from kinerja.planning.models import Indicator, IndicatorTarget

QUARTER_LABELS = ("TW I", "TW II", "TW III", "TW IV")
MONTH_LABELS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def period_label(period: int, periods: int) -> str:
    return (QUARTER_LABELS if periods == 4 else MONTH_LABELS)[period - 1]


def periods_for(government: Government) -> int:
    policy = CascadePolicy.objects.filter(government=government).first()
    return policy.action_plan_periods if policy else 4


def to_date(
    rule: Any, targets: list[Decimal | None], values: list[Decimal | None], period: int
) -> tuple[Decimal | None, Decimal | None, calc.Achievement]:
    """The target and realisation up to `period` (1-based) and the achievement between them,
    by the indicator's aggregation, polarity and formula."""
    ts, vs = targets[:period], values[:period]
    aggregation = rule.aggregation
    if aggregation == "cumulative":
        known = [t for t in ts if t is not None]
        target = sum(known, Decimal(0)) if len(known) == len(ts) else None
        value = calc.year_value(vs, "cumulative")
    elif aggregation == "average":
        known = [t for t in ts if t is not None]
        target = sum(known, Decimal(0)) / len(known) if known else None
        value = calc.year_value(vs, "average")
    else:
        target, value = ts[-1], vs[-1]
    result = calc.explain_achievement(
        target, value, polarity=rule.polarity, lower_formula=rule.lower_formula
    )
    return target, value, result


@dataclass
class PeriodView:
    period: int
    label: str
    row: ActionPlanPeriod | None
    target: Decimal | None
    value: Decimal | None
    to_date_target: Decimal | None
    to_date_value: Decimal | None
    achievement: calc.Achievement
    warning: str
    late: bool
    due: datetime.date


@dataclass
class PlanView:
    plan: ActionPlan | None
    subject: Indicator | CascadeIndicator
    level: str  # unit, administrator, supervisor
    owner: str  # the post that answers for it
    periods: list[PeriodView] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    @property
    def name(self) -> str:
        if isinstance(self.subject, Indicator):
            return f"{self.subject.code} {self.subject.name}"
        return self.subject.name

    @property
    def late(self) -> list[PeriodView]:
        return [p for p in self.periods if p.late]

    @property
    def red(self) -> list[PeriodView]:
        return [p for p in self.periods if p.warning == "red"]


def unit_action_plans(unit: Unit, year: int, today: datetime.date | None = None) -> list[PlanView]:
    """Every agreement indicator of the unit's year (the unit head's plan indicators, then its
    administrators' and supervisors' cascade indicators) with its action plan, if any."""
    today = today or timezone.localdate()
    policy = policy_for(unit.government)
    term = term_of(unit, year)
    subjects: list[tuple[Indicator | CascadeIndicator, str, str]] = []
    if term is not None:
        head_title = (
            unit.positions.filter(kind="unit_head").values_list("title", flat=True).first() or ""
        )
        with_target = IndicatorTarget.objects.filter(
            indicator__objective__term=term, indicator__responsible_unit=unit, year=year
        ).values_list("indicator_id", flat=True)
        for ind in Indicator.objects.filter(
            government_id=unit.government_id, pk__in=with_target
        ).order_by("objective__code", "code"):
            subjects.append((ind, "unit", head_title))
    for c in CascadeIndicator.objects.filter(position__unit=unit, year=year).select_related(
        "position"
    ):
        subjects.append((c, c.position.kind, c.position.title))
    plans = {
        (p.indicator_id, p.cascade_indicator_id): p
        for p in ActionPlan.objects.filter(unit=unit, year=year).prefetch_related(
            "period_rows", "actions__responsible"
        )
    }
    views = []
    for subject, level, owner in subjects:
        key = (subject.pk, None) if isinstance(subject, Indicator) else (None, subject.pk)
        plan = plans.get(key)
        view = PlanView(plan=plan, subject=subject, level=level, owner=owner)
        if plan is not None:
            view.periods = _periods(plan, subject, policy, today)
            view.actions = list(plan.actions.all())
        views.append(view)
    return views


def _periods(plan: ActionPlan, rule: Any, policy: Any, today: datetime.date) -> list[PeriodView]:
    rows = {r.period: r for r in plan.period_rows.all()}
    targets = [rows[p].target if p in rows else None for p in range(1, plan.periods + 1)]
    values = [rows[p].value if p in rows else None for p in range(1, plan.periods + 1)]
    result = []
    for p in range(1, plan.periods + 1):
        t, v, ach = to_date(rule, targets, values, p)
        due = report_deadline(plan.year, p, plan.periods, policy.report_deadline_days)
        warning = calc.warning_level(
            ach.value, green_from=policy.green_from, yellow_from=policy.yellow_from
        )
        result.append(
            PeriodView(
                period=p,
                label=period_label(p, plan.periods),
                row=rows.get(p),
                target=targets[p - 1],
                value=values[p - 1],
                to_date_target=t,
                to_date_value=v,
                achievement=ach,
                warning=warning if values[p - 1] is not None else "none",
                late=values[p - 1] is None and today > due,
                due=due,
            )
        )
    return result


@dataclass
class UnitSummary:
    unit: Unit
    plans: int
    missing: int  # agreement indicators without an action plan
    late: int
    red: int


def government_summary(
    government: Government, year: int, today: datetime.date | None = None
) -> list[UnitSummary]:
    """Per unit with any agreement indicator in the year: how many action plans there are, how
    many are missing, late and red (the head of region's view), in a fixed number of queries."""
    today = today or timezone.localdate()
    policy = policy_for(government)
    subjects: dict[int, int] = {}
    term = government_calendar_term(government, year)
    if term is not None:
        for unit_id in IndicatorTarget.objects.filter(
            indicator__objective__term=term, year=year, indicator__responsible_unit__isnull=False
        ).values_list("indicator__responsible_unit_id", flat=True):
            subjects[unit_id] = subjects.get(unit_id, 0) + 1
    for unit_id in CascadeIndicator.objects.filter(government=government, year=year).values_list(
        "position__unit_id", flat=True
    ):
        if unit_id is not None:
            subjects[unit_id] = subjects.get(unit_id, 0) + 1
    counts: dict[int, list[int]] = {u: [0, 0, 0] for u in subjects}  # plans, late, red
    for plan in (
        ActionPlan.objects.filter(government=government, year=year)
        .select_related("indicator", "cascade_indicator")
        .prefetch_related("period_rows")
    ):
        periods = _periods(plan, plan.rule, policy, today)
        row = counts.setdefault(plan.unit_id, [0, 0, 0])
        row[0] += 1
        row[1] += any(p.late for p in periods)
        row[2] += any(p.warning == "red" for p in periods)
    units = Unit.objects.filter(government=government, pk__in=counts).order_by("kind", "code")
    return [
        UnitSummary(
            unit=u,
            plans=counts[u.pk][0],
            missing=max(subjects.get(u.pk, 0) - counts[u.pk][0], 0),
            late=counts[u.pk][1],
            red=counts[u.pk][2],
        )
        for u in units
    ]


# ---------------------------------------------------------------------------------------------
# Writes


def _subject_unit(subject: Indicator | CascadeIndicator) -> Unit:
    if isinstance(subject, Indicator):
        if subject.responsible_unit is None:
            raise ValidationError(
                _("Indikator ini tidak memiliki perangkat daerah penanggung jawab."),
                code="indikator_tanpa_unit",
            )
        return subject.responsible_unit
    unit = subject.position.unit
    if unit is None:
        raise PermissionDenied
    return unit


@transaction.atomic
def action_plan_save(
    *,
    subject: Indicator | CascadeIndicator,
    year: int,
    targets: dict[int, Decimal | None],
    by: User,
) -> ActionPlan:
    """Create or change an action plan's targets per period. Audited."""
    unit = _subject_unit(subject)
    require_plan_editor(by, unit)
    if unit.government_id != by.government_id:
        raise PermissionDenied
    if term_of(unit, year) is None:
        raise ValidationError(
            _("Tahun %(year)s di luar periode rencana."),
            code="tahun_di_luar_periode",
            params={"year": year},
        )
    lookup = (
        {"indicator": subject} if isinstance(subject, Indicator) else {"cascade_indicator": subject}
    )
    plan = ActionPlan.objects.select_for_update().filter(year=year, **lookup).first()
    created = plan is None
    if plan is None:
        plan = ActionPlan.objects.create(
            government_id=unit.government_id,
            unit=unit,
            year=year,
            periods=periods_for(unit.government),
            **lookup,
        )
    bad = [p for p in targets if not 1 <= p <= plan.periods]
    if bad:
        raise ValidationError(
            _("Periode %(p)s di luar rencana aksi ini."),
            code="periode_di_luar",
            params={"p": bad[0]},
        )
    rows = {r.period: r for r in plan.period_rows.select_for_update()}
    before = {str(p): str(r.target) if r.target is not None else None for p, r in rows.items()}
    for period, target in targets.items():
        row = rows.get(period) or ActionPlanPeriod(plan=plan, period=period)
        if row.pk is None or row.target != target:
            row.target = target
            row.save()
            rows[period] = row
    after = {str(p): str(r.target) if r.target is not None else None for p, r in rows.items()}
    if created or before != after:
        record(
            actor=by,
            action="action_plan.targets",
            obj=plan,
            before={"targets": before} if not created else None,
            after={"targets": after},
            government=unit.government,
        )
    return plan


@transaction.atomic
def action_plan_report(
    *,
    plan: ActionPlan,
    period: int,
    value: Decimal | None,
    supporting: str,
    hindering: str,
    follow_up: str,
    by: User,
) -> ActionPlanPeriod:
    """Report a period's realisation with the factors and the follow-up. Audited."""
    require_plan_editor(by, plan.unit)
    if not 1 <= period <= plan.periods:
        raise ValidationError(
            _("Periode %(p)s di luar rencana aksi ini."),
            code="periode_di_luar",
            params={"p": period},
        )
    row = ActionPlanPeriod.objects.select_for_update().filter(
        plan=plan, period=period
    ).first() or ActionPlanPeriod(plan=plan, period=period)
    before = snapshot(row) if row.pk else None
    row.value = value
    row.supporting, row.hindering, row.follow_up = (
        supporting.strip()[:2000],
        hindering.strip()[:2000],
        follow_up.strip()[:2000],
    )
    row.reported_by, row.reported_at = by, timezone.now()
    row.save()
    record(
        actor=by,
        action="action_plan.report",
        obj=plan,
        before=before,
        after=snapshot(row),
        government=plan.unit.government,
    )
    return row


@transaction.atomic
def action_save(
    *,
    plan: ActionPlan,
    title: str,
    responsible: Person | None,
    budget: Decimal | None,
    period_from: int,
    period_to: int,
    parent: Action | None = None,
    by: User,
) -> Action:
    """Add an action (or a sub-action under `parent`) with the person responsible. Audited."""
    require_plan_editor(by, plan.unit)
    if parent is not None and (parent.plan_id != plan.pk or parent.parent_id is not None):
        raise ValidationError(
            _("Sub-aksi hanya di bawah aksi dari rencana yang sama."), code="sub_aksi_salah"
        )
    if responsible is not None and responsible.government_id != plan.government_id:
        raise PermissionDenied
    if not (1 <= period_from <= period_to <= plan.periods):
        raise ValidationError(
            _("Jadwal aksi harus di antara periode 1 dan %(n)s."),
            code="jadwal_aksi_salah",
            params={"n": plan.periods},
        )
    action = Action(
        plan=plan,
        parent=parent,
        title=title.strip()[:500],
        responsible=responsible,
        budget=budget,
        period_from=period_from,
        period_to=period_to,
        order=plan.actions.count() + 1,
    )
    action.full_clean()
    action.save()
    record(
        actor=by,
        action="action.create",
        obj=plan,
        before=None,
        after=snapshot(action),
        government=plan.unit.government,
    )
    return action


@transaction.atomic
def action_delete(*, action: Action, by: User) -> None:
    require_plan_editor(by, action.plan.unit)
    record(
        actor=by,
        action="action.delete",
        obj=action.plan,
        before=snapshot(action),
        after={"deleted": True},
        government=action.plan.unit.government,
    )
    action.delete()
