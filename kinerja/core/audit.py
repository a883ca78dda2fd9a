"""The audit trail. Every service that changes state calls `record` inside its transaction."""

from __future__ import annotations

import datetime
import decimal
import hashlib
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from kinerja.core.models import AuditEvent, PlatformEvent

# Fields never copied into the audit trail.
_SECRET_FIELDS = {"password"}


def revision(government_id: int) -> int:
    """The id of the government's latest audit row (0 before any): every state change writes
    one, so it names the state of everything audited (index audit_government_latest)."""
    latest = (
        AuditEvent.objects.filter(government_id=government_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return latest or 0


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        # Exact digits as text (JSON floats would lose them), without the column's padding:
        # 10.5 read back from the database as 10.500000 is the same value.
        return format(value.normalize(), "f")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        # A stored file's bytes are not copied into the trail: its size and fingerprint are.
        data = bytes(value)
        return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's concrete field values as JSON-safe plain values."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in _SECRET_FIELDS:
            continue
        data[field.attname] = _plain(getattr(obj, field.attname))
    for field in obj._meta.many_to_many:
        if obj.pk is not None:
            linked = field.value_from_object(obj)  # in the object's government (0018)
            data[field.name] = sorted(o.pk for o in linked)
    return data


def _row(
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    government: Any,
    note: str,
) -> AuditEvent | PlatformEvent:
    # By its id when the object has one: loading the government row for each audit row
    # doubled the cost of saving figures in bulk.
    government_id = (
        government.pk
        if government is not None
        else getattr(obj, "government_id", None)
        or getattr(getattr(obj, "government", None), "pk", None)
        or (obj.pk if obj._meta.label == "accounts.Government" else None)
    )
    fields: dict[str, Any] = {
        "actor": actor if getattr(actor, "pk", None) else None,
        "action": action,
        "content_type": ContentType.objects.get_for_model(type(obj)),
        "object_id": str(obj.pk),
        "object_repr": str(obj)[:300],
        "before": before,
        "after": after,
        "note": note,
    }
    if government_id is None:
        return PlatformEvent(**fields)
    return AuditEvent(government_id=government_id, **fields)


def event(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    government: Any = None,
    note: str = "",
) -> AuditEvent:
    """One audit row of a government, not yet saved, for writers that save many at once.
    `government` defaults to the object's own government (a government's own row: itself)."""
    row = _row(actor, action, obj, before, after, government, note)
    if not isinstance(row, AuditEvent):
        raise ValueError(f"{obj!r}: an audit row written in bulk needs its government")
    return row


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    government: Any = None,
    note: str = "",
) -> AuditEvent | PlatformEvent:
    """Write one audit row. `government` defaults to the object's own government; an action
    outside every government (a platform administrator's own account) is a `PlatformEvent`
    (decision 0018)."""
    row = _row(actor, action, obj, before, after, government, note)
    row.save()
    return row
