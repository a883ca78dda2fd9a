"""What the process keeps beside Django's cache, and emptying the cache of this deployment
only (its key prefix): Django's `cache.clear()` on Redis empties the whole database, other
deployments' keys included."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

MEMOS: list[Memo] = []

# What a cache that cannot be reached raises (Redis down, a timeout): pages then compute what
# they need, as without a cache, rather than fail.
try:
    from redis.exceptions import RedisError

    CACHE_ERRORS: tuple[type[Exception], ...] = (RedisError, OSError)
except ImportError:  # pragma: no cover - redis is a dependency
    CACHE_ERRORS = (OSError,)


class Memo:
    """A small least-recently-used map of what one process keeps: model instances the pages
    read, entries already fetched from the shared cache (kinerja.monitoring.figures). Its keys
    carry the markers of what they were computed from, so it is never stale."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, Any] = OrderedDict()
        MEMOS.append(self)

    def get(self, k: str) -> Any:
        value = self.entries.get(k)
        if value is not None:
            self.entries.move_to_end(k)
        return value

    def put(self, k: str, value: Any) -> None:
        self.entries[k] = value
        self.entries.move_to_end(k)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)

    def clear(self) -> None:
        self.entries.clear()


# Bounded by count, so each holds things of one size: entries of one unit's figures (small),
# rendered fragments (tens of kB).
local = Memo(2048)
fragments = Memo(256)


def forget_local() -> None:
    """Empty what this process keeps (as a freshly started worker has nothing)."""
    for memo in MEMOS:
        memo.clear()


FRAGMENT_SECONDS = 24 * 3600


def fragment(depends_on: tuple[Any, ...], render: Callable[[], str]) -> SafeString:
    """HTML rendered once for everything it depends on (and the reader's language), kept in
    the cache and in this process: `depends_on` must name every input of the fragment, e.g.
    the markers of the figures it shows (`Overview.state`) and the government's latest audit
    row for what else it counts. No per-person content (a form's token) belongs in one."""
    if not settings.KINERJA_OVERVIEW_CACHE or not all(part != "" for part in depends_on):
        return mark_safe(render())  # noqa: S308 - our own rendered template
    digest = hashlib.sha256(repr((*depends_on, get_language())).encode()).hexdigest()[:32]
    key = f"fragment:{digest}"
    found = shared_many(
        [key], lambda missing: {key: render()}, memo=fragments, timeout=FRAGMENT_SECONDS
    )
    return mark_safe(found[key])  # noqa: S308 - our own rendered template


# A missing entry is computed under a lock in the cache; others wait for it (a stampede of
# requests after a change computes once), polling, and compute themselves only if it fails.
LOCK_SECONDS = 30
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.02


def shared_many(
    keys: list[str],
    compute: Callable[[list[str]], dict[str, Any]],
    *,
    memo: Memo,
    timeout: int,
) -> dict[str, Any]:
    """The entries of `keys`: from this process's `memo`, else from the shared cache, else
    computed by `compute(missing keys)` (which returns every one of them) once across every
    worker, and kept in both."""
    found: dict[str, Any] = {}
    missing = []
    for k in keys:
        value = memo.get(k)
        if value is None:
            missing.append(k)
        else:
            found[k] = value
    if missing:
        try:
            fetched = cache.get_many(missing)
        except CACHE_ERRORS:
            return {**found, **compute(missing)}  # no shared cache: compute, keep nothing
        missing = [k for k in missing if k not in fetched]
        if missing:
            fetched.update(_compute_once(missing, compute, timeout))
        for k, value in fetched.items():
            memo.put(k, value)
        found.update(fetched)
    return found


def _compute_once(
    missing: list[str], compute: Callable[[list[str]], dict[str, Any]], timeout: int
) -> dict[str, Any]:
    lock = "lock:" + missing[0] + (f":+{len(missing) - 1}" if len(missing) > 1 else "")
    token = secrets.token_hex(8)
    try:
        return _compute_under_lock(missing, compute, timeout, lock, token)
    except CACHE_ERRORS:
        return compute(missing)  # the cache failed meanwhile: compute here, keep nothing


def _compute_under_lock(
    missing: list[str],
    compute: Callable[[list[str]], dict[str, Any]],
    timeout: int,
    lock: str,
    token: str,
) -> dict[str, Any]:
    if not cache.add(lock, token, LOCK_SECONDS):
        # Someone else is computing the same entries: wait for them rather than compute twice.
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            ready = cache.get_many(missing)
            if len(ready) == len(missing):
                return ready
            if cache.get(lock) is None:
                break  # it gave up (an error): compute here
    try:
        computed = compute(missing)
        cache.set_many(computed, timeout)
        return computed
    finally:
        if cache.get(lock) == token:
            cache.delete(lock)


def cache_clear() -> int:
    """Delete this deployment's keys and what this process keeps of computed figures;
    returns the number of shared keys deleted (or -1 for the process's own memory)."""
    forget_local()
    client_of = getattr(cache, "_cache", None)
    if str(settings.CACHES["default"]["BACKEND"]).endswith("RedisCache") and client_of is not None:
        client = client_of.get_client(write=True)
        prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
        try:
            keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        except CACHE_ERRORS:
            return 0  # nothing can be deleted from a cache that cannot be reached
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
        return len(keys)
    cache.clear()
    return -1
