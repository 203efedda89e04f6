"""Re-screening open shipments when a denied-party list version becomes active.

Subscribes to ``screening.signals.list_version_activated`` (sender=ListVersion,
version_id, list_id). Until that signal exists (the layers work adds it), a new active
``ListVersion`` row is noticed with ``post_save`` instead: the list import creates the
new version active in its transaction, and the task is queued on commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save


def _enqueue(version_id: int | None) -> None:
    from shipments.tasks import rescreen_open_shipments

    transaction.on_commit(lambda: rescreen_open_shipments.delay(version_id))


def on_list_version_activated(sender: Any, version_id: int, **kwargs: Any) -> None:
    _enqueue(version_id)


def on_list_version_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created and instance.is_active:
        _enqueue(instance.pk)


def connect() -> str:
    """Which hook was connected: "signal" or "post_save"."""
    try:
        from screening.signals import (  # type: ignore[import-not-found,unused-ignore]
            list_version_activated,
        )
    except ImportError:
        from screening.models import ListVersion

        post_save.connect(
            on_list_version_saved, sender=ListVersion, dispatch_uid="shipments-rescreen"
        )
        return "post_save"
    list_version_activated.connect(on_list_version_activated, dispatch_uid="shipments-rescreen")
    return "signal"
