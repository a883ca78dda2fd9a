"""Computed figures shared by every worker, recomputed only where something changed
(decision 0016).

A government's figures are cut into parts: the plan (scope 0: indicators, targets, units,
missions, the monitoring policy), and the figures of each unit's indicators (scope = the unit's
id; -1 for indicators no unit answers for). Every change writes a new random marker for the
part it touches, in its own transaction (`bump`), so the marker becomes visible exactly when
the change does. What is computed from a part is kept in Django's cache (Redis when
`REDIS_URL` is set, shared by every worker; the process's memory otherwise) under a key that
holds the part's marker: a change makes a new key for exactly what it touched, the other
units' entries stay where they are, and nothing is ever deleted by hand (old keys expire).

`shared_many` computes missing entries once: the first request takes a short lock in the
cache and computes, the others wait for its result instead of computing it again.

The markers are written by signal receivers (kinerja.monitoring.apps) for every ORM save or
delete of a realisation or of the plan; code that writes in bulk calls `bump` itself.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import connection

from kinerja.core.cache import local
from kinerja.core.cache import shared_many as shared
from kinerja.monitoring.models import FigureGeneration

PLAN = FigureGeneration.PLAN
NO_UNIT = FigureGeneration.NO_UNIT

# Entries live a day at most: their keys change with every change anyway, so expiry only
# returns the memory of entries nobody asks for any more.
TIMEOUT = 24 * 3600

# A prefix of every key (a new one makes every entry new, e.g. when what is stored changes).
namespace = "f1"


def scope_of(objective_unit_id: int | None, responsible_unit_id: int | None) -> int:
    """The part an indicator's figures belong to: its owner unit (a unit objective's unit,
    else the named responsible unit), as `Indicator.owner_unit`."""
    owner = objective_unit_id or responsible_unit_id
    return owner if owner else NO_UNIT


def bump(government_id: int, scopes: Iterable[int]) -> None:
    """A new marker for each part, in the current transaction."""
    table = connection.ops.quote_name(FigureGeneration._meta.db_table)
    with connection.cursor() as cursor:
        for scope in sorted(set(scopes)):
            cursor.execute(
                f"INSERT INTO {table} (government_id, scope, marker) VALUES (%s, %s, %s) "  # noqa: S608 - table name from the model
                "ON CONFLICT (government_id, scope) DO UPDATE SET marker = excluded.marker",
                [government_id, scope, secrets.randbits(62)],
            )


def bump_all(government_id: int) -> None:
    """Everything of the government is computed again (after a bulk load or a restore)."""
    bump(government_id, [PLAN])


def markers(government_id: int) -> dict[int, int]:
    """Every part's marker (a part never changed has none: 0)."""
    return dict(
        FigureGeneration.objects.filter(government_id=government_id).values_list("scope", "marker")
    )


def public_state(government_id: int) -> str:
    """Every marker of the government and its latest audit row, in one small query: what a
    public page kept whole depends on (its figures, and what was published or signed)."""
    from kinerja.core.models import AuditEvent

    quote = connection.ops.quote_name
    markers_table = quote(FigureGeneration._meta.db_table)
    audit_table = quote(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT scope, marker FROM {markers_table} WHERE government_id = %s "  # noqa: S608 - names from the models
            f"UNION ALL SELECT -2, COALESCE(MAX(id), 0) FROM {audit_table} "
            "WHERE government_id = %s",
            [government_id, government_id],
        )
        rows = sorted(cursor.fetchall())
    return ",".join(f"{k}={v}" for k, v in rows)


def enabled() -> bool:
    return bool(settings.KINERJA_OVERVIEW_CACHE)


def key(*parts: object) -> str:
    return ":".join([namespace, *map(str, parts)])


def shared_many(keys: list[str], compute: Callable[[list[str]], dict[str, Any]]) -> dict[str, Any]:
    """The entries of `keys`: from this process, else from the shared cache, else computed by
    `compute(missing keys)` once across every worker (kinerja.core.cache.shared_many)."""
    return shared(keys, compute, memo=local, timeout=TIMEOUT)
