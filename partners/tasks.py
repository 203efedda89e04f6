"""Webhook delivery tasks: idempotent, taking ids; the beat task retries what is due."""

from __future__ import annotations

from celery import shared_task

from partners.services import deliveries


@shared_task
def deliver_webhook(delivery_id: int) -> str:
    return deliveries.delivery_attempt(delivery_id=delivery_id)


@shared_task
def deliver_due_webhooks() -> int:
    """Attempt every due delivery (retries after backoff, and any whose first task was lost)."""
    due = deliveries.deliveries_due()
    for delivery_id in due:
        deliveries.delivery_attempt(delivery_id=delivery_id)
    return len(due)
