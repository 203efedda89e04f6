"""Demo organisations for the demo shipper accounts (idempotent)."""

from __future__ import annotations

from accounts.models import User
from shippers.models import Organisation
from shippers.services import organisation_create

DEMO_ORGANISATIONS = (
    ("shipper.one@demo.example", "Harbourline Parcels Ltd", "GB"),
    ("shipper.two@demo.example", "Cascadia Goods Co.", "US"),
)


def seed_demo_organisations() -> list[str]:
    lines = []
    for email, legal_name, country in DEMO_ORGANISATIONS:
        user = User.objects.get(email=email)
        existing = Organisation.objects.filter(
            memberships__user=user, legal_name=legal_name
        ).first()
        if existing is None:
            organisation_create(user=user, legal_name=legal_name, country=country)
            lines.append(f"organisation {legal_name} ({country}) created for {email}")
        else:
            lines.append(f"organisation {legal_name} ({country}) exists")
    return lines
