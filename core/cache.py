"""Django's Redis cache, keeping one redis-py client per connection pool.

Django's `RedisCacheClient` builds a new `redis.Redis` object for every cache call, and
redis-py fills a table of about 170 response callbacks in each one: on a page answered from
the cache that was most of the time the page took outside the round trip. The client
objects are safe to share (each call borrows a connection from the pool).

Django's serializer also tries `int(data)` on every value read before unpickling it, and the
failed attempt formats the whole value into its error message: on a 20 kB stored page that
was a third of the look-up. A pickle (protocol 2 or later) starts with the PROTO opcode
0x80, which no integer written as digits does, so such values are unpickled directly.
`CACHE_URL=redis://...` selects this backend.
"""

from __future__ import annotations

import pickle
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient, RedisSerializer

_PICKLE_PROTO = 0x80


class _Serializer(RedisSerializer):
    def loads(self, data: Any) -> Any:
        if data[:1] == bytes((_PICKLE_PROTO,)):
            return pickle.loads(data)  # noqa: S301 (our own values, as Django's serializer)
        return super().loads(data)


class _SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers: Any, **options: Any) -> None:
        super().__init__(servers, **options)
        self._serializer = _Serializer()
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's private helpers (not in its type stubs); the subclass only keeps clients.
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _SharedClientRedisCacheClient
