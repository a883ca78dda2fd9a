"""Signing in tests: every signer signs with a passphrase, set the first time it is asked for
(as the signing page does on a signer's first signature)."""

from kinerja.accounts.models import User
from kinerja.documents.models import SigningSecret
from kinerja.documents.services import signing_passphrase_set

PASSPHRASE = "rahasia penanda tangan"


def passphrase(user: User) -> str:
    """The test passphrase, set for the user's person when they have none yet."""
    if not SigningSecret.objects.filter(person=user.person).exists():
        signing_passphrase_set(user=user, passphrase=PASSPHRASE, repeat=PASSPHRASE)
    return PASSPHRASE


def sign_form(user: User) -> dict[str, str]:
    """What the signing page posts: the confirmation and the passphrase."""
    return {"passphrase": passphrase(user), "confirm": "on"}
