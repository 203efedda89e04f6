"""The public page cache switched on, on the real Redis when the tests have one (the broker's
server), each test under a key prefix of its own so that nothing outlives it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.conf import settings as django_settings


def _cache_location() -> dict[str, Any]:
    broker = str(django_settings.CELERY_BROKER_URL)
    if broker.startswith("redis://"):
        return {"BACKEND": "core.cache.RedisCache", "LOCATION": broker}
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


@pytest.fixture
def public_cache_on(settings: Any) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "default": {**_cache_location(), "KEY_PREFIX": uuid.uuid4().hex},
    }
    settings.PUBLIC_CACHE_ENABLED = True
