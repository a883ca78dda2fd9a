"""What the process keeps beside Django's cache, and emptying the cache of this deployment
only (its key prefix): Django's `cache.clear()` on Redis empties the whole database, other
deployments' keys included."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


class Memo:
    """A small least-recently-used map of what one process keeps: model instances the pages
    read, entries already fetched from the shared cache (kinerja.monitoring.figures). Its keys
    carry the markers of what they were computed from, so it is never stale."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, Any] = OrderedDict()

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


local = Memo(4096)

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
    html = local.get(key)
    if html is None:
        html = cache.get(key)
        if html is None:
            html = render()
            cache.set(key, html, FRAGMENT_SECONDS)
        local.put(key, html)
    return mark_safe(html)  # noqa: S308 - our own rendered template


def cache_clear() -> int:
    """Delete this deployment's keys and what this process keeps of computed figures;
    returns the number of shared keys deleted (or -1 for the process's own memory)."""
    local.clear()
    client_of = getattr(cache, "_cache", None)
    if str(settings.CACHES["default"]["BACKEND"]).endswith("RedisCache") and client_of is not None:
        client = client_of.get_client(write=True)
        prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
        return len(keys)
    cache.clear()
    return -1
