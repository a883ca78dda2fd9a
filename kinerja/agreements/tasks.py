"""Background work: drafting and sending every agreement of a year, with progress."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import task

from kinerja.accounts.models import Unit
from kinerja.agreements.models import Agreement, AgreementBatch
from kinerja.agreements.selectors import latest
from kinerja.agreements.services import agreement_draft, agreement_send


@task()
def generate_agreements(batch_id: int) -> int:
    """Draft (from the plan) and send for signature the agreement of every unit and of the
    head of region that has none in progress. Progress is written as it goes; a unit that
    cannot be sent (no head in office, no targets) is noted and skipped."""
    batch = AgreementBatch.objects.select_related("government", "created_by").get(pk=batch_id)
    try:
        return _generate(batch)
    except Exception as exc:
        # Never leave a batch "running" forever: say it failed, and why; the queue records
        # the error too.
        AgreementBatch.objects.filter(pk=batch.pk, government_id=batch.government_id).update(
            status=AgreementBatch.Status.FAILED, finished_at=timezone.now(), message=f"Gagal: {exc}"
        )
        raise


def _generate(batch: AgreementBatch) -> int:
    units: list[Unit | None] = [
        None,
        *Unit.objects.filter(government=batch.government).order_by("kind", "code"),
    ]
    AgreementBatch.objects.filter(pk=batch.pk, government_id=batch.government_id).update(
        status=AgreementBatch.Status.RUNNING, total=len(units), done=0
    )
    notes = []
    sent = 0
    for done, unit in enumerate(units, start=1):
        current = latest(batch.government, unit, batch.year)
        if current is None or current.status == Agreement.Status.DRAFT:
            try:
                draft = agreement_draft(
                    government=batch.government, unit=unit, year=batch.year, by=batch.created_by
                )
                agreement_send(agreement=draft, by=batch.created_by)
                sent += 1
            except ValidationError as exc:
                notes.append(f"{unit.name if unit else 'Kepala Daerah'}: {' '.join(exc.messages)}")
        AgreementBatch.objects.filter(pk=batch.pk, government_id=batch.government_id).update(
            done=done
        )
    AgreementBatch.objects.filter(pk=batch.pk, government_id=batch.government_id).update(
        status=AgreementBatch.Status.DONE, finished_at=timezone.now(), message="\n".join(notes)
    )
    return sent
