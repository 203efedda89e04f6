"""DRF throttles keyed on the real client address (`core.client`), never on a client-written
`X-Forwarded-For`: DRF's own `get_ident` trusts the whole header unless NUM_PROXIES is set."""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.request import Request

from core.client import client_address


class _ClientAddress:
    def get_ident(self, request: Request) -> str:
        return client_address(request._request) or "unknown"


class AnonRateThrottle(_ClientAddress, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_ClientAddress, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(_ClientAddress, throttling.ScopedRateThrottle):
    pass
