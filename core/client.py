"""The real client address of a request, once for every limiter and the audit log.

Behind N trusted proxies (`TRUSTED_PROXY_COUNT`), the client is the address N entries from
the right of `X-Forwarded-For` (each proxy appends the address it received from); entries
further left are written by the client and never trusted. With no trusted proxy the
address is `REMOTE_ADDR`, and the header is ignored.
"""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

client_address_var: ContextVar[str | None] = ContextVar("client_address", default=None)


def normalise_address(value: str | None) -> str | None:
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return address.compressed


def client_address(request: HttpRequest) -> str | None:
    trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    remote = normalise_address(request.META.get("REMOTE_ADDR"))
    if trusted <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    # REMOTE_ADDR is the last proxy; the chain it forwarded ends with what it received from.
    chain = [*forwarded, remote or ""]
    if len(chain) <= trusted:
        return normalise_address(chain[0]) or remote
    return normalise_address(chain[-(trusted + 1)]) or remote
