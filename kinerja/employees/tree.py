"""The performance tree down to people (pohon kinerja): for one unit and year, from the
missions its objectives serve, through the unit head's agreement, each administrator's and
supervisor's agreement, to each person's SKP results, with the achievement at each node: an
agreement indicator's achievement so far (the monitoring figures for the unit head's, the
action plan for the cascade's), a post's mean of its indicators, a person's latest predicate."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kinerja.accounts.models import Person, Position, Unit
from kinerja.agreements.cascade import UnitCascade, target_text
from kinerja.employees import actionplans
from kinerja.employees.models import Skp, SkpAssessment
from kinerja.monitoring import achievement as calc
from kinerja.monitoring import selectors as monitoring
from kinerja.planning import calendar


@dataclass
class Leaf:
    label: str
    target: str = ""  # exact decimal text (or a range), shown the Indonesian way
    unit_of_measure: str = ""
    achievement: Decimal | None = None
    warning: str = "none"


@dataclass
class PersonNode:
    person: Person
    title: str
    results: list[str]
    predicate: str  # the latest rating's label, "" when none
    skp: Skp | None


@dataclass
class PostNode:
    post: Position
    holder: Person | None
    indicators: list[Leaf]
    children: list[PostNode] = field(default_factory=list)
    people: list[PersonNode] = field(default_factory=list)

    @property
    def achievement(self) -> Decimal | None:
        values = [i.achievement for i in self.indicators if i.achievement is not None]
        return calc.roll_up([(v, 1) for v in values]).value if values else None


@dataclass
class UnitTree:
    unit: Unit
    year: int
    missions: list[str]
    head: Person | None
    head_indicators: list[Leaf]
    achievement: Decimal | None
    posts: list[PostNode]
    staff: list[PersonNode]  # functional and executor staff directly under the unit head


def _latest(skp: Skp | None) -> str:
    if skp is None:
        return ""
    ratings = sorted(
        skp.assessments.all(), key=lambda a: (a.period == SkpAssessment.ANNUAL, a.period)
    )
    return ratings[-1].get_predicate_display() if ratings else ""


def unit_tree(unit: Unit, year: int, today: datetime.date | None = None) -> UnitTree:
    today = today or timezone.localdate()
    quarter = calendar.default_quarter(unit.government, year, today)
    view = monitoring.overview(unit.government, year=year, as_of_quarter=quarter)
    statuses = view.statuses
    node = next((n for n in view.units if n.obj == unit), None)
    cascade = UnitCascade(unit, year)
    org = cascade.org
    plans = {
        (None, p.subject.pk): p
        for p in actionplans.unit_action_plans(unit, year, today)
        if p.level != "unit"
    }

    def plan_leaf(c: Any) -> Leaf:
        view_ = plans.get((None, c.pk))
        period = None
        if view_ is not None and view_.periods:
            reported = [p for p in view_.periods if p.value is not None]
            period = reported[-1] if reported else None
        return Leaf(
            c.name,
            target_text(c.target, c.target_high),
            c.unit_of_measure,
            period.achievement.value if period else None,
            period.warning if period else "none",
        )

    head_indicators = []
    for upper in cascade.plan_uppers:
        status = statuses.get(int(upper.key[1:]))
        head_indicators.append(
            Leaf(
                upper.label,
                upper.target,
                upper.unit_of_measure,
                status.to_date.value if status else None,
                status.warning if status else "none",
            )
        )
    skps = {
        s.person_id: s
        for s in Skp.objects.filter(unit=unit, year=year)
        .prefetch_related("assessments", "results")
        .select_related("position")
    }

    def person_node(post: Any) -> PersonNode:
        skp = skps.get(post.person.pk)
        return PersonNode(
            post.person,
            post.position.title,
            [r.text for r in skp.results.all()] if skp else [],
            _latest(skp),
            skp,
        )

    nodes: dict[int, PostNode] = {}
    for post in cascade.posts:
        holder = cascade.holder(post)
        nodes[post.pk] = PostNode(
            post,
            holder.person if holder else None,
            [plan_leaf(c) for c in cascade.indicators.get(post.pk, [])],
        )
    roots: list[PostNode] = []
    for post in cascade.posts:
        above = cascade.above.get(post.pk)
        if above is not None and above.pk in nodes:
            nodes[above.pk].children.append(nodes[post.pk])
        else:
            roots.append(nodes[post.pk])
    # Staff go under the post of their superior; those under the unit head directly, at the top.
    holder_post = {n.holder.pk: n for n in nodes.values() if n.holder is not None}
    head = unit.head()
    staff: list[PersonNode] = []
    for own in sorted(org.own.values(), key=lambda p: p.person.name):
        if own.position.unit_id != unit.pk or own.position.kind not in (
            Position.Kind.FUNCTIONAL,
            Position.Kind.EXECUTOR,
        ):
            continue
        superior = org.superior_of(own.person)
        target = holder_post.get(superior.pk) if superior else None
        (target.people if target else staff).append(person_node(own))
    missions = sorted(
        {
            f"{o.serves.goal.mission.code} {o.serves.goal.mission.title}"
            for o in unit.objectives.select_related("serves__goal__mission").filter(
                term=calendar.term_for_year(unit.government, year), serves__goal__isnull=False
            )
            if o.serves and o.serves.goal
        }
    )
    return UnitTree(
        unit=unit,
        year=year,
        missions=missions,
        head=head.person if head else None,
        head_indicators=head_indicators,
        achievement=node.to_date.value if node else None,
        posts=roots,
        staff=staff,
    )
