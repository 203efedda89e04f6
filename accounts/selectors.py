"""Reads for accounts."""

from __future__ import annotations

from datetime import datetime

from accounts.models import User, WorkerHeartbeat
from accounts.roles import ROLE_LABELS


def user_roles(*, user: User) -> list[str]:
    if not user.is_authenticated:
        return []
    return sorted(
        name for name in user.groups.values_list("name", flat=True) if name in ROLE_LABELS
    )


def worker_last_seen() -> datetime | None:
    latest = WorkerHeartbeat.objects.order_by("-seen_at").first()
    return latest.seen_at if latest else None
