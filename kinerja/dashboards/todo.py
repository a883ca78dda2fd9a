"""Tugas saya: what waits for the signed-in person, each item with the page where it is done.

Read-only and computed afresh: an item disappears when the work is done, because the state it
reads has changed (a figure submitted, a document signed, a proposal scored). The rules are those
of the pages the items link to: a person is only offered work they may do there."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.accounts.access import has_role, is_unit_head, unit_ids_of
from kinerja.accounts.models import Government, Role, Unit, User
from kinerja.agreements.models import Agreement
from kinerja.agreements.selectors import year_overview
from kinerja.auction.models import (
    AuctionSession,
    Criterion,
    Move,
    PanelSeat,
    Proposal,
    ProposedIndicator,
)
from kinerja.documents.models import Document, SignatureSlot
from kinerja.documents.routes import sign_url
from kinerja.employees.models import Skp
from kinerja.evaluation.access import can_self_assess, tier_of
from kinerja.evaluation.models import LheRecommendation, LheReport, SakipEvaluation
from kinerja.monitoring import selectors as monitoring
from kinerja.monitoring.access import can_review
from kinerja.monitoring.models import Realisation
from kinerja.planning import calendar


@dataclass(frozen=True)
class Todo:
    """One piece of waiting work: what to do, on what, where, and whether it is overdue."""

    kind: str  # a stable name: sign, score, answer_offer, write_proposal, ...
    title: str
    detail: str
    url: str
    late: bool = False


def todo_for(user: User) -> list[Todo]:
    """Everything that waits for `user`, overdue items first, then in the cycle's order."""
    government = user.government
    if government is None:
        return []
    units = list(Unit.objects.filter(government=government, pk__in=unit_ids_of(user)))
    items = [
        *_documents_to_sign(user),
        *_proposals_to_score(user),
        *_offers_to_answer(user, units),
        *_proposals_to_write(government, units),
        *_figures_returned(units),
        *_figures_missing(user, government, units),
        *_figures_to_verify(user, government),
        *_agreements_to_prepare(user, government, units),
        *_evaluations_to_answer(user, government),
        *_recommendations_to_follow_up(user, government),
        *_skps_waiting(user),
    ]
    return sorted(items, key=lambda item: not item.late)


def _documents_to_sign(user: User) -> list[Todo]:
    """Documents whose next signature is this person's (earlier slots signed)."""
    if user.person_id is None:
        return []
    earlier_open = SignatureSlot.objects.filter(
        government_id=user.government_id or 0,
        document=OuterRef("document"),
        order__lt=OuterRef("order"),
        signed_at__isnull=True,
    )
    slots = (
        SignatureSlot.objects.filter(
            government_id=user.government_id or 0,
            person_id=user.person_id,
            signed_at__isnull=True,
            document__superseded_by__isnull=True,
            document__status=Document.Status.AWAITING,
        )
        .exclude(Exists(earlier_open))
        .select_related("document")
        .order_by("document__created_at")
    )
    return [
        Todo(
            "sign",
            _("Tanda tangani: %(title)s") % {"title": s.document.title},
            _("sebagai %(party)s (%(position)s)")
            % {"party": s.party_label, "position": s.position_title},
            sign_url(s.document),
        )
        for s in slots
    ]


def _proposals_to_score(user: User) -> list[Todo]:
    """Submitted proposals of a session in its hearings where this panelist has not yet given
    every criterion a score."""
    seats = PanelSeat.objects.filter(user=user, session__status=AuctionSession.Status.HEARINGS)
    sessions = list(seats.values_list("session_id", flat=True))
    if not sessions:
        return []
    criteria = dict(
        Criterion.objects.filter(government_id=user.government_id or 0, session_id__in=sessions)
        .values_list("session_id")
        .annotate(n=Count("pk"))
    )
    proposals = Proposal.objects.filter(
        government_id=user.government_id or 0,
        session_id__in=sessions,
        status=Proposal.Status.SUBMITTED,
    ).annotate(mine=Count("scores", filter=Q(scores__panelist=user)))
    return [
        Todo(
            "score",
            _("Beri nilai: %(title)s") % {"title": p.title},
            _("%(given)s dari %(criteria)s kriteria sudah dinilai")
            % {"given": p.mine, "criteria": criteria.get(p.session_id, 0)},
            reverse("auction:proposal", args=[p.pk]),
        )
        for p in proposals.select_related("unit").order_by("session_id", "pk")
        if p.mine < criteria.get(p.session_id, 0)
    ]


def _offers_to_answer(user: User, units: list[Unit]) -> list[Todo]:
    """The panel's open offers on the proposals of a unit this person heads."""
    headed = [u for u in units if is_unit_head(user, u)]
    if not headed:
        return []
    last_kind = (
        Move.objects.filter(government_id=user.government_id or 0, indicator=OuterRef("pk"))
        .order_by("-seq")
        .values("kind")[:1]
    )
    open_offers = (
        ProposedIndicator.objects.filter(
            government_id=user.government_id or 0,
            proposal__unit__in=headed,
            proposal__status=Proposal.Status.SUBMITTED,
            proposal__session__status=AuctionSession.Status.HEARINGS,
        )
        .annotate(last=last_kind)
        .filter(last=Move.Kind.OFFER)
        .select_related("proposal")
    )
    return [
        Todo(
            "answer_offer",
            _("Jawab penawaran: %(name)s") % {"name": i.name},
            i.proposal.title,
            reverse("auction:proposal", args=[i.proposal_id]),
        )
        for i in open_offers
    ]


def _proposals_to_write(government: Government, units: list[Unit]) -> list[Todo]:
    """Sessions open for proposals where a unit of this person has none yet, or a draft."""
    if not units:
        return []
    sessions = list(
        AuctionSession.objects.filter(government=government, status=AuctionSession.Status.OPEN)
    )
    if not sessions:
        return []
    proposals = {
        (p.session_id, p.unit_id): p
        for p in Proposal.objects.filter(session__in=sessions, unit__in=units)
    }
    items = []
    for session in sessions:
        for unit in units:
            proposal = proposals.get((session.pk, unit.pk))
            if proposal is None:
                items.append(
                    Todo(
                        "write_proposal",
                        _("Tulis usulan untuk %(session)s") % {"session": session.name},
                        unit.name,
                        reverse("auction:proposal_create", args=[session.pk]) + f"?unit={unit.pk}",
                    )
                )
            elif Proposal.WORKFLOW.can(proposal, "submit"):
                items.append(
                    Todo(
                        "submit_proposal",
                        _("Lengkapi dan ajukan usulan: %(title)s") % {"title": proposal.title},
                        f"{unit.name} · {session.name}",
                        reverse("auction:proposal", args=[proposal.pk]),
                    )
                )
    return items


def _figures_returned(units: list[Unit]) -> list[Todo]:
    """Figures the reviewers returned to a unit of this person, to correct and resubmit."""
    if not units:
        return []
    owned = Q()
    for unit in units:
        owned |= monitoring.models_q_owner_prefixed(unit.pk, prefix="indicator__")
    returned = (
        Realisation.objects.filter(
            government_id=units[0].government_id,
            is_current=True,
            status=Realisation.Status.RETURNED,
        )
        .filter(owned)
        .select_related("indicator")
        .order_by("year", "period")
    )
    return [
        Todo(
            "fix_figure",
            _("Perbaiki realisasi yang dikembalikan: %(code)s %(name)s")
            % {"code": r.indicator.code, "name": r.indicator.name},
            f"{monitoring.period_label(r.period, r.periods_in_year)} {r.year} · {r.review_comment}",
            reverse("monitoring:indicator", args=[r.indicator_id]) + f"?tahun={r.year}",
        )
        for r in returned
    ]


def _figures_missing(user: User, government: Government, units: list[Unit]) -> list[Todo]:
    """A unit's figures of the current year's ended periods that are not yet submitted; late
    once the reporting deadline of their quarter has passed."""
    if not units or not (has_role(user, Role.UNIT_OPERATOR, Role.UNIT_HEAD)):
        return []
    today = timezone.localdate()
    year = calendar.current_year(government, today)
    quarter = calendar.default_quarter(government, year, today)
    if quarter < 1:
        return []
    _deadline, late = monitoring.late_units(government, year=year, quarter=quarter, today=today)
    late_by_unit = {entry.unit.pk: entry for entry in late}
    items = []
    for unit in units:
        entry = late_by_unit.get(unit.pk)
        if entry is None or not entry.missing:
            continue
        items.append(
            Todo(
                "enter_figures",
                ngettext(
                    "Isi %(n)s realisasi yang terlambat",
                    "Isi %(n)s realisasi yang terlambat",
                    len(entry.missing),
                )
                % {"n": len(entry.missing)},
                _("%(unit)s · triwulan %(quarter)s %(year)s, batas %(deadline)s")
                % {
                    "unit": unit.name,
                    "quarter": quarter,
                    "year": year,
                    "deadline": f"{entry.deadline:%d-%m-%Y}",
                },
                reverse("monitoring:unit", args=[unit.pk]) + f"?tahun={year}&tw={quarter}",
                late=True,
            )
        )
    return items


def _figures_to_verify(user: User, government: Government) -> list[Todo]:
    """Submitted figures waiting for a reviewer, one item per unit (reviewers work through a
    unit's figures together), the unit with most waiting first."""
    if not can_review(user):
        return []
    waiting = Realisation.objects.filter(
        government=government, is_current=True, status=Realisation.Status.SUBMITTED
    ).select_related("indicator__objective__unit", "indicator__responsible_unit")
    by_unit: dict[int | None, list[Realisation]] = {}
    units: dict[int | None, Unit | None] = {}
    for r in waiting:
        owner = r.indicator.owner_unit
        key = owner.pk if owner else None
        by_unit.setdefault(key, []).append(r)
        units[key] = owner
    items = []
    for key, figures in sorted(by_unit.items(), key=lambda kv: (-len(kv[1]), kv[0] or 0)):
        unit = units[key]
        n = len(figures)
        items.append(
            Todo(
                "verify_figures",
                ngettext(
                    "Verifikasi %(n)s realisasi %(unit)s",
                    "Verifikasi %(n)s realisasi %(unit)s",
                    n,
                )
                % {"n": n, "unit": unit.name if unit else _("pemerintah daerah")},
                _("antrean verifikasi"),
                reverse("monitoring:review_queue") + (f"?pd={key}" if key else ""),
            )
        )
    return items


def _agreements_to_prepare(user: User, government: Government, units: list[Unit]) -> list[Todo]:
    """This year's Perjanjian Kinerja not yet sent for signature: the unit's own for its head
    and operators, every one (and the head of region's) for planning staff."""
    planner = has_role(user, Role.PLANNER)
    if not planner and not units:
        return []
    today = timezone.localdate()
    year = calendar.current_year(government, today)
    own = {u.pk for u in units}
    waiting = [
        row
        for row in year_overview(government, year, today)
        if (planner or (row.unit is not None and row.unit.pk in own))
        and (row.agreement is None or Agreement.WORKFLOW.can(row.agreement, "send"))
    ]
    if not waiting:
        return []
    url = reverse("agreements:overview") + f"?tahun={year}"
    if planner:
        return [
            Todo(
                "prepare_agreements",
                ngettext(
                    "Siapkan dan kirim %(n)s Perjanjian Kinerja %(year)s",
                    "Siapkan dan kirim %(n)s Perjanjian Kinerja %(year)s",
                    len(waiting),
                )
                % {"n": len(waiting), "year": year},
                _("belum dikirim untuk ditandatangani"),
                url,
                late=any(row.late for row in waiting),
            )
        ]
    return [
        Todo(
            "prepare_agreement",
            _("Siapkan dan kirim Perjanjian Kinerja %(year)s") % {"year": year},
            row.unit.name if row.unit else "",
            url,
            late=row.late,
        )
        for row in waiting
    ]


def _evaluations_to_answer(user: User, government: Government) -> list[Todo]:
    """The SAKIP evaluations whose current stage is the user's: the self-assessment of their
    unit (or, for planners, of the government), or their tier's review."""
    drafts = SakipEvaluation.objects.filter(
        government=government, status=SakipEvaluation.Status.DRAFT
    ).select_related("unit")
    tier = tier_of(user, government.pk)
    mine = [
        e
        for e in drafts.order_by("year", "unit__code")
        if (e.stage == 0 and can_self_assess(user, e)) or (e.stage and e.stage == tier)
    ]
    return [
        Todo(
            "answer_evaluation",
            (
                _("Isi penilaian mandiri SAKIP %(year)s")
                if e.stage == 0
                else _("Nilai evaluasi SAKIP %(year)s (tahap %(stage)s)")
            )
            % {"year": e.year, "stage": e.stage_name()},
            e.unit.name if e.unit else government.name,
            reverse("evaluation:sakip_evaluation", args=[e.pk]),
        )
        for e in mine
    ]


def _recommendations_to_follow_up(user: User, government: Government) -> list[Todo]:
    """Recommendations of an issued LHE not yet done, for the party evaluated."""
    open_items = (
        LheRecommendation.objects.filter(
            government=government,
            report__status=LheReport.Status.ISSUED,
            status__in=[LheRecommendation.Status.OPEN, LheRecommendation.Status.IN_PROGRESS],
        )
        .select_related("report__evaluation__unit")
        .order_by("report__evaluation__year", "number")
    )
    mine: dict[int, list[LheRecommendation]] = {}
    for item in open_items:
        if can_self_assess(user, item.report.evaluation):
            mine.setdefault(item.report.evaluation_id, []).append(item)
    todos = []
    for items in mine.values():
        evaluation = items[0].report.evaluation
        todos.append(
            Todo(
                "follow_up",
                ngettext(
                    "Tindak lanjuti %(n)s rekomendasi LHE SAKIP %(year)s",
                    "Tindak lanjuti %(n)s rekomendasi LHE SAKIP %(year)s",
                    len(items),
                )
                % {"n": len(items), "year": evaluation.year},
                evaluation.unit.name if evaluation.unit else government.name,
                reverse("evaluation:lhe", args=[evaluation.pk]),
            )
        )
    return todos


def _skps_waiting(user: User) -> list[Todo]:
    """SKPs submitted to this person for approval, and one's own SKP returned to draft."""
    if user.person_id is None:
        return []
    todos = [
        Todo(
            "skp_approve",
            _("Setujui SKP %(name)s %(year)s") % {"name": s.person.name, "year": s.year},
            s.position.title,
            reverse("employees:skp_detail", args=[s.pk]),
        )
        for s in Skp.objects.filter(
            government_id=user.government_id or 0,
            evaluator_id=user.person_id,
            status=Skp.Status.SUBMITTED,
        )
        .select_related("person", "position")
        .order_by("year", "person__name")
    ]
    return todos
