"""Scheduled work of the core: the outbox relay."""

from __future__ import annotations

from celery import shared_task

from core import outbox


@shared_task(ignore_result=True)
def relay_outbox() -> dict[str, int]:
    published, pending = outbox.relay_pending()
    purged = outbox.purge_sent()
    return {"published": published, "pending": pending, "purged": purged}
