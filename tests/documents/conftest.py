import pytest


def stored_bytes(document) -> bytes:  # type: ignore[no-untyped-def]
    latest = document.latest_file
    with latest.file.open("rb") as fh:
        return fh.read()


@pytest.fixture
def signed_pact(world, decided, tmp_path):  # type: ignore[no-untyped-def]
    """A pact signed by both parties, with a copy of its final file on disk."""
    from kinerja.auction.documents import pact_issue
    from kinerja.documents.services import document_sign
    from tests.signing import passphrase

    pact = pact_issue(session=decided, unit=world.unit_a, by=world.users["planner"])
    for signer in (world.users["head_a"], world.users["mayor"]):
        document_sign(document=pact, by=signer, passphrase=passphrase(signer))
    pact.refresh_from_db()
    path = tmp_path / "pakta.pdf"
    path.write_bytes(stored_bytes(pact))
    return pact, path
