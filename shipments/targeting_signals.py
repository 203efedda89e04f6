"""Re-screening open shipments when a denied-party list version becomes active.

Subscribes to ``screening.signals.list_version_activated`` (sender=ListVersion,
version_id, list_id). Until that signal exists (the layers work adds it), the existing
list-import path is followed instead: every import that changes a list runs
``shippers.tasks.rescreen_after_list_update(version_id)`` after its commit, and when that
task has run, the shipments' re-screening is queued (Celery's ``task_postrun``)."""

from __future__ import annotations

from typing import Any

from celery.signals import task_postrun
from django.db import transaction

LIST_UPDATE_TASK = "shippers.tasks.rescreen_after_list_update"


def _enqueue(version_id: int | None) -> None:
    from shipments.tasks import rescreen_open_shipments

    rescreen_open_shipments.delay(version_id)


def on_list_version_activated(sender: Any, version_id: int, **kwargs: Any) -> None:
    transaction.on_commit(lambda: _enqueue(version_id))


def on_task_postrun(
    sender: Any = None, args: Any = None, kwargs: Any = None, state: str = "", **extra: Any
) -> None:
    if getattr(sender, "name", "") != LIST_UPDATE_TASK or state not in ("", "SUCCESS"):
        return
    version_id = args[0] if args else (kwargs or {}).get("version_id")
    _enqueue(version_id)


def connect() -> str:
    """Which hook was connected: "signal" or "list-update task"."""
    try:
        from screening.signals import (  # type: ignore[import-not-found,unused-ignore]
            list_version_activated,
        )
    except ImportError:
        task_postrun.connect(on_task_postrun, weak=False, dispatch_uid="shipments-rescreen")
        return "list-update task"
    list_version_activated.connect(on_list_version_activated, dispatch_uid="shipments-rescreen")
    return "signal"
