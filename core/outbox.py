"""The transactional outbox: `publish_on_commit` instead of `task.delay` in services.

The message row is written in the caller's transaction, so the work is recorded exactly when
the change is. After commit it is published at once (without retrying: a user waits); if
the broker is unreachable it stays pending and the relay (`core.tasks.relay_outbox`, every
minute on beat, or `manage.py relay_outbox`) publishes it when the broker is back. A message
may be published twice in a race between the two: every task is idempotent (STYLE.md).
Tasks are named, not imported, so any layer can publish work for any app.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from celery import current_app
from django.db import transaction
from django.utils import timezone

from core.models import OutboxMessage

logger = logging.getLogger(__name__)

# Seconds a publish may wait for the broker before the message is left to the relay.
PUBLISH_CONNECT_TIMEOUT = 2.0

try:
    from config.logging import current_request_id
except ImportError:  # pragma: no cover

    def current_request_id() -> str:
        return "-"


def publish_on_commit(
    task_name: str,
    *,
    args: Sequence[Any] = (),
    kwargs: dict[str, Any] | None = None,
    queue: str = "",
) -> OutboxMessage:
    request_id = current_request_id()
    message = OutboxMessage.objects.create(
        task_name=task_name,
        args=list(args),
        kwargs=kwargs or {},
        queue=queue,
        request_id="" if request_id == "-" else request_id[:64],
    )
    message_id = message.pk
    transaction.on_commit(lambda: publish(message_id))
    return message


def _send(message: OutboxMessage) -> None:
    options: dict[str, Any] = {"retry": False}
    if message.queue:
        options["queue"] = message.queue
    with current_app.connection_for_write() as connection:
        # Fail fast: kombu would otherwise keep retrying for the whole connect timeout while
        # a user waits; the relay retries later.
        connection.ensure_connection(max_retries=1, timeout=PUBLISH_CONNECT_TIMEOUT)
        current_app.send_task(
            message.task_name,
            args=message.args,
            kwargs=message.kwargs,
            connection=connection,
            **options,
        )


def _mark_sent(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), attempts=message.attempts + 1
    )


def publish(message_id: int) -> bool:
    """Publish one pending message; True if it is (now) published. Never raises for a broker
    failure: the message stays pending with the error, for the relay."""
    message = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.PENDING
    ).first()
    if message is None:
        return True
    if current_app.conf.task_always_eager:
        # Eager set-ups (most tests) run the task in-process, as `.delay` would there.
        _mark_sent(message)
        if message.task_name not in current_app.tasks:
            # Task names are their module path (shared_task's default): load the module.
            importlib.import_module(message.task_name.rsplit(".", 1)[0])
        current_app.tasks[message.task_name].apply(args=message.args, kwargs=message.kwargs)
        return True
    try:
        _send(message)
    except Exception as error:  # any broker or connection failure
        logger.warning(
            "Outbox: could not publish %s (message %s); the relay will retry: %s",
            message.task_name,
            message.pk,
            error,
        )
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=message.attempts + 1, last_error=str(error)[:2000]
        )
        return False
    _mark_sent(message)
    return True


def relay_pending(*, older_than_seconds: int = 30, limit: int = 1000) -> tuple[int, int]:
    """Publish pending messages older than the given age (younger ones are still being
    published after their commit). Returns (published, still pending)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    published = sum(1 for message_id in ids if publish(message_id))
    return published, len(ids) - published


def purge_sent(*, older_than_days: int = 7) -> int:
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENT, sent_at__lt=cutoff
    ).delete()
    return deleted
