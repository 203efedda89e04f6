"""The program's one audit log.

Every service that changes state writes one `AuditEvent` in its own transaction (Zulip's
`RealmAuditLog`). Rows are append-only: PostgreSQL (and SQLite) triggers refuse UPDATE and
DELETE, and the admin offers neither. Each row carries the SHA-256 of its content and of
the previous row (`core.chain`), so `manage.py audit_verify` detects a changed, removed or
inserted row and names the first one that breaks the chain.

Targets and organisations are referenced by type and id, not by foreign key: the audit log
sits below every app and outlives the rows it describes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_target(self, obj: models.Model) -> AuditEventQuerySet:
        """Events about one object (its timeline), oldest first."""
        return self.filter(target_type=target_type_of(obj), target_id=str(obj.pk)).order_by(
            "at", "pk"
        )

    def for_organisation(self, organisation_id: int) -> AuditEventQuerySet:
        return self.filter(organisation_id=organisation_id)

    def visible_to_members(self) -> AuditEventQuerySet:
        """What an organisation's members may read: never internal events or notes."""
        return self.filter(internal=False)


def target_type_of(obj: models.Model | type[models.Model]) -> str:
    """ "app_label.model" of a model instance or class (stable across renames of the id)."""
    return obj._meta.label_lower


class AuditEvent(models.Model):
    """Something that happened, who did it, to what, and what changed."""

    class ActorKind(models.TextChoices):
        USER = "user", "A signed-in user"
        SYSTEM = "system", "The system (scheduled or background work)"
        API = "api", "An API client"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Accounts with audit events are deactivated, never deleted.",
    )
    actor_kind = models.CharField(max_length=8, choices=ActorKind.choices, default="user")
    # The user's address at the time (the account may change later).
    actor_label = models.CharField(max_length=254, blank=True)
    # The organisation the actor acted for (a shipper's member, a partner's API key).
    acting_for_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=200, blank=True)
    # The organisation concerned (the shipper the application, case or shipment is about).
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(
        default=dict, blank=True, help_text='{"field": {"before": ..., "after": ...}}'
    )
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # Internal events and notes are for staff only; members of the organisation never see them.
    internal = models.BooleanField(default=False)
    request_id = models.CharField(max_length=64, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ("-at", "-pk")
        indexes = [
            models.Index(fields=["target_type", "target_id", "at"], name="core_audit_target"),
            models.Index(fields=["organisation_id", "at"], name="core_audit_org"),
        ]
        permissions = [("search_auditevent", "Can search the audit log")]

    def __str__(self) -> str:
        return f"{self.action} on {self.target_type} {self.target_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only; record a new event instead.")
        super().save(*args, **kwargs)

    @property
    def from_status(self) -> str:
        return str(self.changes.get("status", {}).get("before") or "")

    @property
    def to_status(self) -> str:
        return str(self.changes.get("status", {}).get("after") or "")


class AuditChainHead(models.Model):
    """One row: the hash of the last audit event. Writers lock it, so the chain has one
    order even when many transactions record events at once."""

    last_hash = models.CharField(max_length=64)
    last_event_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"audit chain head at {self.last_event_id}"


class OutboxMessage(models.Model):
    """A task to publish, written in the same transaction as the change that calls for it
    (the transactional outbox): if the broker is down the change still commits, the user
    sees success, and the relay publishes the message when the broker is back."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be published"
        SENT = "sent", "Published to the broker"

    created_at = models.DateTimeField(default=timezone.now)
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    queue = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="core_outbox_pending")]

    def __str__(self) -> str:
        return f"{self.task_name} ({self.get_status_display()})"
