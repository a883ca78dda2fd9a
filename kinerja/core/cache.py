"""What the process keeps beside Django's cache, and emptying the cache of this deployment
only (its key prefix): Django's `cache.clear()` on Redis empties the whole database, other
deployments' keys included."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.core.cache import cache


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
