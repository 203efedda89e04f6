"""`core.cache.RedisCache`: Django's Redis cache with one client per pool, on real Redis."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings

from config.settings import env
from core.cache import RedisCache


def test_cache_url_selects_it() -> None:
    assert env.parse_cache_url("CACHE_URL", "redis://127.0.0.1:6379/1")["BACKEND"] == (
        "core.cache.RedisCache"
    )


def test_one_client_serves_every_call() -> None:
    broker = str(settings.CELERY_BROKER_URL)
    if not broker.startswith("redis://"):
        pytest.skip("needs Redis")
    cache = RedisCache(broker, {"KEY_PREFIX": uuid.uuid4().hex})
    cache.set("a", {"page": b"x" * 10}, 30)
    assert cache.add("b", 2, 30) is True
    assert cache.add("b", 3, 30) is False
    assert cache.get_many(["a", "b", "missing"]) == {"a": {"page": b"x" * 10}, "b": 2}
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=False) is client
    cache.delete_many(["a", "b"])
    assert cache.get("a") is None
