"""Scope checks for views authenticated with an organisation API key."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from apikeys.models import OrganisationAPIKey


class HasScope(BasePermission):
    """The request carries an organisation API key with the view's `required_scope` (or,
    per method, `required_scopes = {"GET": "shipments:read", "POST": "shipments:write"}`)."""

    message = "The API key lacks the scope this endpoint needs."

    def has_permission(self, request: Request, view: Any) -> bool:
        api_key = request.auth
        if not isinstance(api_key, OrganisationAPIKey):
            return False
        scopes: dict[str, str] = getattr(view, "required_scopes", {})
        scope = scopes.get(request.method or "", getattr(view, "required_scope", ""))
        if not scope:
            return False
        if not api_key.has_scope(scope):
            self.message = f"The API key lacks the scope {scope!r} this endpoint needs."
            return False
        return True
