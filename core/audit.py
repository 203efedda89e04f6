"""Writing the audit log: `audit_record` inside the service's transaction.

Every service that changes state calls it once, in the same `transaction.atomic` as the
change, so the event exists exactly when the change does. The request id and client
address come from the request (`core.middleware.AuditContextMiddleware`) or the task that
carries the request id.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from core.chain import GENESIS, event_hash, fields_of
from core.client import client_address_var, normalise_address
from core.models import AuditChainHead, AuditEvent, target_type_of

try:  # the request id set by the request middleware or the task that carries it
    from config.logging import request_id_var
except ImportError:  # pragma: no cover - core used without the project wiring
    request_id_var = None  # type: ignore[assignment]


def _json_safe(value: Any) -> Any:
    """What the JSON column will give back (Decimals and dates as strings), so the hash of
    the row written equals the hash of the row read."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """{"field": {"before": b, "after": a}} for the fields whose value changed."""
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def _current_request_id() -> str:
    if request_id_var is None:
        return ""
    value = request_id_var.get()
    return "" if value in ("", "-") else value[:64]


def audit_record(
    *,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    target_label: str = "",
    actor: Any = None,
    actor_kind: str | None = None,
    acting_for_id: int | None = None,
    organisation_id: int | None = None,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
    detail: Mapping[str, Any] | None = None,
    internal: bool = False,
    at: Any = None,
) -> AuditEvent:
    """Append one event to the log; must run inside the service's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction.atomic.")
    if target is not None:
        target_type = target_type or target_type_of(target)
        target_id = target_id or target.pk
        target_label = target_label or str(target)[:200]
    if not target_type or target_id in ("", None):
        raise ValueError("An audit event needs a target (an object, or its type and id).")
    user = actor if getattr(actor, "is_authenticated", False) else None
    kind = actor_kind or (AuditEvent.ActorKind.USER if user else AuditEvent.ActorKind.SYSTEM)
    event = AuditEvent(
        actor=user,
        actor_kind=kind,
        actor_label=(getattr(user, "email", "") or "")[:254] if user else "",
        acting_for_id=acting_for_id,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        target_label=target_label[:200],
        organisation_id=organisation_id,
        changes=_json_safe(dict(changes or {})),
        reason=reason,
        detail=_json_safe(dict(detail or {})),
        internal=internal,
        request_id=_current_request_id(),
        client_address=normalise_address(client_address_var.get()),
    )
    if at is not None:
        event.at = at
    # The head row serialises writers: the chain has one order, and each event's previous
    # hash is the hash of the event committed before it.
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    event.previous_hash = head.last_hash
    event.hash = event_hash(event.previous_hash, fields_of(event))
    event.save(force_insert=True)
    AuditChainHead.objects.filter(pk=1).update(last_hash=event.hash, last_event_id=event.pk)
    return event
