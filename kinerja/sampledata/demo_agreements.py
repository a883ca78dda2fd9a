"""The demo's Perjanjian Kinerja: the 2019 agreements of all fourteen units and of the head of
region, sent and signed as of 15 January 2019 (the holders of the positions on that day sign),
the head of region's of 2020–2022, and the budget approvals that set the due dates."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kinerja.accounts.models import Government, Unit, User
from kinerja.agreements.models import Agreement, BudgetApproval
from kinerja.agreements.services import agreement_draft, agreement_send, agreement_sign
from kinerja.sampledata.signing import demo_passphrase

SIGNED_ON = datetime.date(2019, 1, 15)


def load_demo_agreements(gov: Government) -> None:
    BudgetApproval.objects.create(
        government=gov, year=2019, approved_on=datetime.date(2018, 11, 28)
    )
    BudgetApproval.objects.create(
        government=gov, year=2020, approved_on=datetime.date(2019, 11, 29)
    )
    for year in (2021, 2022):
        BudgetApproval.objects.create(
            government=gov, year=year, approved_on=datetime.date(year - 1, 11, 30)
        )
    planner = User.objects.get(government=gov, username="perencana")
    for unit in [None, *Unit.objects.filter(government=gov).order_by("kind", "code")]:
        _signed(gov, unit, 2019, SIGNED_ON, planner)
    # The head of region's agreement of each later year of the term, signed in January, so
    # that the LKjIP and the SAKIP evaluation of those years read the same facts.
    for year in (2020, 2021, 2022):
        _signed(gov, None, year, datetime.date(year, 1, 15), planner)


def _signed(
    gov: Government, unit: Unit | None, year: int, on: datetime.date, planner: User
) -> Agreement:
    agreement = agreement_draft(government=gov, unit=unit, year=year, by=planner)
    agreement = agreement_send(agreement=agreement, by=planner, on=on)
    assert agreement.document is not None
    for slot in agreement.document.slots.order_by("order"):
        signer = User.objects.get(person=slot.person)
        agreement = agreement_sign(
            agreement=agreement, by=signer, passphrase=demo_passphrase(signer), on=on
        )
    # The record reads as it happened: signed on that day, not on the day of loading.
    Agreement.objects.filter(pk=agreement.pk, government_id=agreement.government_id).update(
        signed_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
    )
    return agreement
