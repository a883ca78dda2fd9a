"""Signing needs the signer's passphrase: it alone opens their private key. Without it, or with
a wrong one, nothing is signed; the deployment's key alone opens none of their keys; changing
it re-encrypts their keys; forgetting it revokes them."""

import pytest
from django.core.cache import cache

from kinerja.auction.documents import pact_issue
from kinerja.core.models import AuditEvent
from kinerja.documents import pki
from kinerja.documents.models import SignerCertificate, SigningSecret
from kinerja.documents.services import (
    PASSPHRASE_FAILURE_LIMIT,
    document_sign,
    signing_passphrase_forget,
    signing_passphrase_set,
    verify_code,
)
from tests.conftest import PASSWORD
from tests.refusals import refused
from tests.signing import PASSPHRASE, passphrase


@pytest.fixture(autouse=True)
def _no_counted_failures():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pact(world, decided):
    return pact_issue(session=decided, unit=world.unit_a, by=world.users["planner"])


def nothing_signed(pact) -> bool:
    pact.refresh_from_db()
    return pact.files.count() == 1 and not pact.slots.filter(signed_at__isnull=False).exists()


def test_without_a_passphrase_set_nothing_is_signed(world, pact):
    with refused("passphrase_not_set"):
        document_sign(document=pact, by=world.users["head_a"], passphrase="apa saja sembarang")
    assert nothing_signed(pact)


def test_without_the_passphrase_or_with_a_wrong_one_nothing_is_signed(world, pact):
    head = world.users["head_a"]
    passphrase(head)
    with refused("passphrase_required"):
        document_sign(document=pact, by=head, passphrase="")
    with refused("passphrase_wrong"):
        document_sign(document=pact, by=head, passphrase=PASSPHRASE + "x")
    assert nothing_signed(pact)
    document_sign(document=pact, by=head, passphrase=PASSPHRASE)
    assert pact.files.count() == 2


def test_the_deployment_key_alone_opens_none_of_a_signers_keys(world, pact):
    head = world.users["head_a"]
    # A certificate from before passphrases: its key under the deployment's key.
    old = pki.signer_certificate(head.person, b"x" * 32)
    legacy_key = pki._decrypt(old.key_pem, b"x" * 32)
    old.delete()
    legacy = SignerCertificate.objects.create(
        person=head.person,
        certificate_pem=old.certificate_pem,
        chain_pem=old.chain_pem,
        key_pem=pki._encrypt(legacy_key),
        protected=False,
        not_after=old.not_after,
    )
    with pytest.raises(ValueError):
        pki.pyhanko_signer(legacy, pki._passphrase())  # an unprotected key never signs

    passphrase(head)  # setting the passphrase re-encrypts every key the signer holds
    document_sign(document=pact, by=head, passphrase=PASSPHRASE)
    keys = SignerCertificate.objects.filter(person=head.person)
    assert keys.count() == 1 and all(c.protected for c in keys)
    for certificate in keys:
        with pytest.raises(ValueError):
            pki._decrypt(certificate.key_pem)  # the deployment's key: refused
        with pytest.raises(ValueError):
            pki.pyhanko_signer(certificate, pki._passphrase())
    legacy.refresh_from_db()
    secret = SigningSecret.objects.get(person=head.person)
    opened = pki._decrypt(
        legacy.key_pem, pki.passphrase_key(PASSPHRASE, bytes.fromhex(secret.salt))
    )
    assert opened.private_numbers() == legacy_key.private_numbers()  # the same key, re-locked
    assert PASSPHRASE not in secret.passphrase_hash and PASSPHRASE.encode().hex() not in str(
        secret.__dict__
    )


def test_changing_the_passphrase_needs_the_current_one_and_relocks_the_keys(world, pact):
    head = world.users["head_a"]
    passphrase(head)
    document_sign(document=pact, by=head, passphrase=PASSPHRASE)  # a certificate exists now
    with refused("passphrase_wrong"):
        signing_passphrase_set(
            user=head, passphrase="yang baru sekali", repeat="yang baru sekali", current="salah"
        )
    with refused("passphrase_mismatch"):
        signing_passphrase_set(
            user=head, passphrase="yang baru sekali", repeat="yang baru", current=PASSPHRASE
        )
    with refused("passphrase_length"):
        signing_passphrase_set(user=head, passphrase="pendek", repeat="pendek", current=PASSPHRASE)
    signing_passphrase_set(
        user=head, passphrase="yang baru sekali", repeat="yang baru sekali", current=PASSPHRASE
    )
    assert AuditEvent.objects.filter(action="signing_passphrase.change").count() == 1
    mayor = world.users["mayor"]
    document_sign(document=pact, by=mayor, passphrase=passphrase(mayor))
    contract_signer_key = SignerCertificate.objects.filter(person=head.person).get()
    secret = SigningSecret.objects.get(person=head.person)
    with pytest.raises(ValueError):  # the old passphrase opens nothing any more
        pki._decrypt(
            contract_signer_key.key_pem, pki.passphrase_key(PASSPHRASE, bytes.fromhex(secret.salt))
        )
    pki._decrypt(
        contract_signer_key.key_pem,
        pki.passphrase_key("yang baru sekali", bytes.fromhex(secret.salt)),
    )


def test_a_forgotten_passphrase_revokes_the_keys_and_signed_documents_stay_valid(
    world, decided, pact
):
    head, mayor = world.users["head_a"], world.users["mayor"]
    document_sign(document=pact, by=head, passphrase=passphrase(head))
    document_sign(document=pact, by=mayor, passphrase=passphrase(mayor))
    with refused("password_wrong"):
        signing_passphrase_forget(user=head, password="bukan kata sandinya")
    assert signing_passphrase_forget(user=head, password=PASSWORD) == 1
    assert not SigningSecret.objects.filter(person=head.person).exists()
    assert not SignerCertificate.objects.filter(person=head.person, revoked=False).exists()
    assert verify_code(pact.code).genuine
    # The next signature sets a new passphrase and is made with a new certificate.
    second = pact_issue(session=decided, unit=world.unit_a, by=world.users["planner"])
    signing_passphrase_set(
        user=head, passphrase="mulai lagi dari awal", repeat="mulai lagi dari awal"
    )
    document_sign(document=second, by=head, passphrase="mulai lagi dari awal")
    assert SignerCertificate.objects.filter(person=head.person, revoked=False).count() == 1
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"signing_passphrase.set", "signing_passphrase.forget"} <= actions


def test_too_many_wrong_passphrases_pause_signing(world, pact):
    head = world.users["head_a"]
    passphrase(head)
    for _ in range(PASSPHRASE_FAILURE_LIMIT):
        with refused("passphrase_wrong"):
            document_sign(document=pact, by=head, passphrase="tebakan yang salah")
    with refused("passphrase_paused"):
        document_sign(document=pact, by=head, passphrase=PASSPHRASE)
    assert nothing_signed(pact)


def test_the_passphrase_must_differ_from_the_sign_in_password(world):
    with refused("passphrase_is_password"):
        signing_passphrase_set(user=world.users["head_a"], passphrase=PASSWORD, repeat=PASSWORD)


def test_the_signing_page_shows_the_document_and_refuses_a_wrong_passphrase(world, pact):
    head = world.client("head_a")
    passphrase(world.users["head_a"])
    page = head.get(f"/verifikasi/{pact.code}/tandatangani/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f"/verifikasi/{pact.code}/halaman/1.png" in body and 'name="passphrase"' in body
    image = head.get(f"/verifikasi/{pact.code}/halaman/1.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert head.get(f"/verifikasi/{pact.code}/halaman/99.png").status_code == 404
    assert (
        world.client("operator_b").get(f"/verifikasi/{pact.code}/tandatangani/").status_code == 403
    )
    assert (
        world.client("other_gov").get(f"/verifikasi/{pact.code}/halaman/1.png").status_code == 404
    )

    wrong = head.post(
        f"/verifikasi/{pact.code}/tandatangani/", {"passphrase": "keliru sekali", "confirm": "on"}
    )
    assert wrong.status_code == 400 and "Passphrase tanda tangan salah" in wrong.content.decode()
    unconfirmed = head.post(f"/verifikasi/{pact.code}/tandatangani/", {"passphrase": PASSPHRASE})
    assert unconfirmed.status_code == 400
    assert nothing_signed(pact)
    done = head.post(
        f"/verifikasi/{pact.code}/tandatangani/", {"passphrase": PASSPHRASE, "confirm": "on"}
    )
    assert done.status_code == 302 and pact.files.count() == 2


def test_the_certificate_page_sets_changes_and_forgets_the_passphrase(world):
    head = world.client("head_a")
    first = head.post(
        "/akun/sertifikat/",
        {"form": "passphrase", "new_passphrase": "pertama kali ini", "repeat": "pertama kali ini"},
    )
    assert first.status_code == 302
    mismatch = head.post(
        "/akun/sertifikat/",
        {
            "form": "passphrase",
            "current": "pertama kali ini",
            "new_passphrase": "kedua kalinya",
            "repeat": "kedua kali",
        },
    )
    assert mismatch.status_code == 400 and "tidak sama" in mismatch.content.decode()
    forgot = head.post("/akun/sertifikat/", {"form": "forget", "password": PASSWORD})
    assert forgot.status_code == 302
    assert not SigningSecret.objects.filter(person=world.users["head_a"].person).exists()
