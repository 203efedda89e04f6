"""Reads for shipments: who may file, and a filer's own shipments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from shipments.models import FilerRegistration, Shipment, ShipmentVersion
from shippers.models import Application, Organisation
from shippers.selectors import standing_application
from shippers.workflow import ACTIVE_STATUSES


@dataclass(frozen=True)
class FilingRefusal:
    code: str  # "suspended" or "not_eligible"
    message: str


def filing_refusal(*, organisation: Organisation) -> FilingRefusal | None:
    """Why the organisation may not file shipment data now, or None if it may: it needs a
    current known-shipper certificate or an active filer registration, and no suspension."""
    name = organisation.legal_name
    standing = standing_application(organisation=organisation)
    if standing is not None and standing.status == Application.Status.SUSPENDED:
        return FilingRefusal(
            "suspended",
            f"{name}'s known-shipper standing is suspended: it may not file shipment data "
            "until it is reinstated.",
        )
    registration = FilerRegistration.objects.filter(organisation=organisation).first()
    if registration is not None and registration.status == FilerRegistration.Status.SUSPENDED:
        return FilingRefusal(
            "suspended",
            f"{name}'s registration as a filer is suspended: it may not file shipment data.",
        )
    if standing is not None and standing.status in ACTIVE_STATUSES:
        today = timezone.localdate()
        certificate = getattr(standing, "certificate", None)
        if certificate is not None and certificate.valid_from <= today <= certificate.valid_to:
            return None
    if registration is not None:
        return None
    return FilingRefusal(
        "not_eligible",
        f"{name} may not file shipment data: only known shippers with a current certificate "
        "and registered filers (carriers, brokers, marketplaces, posts) may.",
    )


def shipments_for_organisation(*, organisation_id: int) -> QuerySet[Shipment]:
    return Shipment.objects.for_organisation(organisation_id)


def shipment_for_organisation(
    *, organisation_id: int, shipment_id: uuid.UUID | str
) -> Shipment | None:
    """The organisation's shipment with this id; None for another organisation's."""
    return Shipment.objects.for_organisation(organisation_id).filter(pk=shipment_id).first()


def current_version(*, shipment: Shipment) -> ShipmentVersion | None:
    return (
        ShipmentVersion.objects.filter(shipment_id=shipment.pk, number=shipment.version)
        .only("content", "number", "filed_at", "content_hash")
        .first()
    )


def versions(*, shipment: Shipment) -> list[ShipmentVersion]:
    return list(
        ShipmentVersion.objects.filter(shipment_id=shipment.pk)
        .order_by("number")
        .only("number", "filed_at", "content_hash", "batch_id", "shipment_id")
    )
