"""The partners app listens to the audit log: a certificate's status change, a finding or a
penalty decision becomes webhook deliveries in the same transaction as its audit event."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from core.models import AuditEvent
from partners.events import EVENT_FOR_ACTION
from partners.services.deliveries import deliveries_for_audit_event


@receiver(post_save, sender=AuditEvent, dispatch_uid="partners.webhooks_for_audit_event")
def webhooks_for_audit_event(
    sender: Any, instance: AuditEvent, created: bool, **kwargs: Any
) -> None:
    if created and instance.action in EVENT_FOR_ACTION:
        deliveries_for_audit_event(instance)
