"""Writes for governments, units, people and accounts."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kinerja.accounts.models import LoginAttempt, Person, Position, PositionAssignment, User
from kinerja.core.audit import record, snapshot


def login_is_throttled(*, username: str, ip_address: str | None) -> bool:
    """Too many failed sign-ins for this username or from this address, recently."""
    since = timezone.now() - datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    who = Q(username__iexact=username)
    if ip_address:
        who |= Q(ip_address=ip_address)
    failures = LoginAttempt.objects.filter(who, at__gte=since, succeeded=False).count()
    return failures >= settings.LOGIN_FAILURE_LIMIT


def login_attempt_record(*, username: str, ip_address: str | None, succeeded: bool) -> None:
    LoginAttempt.objects.create(username=username[:150], ip_address=ip_address, succeeded=succeeded)


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
