"""Writes for governments, units, people and accounts."""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import (
    ApiToken,
    LoginAttempt,
    LoginThrottleKey,
    Person,
    Position,
    PositionAssignment,
    User,
)
from kinerja.core.audit import record, snapshot


@dataclass(frozen=True)
class Throttled:
    """Sign-in refused for now: until when."""

    until: datetime.datetime


def _throttle_key(username: str, ip_address: str | None) -> str:
    return hashlib.sha256(f"{username.casefold()}|{ip_address or '-'}".encode()).hexdigest()


@transaction.atomic
def login_attempt_begin(*, username: str, ip_address: str | None) -> LoginAttempt | Throttled:
    """Count a sign-in attempt before the password is checked, or refuse it.

    Failures are counted per username *and* address together (wrong passwords typed elsewhere
    never lock a person out of their own computer), plus a higher limit per address across all
    usernames (one office shares an address; spraying many accounts from it is stopped). The
    attempt is recorded as a failure first and turned into a success only when the password
    is right, under a lock on the pair's row: parallel attempts are counted one by one, so no
    more than the limit ever reach the password check."""
    key, _created = LoginThrottleKey.objects.get_or_create(key=_throttle_key(username, ip_address))
    LoginThrottleKey.objects.select_for_update().filter(pk=key.pk).get()
    window = datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    since = timezone.now() - window
    failures = LoginAttempt.objects.filter(at__gte=since, succeeded=False)
    pair = list(
        failures.filter(username__iexact=username, ip_address=ip_address)
        .order_by("at")
        .values_list("at", flat=True)[: settings.LOGIN_FAILURE_LIMIT]
    )
    if len(pair) >= settings.LOGIN_FAILURE_LIMIT:
        return Throttled(until=pair[0] + window)
    if ip_address:
        from_address = list(
            failures.filter(ip_address=ip_address)
            .order_by("at")
            .values_list("at", flat=True)[: settings.LOGIN_ADDRESS_FAILURE_LIMIT]
        )
        if len(from_address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return Throttled(until=from_address[0] + window)
    return LoginAttempt.objects.create(
        username=username[:150], ip_address=ip_address, succeeded=False
    )


def login_attempt_succeeded(*, attempt: LoginAttempt) -> None:
    LoginAttempt.objects.filter(pk=attempt.pk).update(succeeded=True)


@transaction.atomic
def position_assign(
    *,
    position: Position,
    person: Person,
    start: datetime.date,
    end: datetime.date | None = None,
    acting: str = PositionAssignment.Acting.DEFINITIVE,
    by: User | None,
) -> PositionAssignment:
    """Record that a person holds a position from `start` (as Plt/Plh when acting).

    A new definitive holder ends the previous definitive assignment the day before.
    """
    if acting == PositionAssignment.Acting.DEFINITIVE:
        # Lock only the assignment rows; the default ordering would outer-join the position's
        # nullable unit, which PostgreSQL cannot lock.
        open_definitive = (
            position.assignments.select_for_update(of=("self",))
            .filter(acting=PositionAssignment.Acting.DEFINITIVE, end__isnull=True, start__lt=start)
            .order_by("pk")
        )
        for previous in open_definitive:
            before = snapshot(previous)
            previous.end = start - datetime.timedelta(days=1)
            previous.save(update_fields=["end"])
            record(
                actor=by,
                action="position.end",
                obj=position,
                before=before,
                after=snapshot(previous),
                government=position.government,
            )
    assignment = PositionAssignment(
        position=position, person=person, start=start, end=end, acting=acting
    )
    assignment.full_clean()
    assignment.save()
    # Recorded on the position: who held an office is the position's history.
    record(
        actor=by,
        action="position.assign",
        obj=position,
        before=None,
        after=snapshot(assignment),
        government=position.government,
    )
    return assignment


# --- API tokens ------------------------------------------------------------------------

API_TOKEN_PREFIX = "knj_"  # noqa: S105 - a marker, not a secret
API_TOKEN_GOVERNMENT = re.compile(rf"{API_TOKEN_PREFIX}(\d{{1,12}})\.")
MAX_ACTIVE_API_TOKENS = 10


def password_changed(*, user: User, how: str) -> None:
    """Audit a password set by its owner (`how`: "change" with the old one, "reset" through the
    e-mailed link). The password itself never reaches the trail. A temporary password a
    planner issued is now replaced: the person may go on."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    record(
        actor=user,
        action=f"account.password_{how}",
        obj=user,
        before=None,
        after={"username": user.username},
        government=user.government,
    )


def api_token_hash(raw: str) -> str:
    """Tokens are 256 random bits, so a plain SHA-256 is enough (no slow hash needed:
    there is nothing to guess from)."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the user: returns the row and the token itself, shown once."""
    if user.government_id is None:
        raise PermissionDenied(_("Akun ini belum terhubung dengan pemerintah daerah."))
    name = name.strip()
    if not name:
        raise ValidationError(
            _("Beri nama token (misalnya nama aplikasi yang memakainya)."),
            code="beri_nama_token_misalnya",
        )
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_API_TOKENS:
        raise ValidationError(
            _("Sudah ada %(n)s token aktif; cabut yang tidak dipakai lagi dahulu."),
            code="token_aktif_cabut_tidak",
            params={"n": MAX_ACTIVE_API_TOKENS},
        )
    # The government's id in the token names the shard its row is on (decision 0018); the
    # hash covers it, so a token with another id is simply unknown.
    raw = f"{API_TOKEN_PREFIX}{user.government_id}.{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        government_id=user.government_id,
        user=user,
        name=name[:100],
        prefix=raw[:12],
        key_hash=api_token_hash(raw),
    )
    record(actor=user, action="api_token.create", obj=token, before=None, after=snapshot(token))
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token: from now on it is refused. Only its owner revokes it."""
    if token.user_id != by.pk:
        raise PermissionDenied(_("Token ini milik pengguna lain."))
    locked = ApiToken.objects.select_for_update().get(
        pk=token.pk, government_id=token.government_id
    )
    if locked.revoked_at is not None:
        raise ValidationError(_("Token ini sudah dicabut."), code="token_dicabut")
    before = snapshot(locked)
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    record(actor=by, action="api_token.revoke", obj=locked, before=before, after=snapshot(locked))
    return locked


def api_token_user(raw: str) -> User | None:
    """The user a presented token acts as, or None for an unknown or revoked token.
    Marks the token used, at most once a minute (not a write per request)."""
    if not raw.startswith(API_TOKEN_PREFIX) or len(raw) > 100:
        return None
    tokens = ApiToken.objects.select_related("user").filter(
        key_hash=api_token_hash(raw), revoked_at__isnull=True
    )
    government = API_TOKEN_GOVERNMENT.match(raw)
    if government:  # tokens made before the id was in them are found without it
        tokens = tokens.filter(government_id=int(government[1]))
    token = tokens.first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk, government_id=token.government_id).update(
            last_used_at=now
        )
    return token.user


# Readable and unambiguous: no 0/O, 1/l/I.
_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@transaction.atomic
def temporary_password_issue(*, user: User, by: User) -> str:
    """A planner gives a person a temporary password (they forgot theirs and have no e-mail,
    say). It is returned once, to be handed over; the person must choose their own at their
    next sign-in. Only planning staff of the same government; audited without the password."""
    from kinerja.accounts.access import require_planner

    require_planner(by)
    if user.government_id != by.government_id or user.is_superuser:
        raise PermissionDenied(_("Akun ini bukan milik pemerintah daerah Anda."))
    password = "-".join(
        "".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(3)
    )
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record(
        actor=by,
        action="account.temporary_password",
        obj=user,
        before=None,
        after={"username": user.username, "must_change_password": True},
        government=user.government,
    )
    return password
