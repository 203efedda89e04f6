"""The session scheme of `accounts.authentication` in the OpenAPI document (/api/schema/):
the session cookie, as drf-spectacular describes Django's own."""

from __future__ import annotations

from drf_spectacular.authentication import SessionScheme


class MfaSessionScheme(SessionScheme):
    target_class = "accounts.authentication.MfaSessionAuthentication"
    priority = 0
