"""Shipment payloads as filers send them, filer organisations, and their API clients."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from rest_framework.test import APIClient

from shipments.models import FilerKind, FilerRegistration
from tests.apikeys.factories import api_key_for
from tests.shippers.factories import OrganisationFactory


class FilerRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FilerRegistration

    organisation = factory.SubFactory(OrganisationFactory)
    kind = FilerKind.CARRIER


def party(name: str, country: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "address": {"line1": "1 Example Road", "city": "Example City", "country": country},
        **extra,
    }


def shipment_payload(reference: str = "REF-1", **overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "reference": reference,
        "house_bill": f"HB-{reference}",
        "mode": "air",
        "carrier": "Example Air Cargo",
        "port_of_arrival": "4701",
        "estimated_arrival": (timezone.now() + timedelta(days=2))
        .replace(microsecond=0)
        .isoformat(),
        "seller": party("Shenzhen Bright Goods Co", "CN"),
        "shipper": party("Fast Parcel Logistics", "HK"),
        "consignee": party("Jane Doe", "US", email="jane@example.com"),
        "marketplace": {"name": "Example Market", "url": "https://market.example.com"},
        "gross_weight_kg": 1.25,
        "packages": 1,
        "currency": "USD",
        "items": [
            {
                "description": "Cotton T-shirt",
                "hs_code": "610910",
                "quantity": 2,
                "unit_value": 9.5,
                "origin_country": "CN",
                "listing_url": "https://market.example.com/item/1",
            }
        ],
    }
    for key, value in overrides.items():
        payload[key] = value
    return copy.deepcopy(payload)


def filer_client(*scopes: str, kind: str = FilerKind.CARRIER, **org: Any) -> tuple[APIClient, Any]:
    """An API client authenticated with a key of a registered filer; returns (client, key)."""
    registration = FilerRegistrationFactory(kind=kind, organisation=OrganisationFactory(**org))
    api_key, plain = api_key_for(registration.organisation, *scopes)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {plain}")
    return client, api_key
