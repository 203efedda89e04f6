"""A real Celery worker (celery.contrib.testing, not eager mode) on the real broker."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction

from accounts.models import OutboundEmail
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


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
