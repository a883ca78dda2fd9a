"""Writes: terms (RPJMD periods), carrying a plan forward into a new term, and which term is
current.

A new term starts empty or takes what the planners choose from an earlier one: objectives and
indicators to keep (their missions and goals come with them, to be rewritten) and missions on
their own. A carried indicator keeps its lineage, so its series runs across the change of term;
its yearly targets are not carried (the new term's are set anew), and its baseline starts as the
earlier term's end target, marked to be replaced by the measured figure. The earlier term is
left exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.accounts.access import require_planner
from kinerja.accounts.models import User
from kinerja.core.audit import record, snapshot
from kinerja.planning.models import Goal, Indicator, IndicatorTarget, Mission, Objective, Term
from kinerja.planning.services import YEAR_MAX, YEAR_MIN, plan_object_save

MAX_TERM_YEARS = 10
# Copied as they are when an indicator is carried (lineage and baseline handled apart).
CARRIED_FIELDS = (
    "name",
    "unit_of_measure",
    "polarity",
    "lower_formula",
    "aggregation",
    "frequency",
    "definition",
    "formula",
    "data_source",
    "is_key",
    "weight",
    "responsible_unit_id",
)


@dataclass
class Carry:
    """What to take from an earlier term: ids of its missions, objectives and indicators."""

    source: Term
    missions: set[int] = field(default_factory=set)
    objectives: set[int] = field(default_factory=set)
    indicators: set[int] = field(default_factory=set)


@dataclass
class Carried:
    missions: int = 0
    goals: int = 0
    objectives: int = 0
    indicators: int = 0


def _check_years(government_id: int, first_year: int, last_year: int) -> None:
    if not (YEAR_MIN <= first_year <= YEAR_MAX and YEAR_MIN <= last_year <= YEAR_MAX):
        raise ValidationError(
            _("Tahun periode harus antara %(lo)s dan %(hi)s.") % {"lo": YEAR_MIN, "hi": YEAR_MAX},
            code="term_year_range",
        )
    if last_year < first_year:
        raise ValidationError(
            _("Tahun akhir tidak boleh sebelum tahun pertama."), code="term_years_order"
        )
    if last_year - first_year + 1 > MAX_TERM_YEARS:
        raise ValidationError(
            _("Satu periode paling lama %(n)s tahun.") % {"n": MAX_TERM_YEARS},
            code="term_too_long",
        )
    for other in Term.objects.filter(government_id=government_id):
        if first_year <= other.end_year and other.start_year + 1 <= last_year:
            raise ValidationError(
                _("Tahun %(a)s–%(b)s bertumpang tindih dengan %(term)s.")
                % {"a": first_year, "b": last_year, "term": other},
                code="term_overlap",
            )


@transaction.atomic
def term_create(
    *,
    name: str,
    first_year: int,
    last_year: int,
    vision: str,
    by: User,
    carry: Carry | None = None,
    make_current: bool = False,
) -> tuple[Term, Carried]:
    """A new term whose yearly targets run from `first_year` to `last_year` (its baseline year
    is the one before), optionally carrying part of an earlier term's plan forward."""
    government = require_planner(by)
    name = name.strip()
    if not name:
        raise ValidationError(_("Beri nama periode, misalnya RPJMD 2025–2029."), code="term_name")
    _check_years(government.pk, first_year, last_year)
    term = Term.objects.create(
        government=government,
        name=name[:200],
        start_year=first_year - 1,
        end_year=last_year,
        vision=vision.strip(),
    )
    carried = Carried()
    if carry is not None:
        if carry.source.government_id != government.pk:
            raise PermissionDenied
        carried = _carry(carry, into=term, by=by)
    record(
        actor=by,
        action="term.create",
        obj=term,
        before=None,
        after={
            **snapshot(term),
            "carried_from": carry.source.pk if carry else None,
            "carried": carried.__dict__,
        },
    )
    if make_current:
        term_make_current(term=term, by=by)
        term.refresh_from_db()
    return term, carried


def _carry(carry: Carry, *, into: Term, by: User) -> Carried:
    source = carry.source
    indicators = {
        i.pk: i for i in Indicator.objects.filter(objective__term=source, pk__in=carry.indicators)
    }
    wanted_objectives = set(carry.objectives) | {i.objective_id for i in indicators.values()}
    objectives = {o.pk: o for o in Objective.objects.filter(term=source)}
    unknown = wanted_objectives - objectives.keys()
    if unknown or len(indicators) != len(carry.indicators):
        raise ValidationError(
            _("Pilihan yang dibawa harus berasal dari periode %(term)s.") % {"term": source},
            code="carry_foreign",
        )
    # A unit objective brings the government objective it serves; an objective its goal.
    for pk in list(wanted_objectives):
        serves = objectives[pk].serves_id
        if serves is not None:
            wanted_objectives.add(serves)
    goals = {g.pk: g for g in Goal.objects.filter(mission__term=source)}
    wanted_goals: set[int] = {
        goal_id for pk in wanted_objectives if (goal_id := objectives[pk].goal_id) is not None
    }
    missions = {m.pk: m for m in Mission.objects.filter(term=source)}
    if not set(carry.missions) <= missions.keys():
        raise ValidationError(
            _("Pilihan yang dibawa harus berasal dari periode %(term)s.") % {"term": source},
            code="carry_foreign",
        )
    wanted_missions = set(carry.missions) | {goals[pk].mission_id for pk in wanted_goals}

    count = Carried()
    new_mission: dict[int, Mission] = {}
    for pk in sorted(wanted_missions, key=lambda pk: missions[pk].number):
        m = missions[pk]
        new_mission[pk] = plan_object_save(
            obj=Mission(term=into, number=m.number, code=m.code, title=m.title), by=by
        )
        count.missions += 1
    new_goal: dict[int, Goal] = {}
    for pk in sorted(wanted_goals, key=lambda pk: goals[pk].code):
        g = goals[pk]
        new_goal[pk] = plan_object_save(
            obj=Goal(mission=new_mission[g.mission_id], code=g.code, title=g.title), by=by
        )
        count.goals += 1
    new_objective: dict[int, Objective] = {}
    # Government objectives first: unit objectives point at them.
    for pk in sorted(
        wanted_objectives, key=lambda pk: (objectives[pk].unit_id is not None, objectives[pk].code)
    ):
        o = objectives[pk]
        new_objective[pk] = plan_object_save(
            obj=Objective(
                term=into,
                goal=new_goal[o.goal_id] if o.goal_id else None,
                unit_id=o.unit_id,
                serves=new_objective[o.serves_id] if o.serves_id else None,
                code=o.code,
                title=o.title,
            ),
            by=by,
        )
        count.objectives += 1
    end_targets = {
        t.indicator_id: t
        for t in IndicatorTarget.objects.filter(
            indicator__in=indicators.values(), year=source.end_year
        )
    }
    for pk in sorted(indicators, key=lambda pk: indicators[pk].code):
        old = indicators[pk]
        end = end_targets.get(pk)
        new = Indicator(
            objective=new_objective[old.objective_id],
            code=old.code,
            lineage=old.lineage,
            carried_from=old,
            baseline_value=end.value if end is not None else old.baseline_value,
            baseline_year=source.end_year if end is not None else old.baseline_year,
        )
        for name in CARRIED_FIELDS:
            setattr(new, name, getattr(old, name))
        if end is not None:
            new.data_source = (
                _("Kondisi awal sementara: target akhir %(term)s; ganti dengan angka terukur.")
                % {"term": source}
            )[:300]
        plan_object_save(obj=new, by=by)
        count.indicators += 1
    return count


@transaction.atomic
def term_make_current(*, term: Term, by: User) -> Term:
    """Make this the government's current term (the others stay whole, as history)."""
    government = require_planner(by)
    if term.government_id != government.pk:
        raise PermissionDenied
    terms = list(Term.objects.select_for_update().filter(government=government))
    before = next((t.pk for t in terms if t.is_current), None)
    if before == term.pk:
        return term
    Term.objects.filter(government=government, is_current=True).update(is_current=False)
    Term.objects.filter(pk=term.pk, government_id=term.government_id).update(is_current=True)
    term.refresh_from_db()
    record(
        actor=by,
        action="term.make_current",
        obj=term,
        before={"current_term": before},
        after={"current_term": term.pk},
    )
    return term
