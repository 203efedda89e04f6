"""A real Celery worker (celery.contrib.testing, not eager mode) on the real broker."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction

from accounts.models import OutboundEmail
from config.celery import app
from tests.conftest import require_service

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def live_worker() -> Iterator[None]:
    broker = urlsplit(settings.CELERY_BROKER_URL)
    if broker.scheme not in {"redis", "amqp", "pyamqp"}:
        if settings.REQUIRE_SERVICES:
            pytest.fail(f"the worker test needs a real broker, not {broker.scheme}://")
        pytest.skip("no real broker configured")
    require_service(broker.hostname or "127.0.0.1", broker.port or 6379, "the Celery broker")
    import accounts.tasks  # noqa: F401 - registers the tasks with the app

    app.conf.task_always_eager = False
    app.control.purge()  # leftovers of an interrupted earlier run
    with start_worker(
        app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=10
    ):
        yield


def wait_for(condition, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_task_enqueued_on_commit_runs_on_the_worker(live_worker: None) -> None:
    with transaction.atomic():
        EmailMessage(
            "Application received", "We have your application.", None, ["a@example.org"]
        ).send()
        email = OutboundEmail.objects.get()
        assert email.status == OutboundEmail.Status.QUEUED  # nothing leaves before commit
    assert wait_for(
        lambda: OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.SENT
    )
    email.refresh_from_db()
    assert email.attempts == 1
    assert email.sent_at is not None
    assert [m.subject for m in mail.outbox] == ["Application received"]


def test_a_rolled_back_action_sends_nothing(live_worker: None) -> None:
    class Abort(Exception):
        pass

    def send_then_fail() -> None:
        with transaction.atomic():
            EmailMessage("Never", "Rolled back.", None, ["b@example.org"]).send()
            raise Abort

    with pytest.raises(Abort):
        send_then_fail()
    time.sleep(1.0)
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []
