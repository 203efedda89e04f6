from __future__ import annotations

from datetime import datetime

from apikeys.models import OrganisationAPIKey
from apikeys.services import api_key_create
from shippers.models import Organisation


def api_key_for(
    organisation: Organisation,
    *scopes: str,
    name: str = "Test system",
    expires_at: datetime | None = None,
) -> tuple[OrganisationAPIKey, str]:
    return api_key_create(
        organisation=organisation,
        name=name,
        scopes=scopes or ("shipments:write", "shipments:read"),
        expires_at=expires_at,
    )
