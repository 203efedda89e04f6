"""Writes for accounts: outbound e-mail, heartbeats and role assignment."""

from __future__ import annotations

import socket
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import OutboundEmail, User, WorkerHeartbeat
from accounts.roles import ROLE_LABELS
from core.outbox import publish_on_commit
from core.sealing import seal, unseal

EMAIL_SEAL_PURPOSE = "outbound-email"


def outbound_email_queue(*, payload: dict[str, Any]) -> OutboundEmail:
    """Record an e-mail to send and deliver it after the surrounding transaction commits
    (through the outbox: a broker outage delays it, never loses it or fails the action)."""
    recipients = [*payload["to"], *payload["cc"], *payload["bcc"]]
    email = OutboundEmail.objects.create(
        recipients=", ".join(recipients),
        subject=payload["subject"][:300],
        sealed_message=seal(payload, purpose=EMAIL_SEAL_PURPOSE),
    )
    publish_on_commit("accounts.tasks.deliver_email", args=[email.pk])
    return email


class EmailDeliveryError(Exception):
    """The mail server refused or could not be reached; the task retries."""


def outbound_email_deliver(*, email_id: int) -> OutboundEmail:
    """Send one queued e-mail with the configured backend. A sent e-mail is never sent twice."""
    from config.email import deserialize_message

    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().get(pk=email_id)
        if email.status == OutboundEmail.Status.SENT:
            return email
        email.attempts += 1
        try:
            payload = unseal(email.sealed_message, purpose=EMAIL_SEAL_PURPOSE)
            deserialize_message(payload).send(using="delivery")
        except OSError as error:
            failure = error
            email.last_error = f"{type(error).__name__}: {error}"
            email.save(update_fields=["attempts", "last_error"])
        else:
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
            email.sealed_message = ""  # delivered: nothing secret is kept
            email.save(
                update_fields=["attempts", "status", "sent_at", "last_error", "sealed_message"]
            )
            return email
    raise EmailDeliveryError(email.last_error) from failure


def outbound_email_mark_failed(*, email_id: int, error: str) -> None:
    OutboundEmail.objects.filter(pk=email_id).exclude(status=OutboundEmail.Status.SENT).update(
        status=OutboundEmail.Status.FAILED, last_error=error[:2000]
    )


def worker_heartbeat_record(*, hostname: str | None = None) -> WorkerHeartbeat:
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname or socket.gethostname(), defaults={"seen_at": timezone.now()}
    )
    return heartbeat


def user_set_roles(*, user: User, roles: list[str]) -> None:
    """Give a user exactly these roles. Staff roles make the user staff (admin access)."""
    unknown = set(roles) - set(ROLE_LABELS)
    if unknown:
        raise ValueError(f"Unknown roles: {', '.join(sorted(unknown))}")
    from accounts.roles import STAFF_ROLES

    with transaction.atomic():
        user.groups.set(Group.objects.filter(name__in=roles))
        user.is_staff = user.is_superuser or any(role in STAFF_ROLES for role in roles)
        user.save(update_fields=["is_staff"])
