"""The LKjIP (Laporan Kinerja Instansi Pemerintah), the annual performance report of the
government or of one unit, as a PDF and as a Word document: overview; planning and the
agreement; accountability (achievement per goal and objective, this year against earlier
years, the five-year target and a national figure; the analysis of each indicator's causes
and measures as the unit wrote it; budget realisation and efficiency); closing; attachments
(the Perjanjian Kinerja and the IKU matrix). Charts are the same SVG as on the pages.

Every achievement comes from `monitoring.selectors.overview` at the fourth quarter, so the
report shows the figures of the achievement pages for that year. `report_context` is read by
both the PDF template and `word.lkjip_docx`, so the two carry the same figures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from kinerja.accounts.models import Government, Unit, User
from kinerja.agreements import selectors as agreements
from kinerja.core import charts
from kinerja.core.audit import record, snapshot
from kinerja.evaluation import selectors
from kinerja.evaluation.access import require_same_government
from kinerja.evaluation.models import LkjipAnalysis
from kinerja.monitoring import achievement as calc
from kinerja.monitoring import selectors as monitoring
from kinerja.monitoring.access import require_reporter
from kinerja.monitoring.selectors import QUARTERS, IndicatorStatus, Node, finish_node
from kinerja.planning import calendar
from kinerja.planning.models import Budget, Goal, Indicator, IndicatorTarget, Objective


@dataclass
class IndicatorLine:
    status: IndicatorStatus
    earlier: list[tuple[int, Decimal | None]]
    end_target: Decimal | None
    end_achievement: calc.Achievement
    analysis: LkjipAnalysis | None = None

    @property
    def indicator(self) -> Any:
        return self.status.indicator


@dataclass
class ObjectiveBlock:
    node: Node
    lines: list[IndicatorLine]


@dataclass
class GoalBlock:
    goal: Goal | None
    node: Node
    objectives: list[ObjectiveBlock] = field(default_factory=list)


@dataclass
class BudgetLine:
    label: str
    amount: Decimal
    spent: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        if self.spent is None or not self.amount:
            return None
        return self.spent * 100 / self.amount


def _budget(government: Government, year: int, unit: Unit | None) -> list[BudgetLine]:
    """Budget and what was spent, per unit (government report) or per programme (unit)."""
    rows = Budget.objects.filter(government=government, year=year)
    if unit is not None:
        rows = rows.filter(programme__unit=unit, programme__kind="programme")
        return [
            BudgetLine(f"{b.programme.code} {b.programme.name}", b.amount, b.spent)
            for b in rows.select_related("programme").order_by("programme__code")
        ]
    totals = (
        rows.filter(programme__kind="programme")
        .values("programme__unit__name", "programme__unit__kind", "programme__unit__code")
        .annotate(amount=Sum("amount"), spent=Sum("spent"))
        .order_by("programme__unit__kind", "programme__unit__code")
    )
    return [BudgetLine(t["programme__unit__name"], t["amount"], t["spent"]) for t in totals]


def efficiency_index(achievement: Decimal | None, absorption: Decimal | None) -> Decimal | None:
    """Achievement per unit of budget absorbed: the achievement (%) divided by the share of the
    budget spent (%). Above 1, more was achieved than was spent; None without both."""
    if achievement is None or absorption is None or absorption <= 0:
        return None
    return achievement / absorption


@dataclass
class EfficiencyLine:
    """A programme (unit report) or a unit (government report): its budget, what was spent,
    and the achievement of the objectives it serves."""

    label: str
    amount: Decimal
    spent: Decimal | None
    achievement: Decimal | None

    @property
    def absorption(self) -> Decimal | None:
        if self.spent is None or not self.amount:
            return None
        return self.spent * 100 / self.amount

    @property
    def index(self) -> Decimal | None:
        return efficiency_index(self.achievement, self.absorption)


def _mean(values: list[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) / len(known) if known else None


def _efficiency(
    government: Government, year: int, unit: Unit | None, view: Any
) -> list[EfficiencyLine]:
    """Per programme of the unit (its achievement: the mean of the objectives it serves), or
    per unit of the government (its achievement: the unit's)."""
    rows = Budget.objects.filter(government=government, year=year, programme__kind="programme")
    if unit is None:
        achieved = {n.obj.pk: n.to_date.value for n in view.units}
        totals = (
            rows.values("programme__unit_id", "programme__unit__name")
            .annotate(amount=Sum("amount"), spent=Sum("spent"))
            .order_by("programme__unit__kind", "programme__unit__code")
        )
        return [
            EfficiencyLine(
                t["programme__unit__name"],
                t["amount"],
                t["spent"],
                achieved.get(t["programme__unit_id"]),
            )
            for t in totals
        ]
    lines = []
    for b in (
        rows.filter(programme__unit=unit)
        .select_related("programme")
        .prefetch_related("programme__objectives")
        .order_by("programme__code")
    ):
        served = [
            view.objectives[o.pk].to_date.value
            for o in b.programme.objectives.all()
            if o.pk in view.objectives
        ]
        lines.append(
            EfficiencyLine(
                f"{b.programme.code} {b.programme.name}", b.amount, b.spent, _mean(served)
            )
        )
    return lines


@dataclass
class KeyIndicatorLine:
    indicator: Any
    targets: list[Decimal | None]


def _key_indicators(
    government: Government, term: Any, statuses: dict[int, IndicatorStatus]
) -> tuple[list[int], list[KeyIndicatorLine]]:
    """The IKU matrix: the key indicators in the report, with their targets over the term."""
    if term is None:
        return [], []
    years = list(range(term.start_year, term.end_year + 1))
    keys = [s.indicator for s in statuses.values() if s.indicator.is_key]
    targets: dict[tuple[int, int], Decimal] = {
        (t.indicator_id, t.year): t.value
        for t in IndicatorTarget.objects.filter(
            government=government, indicator_id__in=[k.pk for k in keys], year__in=years
        )
    }
    return years, [
        KeyIndicatorLine(k, [targets.get((k.pk, y)) for y in years])
        for k in sorted(keys, key=lambda k: k.code)
    ]


EARLIER_YEARS = 4


def report_context(government: Government, year: int, unit: Unit | None = None) -> dict[str, Any]:
    view = monitoring.overview(government, year=year, as_of_quarter=QUARTERS, unit=unit)
    term = view.term
    # The earlier years, across the change of term: an indicator carried into this term is
    # followed through its lineage. At most EARLIER_YEARS of them.
    years = [y for y in calendar.years(government) if y < year][-EARLIER_YEARS:]
    earlier = {
        y: monitoring.overview(government, year=y, as_of_quarter=QUARTERS, unit=unit) for y in years
    }
    by_lineage = {
        y: {s.indicator.lineage: s for s in e.statuses.values()} for y, e in earlier.items()
    }
    end_year = term.end_year if term else year
    end_targets = {
        t.indicator_id: t
        for t in IndicatorTarget.objects.filter(
            government=government, year=end_year, indicator_id__in=list(view.statuses)
        )
    }

    analyses = {
        a.indicator_id: a
        for a in LkjipAnalysis.objects.filter(
            government=government, year=year, indicator_id__in=list(view.statuses)
        )
    }

    def line(status: IndicatorStatus) -> IndicatorLine:
        ind = status.indicator
        end = end_targets.get(ind.pk)
        return IndicatorLine(
            analysis=analyses.get(ind.pk),
            status=status,
            earlier=[
                (y, (found.to_date.value if (found := statuses.get(ind.lineage)) else None))
                for y, statuses in by_lineage.items()
            ],
            end_target=end.value if end else None,
            end_achievement=calc.explain_achievement(
                end.value if end else None,
                status.to_date_value,
                polarity=ind.polarity,
                lower_formula=ind.lower_formula,
                target_high=end.value_high if end else None,
            ),
        )

    policy = view.policy
    goals: list[GoalBlock] = []
    if unit is None:
        by_goal: dict[int | None, list[Node]] = defaultdict(list)
        for node in view.objectives.values():
            objective: Objective = node.obj  # type: ignore[assignment]
            if objective.unit_id is None:
                by_goal[objective.goal_id].append(node)
        goal_objects = {
            g.pk: g
            for g in Goal.objects.filter(government=government, pk__in=[k for k in by_goal if k])
        }
        for goal_id in sorted(by_goal, key=lambda k: goal_objects[k].code if k else ""):
            nodes = sorted(by_goal[goal_id], key=lambda n: n.obj.code)  # type: ignore[attr-defined]
            goal_node = (
                finish_node(Node(obj=goal_objects.get(goal_id), children=nodes), policy, leaf=False)
                if goal_id
                else Node(obj=None, children=nodes)
            )
            goals.append(
                GoalBlock(
                    goal=goal_objects.get(goal_id) if goal_id else None,
                    node=goal_node,
                    objectives=[ObjectiveBlock(n, [line(s) for s in n.statuses]) for n in nodes],
                )
            )
        subject_node = view.root
    else:
        unit_node = view.units[0] if view.units else Node(obj=unit)
        goals.append(
            GoalBlock(
                goal=None,
                node=unit_node,
                objectives=[
                    ObjectiveBlock(n, [line(s) for s in n.statuses]) for n in unit_node.children
                ],
            )
        )
        subject_node = unit_node

    # The trend of the whole (government or unit) over the term's years so far.
    history = [
        (y, (e.root if unit is None else (e.units[0] if e.units else None)))
        for y, e in earlier.items()
    ]
    trend_points = [(y, n.to_date.value if n else None) for y, n in history] + [
        (year, subject_node.to_date.value)
    ]
    subject = unit.name if unit else government.name
    objective_bars = [
        charts.Bar(
            label=f"{o.node.obj.code} {o.node.obj.title}",  # type: ignore[attr-defined]
            value=o.node.to_date.value,
            warning=monitoring_warning(o.node.to_date.value, policy),
        )
        for g in goals
        for o in g.objectives
    ]
    budget = _budget(government, year, unit)
    budget_total = BudgetLine(
        "Jumlah",
        sum((b.amount for b in budget), Decimal(0)),
        sum((b.spent for b in budget if b.spent is not None), Decimal(0))
        if any(b.spent is not None for b in budget)
        else None,
    )
    agreement = agreements.latest(government, unit, year)
    card = selectors.scorecard(government, year) if unit is None else None
    grades = (
        [g for g in selectors.government_grades(government) if g.year <= year]
        if unit is None
        else []
    )
    head = government.head_of_region() if unit is None else None
    iku_years, iku = _key_indicators(government, term, view.statuses)
    efficiency = _efficiency(government, year, unit, view)
    return {
        "efficiency": efficiency,
        "iku_years": iku_years,
        "iku": iku,
        "lines": [line for g in goals for o in g.objectives for line in o.lines],
        "government": government,
        "unit": unit,
        "subject": subject,
        "year": year,
        "term": term,
        "view": view,
        "policy": policy,
        "root": subject_node,
        "missions": view.missions if unit is None else [],
        "goals": goals,
        "earlier_years": years,
        "end_year": end_year,
        "budget": budget,
        "budget_total": budget_total,
        "agreement": agreement,
        "ranking": card.rows if card else [],
        "grade": grades[0] if grades else None,
        "head": head,
        "generated_at": timezone.localtime(),
        "objective_chart": charts.bar_chart(
            objective_bars, title=f"Capaian per sasaran {year}", label_width=260
        ),
        "mission_chart": charts.bar_chart(
            [
                charts.Bar(
                    label=f"{m.obj.code} {m.obj.title}",  # type: ignore[attr-defined]
                    value=m.to_date.value,
                    warning=monitoring_warning(m.to_date.value, policy),
                )
                for m in view.missions
            ],
            title=f"Capaian per misi {year}",
            label_width=260,
        )
        if unit is None
        else None,
        "trend_chart": charts.line_chart(
            [charts.Series(subject, trend_points)], title=f"Capaian {subject} per tahun"
        ),
    }


def monitoring_warning(value: Decimal | None, policy: Any) -> str:
    return calc.warning_level(value, green_from=policy.green_from, yellow_from=policy.yellow_from)


def lkjip_pdf(government: Government, year: int, unit: Unit | None = None) -> bytes:
    html = render_to_string("evaluation/lkjip.html", report_context(government, year, unit))
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    assert pdf is not None
    return pdf


# --- writes: the analysis of each indicator ------------------------------------------------

MAX_ANALYSIS = 4000


@transaction.atomic
def analyses_save(
    *, government: Government, year: int, rows: dict[int, dict[str, Any]], by: User
) -> int:
    """Save the LKjIP's analysis of indicators for a year ({indicator id: {causes, measures,
    national_value (Decimal or None), national_source}}), each by the people who report its
    figures. Returns how many changed; one audit row per indicator changed."""
    require_same_government(by, government.pk)
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(government=government, pk__in=list(rows)).select_related(
            "objective__unit", "responsible_unit"
        )
    }
    if len(indicators) != len(rows):
        raise PermissionDenied(_("Indikator dari pemerintah daerah lain."))
    existing = {
        a.indicator_id: a
        for a in LkjipAnalysis.objects.select_for_update().filter(
            government=government, year=year, indicator_id__in=list(rows)
        )
    }
    changed = 0
    for pk, given in rows.items():
        indicator = indicators[pk]
        require_reporter(by, indicator)
        national = given.get("national_value")
        if national is not None and not (-(10**15) < national < 10**15):
            raise ValidationError(
                _("Angka nasional %(code)s terlalu besar."),
                code="national_value_range",
                params={"code": indicator.code},
            )
        values = {
            "causes": str(given.get("causes") or "").strip()[:MAX_ANALYSIS],
            "measures": str(given.get("measures") or "").strip()[:MAX_ANALYSIS],
            "national_value": national,
            "national_source": str(given.get("national_source") or "").strip()[:200],
        }
        current = existing.get(pk)
        if current is None and not any(v not in ("", None) for v in values.values()):
            continue
        before = snapshot(current) if current else None
        if current is not None and all(getattr(current, k) == v for k, v in values.items()):
            continue
        current = current or LkjipAnalysis(
            government=government, indicator=indicator, year=year, updated_by=by
        )
        for key, value in values.items():
            setattr(current, key, value)
        current.updated_by = by
        current.save()
        record(
            actor=by,
            action="evaluation.lkjip_analysis",
            obj=current,
            before=before,
            after=snapshot(current),
        )
        changed += 1
    return changed
