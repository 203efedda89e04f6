"""The hash chain of the audit log: each event's hash covers its content and the previous
event's hash, so a changed, removed or inserted row breaks every hash after it.

Pure functions: the data migrations that move older timelines into the log use them too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64

# The fields covered by the hash, in order. Adding a field later needs a new chain version.
HASHED_FIELDS = (
    "at",
    "actor_id",
    "actor_kind",
    "actor_label",
    "acting_for_id",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "organisation_id",
    "changes",
    "reason",
    "detail",
    "internal",
    "request_id",
    "client_address",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def event_hash(previous_hash: str, fields: Mapping[str, Any]) -> str:
    payload = json.dumps(
        [previous_hash, *(_canonical(fields.get(name)) for name in HASHED_FIELDS)],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def fields_of(event: Any) -> dict[str, Any]:
    return {name: getattr(event, name) for name in HASHED_FIELDS}


def first_break(events: Iterable[Any]) -> tuple[Any, str] | None:
    """The first event (in id order) whose stored hashes do not follow from the chain, and
    why; None if the whole chain holds."""
    previous = GENESIS
    for event in events:
        if event.previous_hash != previous:
            return event, "its previous-hash does not match the event before it"
        if event.hash != event_hash(previous, fields_of(event)):
            return event, "its content does not match its hash"
        previous = event.hash
    return None


def append_in_migration(apps: Any, rows: Iterable[Mapping[str, Any]]) -> int:
    """Append events to the log from a data migration (historical models), chained after the
    current head: used to move an app's older timeline into the one log. Each row gives the
    AuditEvent fields (`at`, `actor_id`, `action`, `target_type`, `target_id`, ...); values
    must already be JSON-safe. Returns the number appended."""
    event_model = apps.get_model("core", "AuditEvent")
    head_model = apps.get_model("core", "AuditChainHead")
    head, _ = head_model.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_hash": GENESIS}
    )
    previous = head.last_hash
    count = 0
    last_id = head.last_event_id
    for row in rows:
        fields = {
            "actor_id": None,
            "actor_kind": "user" if row.get("actor_id") else "system",
            "actor_label": "",
            "acting_for_id": None,
            "target_label": "",
            "organisation_id": None,
            "changes": {},
            "reason": "",
            "detail": {},
            "internal": False,
            "request_id": "",
            "client_address": None,
            **row,
        }
        digest = event_hash(previous, fields)
        event = event_model.objects.create(previous_hash=previous, hash=digest, **fields)
        previous, last_id = digest, event.pk
        count += 1
    head_model.objects.filter(pk=1).update(last_hash=previous, last_event_id=last_id)
    return count
