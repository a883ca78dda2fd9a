"""Reads for the auction pages: the hearing as one viewer sees it, and the results."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from kinerja.accounts.access import is_unit_head
from kinerja.accounts.models import User
from kinerja.auction.arithmetic import (
    Ambition,
    PanelScore,
    ambition,
    contract_trajectory,
    panel_score,
)
from kinerja.auction.models import (
    AuctionSession,
    Criterion,
    Move,
    PanelSeat,
    Proposal,
    ProposedIndicator,
    Score,
)
from kinerja.planning.freeze import describe, frozen
from kinerja.planning.models import Indicator, Objective


def indicator_ambition(
    indicator: ProposedIndicator, target: Decimal | None = None, year: int | None = None
) -> Ambition | None:
    """The ambition analysis of the proposed target, or of another (e.g. the agreed one)."""
    target = indicator.end_target if target is None else target
    year = indicator.end_year if year is None else year
    if None in (indicator.baseline_value, indicator.baseline_year, target, year):
        return None
    history = [(int(y), Decimal(v)) for y, v in (indicator.history or {}).items()]
    return ambition(
        baseline_year=indicator.baseline_year,  # type: ignore[arg-type]
        baseline=indicator.baseline_value,  # type: ignore[arg-type]
        target_year=year,  # type: ignore[arg-type]
        target=target,  # type: ignore[arg-type]
        polarity=indicator.polarity,
        history=history,
    )


@dataclass
class IndicatorView:
    indicator: ProposedIndicator
    moves: list[Move]
    analysis: Ambition | None
    can_offer: bool = False
    can_answer: bool = False
    can_accept_counter: bool = False

    @property
    def last(self) -> Move | None:
        return self.moves[-1] if self.moves else None

    @property
    def outcome(self) -> Move | None:
        last = self.last
        return last if last and last.kind in (Move.Kind.ACCEPT, Move.Kind.REFUSE) else None


@dataclass
class HearingView:
    proposal: Proposal
    criteria: list[Criterion]
    panel: list[PanelSeat]
    indicators: list[IndicatorView]
    my_scores: dict[int, Decimal]
    visible_scores: list[Score]  # everyone's, once revealed or complete
    score: PanelScore
    scores_visible: bool
    is_panelist: bool
    is_chair: bool
    scored_by: set[int] = field(default_factory=set)
    criterion_means: dict[int, Decimal] = field(default_factory=dict)
    # (panelist, criterion, score, comment) for the panel to read, once the scores are open.
    comments: list[tuple[str, str, Decimal, str]] = field(default_factory=list)


def hearing(proposal: Proposal, viewer: User) -> HearingView:
    """Everything the hearing screen shows, as this viewer may see it. Fixed query count."""
    session = proposal.session
    criteria = list(session.criteria.all())
    panel = list(session.panel.select_related("user__person"))
    scores = list(proposal.scores.all())
    indicators = list(
        proposal.indicators.prefetch_related(
            Prefetch("moves", queryset=Move.objects.select_related("actor__person").order_by("seq"))
        )
    )
    seat = next((s for s in panel if s.user_id == viewer.pk), None)
    in_hearing = (
        session.status == AuctionSession.Status.HEARINGS
        and proposal.status == Proposal.Status.SUBMITTED
    )
    head = is_unit_head(viewer, proposal.unit)
    weights = {str(c.pk): c.weight for c in criteria}
    by_pair = {(str(s.panelist_id), str(s.criterion_id)): s.value for s in scores}
    result = panel_score(weights=weights, scores=by_pair, panelists=[str(s.user_id) for s in panel])
    visible = proposal.scores_revealed or result.complete
    views = []
    for ind in indicators:
        moves = list(ind.moves.all())
        last_kind = moves[-1].kind if moves else None
        views.append(
            IndicatorView(
                indicator=ind,
                moves=moves,
                analysis=indicator_ambition(ind),
                can_offer=in_hearing
                and seat is not None
                and last_kind in (None, Move.Kind.COUNTER),
                can_answer=in_hearing and head and last_kind == Move.Kind.OFFER,
                can_accept_counter=in_hearing
                and seat is not None
                and last_kind == Move.Kind.COUNTER,
            )
        )
    return HearingView(
        proposal=proposal,
        criteria=criteria,
        panel=panel,
        indicators=views,
        my_scores={s.criterion_id: s.value for s in scores if s.panelist_id == viewer.pk},
        visible_scores=scores if visible else [],
        score=result if visible else PanelScore(None, {}, result.complete),
        scores_visible=visible,
        is_panelist=seat is not None,
        is_chair=bool(seat and seat.is_chair),
        scored_by={s.panelist_id for s in scores},
        criterion_means={int(k): v for k, v in result.per_criterion.items()} if visible else {},
        comments=_comments(scores, panel, criteria) if visible and seat is not None else [],
    )


def _comments(
    scores: list[Score], panel: list[PanelSeat], criteria: list[Criterion]
) -> list[tuple[str, str, Decimal, str]]:
    names = {s.user_id: s.user.display_name for s in panel}
    order = {c.pk: (i, c.name) for i, c in enumerate(criteria)}
    return [
        (names.get(s.panelist_id, ""), order[s.criterion_id][1], s.value, s.comment)
        for s in sorted(scores, key=lambda s: (order[s.criterion_id][0], s.panelist_id))
        if s.comment and s.criterion_id in order
    ]


@dataclass
class UnitResult:
    unit: Any
    proposals: list[Proposal]
    score: Decimal | None
    accepted: int
    refused: int
    open: int
    stretch: list[Decimal]  # per accepted indicator: how far the agreement goes beyond the trend

    @property
    def mean_stretch(self) -> Decimal | None:
        return sum(self.stretch, Decimal(0)) / len(self.stretch) if self.stretch else None


def session_results(session: AuctionSession) -> list[UnitResult]:
    """Units ranked by panel score (best first), with accepted and refused targets."""
    criteria = list(session.criteria.all())
    panelists = [str(u) for u in session.panel.values_list("user_id", flat=True)]
    proposals = list(
        session.proposals.filter(status=Proposal.Status.SUBMITTED)
        .select_related("unit")
        .prefetch_related(
            "scores",
            Prefetch(
                "indicators",
                queryset=ProposedIndicator.objects.prefetch_related(
                    Prefetch("moves", queryset=Move.objects.order_by("seq"))
                ),
            ),
        )
    )
    weights = {str(c.pk): c.weight for c in criteria}
    by_unit: dict[int, list[Proposal]] = defaultdict(list)
    for p in proposals:
        by_unit[p.unit_id].append(p)
    results = []
    for group in by_unit.values():
        scores = [
            panel_score(
                weights=weights,
                scores={(str(s.panelist_id), str(s.criterion_id)): s.value for s in p.scores.all()},
                panelists=panelists,
            ).aggregate
            for p in group
        ]
        known = [s for s in scores if s is not None]
        accepted = refused = open_ = 0
        stretch: list[Decimal] = []
        for p in group:
            for ind in p.indicators.all():
                moves = list(ind.moves.all())
                last = moves[-1] if moves else None
                if last and last.kind == Move.Kind.ACCEPT:
                    accepted += 1
                    analysis = indicator_ambition(ind, last.value, last.year)
                    if analysis and analysis.stretch_percent is not None:
                        stretch.append(analysis.stretch_percent)
                elif last and last.kind == Move.Kind.REFUSE:
                    refused += 1
                else:
                    open_ += 1
        results.append(
            UnitResult(
                unit=group[0].unit,
                proposals=group,
                score=sum(known, Decimal(0)) / len(known) if known else None,
                accepted=accepted,
                refused=refused,
                open=open_,
                stretch=stretch,
            )
        )
    results.sort(key=lambda r: (r.score is None, -(r.score or 0), r.unit.code))
    return results


# --- what the decision will write -------------------------------------------------------------


@dataclass
class DecisionYear:
    year: int
    old: Decimal | None
    new: Decimal
    # "write" (new or changed), "same" (already so), "frozen" (left alone: `reason`)
    action: str
    reason: str = ""


@dataclass
class DecisionRow:
    move: Move
    plan_indicator: Any  # the plan's Indicator, or None: a new one is added to the plan
    baseline_old: Decimal | None
    baseline_new: Decimal
    baseline_year: int
    years: list[DecisionYear]

    @property
    def path(self) -> dict[int, Decimal]:
        """The yearly targets the plan holds after the decision (frozen years keep theirs)."""
        return {
            y.year: (y.old if y.action == "frozen" and y.old is not None else y.new)
            for y in self.years
            if not (y.action == "frozen" and y.old is None)
        }

    @property
    def changes(self) -> list[DecisionYear]:
        return [y for y in self.years if y.action == "write"]

    @property
    def left(self) -> list[DecisionYear]:
        return [y for y in self.years if y.action == "frozen"]


def decision_plan(session: AuctionSession) -> list[DecisionRow]:
    """For every accepted target of the session: the plan's yearly targets the decision will
    write (year, old, new), those it leaves alone because they are frozen (with the reason),
    and the baseline the plan, the pact and the contract will all show (the proposal's).

    The same computation drives the confirmation page and the decision itself.
    """
    accepted = list(
        Move.objects.filter(
            indicator__proposal__session=session,
            indicator__proposal__status=Proposal.Status.SUBMITTED,
            kind=Move.Kind.ACCEPT,
        )
        .select_related(
            "indicator__proposal__unit",
            "indicator__plan_indicator__objective",
        )
        .prefetch_related("indicator__plan_indicator__targets")
        .order_by("indicator__proposal__unit__code", "indicator_id")
    )
    years = session.term.target_years
    # An accepted indicator the plan does not have yet is frozen like any of its unit's.
    probes = [
        m.indicator.plan_indicator
        or Indicator(
            government_id=session.government_id,
            objective=Objective(unit=m.indicator.proposal.unit),
            responsible_unit=m.indicator.proposal.unit,
            code=m.indicator.name[:40],
        )
        for m in accepted
    ]
    held = frozen(probes, years) if probes else {}
    rows = []
    for pos, move in enumerate(accepted):
        indicator = move.indicator
        plan = indicator.plan_indicator
        path = contract_trajectory(
            baseline_year=indicator.baseline_year,  # type: ignore[arg-type]
            baseline=indicator.baseline_value,  # type: ignore[arg-type]
            year=move.year,  # type: ignore[arg-type]
            value=move.value,  # type: ignore[arg-type]
            years=years,
        )
        old = {t.year: t.value for t in plan.targets.all()} if plan is not None else {}
        entries = []
        for year, value in sorted(path.items()):
            freezes = held.get((pos, year))
            if freezes:
                action, reason = "frozen", describe(probes[pos], year, freezes)
            elif old.get(year) == value:
                action, reason = "same", ""
            else:
                action, reason = "write", ""
            entries.append(DecisionYear(year, old.get(year), value, action, reason))
        rows.append(
            DecisionRow(
                move=move,
                plan_indicator=plan,
                baseline_old=plan.baseline_value if plan is not None else None,
                baseline_new=indicator.baseline_value,  # type: ignore[arg-type]
                baseline_year=indicator.baseline_year,  # type: ignore[arg-type]
                years=entries,
            )
        )
    return rows


@dataclass
class Outcome:
    agreed: int
    total: int

    @property
    def label(self) -> str:
        if self.agreed == self.total:
            return str(_("Disepakati"))
        if self.agreed == 0:
            return str(_("Tidak disepakati"))
        return str(_("Disepakati %(a)s dari %(n)s indikator") % {"a": self.agreed, "n": self.total})


def session_outcomes(session: AuctionSession) -> dict[int, Outcome]:
    """{proposal id: how many of its indicators were agreed} once the session is decided."""
    rows = (
        Proposal.objects.filter(session=session, status=Proposal.Status.SUBMITTED)
        .annotate(
            total=Count("indicators", distinct=True),
            agreed=Count("contract_targets", distinct=True),
        )
        .values_list("pk", "agreed", "total")
    )
    return {pk: Outcome(agreed, total) for pk, agreed, total in rows}
