"""One rate limiter for every form and endpoint that needs one, keyed on the real client
address (`core.client`) or another key, counted in the shared cache (Redis in production,
so every web process sees the same counts)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest

from core.client import client_address


def _cache_key(scope: str, key: str, window_seconds: int) -> str:
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"ratelimit:{scope}:{window_seconds}:{digest}"


def hit(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt; True if it is within `limit` attempts per window."""
    cache_key = _cache_key(scope, key, window_seconds)
    if cache.add(cache_key, 1, timeout=window_seconds):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=window_seconds)
            count = 1
    return count <= limit


def hit_for_client(request: HttpRequest, scope: str, *, limit: int, window_seconds: int) -> bool:
    return hit(
        scope, client_address(request) or "unknown", limit=limit, window_seconds=window_seconds
    )
