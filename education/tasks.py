"""Celery tasks for education. Thin and idempotent: they call a service."""

from __future__ import annotations

from celery import shared_task

from education import services


@shared_task(autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=600, max_retries=5)
def remind_review_due() -> int:
    """E-mail content editors about articles due for review; once per article per review
    cycle, so running it again (or twice a day) sends nothing new."""
    return len(services.review_reminders_send())
