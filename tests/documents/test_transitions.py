"""A signed document's workflow: awaiting signatures → signed when the last slot is signed; a
superseded or complete document takes no signature."""

from kinerja.auction.documents import pact_issue
from kinerja.documents.models import Document
from kinerja.documents.services import document_sign
from tests.refusals import audited, refused_for_state
from tests.signing import passphrase


def test_the_last_signature_completes_the_document_and_none_follows(world, decided):
    pact = pact_issue(session=decided, unit=world.unit_a, by=world.users["planner"])
    document_sign(
        document=pact, by=world.users["head_a"], passphrase=passphrase(world.users["head_a"])
    )
    audited(
        "document.complete",
        pact,
        lambda: document_sign(
            document=pact, by=world.users["mayor"], passphrase=passphrase(world.users["mayor"])
        ),
    )
    pact.refresh_from_db()
    assert pact.status == Document.Status.SIGNED
    assert not Document.WORKFLOW.can(pact, "sign")


def test_a_superseded_document_is_refused_through_the_workflow(world, decided):
    first = pact_issue(session=decided, unit=world.unit_a, by=world.users["planner"])
    pact_issue(session=decided, unit=world.unit_a, by=world.users["planner"])
    first.refresh_from_db()
    key = passphrase(world.users["head_a"])
    with refused_for_state():
        document_sign(document=first, by=world.users["head_a"], passphrase=key)
