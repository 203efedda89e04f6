"""The API key scheme in the OpenAPI document (/api/schema/)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class OrganisationAPIKeyScheme(OpenApiAuthenticationExtension):
    target_class = "apikeys.authentication.OrganisationAPIKeyAuthentication"
    name = "organisationApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An organisation API key: `Authorization: Api-Key <prefix>.<secret>`.",
        }
