"""Writes for shippers: each business action is one transaction with its audit trail."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from shippers.models import Membership, Organisation


def organisation_create(*, user: User, legal_name: str, country: str) -> Organisation:
    """Create an organisation with its creator as owner."""
    with transaction.atomic():
        organisation = Organisation.objects.create(
            legal_name=legal_name.strip(), country=country.upper(), created_by=user
        )
        Membership.objects.create(organisation=organisation, user=user, role=Membership.Role.OWNER)
    return organisation
