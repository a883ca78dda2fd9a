"""The Perjanjian Kinerja's workflow: draft → awaiting signatures → signed; recalled to draft
while awaiting; changed after signing only by a revision."""

from kinerja.agreements.models import Agreement
from kinerja.agreements.services import (
    agreement_draft,
    agreement_recall,
    agreement_revise,
    agreement_send,
    agreement_sign,
)
from tests.refusals import audited, refused_for_state
from tests.signing import passphrase


def test_each_step_from_its_state_only(world, region):
    u = world.users
    planner = u["planner"]
    draft = agreement_draft(government=world.gov, unit=world.unit_a, year=2019, by=planner)
    key = {name: passphrase(u[name]) for name in ("head_a", "mayor")}
    with refused_for_state():
        agreement_recall(agreement=draft, by=planner)
    with refused_for_state():
        agreement_sign(agreement=draft, by=u["head_a"], passphrase=key["head_a"])
    with refused_for_state():
        agreement_revise(agreement=draft, reason="official", note="", by=planner)
    sent = audited("agreement.send", draft, lambda: agreement_send(agreement=draft, by=planner))
    assert sent.status == Agreement.Status.AWAITING
    with refused_for_state():
        agreement_send(agreement=sent, by=planner)
    with refused_for_state():  # awaiting signatures: the draft is not refreshed under them
        agreement_draft(government=world.gov, unit=world.unit_a, year=2019, by=planner)
    recalled = audited(
        "agreement.recall", draft, lambda: agreement_recall(agreement=sent, by=planner)
    )
    assert recalled.status == Agreement.Status.DRAFT
    sent = agreement_send(agreement=recalled, by=planner)
    audited(
        "agreement.sign",
        draft,
        lambda: agreement_sign(agreement=sent, by=u["head_a"], passphrase=passphrase(u["head_a"])),
    )
    signed = audited(
        "agreement.sign",
        draft,
        lambda: agreement_sign(agreement=sent, by=u["mayor"], passphrase=passphrase(u["mayor"])),
    )
    assert signed.status == Agreement.Status.SIGNED
    for step in (agreement_send, agreement_recall):
        with refused_for_state():
            step(agreement=signed, by=planner)
    with refused_for_state():
        agreement_sign(agreement=signed, by=u["mayor"], passphrase=key["mayor"])
    with refused_for_state():
        agreement_draft(government=world.gov, unit=world.unit_a, year=2019, by=planner)
