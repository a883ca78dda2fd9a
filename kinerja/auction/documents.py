"""The auction's documents: the integrity pact and the five-year contract of each unit."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kinerja.accounts.access import require_planner
from kinerja.accounts.models import Unit, User
from kinerja.auction.models import AuctionSession, ContractTarget, Move, Proposal
from kinerja.documents.models import Document
from kinerja.documents.services import Signatory, document_issue


def subject(session: AuctionSession, unit: Unit) -> str:
    return f"auction.session:{session.pk}:unit:{unit.pk}"


def _decided(session: AuctionSession) -> None:
    AuctionSession.WORKFLOW.check(session, "issue_documents")


def _holder(unit: Unit, session: AuctionSession) -> Any:
    holder = unit.head(session.scheduled_on)
    if holder is None:
        raise ValidationError(
            _("Tidak ada pejabat kepala %(name)s pada %(scheduled_on)s."),
            code="tidak_pejabat_kepala",
            params={"name": unit.name, "scheduled_on": format(session.scheduled_on, "%d-%m-%Y")},
        )
    return holder


def _place_date(session: AuctionSession, on: datetime.date | None) -> str:
    """The place and the date the document is issued (not the session's scheduled date)."""
    place = session.government.seat or session.government.name
    return f"{place}, {formats.date_format(on or timezone.localdate(), 'j F Y')}"


def pact_rows(session: AuctionSession, unit: Unit) -> list[dict[str, Any]]:
    rows = []
    proposals = Proposal.objects.filter(
        session=session, unit=unit, status=Proposal.Status.SUBMITTED
    )
    for proposal in proposals.prefetch_related("indicators__moves").order_by("pk"):
        for ind in proposal.indicators.all():
            moves = sorted(ind.moves.all(), key=lambda m: m.seq)
            last = moves[-1] if moves else None
            terms = (
                last
                if last and last.kind == Move.Kind.ACCEPT
                else next((m for m in reversed(moves) if m.kind == Move.Kind.OFFER), None)
            )
            rows.append(
                {
                    "proposal_title": proposal.title,
                    "name": ind.name,
                    "unit_of_measure": ind.unit_of_measure,
                    "baseline": ind.baseline_value,
                    "baseline_year": ind.baseline_year,
                    "proposed": ind.end_target,
                    "proposed_year": ind.end_year,
                    "final_value": terms.value if terms else None,
                    "final_year": terms.year if terms else None,
                    "answer": "Sanggup"
                    if last and last.kind == Move.Kind.ACCEPT
                    else "Tidak sanggup",
                }
            )
    return rows


@transaction.atomic
def pact_issue(
    *, session: AuctionSession, unit: Unit, by: User, on: datetime.date | None = None
) -> Document:
    """The unit's integrity pact, signed by its head and the panel's chair."""
    require_planner(by)
    if unit.government_id != session.government_id:
        raise PermissionDenied
    _decided(session)
    rows = pact_rows(session, unit)
    if not rows:
        raise ValidationError(
            _("%(name)s tidak mengajukan usulan dalam sesi ini."),
            code="tidak_mengajukan_usulan_dalam",
            params={"name": unit.name},
        )
    head = _holder(unit, session)
    chair = session.panel.select_related("user__person").get(is_chair=True).user
    if chair.person is None:
        raise ValidationError(
            _("Ketua tim penilai belum terhubung dengan data pejabat."),
            code="ketua_tim_penilai_belum",
        )
    chair_title = (
        chair.person.assignments.filter(start__lte=session.scheduled_on)
        .select_related("position")
        .first()
    )
    signatories: Sequence[Signatory] = [
        Signatory(head.person, head.position.title, "Yang menyatakan"),
        Signatory(
            chair.person,
            chair_title.position.title if chair_title else "Ketua Tim Penilai",
            "Ketua Tim Penilai",
        ),
    ]
    return document_issue(
        government=session.government,
        kind=Document.Kind.PACT,
        subject=subject(session, unit),
        title=f"Pakta Integritas Kesanggupan {unit.name}, {session.name}",
        template="auction/pact.html",
        context={
            "session": session,
            "rows": rows,
            "head_name": head.person.name,
            "head_position": head.position.title,
            "chair_name": chair.person.name,
        },
        signatories=signatories,
        place_and_date=_place_date(session, on),
        by=by,
    )


@transaction.atomic
def contract_issue(
    *, session: AuctionSession, unit: Unit, by: User, on: datetime.date | None = None
) -> Document:
    """The unit's five-year performance contract: the accepted targets year by year, signed by
    the unit head (first party) and the head of region (second party)."""
    require_planner(by)
    if unit.government_id != session.government_id:
        raise PermissionDenied
    _decided(session)
    contracts = list(
        ContractTarget.objects.filter(session=session, proposal__unit=unit)
        .select_related("plan_indicator__objective")
        .prefetch_related("plan_indicator__targets")
        .order_by("plan_indicator__code")
    )
    if not contracts:
        raise ValidationError(
            _("%(name)s tidak memiliki target yang disepakati dalam sesi ini."),
            code="tidak_memiliki_target_disepakati",
            params={"name": unit.name},
        )
    years = session.term.target_years
    rows = []
    for c in contracts:
        # As decided (the plan holds the same); rows from before that was kept read the plan.
        if c.path:
            targets = {int(y): Decimal(v) for y, v in c.path.items()}
        else:
            targets = {t.year: t.value for t in c.plan_indicator.targets.all()}
        baseline = (
            c.baseline_value if c.baseline_value is not None else c.plan_indicator.baseline_value
        )
        rows.append(
            {
                "objective": str(c.plan_indicator.objective),
                "name": c.plan_indicator.name,
                "unit_of_measure": c.plan_indicator.unit_of_measure,
                "baseline": baseline,
                "baseline_year": c.baseline_year or c.plan_indicator.baseline_year,
                "targets": [targets.get(y) for y in years],
            }
        )
    head = _holder(unit, session)
    region = session.government.head_of_region(session.scheduled_on)
    if region is None:
        raise ValidationError(
            _("Tidak ada kepala daerah yang menjabat pada tanggal sesi."),
            code="tidak_kepala_daerah_menjabat",
        )
    return document_issue(
        government=session.government,
        kind=Document.Kind.CONTRACT,
        subject=subject(session, unit),
        title=f"Kontrak Kinerja {unit.name} {session.term.start_year + 1}–{session.term.end_year}",
        template="auction/contract.html",
        context={
            "session": session,
            "unit": unit,
            "rows": rows,
            "years": years,
            "head_name": head.person.name,
            "head_position": head.position.title,
            "region_head_name": region.person.name,
            "region_head_position": region.position.title,
        },
        signatories=[
            Signatory(head.person, head.position.title, "Pihak Pertama"),
            Signatory(region.person, region.position.title, "Pihak Kedua"),
        ],
        place_and_date=_place_date(session, on),
        by=by,
    )


@transaction.atomic
def session_documents_issue(
    *, session: AuctionSession, by: User, on: datetime.date | None = None
) -> list[Document]:
    """Issue the pact and the contract of every unit that took part and has none yet."""
    issued = []
    units = Unit.objects.filter(
        proposals__session=session, proposals__status=Proposal.Status.SUBMITTED
    ).distinct()
    for unit in units.order_by("kind", "code"):
        existing = set(
            Document.objects.filter(
                subject=subject(session, unit), superseded_by__isnull=True
            ).values_list("kind", flat=True)
        )
        if Document.Kind.PACT not in existing:
            issued.append(pact_issue(session=session, unit=unit, by=by, on=on))
        if (
            Document.Kind.CONTRACT not in existing
            and ContractTarget.objects.filter(session=session, proposal__unit=unit).exists()
        ):
            issued.append(contract_issue(session=session, unit=unit, by=by, on=on))
    return issued


def session_documents(session: AuctionSession) -> list[Document]:
    """The current version of every pact and contract of the session."""
    prefix = f"auction.session:{session.pk}:"
    documents = list(
        Document.objects.filter(
            government_id=session.government_id,
            subject__startswith=prefix,
            superseded_by__isnull=True,
        )
        .prefetch_related("slots__person")
        .order_by("kind")
    )
    # In the order of the units (agencies, then districts, by code), pact before contract.
    order = {
        subject(session, u): i
        for i, u in enumerate(
            Unit.objects.filter(government_id=session.government_id).order_by("kind", "code")
        )
    }
    kinds = [Document.Kind.PACT, Document.Kind.CONTRACT]
    documents.sort(
        key=lambda d: (order.get(d.subject, len(order)), kinds.index(Document.Kind(d.kind)))
    )
    return documents
