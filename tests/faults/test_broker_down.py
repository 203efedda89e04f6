"""Sign-up and password reset with the broker unreachable: the person sees success at once,
the e-mail is recorded and waits, and the relay delivers it exactly once when the broker is
back. (Submitting an application with the broker down: tests/shippers/test_broker_outage.py;
the outbox itself: tests/core/test_outbox.py.)"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from accounts.models import OutboundEmail, User
from config.celery import app
from core.models import OutboxMessage
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
DELIVER = "accounts.tasks.deliver_email"


def broker_back() -> None:
    """The broker answers again (here: tasks run in-process, as a worker would run them)."""
    app.conf.task_always_eager = True


def relay(capture: Any) -> None:
    with capture(execute=True):
        call_command("relay_outbox")


def test_signing_up_while_the_broker_is_down_succeeds_and_the_mail_follows_once(
    client: Client, unreachable_broker: None, django_capture_on_commit_callbacks: Any
) -> None:
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {"email": "new.seller@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert time.monotonic() - started < 10, "nobody waits on an unreachable broker"
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email="new.seller@example.org").exists()
    email = OutboundEmail.objects.get(recipients="new.seller@example.org")
    assert email.status == OutboundEmail.Status.QUEUED
    waiting = OutboxMessage.objects.get(task_name=DELIVER, args=[email.pk])
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert waiting.last_error
    assert mail.outbox == []

    broker_back()
    relay(django_capture_on_commit_callbacks)
    relay(django_capture_on_commit_callbacks)  # a second relay finds nothing left to send
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert OutboxMessage.objects.get(pk=waiting.pk).status == "sent"


def test_a_password_reset_while_the_broker_is_down_is_delivered_once_later(
    client: Client, unreachable_broker: None, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory(email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(task_name=DELIVER, status="pending").count() == 1

    broker_back()
    relay(django_capture_on_commit_callbacks)
    relay(django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert not OutboxMessage.objects.filter(status="pending").exists()
