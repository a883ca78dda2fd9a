"""The demo's signers sign with a passphrase like everyone else: this one, documented in the
README, set for each of them the first time they sign."""

from kinerja.accounts.models import User
from kinerja.documents.models import SigningSecret
from kinerja.documents.services import signing_passphrase_set

DEMO_PASSPHRASE = "tanda-tangan-demo"  # noqa: S105 - the documented passphrase of the demo


def demo_passphrase(user: User) -> str:
    """The demo passphrase, set for the user's person on first use."""
    if not SigningSecret.objects.filter(person=user.person).exists():
        signing_passphrase_set(user=user, passphrase=DEMO_PASSPHRASE, repeat=DEMO_PASSPHRASE)
    return DEMO_PASSPHRASE
