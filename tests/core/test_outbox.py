"""The transactional outbox: work recorded with the change, published when the broker is
there, never lost when it is not."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import WorkerHeartbeat
from config.celery import app
from core import outbox
from core.models import OutboxMessage
from tests.conftest import wait_for


@pytest.mark.django_db
def test_a_message_is_written_with_the_change_and_runs_after_commit(
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = outbox.publish_on_commit("accounts.tasks.record_worker_heartbeat")
        assert OutboxMessage.objects.get(pk=message.pk).status == "pending"
        assert not WorkerHeartbeat.objects.exists()
    message.refresh_from_db()
    assert message.status == "sent"
    assert WorkerHeartbeat.objects.exists()


@pytest.mark.django_db
def test_a_rolled_back_change_publishes_nothing() -> None:
    def failing_action() -> None:
        with transaction.atomic():
            outbox.publish_on_commit("accounts.tasks.record_worker_heartbeat")
            raise RuntimeError("the action failed")

    with pytest.raises(RuntimeError):
        failing_action()
    assert not OutboxMessage.objects.exists()
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_broker_down_the_change_commits_and_the_relay_publishes_later(
    live_worker: None, unreachable_broker: None
) -> None:
    started = time.monotonic()
    with transaction.atomic():
        message = outbox.publish_on_commit("accounts.tasks.record_worker_heartbeat")
    assert time.monotonic() - started < 5, "a user must not wait for an unreachable broker"
    message.refresh_from_db()
    assert message.status == "pending"
    assert message.attempts == 1
    assert message.last_error

    # The relay finds nothing it can publish while the broker is still down.
    assert outbox.relay_pending(older_than_seconds=0) == (0, 1)

    # The broker is back: the relay command publishes, the worker runs the task.
    from django.conf import settings

    app.conf.broker_url = settings.CELERY_BROKER_URL
    app.conf.broker_write_url = None
    app.amqp._producer_pool = None
    app._pool = None
    out = StringIO()
    call_command("relay_outbox", stdout=out)
    assert "Published 1 message(s); 0 still pending." in out.getvalue()
    message.refresh_from_db()
    assert message.status == "sent"
    assert wait_for(WorkerHeartbeat.objects.exists, timeout=30)
