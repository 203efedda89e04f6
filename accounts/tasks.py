"""Celery tasks for accounts. Thin: take ids, call a service, retry with backoff."""

from __future__ import annotations

from celery import shared_task

from accounts import services


@shared_task(
    bind=True,
    autoretry_for=(services.EmailDeliveryError,),
    retry_backoff=30,
    retry_backoff_max=600,  # below the broker visibility timeout
    retry_jitter=True,
    max_retries=8,
)
def deliver_email(self, email_id: int) -> str:  # type: ignore[no-untyped-def]
    try:
        email = services.outbound_email_deliver(email_id=email_id)
    except services.EmailDeliveryError as error:
        if self.request.retries >= self.max_retries:
            services.outbound_email_mark_failed(email_id=email_id, error=str(error))
        raise
    return email.status


@shared_task
def record_worker_heartbeat() -> str:
    return services.worker_heartbeat_record().hostname
