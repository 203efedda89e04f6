"""Single-shipment actions of the filer, and filer registration."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.workflow import ActorKind, TransitionNotAllowed
from shipments.events import AuditAction
from shipments.models import Decision, FilerKind, FilerRegistration, Shipment
from shipments.workflow import SHIPMENT_MACHINE
from shippers.models import Organisation


def shipment_cancel(
    *,
    shipment_id: Any,
    organisation_id: int,
    actor: Any = None,
    actor_kind: str = "api",
    reason: str = "",
) -> Shipment:
    """Cancel the organisation's shipment before it arrives. Refused (TransitionNotAllowed)
    once it is held or under review by an officer, has arrived, or is finished; cancelling a
    cancelled shipment again changes nothing."""
    with transaction.atomic():
        shipment = (
            Shipment.objects.select_for_update()
            .filter(pk=shipment_id, organisation_id=organisation_id)
            .get()
        )
        if shipment.status == "cancelled":
            return shipment
        if shipment.decision in (Decision.REVIEW, Decision.HOLD):
            raise TransitionNotAllowed(
                f"Cannot cancel shipment {shipment.reference}: customs have decided to "
                f"{shipment.get_decision_display().lower()} it. Contact the port.",
                obj=shipment,
                transition="cancel",
            )
        now = timezone.now()
        if shipment.estimated_arrival <= now:
            raise TransitionNotAllowed(
                f"Cannot cancel shipment {shipment.reference}: it was due to arrive at "
                f"{shipment.estimated_arrival.isoformat()}.",
                obj=shipment,
                transition="cancel",
            )
        before, after = SHIPMENT_MACHINE.apply(shipment, "cancel", ActorKind.FILER)
        shipment.cancelled_at = now
        shipment.updated_at = now
        shipment.save(update_fields=["status", "cancelled_at", "updated_at"])
        audit_record(
            action=AuditAction.CANCEL,
            target=shipment,
            target_label=f"Shipment {shipment.reference}",
            actor=actor,
            actor_kind="user" if getattr(actor, "is_authenticated", False) else actor_kind,
            organisation_id=organisation_id,
            changes={"status": {"before": before, "after": after}},
            reason=reason,
        )
    return shipment


def filer_register(
    *, organisation: Organisation, kind: str, registered_by: Any = None, note: str = ""
) -> FilerRegistration:
    """Register the organisation as a filer of shipment data (idempotent)."""
    if kind not in FilerKind.values:
        raise ValueError(f"Unknown filer kind {kind!r}; expected one of {FilerKind.values}.")
    with transaction.atomic():
        registration, created = FilerRegistration.objects.get_or_create(
            organisation=organisation,
            defaults={
                "kind": kind,
                "note": note,
                "registered_by": registered_by
                if getattr(registered_by, "is_authenticated", False)
                else None,
            },
        )
        if created:
            audit_record(
                action=AuditAction.REGISTER_FILER,
                target=registration,
                actor=registered_by,
                organisation_id=organisation.pk,
                detail={"kind": kind},
            )
    return registration
