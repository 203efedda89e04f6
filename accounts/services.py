"""Writes for accounts: outbound e-mail, heartbeats and role assignment."""

from __future__ import annotations

import socket
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.events import AuditAction
from accounts.models import OutboundEmail, User, WorkerHeartbeat
from accounts.roles import ROLE_LABELS, STAFF_ROLES, sync_roles
from core.audit import audit_record, diff
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


def _role_names(user: User) -> list[str]:
    return sorted(user.groups.filter(name__in=ROLE_LABELS).values_list("name", flat=True))


def user_set_roles(*, user: User, roles: list[str], actor: User | None = None) -> None:
    """Give a user exactly these roles. Staff roles make the user staff (admin access).
    The grant or removal is recorded (who, and the roles before and after)."""
    unknown = set(roles) - set(ROLE_LABELS)
    if unknown:
        raise ValueError(f"Unknown roles: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        before = {"roles": _role_names(user), "is_staff": user.is_staff}
        user.groups.set(Group.objects.filter(name__in=roles))
        user.is_staff = user.is_superuser or any(role in STAFF_ROLES for role in roles)
        user.save(update_fields=["is_staff"])
        user_record_role_change(actor=actor, user=user, before=before)


def user_grant_role(*, user: User, role: str, actor: User | None, reason: str) -> bool:
    """Add one role to a user, keeping the others (a shipper who registers or joins an
    organisation becomes a shipper). Recorded with the reason; a role already held changes
    nothing and records nothing. Returns whether the role was granted now."""
    if role not in ROLE_LABELS:
        raise ValueError(f"Unknown role: {role}")
    with transaction.atomic():
        held = _role_names(user)
        if role in held:
            return False
        before = {"roles": held, "is_staff": user.is_staff}
        group = Group.objects.filter(name=role).first()
        if group is None:  # a database whose role groups were never synced
            sync_roles()
            group = Group.objects.get(name=role)
        user.groups.add(group)
        if role in STAFF_ROLES and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user_record_role_change(actor=actor, user=user, before=before, reason=reason)
    return True


def user_record_role_change(
    *, actor: User | None, user: User, before: dict[str, Any], reason: str = ""
) -> None:
    """Record a change of a user's roles made in this transaction (by `user_set_roles`, or
    by the admin's user form, which saves the groups itself). Nothing changed, nothing
    recorded."""
    after_roles = _role_names(user)
    before_roles = list(before.get("roles", []))
    changes = diff(before, {"roles": after_roles, "is_staff": user.is_staff})
    if not changes:
        return
    audit_record(
        action=AuditAction.USER_CHANGE_ROLES,
        target=user,
        target_label=user.email,
        actor=actor,
        changes=changes,
        internal=True,
        reason=reason,
        detail={
            "granted": sorted(set(after_roles) - set(before_roles)),
            "removed": sorted(set(before_roles) - set(after_roles)),
        },
    )
