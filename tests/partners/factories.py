"""Partner administrations, their keys, and known shippers with certificates to verify."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from partners.models import PartnerAdministration
from partners.services.partners import partner_register
from shippers import certificate_numbers
from shippers.models import Application, Certificate, Identifier, Organisation
from tests.accounts.factories import UserFactory
from tests.apikeys.factories import api_key_for
from tests.shippers.factories import complete_application, owner_with_organisation


def officer() -> User:
    return UserFactory(roles=["officer"])


def partner(
    country: str = "CA", *, receives_findings: bool = False, **fields: Any
) -> PartnerAdministration:
    return partner_register(
        actor=officer(),
        name=fields.pop("name", f"Customs administration of {country}"),
        country=country,
        mra_status="in_force",
        mra_date=date(2024, 6, 1),
        contact_name="MRA desk",
        contact_email="mra@example.org",
        receives_findings=receives_findings,
        **fields,
    )


def partner_client(partner: PartnerAdministration, *scopes: str) -> APIClient:
    _key, plain = api_key_for(partner.organisation, *(scopes or ("verify:bulk",)))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {plain}")
    return client


def known_shipper(
    *,
    legal_name: str = "Harbourline Parcels Ltd",
    country: str = "GB",
    status: str = Application.Status.APPROVED,
    identifiers: dict[str, str] | None = None,
    tier: int = 1,
) -> tuple[Organisation, Certificate]:
    """An organisation with a certificate (status set directly: a fixture, not a decision)."""
    user, organisation = owner_with_organisation(legal_name=legal_name, country=country)
    application = complete_application(user, organisation)
    Application.objects.filter(pk=application.pk).update(status=status)
    for kind, value in (identifiers or {}).items():
        Identifier.objects.get_or_create(organisation=organisation, kind=kind, value=value)
    today = timezone.localdate()
    certificate = Certificate.objects.create(
        application=application,
        organisation=organisation,
        number=certificate_numbers.new_number(country),
        tier=tier,
        valid_from=today - timedelta(days=30),
        valid_to=today + timedelta(days=335),
    )
    return organisation, certificate
