"""Scope checks for views authenticated with an organisation API key."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from apikeys.models import OrganisationAPIKey


class HasScope(BasePermission):
    """The request carries an organisation API key with the view's `required_scope` (or, per
    method, `required_scopes = {"GET": ("shipments:read", "shipments:write")}`: any one)."""

    message = "The API key lacks the scope this endpoint needs."

    def has_permission(self, request: Request, view: Any) -> bool:
        api_key = request.auth
        if not isinstance(api_key, OrganisationAPIKey):
            return False
        scopes: dict[str, str | tuple[str, ...]] = getattr(view, "required_scopes", {})
        wanted = scopes.get(request.method or "", getattr(view, "required_scope", ""))
        accepted = (wanted,) if isinstance(wanted, str) else tuple(wanted)
        accepted = tuple(scope for scope in accepted if scope)
        if not accepted:
            return False
        if not any(api_key.has_scope(scope) for scope in accepted):
            names = " or ".join(repr(str(scope)) for scope in accepted)
            self.message = f"The API key lacks the scope {names} this endpoint needs."
            return False
        return True
