"""Perjanjian Kinerja writes: draft, send for signature, sign, recall, revise. Each audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kinerja.accounts.access import require_plan_editor
from kinerja.accounts.models import Government, Position, Unit, User
from kinerja.agreements.cascade import POST_KINDS, superior_post
from kinerja.agreements.models import Agreement
from kinerja.agreements.selectors import content_for, latest
from kinerja.core.audit import record, snapshot
from kinerja.documents.models import Document
from kinerja.documents.services import (
    Signatory,
    announce_next_signer,
    document_issue,
    document_sign,
)

Status = Agreement.Status


def _require_editor(by: User, unit: Unit | None) -> None:
    # A unit's head and operator prepare their own; planners prepare all (and the region's).
    require_plan_editor(by, unit)


def _locked(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("unit", "government")
        .get(pk=agreement.pk, government_id=agreement.government_id)
    )


def _content(agreement: Agreement) -> dict[str, object]:
    return content_for(agreement.government, agreement.unit, agreement.year, agreement.position)


def _latest(agreement: Agreement) -> Agreement | None:
    return latest(agreement.government, agreement.unit, agreement.year, agreement.position)


@transaction.atomic
def agreement_draft(
    *,
    government: Government,
    unit: Unit | None,
    year: int,
    by: User,
    position: Position | None = None,
) -> Agreement:
    """The year's first draft from the plan (or, for a post below the unit head, from its
    cascade indicators and programmes), or a fresh snapshot of the current draft."""
    if position is not None:
        if position.kind not in POST_KINDS or position.government_id != government.pk:
            raise PermissionDenied
        unit = position.unit
    _require_editor(by, unit)
    if unit is not None and unit.government_id != government.pk:
        raise PermissionDenied
    current = latest(government, unit, year, position)
    if current is not None:
        current = _locked(current)
        Agreement.WORKFLOW.check(current, "edit")
        before = snapshot(current)
        current.content = content_for(government, unit, year, position)
        current.save(update_fields=["content"])
        if before != snapshot(current):
            record(
                actor=by,
                action="agreement.refresh",
                obj=current,
                before=before,
                after=snapshot(current),
            )
        return current
    agreement = Agreement.objects.create(
        government=government,
        unit=unit,
        position=position,
        year=year,
        created_by=by,
        content=content_for(government, unit, year, position),
    )
    record(
        actor=by, action="agreement.draft", obj=agreement, before=None, after=snapshot(agreement)
    )
    return agreement


@transaction.atomic
def agreement_revise(*, agreement: Agreement, reason: str, note: str, by: User) -> Agreement:
    """A signed agreement changes only through a new version, with its reason; the signed
    version stays readable and is superseded once the new one is sent."""
    agreement = _locked(agreement)
    _require_editor(by, agreement.unit)
    Agreement.WORKFLOW.check(agreement, "revise")
    if _latest(agreement) != agreement:
        raise ValidationError(_("Sudah ada versi yang lebih baru."), code="versi_lebih_baru")
    if reason not in Agreement.Reason.values:
        raise ValidationError(
            _(
                "Pilih alasan revisi: pergantian pejabat, perubahan program/anggaran, "
                "atau prioritas."
            ),
            code="pilih_alasan_revisi_pergantian",
        )
    revision = Agreement.objects.create(
        government=agreement.government,
        unit=agreement.unit,
        position=agreement.position,
        year=agreement.year,
        version=agreement.version + 1,
        reason=reason,
        reason_note=note.strip(),
        created_by=by,
        content=_content(agreement),
    )
    record(
        actor=by,
        action="agreement.revise",
        obj=revision,
        before=snapshot(agreement),
        after=snapshot(revision),
    )
    return revision


def party_posts(agreement: Agreement) -> list[Position | None]:
    """The posts whose holders sign, in order: the first party's, then the second's."""
    government = agreement.government
    if agreement.position is not None:
        return [agreement.position, superior_post(agreement.position)]
    region = government.positions.filter(
        kind=Position.Kind.HEAD_OF_REGION, unit__isnull=True
    ).first()
    if agreement.unit is None:
        return [region]
    head = government.positions.filter(kind=Position.Kind.UNIT_HEAD, unit=agreement.unit).first()
    return [head, region]


def _post_parties(agreement: Agreement, on: datetime.date) -> list[Signatory]:
    parties = []
    for post, label in zip(party_posts(agreement), ("Pihak Pertama", "Pihak Kedua"), strict=True):
        holder = post.holder_on(on) if post else None
        if holder is None:
            raise ValidationError(
                _("Tidak ada pejabat %(title)s yang menjabat pada %(on)s."),
                code="tidak_menjabat",
                params={
                    "title": post.title if post else _("di atasnya"),
                    "on": format(on, "%d-%m-%Y"),
                },
            )
        parties.append(Signatory(holder.person, _title(holder), label))
    return parties


def _parties(agreement: Agreement, on: datetime.date) -> list[Signatory]:
    if agreement.position is not None:
        return _post_parties(agreement, on)
    government = agreement.government
    region = government.head_of_region(on)
    if region is None:
        raise ValidationError(
            _("Tidak ada %(head_title)s yang menjabat pada %(on)s."),
            code="tidak_menjabat",
            params={"head_title": government.head_title, "on": format(on, "%d-%m-%Y")},
        )
    if agreement.unit is None:
        return [Signatory(region.person, region.position.title, government.head_title)]
    head = agreement.unit.head(on)
    if head is None:
        raise ValidationError(
            _("Tidak ada kepala %(name)s yang menjabat pada %(on)s."),
            code="tidak_kepala_menjabat",
            params={"name": agreement.unit.name, "on": format(on, "%d-%m-%Y")},
        )
    return [
        Signatory(head.person, _title(head), "Pihak Pertama"),
        Signatory(region.person, _title(region), "Pihak Kedua"),
    ]


def _title(assignment: object) -> str:
    prefix = {"plt": "Plt. ", "plh": "Plh. "}.get(getattr(assignment, "acting", ""), "")
    return prefix + assignment.position.title  # type: ignore[attr-defined]


@transaction.atomic
def agreement_send(*, agreement: Agreement, by: User, on: datetime.date | None = None) -> Agreement:
    """Lock the draft and issue its PDF for signature by the holders of the positions today."""
    agreement = _locked(agreement)
    _require_editor(by, agreement.unit)
    Agreement.WORKFLOW.check(agreement, "send")
    if _latest(agreement) != agreement:
        raise ValidationError(_("Sudah ada versi yang lebih baru."), code="versi_lebih_baru")
    on = on or timezone.localdate()
    content = _content(agreement)
    if not content["targets"]:
        raise ValidationError(
            _("Perjanjian belum memuat target untuk tahun ini; lengkapi rencananya dulu."),
            code="perjanjian_belum_memuat_target",
        )
    parties = _parties(agreement, on)
    government = agreement.government
    if agreement.position is not None and agreement.unit is not None:
        who = f"{agreement.position.title} {agreement.unit.name}"
    elif agreement.unit is not None:
        who = agreement.unit.name
    else:
        who = f"{government.head_title} {government.seat or government.name}"
    document = document_issue(
        government=government,
        kind=Document.Kind.AGREEMENT,
        subject=agreement.subject,
        title=f"Perjanjian Kinerja Tahun {agreement.year} {who}",
        template="agreements/agreement.html",
        context={"agreement": agreement, "content": content, "parties": parties, "who": who},
        signatories=parties,
        place_and_date=f"{government.seat or government.name}, {formats.date_format(on, 'j F Y')}",
        by=by,
        announce=False,
    )
    Agreement.WORKFLOW.apply(
        agreement,
        "send",
        by=by,
        action="agreement.send",
        changes={"content": content, "document": document, "sent_at": timezone.now()},
    )
    # Linked now, the first signatory is told where to sign: the agreement's own page.
    announce_next_signer(document)
    return agreement


@transaction.atomic
def agreement_recall(*, agreement: Agreement, by: User) -> Agreement:
    """Back to draft (e.g. the plan changed after sending); its unsigned document is superseded
    when the draft is sent again."""
    agreement = _locked(agreement)
    _require_editor(by, agreement.unit)
    Agreement.WORKFLOW.apply(agreement, "recall", by=by, action="agreement.recall")
    return agreement


@transaction.atomic
def agreement_delete(*, agreement: Agreement, by: User) -> None:
    """A draft made by mistake goes, if it was never sent for signature: nothing was signed or
    promised on it. The trail keeps what it held."""
    agreement = _locked(agreement)
    _require_editor(by, agreement.unit)
    Agreement.WORKFLOW.check(agreement, "delete")
    if agreement.document_id is not None:
        raise ValidationError(
            _(
                "Draf ini pernah dikirim untuk ditandatangani; dokumennya tetap tersimpan, "
                "sehingga draf tidak dapat dihapus."
            ),
            code="draft_was_sent",
        )
    before = snapshot(agreement)
    record(
        actor=by,
        action="agreement.delete",
        obj=agreement,
        before=before,
        after={"deleted": True, "version": agreement.version, "year": agreement.year},
        government=agreement.government,
    )
    agreement.delete()


@transaction.atomic
def agreement_sign(
    *, agreement: Agreement, by: User, passphrase: str, on: datetime.date | None = None
) -> Agreement:
    """Sign as the next party, with the signer's passphrase. Refused when the draft changed
    since it was sent, when the signer no longer holds the position on the day, or out of
    order."""
    agreement = _locked(agreement)
    Agreement.WORKFLOW.check(agreement, "sign")
    if agreement.document is None:
        raise ValidationError(
            _("Perjanjian ini tidak sedang menunggu tanda tangan."), code="no_document"
        )
    on = on or timezone.localdate()
    if _content(agreement) != agreement.content:
        raise ValidationError(
            _(
                "Isi perjanjian berubah sejak dikirim (target atau anggaran di rencana "
                "diubah). Tarik kembali, lalu kirim ulang untuk ditandatangani."
            ),
            code="isi_perjanjian_berubah_sejak",
        )
    slots = list(agreement.document.slots.order_by("order"))
    slot = next((s for s in slots if s.signed_at is None), None)
    if slot is not None and slot.person_id == by.person_id:
        posts = party_posts(agreement)
        index = slots.index(slot)
        position = posts[index] if index < len(posts) else None
        holder = position.holder_on(on) if position else None
        if holder is None or holder.person_id != by.person_id:
            raise ValidationError(
                _(
                    "Pada %(on)s Anda tidak memegang jabatan %(position_title)s; "
                    "perjanjian harus dikirim ulang kepada pejabat yang menjabat."
                ),
                code="tidak_memegang_jabatan_perjanjian",
                params={"on": format(on, "%d-%m-%Y"), "position_title": slot.position_title},
            )
    document_sign(document=agreement.document, by=by, passphrase=passphrase)
    agreement.document.refresh_from_db()
    if agreement.document.status == Document.Status.SIGNED:
        Agreement.WORKFLOW.apply(
            agreement,
            "complete",
            by=by,
            action="agreement.sign",
            changes={"signed_at": timezone.now()},
        )
    else:  # one signature of several: the agreement waits for the next
        state = snapshot(agreement)
        record(actor=by, action="agreement.sign", obj=agreement, before=state, after=state)
    return agreement


# --- The cascade, in bulk for a unit -----------------------------------------------------


def cascade_draft_all(*, unit: Unit, year: int, by: User) -> list[Agreement]:
    """Draft (or refresh the draft of) the agreement of every administrator's and supervisor's
    post of the unit that has a holder and at least one indicator for the year. A post whose
    agreement is already sent or signed is left as it is (revise it on its own page)."""
    from kinerja.agreements.cascade import posts_of
    from kinerja.agreements.models import CascadeIndicator

    _require_editor(by, unit)
    drafted = []
    for post in posts_of(unit):
        if not CascadeIndicator.objects.filter(position=post, year=year).exists():
            continue
        if post.holder_on() is None:
            continue
        current = latest(unit.government, unit, year, post)
        if current is not None and not Agreement.WORKFLOW.can(current, "edit"):
            continue
        drafted.append(
            agreement_draft(government=unit.government, unit=unit, year=year, by=by, position=post)
        )
    return drafted


def cascade_send_all(
    *, unit: Unit, year: int, by: User, on: datetime.date | None = None
) -> tuple[list[Agreement], list[str]]:
    """Send every draft of the unit's posts for the year for signature; what could not be sent,
    with its reason (each send is its own transaction: one refusal does not undo the others)."""
    _require_editor(by, unit)
    sent: list[Agreement] = []
    refused: list[str] = []
    drafts = Agreement.objects.filter(
        unit=unit, year=year, position__isnull=False, status=Status.DRAFT
    ).select_related("position")
    for draft in drafts.order_by("position__kind", "position__title"):
        if _latest(draft) != draft:
            continue
        try:
            sent.append(agreement_send(agreement=draft, by=by, on=on))
        except ValidationError as exc:
            refused.append(f"{draft.position.title}: {' '.join(exc.messages)}")  # type: ignore[union-attr]
    return sent, refused
