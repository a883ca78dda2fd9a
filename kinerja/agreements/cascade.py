"""The cascade below the unit head: administrators' (eselon III, Sasaran Program) and
supervisors' (eselon IV, Sasaran Kegiatan) agreements.

Each post's agreement is made of its cascade indicators (each supporting one indicator of the
agreement above: the unit head's, which are the plan's indicators, or its administrator's) and
the plan's activities (administrator) or sub-activities (supervisor) it carries, with their
budget for the year. The second party is the holder of the post above (the unit head, or the
head of the sub-unit above). Budgets that do not add up to the level above are flagged.
Drafting, sending, signing and revising go through the agreement services like every agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.accounts.access import require_plan_editor
from kinerja.accounts.models import Position, Unit, User
from kinerja.agreements.models import Agreement, CascadeIndicator, CascadeProgramme
from kinerja.core.audit import record, snapshot
from kinerja.planning import calendar as government_calendar
from kinerja.planning.models import Budget, Indicator, IndicatorTarget, Programme, Term

Kind = Position.Kind
POST_KINDS = (Kind.ADMINISTRATOR, Kind.SUPERVISOR)
# What each post carries from the plan.
CARRIES = {
    Kind.ADMINISTRATOR: Programme.Kind.ACTIVITY,
    Kind.SUPERVISOR: Programme.Kind.SUB_ACTIVITY,
}


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def target_text(low: Decimal, high: Decimal | None) -> str:
    return _text(low) if high is None else f"{_text(low)} – {_text(high)}"


def superior_post(position: Position) -> Position | None:
    """The post above: the head of the nearest sub-unit above the post's own, else the unit's
    head."""
    sub = position.sub_unit.parent if position.sub_unit_id and position.sub_unit else None
    while sub is not None:
        head = Position.objects.filter(sub_unit=sub, kind__in=POST_KINDS).first()
        if head is not None:
            return head
        sub = sub.parent
    if position.unit_id is None:
        return None
    return Position.objects.filter(unit_id=position.unit_id, kind=Kind.UNIT_HEAD).first()


def term_of(unit: Unit, year: int) -> Term | None:
    return government_calendar.term_for_year(unit.government, year)


@dataclass(frozen=True)
class Upper:
    """An indicator of the agreement above, as a post's indicator may support it."""

    key: str  # "i<pk>" a plan indicator, "c<pk>" a cascade indicator
    label: str
    target: str
    unit_of_measure: str


def _plan_uppers(unit: Unit, year: int) -> list[Upper]:
    term = term_of(unit, year)
    if term is None:
        return []
    targets = {
        t.indicator_id: t
        for t in IndicatorTarget.objects.filter(
            indicator__objective__term=term, indicator__responsible_unit=unit, year=year
        )
    }
    indicators = Indicator.objects.filter(
        government_id=unit.government_id, pk__in=targets
    ).order_by("objective__code", "code")
    return [
        Upper(
            f"i{ind.pk}",
            f"{ind.code} {ind.name}",
            target_text(targets[ind.pk].value, targets[ind.pk].value_high),
            ind.unit_of_measure,
        )
        for ind in indicators
    ]


def upper_indicators(position: Position, year: int) -> list[Upper]:
    """The indicators a post's indicators may support: the unit head's agreement's (the unit's
    plan indicators with a target in the year) or the administrator's above."""
    above = superior_post(position)
    if above is None:
        return []
    if above.kind == Kind.UNIT_HEAD:
        return _plan_uppers(position.unit, year) if position.unit else []
    return [
        Upper(f"c{c.pk}", c.name, target_text(c.target, c.target_high), c.unit_of_measure)
        for c in CascadeIndicator.objects.filter(position=above, year=year)
    ]


def _budgets(programmes: list[Programme], year: int) -> dict[int, Decimal]:
    return {
        b.programme_id: b.amount for b in Budget.objects.filter(programme__in=programmes, year=year)
    }


def post_content(position: Position, year: int) -> dict[str, Any]:
    """What a post's agreement says for the year: its indicators with the upper indicator each
    supports, and the activities or sub-activities it carries with their budget and total.
    Exact decimal text, as every agreement's content."""
    uppers = {u.key: u for u in upper_indicators(position, year)}
    rows = []
    for c in CascadeIndicator.objects.filter(position=position, year=year).select_related(
        "supports_indicator"
    ):
        key = f"i{c.supports_indicator_id}" if c.supports_indicator_id else f"c{c.supports_id}"
        upper = uppers.get(key)
        rows.append(
            {
                "objective": c.objective,
                "indicator": c.name,
                "unit_of_measure": c.unit_of_measure,
                "target": target_text(c.target, c.target_high),
                "supports": upper.label if upper else "",
            }
        )
    carried = [
        cp.programme
        for cp in CascadeProgramme.objects.filter(position=position, year=year).select_related(
            "programme__parent"
        )
    ]
    budgets = _budgets(carried, year)
    money = []
    total = Decimal(0)
    for p in sorted(carried, key=lambda p: p.code):
        amount = budgets.get(p.pk, Decimal(0))
        total += amount
        money.append(
            {
                "code": p.code,
                "name": p.name,
                "kind": p.kind,
                "parent": f"{p.parent.code} {p.parent.name}" if p.parent else "",
                "budget": _text(amount),
            }
        )
    level = "administrator" if position.kind == Kind.ADMINISTRATOR else "supervisor"
    return {"level": level, "targets": rows, "programmes": money, "total": _text(total)}


@dataclass(frozen=True)
class BudgetFlag:
    """A budget of the level above that its parts carried below do not add up to."""

    upper: Programme
    upper_budget: Decimal
    carried: Decimal
    posts: tuple[str, ...]

    @property
    def difference(self) -> Decimal:
        return self.carried - self.upper_budget


def budget_flags(unit: Unit, year: int) -> list[BudgetFlag]:
    """For each programme (activity) whose activities (sub-activities) are carried by the
    unit's administrators (supervisors) in the year: the carried budgets' sum against the
    budget above, when they differ."""
    rows = list(
        CascadeProgramme.objects.filter(position__unit=unit, year=year).select_related(
            "programme__parent", "position"
        )
    )
    parents = {r.programme.parent for r in rows if r.programme.parent is not None}
    budgets = _budgets([r.programme for r in rows] + list(parents), year)
    flags = []
    for parent in sorted(parents, key=lambda p: p.code):
        mine = [r for r in rows if r.programme.parent_id == parent.pk]
        carried = sum((budgets.get(r.programme_id, Decimal(0)) for r in mine), Decimal(0))
        upper = budgets.get(parent.pk, Decimal(0))
        if carried != upper:
            posts = tuple(sorted({r.position.title for r in mine}))
            flags.append(BudgetFlag(parent, upper, carried, posts))
    return flags


# ---------------------------------------------------------------------------------------------
# Writes


def _require_post(position: Position, by: User) -> Unit:
    if position.kind not in POST_KINDS or position.unit is None:
        raise ValidationError(
            _("Perjanjian jenjang hanya untuk pejabat administrator dan pengawas."),
            code="bukan_jabatan_jenjang",
        )
    if position.government_id != by.government_id:
        raise PermissionDenied
    require_plan_editor(by, position.unit)
    return position.unit


def _require_editable(position: Position, year: int) -> None:
    """Nothing of a post's year changes once its agreement is sent or signed."""
    latest = Agreement.objects.filter(position=position, year=year).order_by("-version").first()
    if latest is not None:
        Agreement.WORKFLOW.check(latest, "edit")


def _require_term(unit: Unit, year: int) -> Term:
    term = term_of(unit, year)
    if term is None:
        raise ValidationError(
            _("Tahun %(year)s di luar periode rencana."),
            code="tahun_di_luar_periode",
            params={"year": year},
        )
    return term


@transaction.atomic
def cascade_indicator_save(
    *,
    position: Position,
    year: int,
    supports: str,
    objective: str,
    name: str,
    unit_of_measure: str,
    target: Decimal,
    target_high: Decimal | None = None,
    polarity: str = Indicator.Polarity.HIGHER,
    lower_formula: str = Indicator.LowerFormula.MIRROR,
    aggregation: str = Indicator.Aggregation.LAST,
    indicator: CascadeIndicator | None = None,
    by: User,
) -> CascadeIndicator:
    """Add (or change) an indicator of a post's agreement, supporting `supports` (the key of
    one of the upper agreement's indicators). Audited."""
    unit = _require_post(position, by)
    _require_term(unit, year)
    _require_editable(position, year)
    uppers = {u.key for u in upper_indicators(position, year)}
    if supports not in uppers:
        raise ValidationError(
            _("Pilih indikator perjanjian di atasnya yang didukung."),
            code="indikator_atas_tidak_dikenal",
        )
    if polarity == Indicator.Polarity.RANGE and target_high is None:
        raise ValidationError(
            _("Target rentang pita memerlukan batas atas."), code="rentang_perlu_batas_atas"
        )
    if target_high is not None and target_high < target:
        raise ValidationError(
            _("Batas atas harus lebih besar atau sama dengan batas bawah."),
            code="batas_atas_lebih_kecil",
        )
    if indicator is not None and (indicator.position_id != position.pk or indicator.year != year):
        raise PermissionDenied
    before = snapshot(indicator) if indicator is not None else None
    item = indicator or CascadeIndicator(
        government_id=position.government_id,
        position=position,
        year=year,
        order=CascadeIndicator.objects.filter(position=position, year=year).count() + 1,
    )
    item.objective, item.name, item.unit_of_measure = objective, name, unit_of_measure
    item.target, item.target_high = target, target_high
    item.polarity, item.lower_formula, item.aggregation = polarity, lower_formula, aggregation
    pk = int(supports[1:])
    item.supports_indicator_id = pk if supports.startswith("i") else None
    item.supports_id = pk if supports.startswith("c") else None
    item.full_clean()
    item.save()
    record(
        actor=by,
        action="cascade_indicator.save",
        obj=item,
        before=before,
        after=snapshot(item),
        government=position.government,
    )
    return item


@transaction.atomic
def cascade_indicator_delete(*, indicator: CascadeIndicator, by: User) -> None:
    _require_post(indicator.position, by)
    _require_editable(indicator.position, indicator.year)
    if indicator.supporters.exists():
        raise ValidationError(
            _(
                "Indikator ini didukung oleh indikator pejabat pengawas; hapus atau alihkan "
                "indikator itu lebih dulu."
            ),
            code="indikator_masih_didukung",
        )
    record(
        actor=by,
        action="cascade_indicator.delete",
        obj=indicator,
        before=snapshot(indicator),
        after={"deleted": True},
        government=indicator.position.government,
    )
    indicator.delete()


@transaction.atomic
def cascade_programmes_set(
    *, position: Position, year: int, programmes: list[Programme], by: User
) -> None:
    """The activities (administrator) or sub-activities (supervisor) a post carries in the
    year. Each is the unit's, of the year's plan, and carried by one post only. Audited."""
    unit = _require_post(position, by)
    term = _require_term(unit, year)
    _require_editable(position, year)
    kind = CARRIES[position.kind]  # type: ignore[index]
    for p in programmes:
        if p.unit_id != unit.pk or p.term_id != term.pk or p.kind != kind:
            raise ValidationError(
                _("%(name)s bukan %(kind)s %(unit)s pada rencana tahun ini.")
                % {"name": p.name, "kind": Programme.Kind(kind).label.lower(), "unit": unit.name},
                code="program_bukan_milik_jabatan",
            )
    taken = (
        CascadeProgramme.objects.filter(programme__in=programmes, year=year)
        .exclude(position=position)
        .select_related("position", "programme")
        .first()
    )
    if taken is not None:
        raise ValidationError(
            _("%(name)s sudah diampu %(post)s.")
            % {"name": taken.programme.name, "post": taken.position.title},
            code="program_sudah_diampu",
        )
    current = CascadeProgramme.objects.filter(position=position, year=year)
    before = sorted(current.values_list("programme__code", flat=True))
    current.exclude(programme__in=programmes).delete()
    have = set(current.values_list("programme_id", flat=True))
    CascadeProgramme.objects.bulk_create(
        CascadeProgramme(
            government_id=position.government_id, position=position, year=year, programme=p
        )
        for p in programmes
        if p.pk not in have
    )
    after = sorted(p.code for p in programmes)
    if before != after:
        record(
            actor=by,
            action="cascade_programmes.set",
            obj=position,
            before={"year": year, "programmes": before},
            after={"year": year, "programmes": after},
            government=position.government,
        )


def posts_of(unit: Unit) -> list[Position]:
    """The unit's administrator and supervisor posts, each after the post above it."""
    posts = list(
        Position.objects.filter(unit=unit, kind__in=POST_KINDS)
        .select_related("sub_unit__parent")
        .order_by("kind", "sub_unit__name")
    )
    ordered: list[Position] = []

    def place(parent_sub: Any) -> None:
        for p in posts:
            above = p.sub_unit.parent if p.sub_unit else None
            # Below a sub-unit with a head: after that head; otherwise at the top.
            while above is not None and not any(q.sub_unit_id == above.pk for q in posts):
                above = above.parent
            if above == parent_sub and p not in ordered:
                ordered.append(p)
                place(p.sub_unit)

    place(None)
    ordered += [p for p in posts if p not in ordered]
    return ordered


class UnitCascade:
    """Everything the cascade page shows of a unit's year, in a fixed number of queries: the
    posts (each after the one above), their holders, the indicators each may support, their
    own indicators, the programmes each may carry and carries, and their latest agreement."""

    def __init__(self, unit: Unit, year: int) -> None:
        from kinerja.accounts.personnel import Organisation

        self.unit, self.year = unit, year
        self.org = Organisation(unit.government_id)
        self.posts = posts_of(unit)
        heads = {p.sub_unit_id: p for p in self.posts if p.sub_unit_id}
        unit_head = next(
            (
                p
                for p in self.org.positions.values()
                if p.unit_id == unit.pk and p.kind == Kind.UNIT_HEAD
            ),
            None,
        )
        self.above: dict[int, Position | None] = {}
        for post in self.posts:
            sub = self.org.sub_units.get(post.sub_unit_id) if post.sub_unit_id else None
            parent = self.org.sub_units.get(sub.parent_id) if sub and sub.parent_id else None
            found = None
            while parent is not None and found is None:
                found = heads.get(parent.pk)
                parent = self.org.sub_units.get(parent.parent_id) if parent.parent_id else None
            self.above[post.pk] = found or unit_head
        self.plan_uppers = _plan_uppers(unit, year)
        self.indicators: dict[int, list[CascadeIndicator]] = {p.pk: [] for p in self.posts}
        for c in CascadeIndicator.objects.filter(position__unit=unit, year=year).select_related(
            "supports_indicator", "supports"
        ):
            self.indicators.setdefault(c.position_id, []).append(c)
        term = term_of(unit, year)
        candidates = (
            list(
                Programme.objects.filter(
                    unit=unit, term=term, kind__in=list(CARRIES.values()), budgets__year=year
                )
                .select_related("parent")
                .distinct()
                .order_by("code")
            )
            if term
            else []
        )
        self.candidates = {
            kind: [p for p in candidates if p.kind == carried] for kind, carried in CARRIES.items()
        }
        self.carried: dict[int, set[int]] = {}
        for position_id, programme_id in CascadeProgramme.objects.filter(
            position__unit=unit, year=year
        ).values_list("position_id", "programme_id"):
            self.carried.setdefault(position_id, set()).add(programme_id)
        self.agreements: dict[int, Agreement] = {}
        for a in Agreement.objects.filter(unit=unit, year=year, position__isnull=False).order_by(
            "version"
        ):
            if a.position_id is not None:
                self.agreements[a.position_id] = a

    def uppers(self, post: Position) -> list[Upper]:
        above = self.above.get(post.pk)
        if above is None:
            return []
        if above.kind == Kind.UNIT_HEAD:
            return self.plan_uppers
        return [
            Upper(f"c{c.pk}", c.name, target_text(c.target, c.target_high), c.unit_of_measure)
            for c in self.indicators.get(above.pk, [])
        ]

    def holder(self, post: Position) -> Any:
        return self.org.holder.get(post.pk)

    def programmes(self, post: Position) -> list[tuple[Programme, bool]]:
        """What the post may carry: a supervisor under an administrator who carries activities,
        the sub-activities of those (and what it carries already); otherwise all the unit's."""
        carried = self.carried.get(post.pk, set())
        candidates = self.candidates.get(post.kind, [])  # type: ignore[call-overload]
        above = self.above.get(post.pk)
        if post.kind == Kind.SUPERVISOR and above is not None and self.carried.get(above.pk):
            activities = self.carried[above.pk]
            candidates = [p for p in candidates if p.parent_id in activities or p.pk in carried]
        return [(p, p.pk in carried) for p in candidates]
