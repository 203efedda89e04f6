"""DRF authentication with the staff rules of `accounts.middleware`, for the requests DRF
authenticates itself (it sets `request.user` after the middleware ran).

- Session: a staff account's session must have passed MFA in this login (the middleware
  already refuses such requests; this class keeps the rule if a view is reached otherwise).
- Token (`Authorization: Token ...`): for partner administrations' machines. A bearer token
  cannot carry a second factor, so a staff account's token is refused; staff use the API
  from a signed-in session.
- Organisation API keys (`apikeys`) act for an organisation, never for a person or staff.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.request import Request

from accounts import staff_sessions


class MfaSessionAuthentication(SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if staff_sessions.is_staff_account(user) and not staff_sessions.session_passed_mfa(
            request._request, user
        ):
            raise exceptions.PermissionDenied(
                "Staff accounts must pass two-factor authentication in this session before "
                "using the API: sign in again and enter a code from your authenticator app.",
                code="mfa_required",
            )
        return result


class PartnerTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if staff_sessions.is_staff_account(user):
            raise exceptions.PermissionDenied(
                "API tokens are for partner administrations' systems. Staff accounts use the "
                "API from a signed-in session that passed two-factor authentication.",
                code="staff_token_refused",
            )
        return user, token
