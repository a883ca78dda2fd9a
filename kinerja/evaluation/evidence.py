"""Evidence for the SAKIP evaluation: documents kept per year and type (uploaded files whose
type is decided by their content, or Kinerja's own documents by their address), offered for
a criterion of an evaluation. The library outlives the evaluation: next year's finds them.

Reads (`library`, `kinerja_documents`) and writes (`evidence_upload`, `evidence_pick`,
`evidence_remove`); every write is one transaction with an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.core.audit import record
from kinerja.core.uploads import DOCX, TYPES, store_evidence
from kinerja.documents.models import Document
from kinerja.evaluation import access
from kinerja.evaluation.models import (
    EvidenceDocument,
    SakipCriterion,
    SakipEvaluation,
    SakipEvidence,
)
from kinerja.planning.models import Term

# What a criterion's evidence may be: PDF, images, Excel and Word.
EVIDENCE_TYPES = {*TYPES, DOCX}


@dataclass(frozen=True)
class KinerjaDocument:
    """A document Kinerja itself holds, offered as evidence: picked by its key."""

    key: str
    kind: str
    year: int
    title: str
    url: str


def library(evaluation: SakipEvaluation) -> QuerySet[EvidenceDocument]:
    """The evidence documents the evaluated party already keeps, every year: the unit's own
    for a unit, the government's own (no unit) for the government."""
    return EvidenceDocument.objects.filter(
        government_id=evaluation.government_id, unit=evaluation.unit
    ).order_by("-year", "kind", "title")


def kinerja_documents(evaluation: SakipEvaluation) -> list[KinerjaDocument]:
    """Kinerja's own documents for the evaluated party and year: its signed Perjanjian
    Kinerja, its contracts and integrity pacts, the LHE of its earlier evaluations, the LKjIP
    and the plan matrix."""
    gov = evaluation.government_id
    year = evaluation.year
    who = evaluation.unit_id or "region"
    found: list[KinerjaDocument] = []
    signed = Document.objects.filter(
        government_id=gov, status=Document.Status.SIGNED, superseded_by__isnull=True
    )
    agreements = signed.filter(
        kind=Document.Kind.AGREEMENT,
        subject__in=[f"agreement:{gov}:{who}:{y}" for y in (year, year - 1)],
    )
    contracts = signed.filter(kind__in=[Document.Kind.CONTRACT, Document.Kind.PACT])
    # The LHE of the same party's earlier evaluations.
    earlier = dict(
        SakipEvaluation.objects.filter(
            government_id=gov, unit=evaluation.unit, year__lt=year
        ).values_list("pk", "year")
    )
    reports = signed.filter(kind=Document.Kind.LHE, subject__in=[f"lhe:{pk}" for pk in earlier])

    def year_of(document: Document) -> int:
        """The year a document is about: an agreement's year, the evaluated year of an LHE."""
        tail = document.subject.rsplit(":", 1)[1]
        if document.kind == Document.Kind.AGREEMENT:
            return int(tail)
        if document.kind == Document.Kind.LHE:
            return earlier.get(int(tail), document.created_at.year)
        return document.created_at.year

    if evaluation.unit_id:
        contracts = contracts.filter(subject__endswith=f":unit:{evaluation.unit_id}")
    kinds: dict[str, str] = {
        Document.Kind.AGREEMENT: EvidenceDocument.Kind.PK,
        Document.Kind.CONTRACT: EvidenceDocument.Kind.CONTRACT,
        Document.Kind.PACT: EvidenceDocument.Kind.CONTRACT,
        Document.Kind.LHE: EvidenceDocument.Kind.LHE,
    }
    for document in [
        *agreements.order_by("-created_at"),
        *contracts.order_by("-created_at"),
        *reports.order_by("-created_at"),
    ]:
        found.append(
            KinerjaDocument(
                key=f"doc:{document.code}",
                kind=kinds[document.kind],
                year=year_of(document),
                title=document.title[:200],
                url=reverse("documents:download", args=[document.code]),
            )
        )
    lkjip = reverse("evaluation:lkjip_download") + f"?tahun={year}"
    if evaluation.unit_id:
        lkjip += f"&pd={evaluation.unit_id}"
    found.append(
        KinerjaDocument(
            key=f"lkjip:{year}",
            kind=EvidenceDocument.Kind.LKJIP,
            year=year,
            title=_("LKjIP %(year)s") % {"year": year},
            url=lkjip,
        )
    )
    term = (
        Term.objects.filter(government_id=gov, start_year__lte=year, end_year__gte=year)
        .order_by("-start_year")
        .first()
    )
    if term is not None:
        matrix = reverse("planning:export") + f"?term={term.pk}"
        if evaluation.unit_id:
            matrix += f"&unit={evaluation.unit_id}"
        found.append(
            KinerjaDocument(
                key=f"matrix:{term.pk}",
                kind=EvidenceDocument.Kind.RENSTRA
                if evaluation.unit_id
                else EvidenceDocument.Kind.RPJMD,
                year=term.start_year,
                title=_("Matriks rencana %(start)s–%(end)s")
                % {"start": term.start_year, "end": term.end_year},
                url=matrix,
            )
        )
    return found


def _criterion_of(evaluation: SakipEvaluation, criterion_id: int) -> SakipCriterion:
    criterion = (
        SakipCriterion.objects.filter(
            pk=criterion_id, subcomponent__component__worksheet=evaluation.worksheet_id
        )
        .select_related("subcomponent__component")
        .first()
    )
    if criterion is None:
        raise ValidationError(
            _("Kriteria bukan bagian lembar kerja evaluasi ini."),
            code="kriteria_bukan_bagian_lembar",
        )
    return criterion


def _require_turn(evaluation: SakipEvaluation, by: User) -> SakipEvaluation:
    access.require_same_government(by, evaluation.government_id)
    evaluation = SakipEvaluation.objects.select_for_update().get(
        pk=evaluation.pk, government_id=evaluation.government_id
    )
    SakipEvaluation.WORKFLOW.check(evaluation, "answer")
    access.require_answerer(by, evaluation)
    return evaluation


def _link(
    evaluation: SakipEvaluation, criterion: SakipCriterion, document: EvidenceDocument, by: User
) -> SakipEvidence:
    link, created = SakipEvidence.objects.get_or_create(
        evaluation=evaluation,
        criterion=criterion,
        document=document,
        defaults={"added_by": by, "government_id": evaluation.government_id},
    )
    if created:
        record(
            actor=by,
            action="evaluation.sakip_evidence",
            obj=evaluation,
            before=None,
            after={
                "criterion": criterion.code,
                "document": str(document),
                "file": document.original_name,
                "sha256": document.sha256,
                "url": document.url,
            },
        )
    return link


def _check_kind_year(kind: str, year: int) -> None:
    if kind not in EvidenceDocument.Kind.values:
        raise ValidationError(_("Jenis dokumen tidak dikenal."), code="evidence_kind")
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Tahun dokumen harus antara 2000 dan 2100."), code="evidence_year")


@transaction.atomic
def evidence_upload(
    *,
    evaluation: SakipEvaluation,
    criterion_id: int,
    data: bytes,
    filename: str,
    kind: str,
    title: str,
    year: int,
    by: User,
) -> SakipEvidence:
    """A file kept in the library (typed, by year) and offered for one criterion."""
    evaluation = _require_turn(evaluation, by)
    criterion = _criterion_of(evaluation, criterion_id)
    _check_kind_year(kind, year)
    document = store_evidence(
        EvidenceDocument(
            government_id=evaluation.government_id,
            unit_id=evaluation.unit_id,
            year=year,
            kind=kind,
            title=(title.strip() or filename)[:200],
            added_by=by,
        ),
        data,
        filename,
        allowed=EVIDENCE_TYPES,
    )
    return _link(evaluation, criterion, document, by)


@transaction.atomic
def evidence_pick(
    *, evaluation: SakipEvaluation, criterion_id: int, key: str, by: User
) -> SakipEvidence:
    """Offer a document already kept ("lib:<id>") or one of Kinerja's own (its key from
    `kinerja_documents`, kept in the library on first use) for one criterion."""
    evaluation = _require_turn(evaluation, by)
    criterion = _criterion_of(evaluation, criterion_id)
    if key.startswith("lib:") and key[4:].isdigit():
        document = library(evaluation).filter(pk=int(key[4:])).first()
        if document is None:
            raise PermissionDenied(_("Dokumen itu bukan milik yang dievaluasi."))
        return _link(evaluation, criterion, document, by)
    offered = {d.key: d for d in kinerja_documents(evaluation)}
    chosen = offered.get(key)
    if chosen is None:
        raise ValidationError(_("Pilih dokumen dari daftar."), code="evidence_unknown")
    document = (
        library(evaluation).filter(url=chosen.url, kind=chosen.kind, year=chosen.year).first()
    )
    if document is None:
        document = EvidenceDocument.objects.create(
            government_id=evaluation.government_id,
            unit_id=evaluation.unit_id,
            year=chosen.year,
            kind=chosen.kind,
            title=chosen.title,
            url=chosen.url,
            added_by=by,
        )
    return _link(evaluation, criterion, document, by)


@transaction.atomic
def evidence_remove(*, evidence: SakipEvidence, by: User) -> None:
    """Withdraw a document from a criterion (the document stays in the library)."""
    _require_turn(evidence.evaluation, by)
    record(
        actor=by,
        action="evaluation.sakip_evidence_remove",
        obj=evidence.evaluation,
        before={"criterion": evidence.criterion.code, "document": str(evidence.document)},
        after=None,
    )
    evidence.delete()


def documents_readable_by(user: User) -> Q:
    """The evidence documents a user may open: the government's own for everyone of it, a
    unit's for its people and the overseers (as its evaluation)."""
    if access.is_overseer(user):
        return Q(government_id=user.government_id)
    return Q(government_id=user.government_id) & (
        Q(unit__isnull=True) | Q(unit_id__in=access.unit_ids_of(user))
    )
