"""Counting attempts in a time window, in the cache (Redis or the process's memory): for limits
that need not survive a restart, such as password-reset links or wrong signing passphrases."""

from __future__ import annotations

from django.core.cache import cache


def count(key: str) -> int:
    """How many times `key` was counted in its current window."""
    return int(cache.get(key) or 0)


def add_one(key: str, window_seconds: int) -> int:
    """Count one more for `key`; the window starts with the first count. Returns the total."""
    cache.add(key, 0, window_seconds)
    try:
        return int(cache.incr(key))
    except ValueError:  # the window ended between the two calls
        cache.set(key, 1, window_seconds)
        return 1
