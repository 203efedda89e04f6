"""One client address for every limiter and the audit log."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from core.client import client_address
from core.ratelimit import hit


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.1"),  # no trusted proxy: the header is the client's to forge
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the proxy appended the real client
        (1, "", "10.0.0.1"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, "not-an-address", "10.0.0.1"),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(
    settings, proxies: int, forwarded: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_rate_limit_counts_per_key_and_scope() -> None:
    assert all(hit("test-scope", "a", limit=3, window_seconds=60) for _ in range(3))
    assert not hit("test-scope", "a", limit=3, window_seconds=60)
    assert hit("test-scope", "b", limit=3, window_seconds=60)
    assert hit("other-scope", "a", limit=3, window_seconds=60)
